"""Template tags and filters for forms, a builtin library of every template (settings.TEMPLATES)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from kring.lib.field_html import field_html

register = template.Library()


@register.filter
def label_colon(label: str) -> str:
    """A field's label before its error: "Naam: …", but "Hoe vond je het? …" (as Django's
    label_suffix, no colon after a label that ends in punctuation)."""
    text = str(label)
    return text if text[-1:] in ":?.!" else f"{text}:"


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    """``{% form_field form.name %}``: the field as includes/field.html shows it, written in
    Python (kring/lib/field_html.py). A builtin tag: every template has it without a load."""
    return field_html(field)
