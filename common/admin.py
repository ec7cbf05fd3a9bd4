"""What every admin page of the summit shares: any input gets the page back, never a 500.

Django's admin takes some values further than its forms can: an autocomplete field shown
again with a value that is no id queries the database with it, a list of ids past 64 bits
is compared in SQLite, which cannot hold them, and so is a search of any length (SQLite
gives up on a LIKE pattern past 50,000 bytes)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin

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
