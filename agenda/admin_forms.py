"""What every admin that edits something with a time, a room and people shares: the
scheduling rules on save, staff's choice to accept warnings, times in the summit's zone."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from agenda.models import Summit
from agenda.scheduling import Conflict, check_people, enforce
from common.admin import ModelAdmin
from common.conflicts import ACCEPT_FIELD


class ConflictCheckedForm(forms.ModelForm):
    """Refuses a save that breaks a blocking rule; staff tick a box to accept warnings."""

    accept_conflicts = forms.BooleanField(
        label=_("Save despite the warnings"),
        required=False,
        help_text=_(
            "Tick to keep a schedule that puts someone in two places or short of travel time."
        ),
    )

    def check_item(self, item) -> list[Conflict]:
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        if self._errors:
            return
        try:
            # People are checked by the inline formset, which knows who is on the item.
            enforce(self.check_item(self.instance), accept_warnings=True)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)


def accepts_warnings(data) -> bool:
    """Staff's tick in "Save despite the warnings", read by the form's own field."""
    field = ConflictCheckedForm.base_fields[ACCEPT_FIELD]
    return bool(field.clean(field.widget.value_from_datadict(data, {}, ACCEPT_FIELD)))


class PeopleConflictFormSet(BaseInlineFormSet):
    """Warns when the people of an item would be in two places at once or short of travel."""

    def __init__(self, *args, accept_warnings=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.accept_warnings = accept_warnings

    def people(self):
        found = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE") or not data.get("person") or not self.takes_time(form):
                continue
            found[data["person"].pk] = data["person"]
        return list(found.values())

    def takes_time(self, form):
        return True

    def clean(self):
        super().clean()
        item = self.instance
        if any(self.errors) or not (item.start and item.end) or item.end <= item.start:
            return
        try:
            enforce(
                check_people(item=item, people=self.people()),
                accept_warnings=self.accept_warnings,
                hint=_("Tick “Save despite the warnings” above to keep this schedule."),
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class SummitChoice(forms.Form):
    summit = forms.ModelChoiceField(queryset=Summit.objects.all(), required=False)


class ScheduledItemAdmin(ModelAdmin):
    """Staff type and read times in the zone of the item's summit, and the people inline
    learns whether staff accepted the warnings."""

    def summit_zone(self, request, object_id):
        if object_id:
            item = self.get_object(request, object_id)  # None for an unknown or malformed id
            return item.summit.time_zone if item else None
        choice = SummitChoice(request.POST if request.method == "POST" else request.GET)
        summit = choice.cleaned_data["summit"] if choice.is_valid() else None
        return summit.time_zone if summit else None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        zone = self.summit_zone(request, object_id)
        if zone:
            timezone.activate(zone)
        zone_name = timezone.get_current_timezone_name()
        extra_context = {**(extra_context or {}), "summit_zone": zone_name}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        zone = timezone.get_current_timezone_name()
        for name in ("start", "end", "window_start", "window_end"):
            if name in form.base_fields:
                form.base_fields[name].help_text = _("Local time in %(zone)s.") % {"zone": zone}
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "POST" and issubclass(inline.formset, PeopleConflictFormSet):
            kwargs["accept_warnings"] = accepts_warnings(request.POST)
        return kwargs

    @admin.display(description=_("conflicts as saved"))
    def current_conflicts(self, item):
        if not item.pk:
            return _("Checked when you save.")
        conflicts = self.conflicts_of(item)
        if not conflicts:
            return _("None")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((c.message,) for c in conflicts))
        )

    def conflicts_of(self, item) -> list[Conflict]:
        raise NotImplementedError


def local_time(item, value):
    if value is None:
        return "—"
    local = timezone.localtime(value, item.summit.tz)
    return dateformat.format(local, "D j M Y, H:i")
