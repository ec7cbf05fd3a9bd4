"""What every admin page of the summit shares: any input gets the page back, never a 500.

Django's admin takes some values further than its forms can: an autocomplete field shown
again with a value that is no id queries the database with it, a list of ids past 64 bits
is compared in SQLite, which cannot hold them, and so is a search of any length (SQLite
gives up on a LIKE pattern past 50,000 bytes)."""

import dataclasses
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import get_content_type_for_model
from django.contrib.admin.utils import display_for_field, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from common.history import history_of
from common.translated import columns, languages, translated_fields

# Longer than any name, title or address searched for.
SEARCH_LENGTH = 200


def readable(field: models.Field, value: object) -> bool:
    """Whether a column can hold the value: an id a person could have meant."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class ReadableValuesMixin:
    """An autocomplete that shows no choice for a value that is no id, where Django's would
    look it up as it is."""

    field: models.Field

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [item for item in value if readable(target, item)], attr)


class AutocompleteSelect(ReadableValuesMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(ReadableValuesMixin, widgets.AutocompleteSelectMultiple):
    pass


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ids that no row could have are refused like any other that is not an id."""

    def clean(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        for item in value if isinstance(value, list | tuple) else []:
            if item not in self.empty_values and not readable(key, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super().clean(value)


class AnyInputMixin:
    """For a model admin or an inline: fields and searches that answer any input."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        if len(search_term) > SEARCH_LENGTH:
            self.message_user(
                request,
                _("Search for at most %(count)d characters.") % {"count": SEARCH_LENGTH},
                messages.ERROR,
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class ModelAdmin(AnyInputMixin, admin.ModelAdmin):
    pass


class TabularInline(AnyInputMixin, admin.TabularInline):
    pass


class FrenchFilter(admin.SimpleListFilter):
    """Items whose texts are all in French, or which lack one: what is left to translate."""

    title = gettext_lazy("French")
    parameter_name = "french"

    def lookups(self, request, model_admin):
        return [("missing", gettext_lazy("missing")), ("written", gettext_lazy("written"))]

    def queryset(self, request, queryset):
        if self.value() not in {"missing", "written"}:
            return queryset
        missing = Q(pk__in=[])
        for field in translated_fields(queryset.model):
            written = ~Q(**{f"{field}_en": ""}) & Q(**{f"{field}_en__isnull": False})
            lacking = Q(**{f"{field}_fr": ""}) | Q(**{f"{field}_fr__isnull": True})
            missing |= written & lacking
        return queryset.filter(missing) if self.value() == "missing" else queryset.exclude(missing)


class TextsAdmin(TranslationAdmin):
    """A model admin of translated texts: each text in every language side by side (one row
    per text), searched in all of them, with the `FrenchFilter`."""

    # As untyped as the admins it is mixed with (ScheduledItemAdmin), for the type checker;
    # `change` by name, as TranslationAdmin takes it.
    def get_form(self, request, obj=None, change=False, **kwargs):
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": paired(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), FrenchFilter]

    def get_search_fields(self, request):
        texts = translated_fields(self.model)
        return [
            column
            for name in super().get_search_fields(request)
            for column in (columns(name) if name in texts else [name])
        ]


def paired(fields):
    """`title_en`, `title_fr` as one row `("title_en", "title_fr")`."""
    flat = [name for entry in fields for name in ((entry,) if isinstance(entry, str) else entry)]
    rows: list = []
    for name in flat:
        base, _sep, code = name.rpartition("_")
        same_text = rows and isinstance(rows[-1], tuple) and rows[-1][0].rpartition("_")[0] == base
        if code in languages() and same_text:
            rows[-1] = (*rows[-1], name)
            continue
        rows.append((name,) if code in languages() and base else name)
    return [row[0] if isinstance(row, tuple) and len(row) == 1 else row for row in rows]


class ReadableChanges(HistoricalRecordContextHelper):
    """The "Changes" column in the summit's words: choices by their label, times in the
    active zone, related rows by name."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, datetime):
            return display_for_field(timezone.localtime(value), field, "—")
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin with the record of every edit (django-simple-history): its "History"
    page lists each version with who, when and what changed, and a version can be read.
    Nothing is reverted from there: a version is read only, and a deleted row comes back
    through its admin's "Recover deleted" page, which checks the scheduling rules.

    Whoever may not see a row (`get_queryset`, the view permission) may not see its
    history either, nor that of a deleted row they could not see (`may_see_deleted`)."""

    # Typed as loosely as django-stubs types it on ModelAdmin, beside which it is mixed.
    object_history_template: Any = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    history_version_template = "admin/history/version.html"

    def get_urls(self):
        opts = self.model._meta
        info = f"{opts.app_label}_{opts.model_name}"
        name = f"{info}_simple_history"
        version = self.admin_site.admin_view(require_safe(self.history_version_view))
        restoring = []
        if self.restorable:
            deleted = self.admin_site.admin_view(require_safe(self.deleted_view))
            restore = self.admin_site.admin_view(self.restore_view)
            restoring = [
                path("deleted/", deleted, name=f"{info}_deleted"),
                path("deleted/<int:history_id>/", restore, name=f"{info}_restore"),
            ]
        return [
            *restoring,
            path("<path:object_id>/history/<int:history_id>/", version, name=name),
            *[url for url in super().get_urls() if getattr(url, "name", None) != name],
        ]

    # --- Recovering deleted rows (an admin that sets `restorable`, and takes the change list
    # template "admin/history/change_list.html" for the link to them) -------------------------
    restorable = False

    def deleted_records(self):
        """The deletion records of the rows that are gone, latest first."""
        raise NotImplementedError

    def restore(self, history_id):
        """Bring a row back from its deletion record, or raise ValidationError."""
        raise NotImplementedError

    def relations_of(self, record):
        """What comes back with the row: a line for each."""
        return []

    def may_restore(self, request):
        return self.has_add_permission(request) and self.has_view_or_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        if self.restorable and self.may_restore(request):
            opts = self.model._meta
            deleted_url = f"admin:{opts.app_label}_{opts.model_name}_deleted"
            extra_context = {**(extra_context or {}), "deleted_url": deleted_url}
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        """The rows deleted, each with who deleted it and when, and a way to restore it."""
        if not self.may_restore(request):
            raise PermissionDenied
        records = [
            record
            for record in self.deleted_records()
            if self.may_see_deleted(request, record.history_object)
        ]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "records": records,
            "title": _("Recover deleted %(items)s") % {"items": opts.verbose_name_plural},
        }
        return TemplateResponse(request, "admin/history/deleted.html", context)

    def restore_view(self, request, history_id):
        """Restore one deleted row, with what went with it, once confirmed (POST)."""
        if request.method not in {"GET", "HEAD", "POST"}:
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        if not self.may_restore(request):
            raise PermissionDenied
        record = self.deleted_records().filter(history_id=history_id).first()
        if record is None or not self.may_see_deleted(request, record.history_object):
            raise Http404
        opts = self.model._meta
        if request.method == "POST":
            try:
                restored = self.restore(history_id)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("“%(item)s” is back, as it was when it was deleted.") % {"item": restored},
                )
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", restored.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "record": record,
            "relations": self.relations_of(record),
            "title": _("Restore “%(item)s”?") % {"item": record.history_object},
        }
        return TemplateResponse(request, "admin/history/restore.html", context)

    def may_see_deleted(self, request, obj):
        """Whether the request may see the history of a deleted row, as it was last."""
        return self.has_view_or_change_permission(request, obj)

    def visible_subject(self, request, object_id):
        """The row whose history is asked for, if the request may see it: as it is, or as
        it was when deleted. Never found through its history when it exists but is hidden."""
        pk = self.model._meta.pk
        try:
            key = pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        obj = self.get_queryset(request).filter(pk=key).first()
        if obj is None:
            if self.model._default_manager.filter(pk=key).exists():
                raise Http404
            last = history_of(self.model).filter(**{pk.attname: key}).order_by("-history_date")
            record = last.first()
            if record is None:
                raise Http404
            obj = record.history_object
            if not self.may_see_deleted(request, obj):
                raise PermissionDenied
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        subject = self.visible_subject(request, object_id)
        # Beside the versions, what the admin and the API noted in words ("Moved from ...").
        notes = (
            LogEntry.objects.filter(
                object_id=str(subject.pk), content_type=get_content_type_for_model(self.model)
            )
            .select_related("user")
            .order_by("-action_time")[:100]
        )
        extra_context = {**(extra_context or {}), "notes": notes}
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # A translated field's own column mirrors one of its languages: the languages'
        # columns say it once each.
        texts = translated_fields(self.model)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=texts, foreign_keys_are_objs=foreign_keys_are_objs
                )
                # A text never written (NULL) and one left empty read the same.
                changes = [
                    change for change in delta.changes if {change.old, change.new} - {None, ""}
                ]
                delta = dataclasses.replace(delta, changes=changes)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def history_version_view(self, request, object_id, history_id):
        """One version of a row, field by field, read only."""
        subject = self.visible_subject(request, object_id)
        opts = self.model._meta
        record = (
            history_of(self.model)
            .filter(**{opts.pk.attname: subject.pk, "history_id": history_id})
            .select_related("history_user")
            .first()
        )
        if record is None:
            raise Http404
        texts = translated_fields(self.model)
        version = record.history_object
        fields = [
            (capfirst(field.verbose_name), self.version_value(version, field))
            for field in opts.concrete_fields
            if field.name not in texts and field.name not in record._history_excluded_fields
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "subject": subject,
            "record": record,
            "fields": fields,
            "title": _("%(item)s as it was on %(when)s")
            % {
                "item": version,
                "when": formats.date_format(
                    timezone.localtime(record.history_date), "DATETIME_FORMAT"
                ),
            },
        }
        return TemplateResponse(request, self.history_version_template, context)

    @staticmethod
    def version_value(version, field):
        value = getattr(version, field.attname)
        if field.is_relation and value is not None:
            related = field.related_model._default_manager.filter(pk=value).first()
            return str(related) if related is not None else f"#{value}"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, datetime):
            value = timezone.localtime(value)
        return display_for_field(value, field, "—")
