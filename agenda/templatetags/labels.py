from django import template
from django.utils import dateformat
from django.utils.html import format_html

from common.labels import display as display_label

register = template.Library()


@register.filter
def display(instance, field_name):
    """`{{ session|display:"kind" }}`: `get_kind_display`, translated once per language."""
    return display_label(instance, field_name)


@register.filter
def date_range(start, end):
    """`{{ summit.start_date|date_range:summit.end_date }}`: “10–11 février 2025”, the month
    and year said once when the days share them."""
    last = dateformat.format(end, "j F Y")
    if start == end:
        return format_html('<time datetime="{}">{}</time>', end.isoformat(), last)
    if (start.year, start.month) == (end.year, end.month):
        first = dateformat.format(start, "j")
    elif start.year == end.year:
        first = dateformat.format(start, "j F")
    else:
        first = dateformat.format(start, "j F Y")
    joint = "–" if (start.year, start.month) == (end.year, end.month) else " – "
    return format_html(
        '<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        start.isoformat(),
        first,
        joint,
        end.isoformat(),
        last,
    )
