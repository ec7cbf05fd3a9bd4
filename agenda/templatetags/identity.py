from django import template
from django.utils.html import format_html

from agenda import identity

register = template.Library()


@register.simple_tag(takes_context=True)
def summit_theme(context, summit):
    """The `<style>` of the summit's colours, allowed by its hash (the same for every reader,
    so that the page can be kept whole in the cache)."""
    css = summit.theme_css
    identity.allow_style(context.get("request"), css)
    return format_html("<style>{}</style>", css)


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """The address of `path` on this site, from the request's host (one of ALLOWED_HOSTS:
    Django refuses the others), for link previews read by other sites."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
