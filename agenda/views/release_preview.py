"""The release page for staff: what publishing the programme now would change and whom it
would touch, then the publishing itself. The admin serves it (its login and look)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from agenda import publishing
from agenda.models import Summit
from agenda.models.release import NOTE_LENGTH
from agenda.releases import describe


class PublishForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Public note"),
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=gettext_lazy("Shown with the release in the public changelog and its feed."),
    )
    # The last release the page showed: publishing is refused if another came meanwhile.
    after = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


@require_http_methods(["GET", "HEAD", "POST"])
def preview(
    request: HttpRequest, summit: Summit, admin_context: dict[str, object] | None = None
) -> HttpResponse:
    """The page; `admin_context` is the admin site's own (its header, its links)."""
    if not request.user.has_perm("agenda.add_release"):
        raise PermissionDenied
    found = publishing.impact(summit)
    seen = found.last.number if found.last is not None else 0
    form = PublishForm(initial={"after": seen})
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                release = publishing.publish(
                    summit=summit,
                    note=form.cleaned_data["note"],
                    user=request.user if request.user.is_authenticated else None,
                    after=form.cleaned_data["after"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                form = PublishForm(initial={"after": seen, "note": form.cleaned_data["note"]})
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(release)s is published: %(emails)d email will go out.",
                        "%(release)s is published: %(emails)d emails will go out.",
                        found.emails,
                    )
                    % {"release": release.name, "emails": found.emails},
                )
                return redirect(request.path)
    return TemplateResponse(
        request,
        "admin/agenda/release_preview.html",
        {
            **(admin_context or {}),
            "title": _("Publish the programme of %(summit)s") % {"summit": summit},
            "summit": summit,
            "impact": found,
            "lines": [describe(change, summit=summit) for change in found.changes],
            "people": [
                (someone, [describe(change, summit=summit) for change in someone.changes])
                for someone in found.people
            ],
            "form": form,
            "opts": Summit._meta,
        },
    )
