"""Labels of choices, translated once per language rather than on every call: a programme
of thousands of sessions asks for "Panel" thousands of times (`get_kind_display` builds the
choices and translates each time)."""

from django.db.models import Choices
from django.utils import translation

_tables: dict[tuple[type[Choices], str | None], dict[object, str]] = {}


def label(choices: type[Choices], value: object) -> str:
    """The label of `value` in the active language; the value itself when it is no choice."""
    language = translation.get_language()
    table = _tables.get((choices, language))
    if table is None:
        table = _tables[(choices, language)] = {
            choice.value: str(choice.label) for choice in choices
        }
    return table.get(value, str(value))


_fields: dict[tuple[type, str, str | None], dict[object, str]] = {}


def display(instance: object, field_name: str) -> str:
    """What `get_<field>_display()` gives, from a table made once per language."""
    model = type(instance)
    language = translation.get_language()
    table = _fields.get((model, field_name, language))
    if table is None:
        field = model._meta.get_field(field_name)  # type: ignore[attr-defined]
        table = _fields[(model, field_name, language)] = {
            value: str(text) for value, text in field.flatchoices
        }
    value = getattr(instance, field_name)
    return table.get(value, str(value))
