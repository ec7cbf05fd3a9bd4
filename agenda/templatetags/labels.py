from django import template

from common.labels import display as display_label

register = template.Library()


@register.filter
def display(instance, field_name):
    """`{{ session|display:"kind" }}`: `get_kind_display`, translated once per language."""
    return display_label(instance, field_name)
