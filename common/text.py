"""Free text such as an abstract or a biography: a few pages at most."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# Ten times the longest description of the demo summit; a request may carry far more.
LONG_TEXT_LENGTH = 10_000


def long_text_check(field: str, *, name: str) -> models.CheckConstraint:
    """The database's own refusal of a text longer than LONG_TEXT_LENGTH characters."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), LONG_TEXT_LENGTH), name=name
    )


def long_text_checks(model: str, field: str) -> list[models.BaseConstraint]:
    """`long_text_check` on a translated text and on its column in each language
    (django-modeltranslation adds `<field>_en`, `<field>_fr`)."""
    return [
        long_text_check(name, name=f"{model}_{name}_length")
        for name in (field, *(f"{field}_{code}" for code, _ in settings.LANGUAGES))
    ]
