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
from django.utils.translation import gettext as _

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
