"""Texts written in each language (django-modeltranslation): which fields of a model are
translated, and the names of their columns per language."""

from django.conf import settings
from django.db import models
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator


def languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The model's translated fields (`title`), none when it has no translated text."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def columns(field: str) -> list[str]:
    """A translated field's column in each language: `title_en`, `title_fr`."""
    return [f"{field}_{code}" for code in languages()]


def fallback_language(instance: models.Model, field: str) -> str | None:
    """The language a translated text is read in when the active language lacks it (the
    English of a French page); None when it is in the active language, or empty in all."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    if getattr(instance, f"{field}_{current}", None):
        return None
    for code in languages():
        if code != current and getattr(instance, f"{field}_{code}", None):
            return code
    return None
