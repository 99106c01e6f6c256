"""``{{ text|shown }}``: text from a department or a file, escaped for HTML with its control
characters and direction overrides shown as escapes (:func:`wfscore.inputs.inert.html`)."""

from django import template
from django.utils.safestring import mark_safe

from wfscore.inputs import inert

register = template.Library()


@register.filter
def shown(text):
    return mark_safe(inert.html("" if text is None else text))  # noqa: S308 (escaped by inert.html)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
