"""Translated texts in pages: one read in another language than the page's (an English
title on a French page) says so with `lang`, for screen readers and hyphenation (WCAG 3.1.2)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from common.translated import fallback_language

register = template.Library()


@register.filter
def text(instance, field_name):
    """`{{ session|text:"title" }}`: the text, in a `<span lang>` when in another language."""
    value = getattr(instance, field_name)
    language = fallback_language(instance, field_name)
    return format_html('<span lang="{}">{}</span>', language, value) if language else value


@register.filter
def lang_of(instance, field_name):
    """`<div{{ session|lang_of:"abstract" }}>`: ` lang="en"` when the text is in another
    language than the page's."""
    language = fallback_language(instance, field_name)
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def affiliation(person):
    """`{{ person|affiliation }}`: the job title and organisation that the person has,
    joined by a comma only when there are both, and the organisation left out when the
    title names it."""
    parts = []
    if person.position:
        parts.append(text(person, "position"))
    organisation = person.organisation
    # “President of the European Commission” says the organisation already.
    if (
        organisation is not None
        and organisation.name
        and organisation.name.casefold() not in person.position.casefold()
    ):
        parts.append(text(organisation, "name"))
    return mark_safe(", ".join(conditional_escape(part) for part in parts))
