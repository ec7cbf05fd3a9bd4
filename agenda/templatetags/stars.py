"""The star button, the same markup whether a page renders it or a shared rendering's
marker is filled in for the reader (agenda.cached)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from agenda.cached import StarForms, star_marker

register = template.Library()


@register.simple_tag(takes_context=True)
def star_form(context, session, starred):
    return mark_safe(StarForms(context["request"]).form(session.pk, escape(session.title), starred))


@register.simple_tag
def star_slot(session):
    """A marker for `agenda.cached.personalise`: a star button for readers who are logged in,
    nothing for the others."""
    return mark_safe(star_marker(session))
