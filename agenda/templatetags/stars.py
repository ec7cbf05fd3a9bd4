"""The star button, the same markup whether a page renders it or a shared rendering's
marker is filled in for the reader (agenda.cached)."""

from django import template
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import mark_safe

from agenda.cached import StarForms, seats_marker, star_marker

register = template.Library()


@register.simple_tag(takes_context=True)
def star_form(context, session, starred):
    request = context["request"]
    forms = StarForms(token=escape(get_token(request)), next_path=escape(request.get_full_path()))
    return mark_safe(forms.form(session.pk, escape(session.title), starred))


@register.simple_tag
def star_slot(session):
    """A marker for `agenda.cached.Rendering`: a star button for readers who are logged in,
    nothing for the others."""
    return mark_safe(star_marker(session))


@register.simple_tag
def seats_slot(session):
    """A marker for `agenda.cached.seats_in`: the seats left and the reader's own place,
    put in for each request."""
    return mark_safe(seats_marker(session)) if session.takes_registrations else ""
