"""The people list as a spreadsheet: one row per person.

Columns, as exported and read back: `id` (empty for a new person; a person's id updates them),
`name`, `slug`, `position_en`, `position_fr`, `organisation` (its slug, or its name in either
language), `country` (ISO 3166 code, `FR`), `email`, `is_public` (1 or 0, TRUE or FALSE),
`language` (`en` or `fr`), `bio_en`, `bio_fr`. Logins are not part of it.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, widgets

from common.spreadsheets import SheetResource, SpreadsheetAdmin, unquote
from common.translated import columns
from people.models import Organisation, Person

TEXTS = ("name", "slug", "position_en", "position_fr", "email", "bio_en", "bio_fr")


class OrganisationWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Organisation, "slug")

    def clean(self, value, row=None, **kwargs):
        text = unquote(str(value or "").strip())
        if not text:
            return None
        by_name = Q(slug=text)
        for column in columns("name"):
            by_name |= Q(**{f"{column}__iexact": text})
        found = list(Organisation.objects.filter(by_name)[:2])
        if len(found) != 1:
            raise ValueError(
                (_("“%(value)s” names more than one.") if found else _("No “%(value)s” here."))
                % {"value": text}
            )
        return found[0]


class CountryWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip().upper()

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", None) or ""


class PersonResource(SheetResource):
    organisation = fields.Field("organisation", "organisation", OrganisationWidget())
    country = fields.Field("country", "country", CountryWidget())

    texts = TEXTS

    class Meta:
        model = Person
        fields = (
            *("id", "name", "slug", "position_en", "position_fr", "organisation", "country"),
            *("email", "is_public", "language", "bio_en", "bio_fr"),
        )
        export_order = fields
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = False

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("organisation")

    def before_save_instance(self, instance, row, **kwargs):
        if instance._state.adding:
            instance.pk = None  # an id of no person: a new one, numbered by the database


class PersonSpreadsheets(SpreadsheetAdmin):
    resource_classes = [PersonResource]
