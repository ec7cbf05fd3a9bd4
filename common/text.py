"""Free text such as an abstract or a biography: a few pages at most."""

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
