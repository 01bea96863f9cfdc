"""Template filters for forms, loaded as ``kring_forms`` by the pages (settings.TEMPLATES)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def label_colon(label: str) -> str:
    """A field's label before its error: "Naam: …", but "Hoe vond je het? …" (as Django's
    label_suffix, no colon after a label that ends in punctuation)."""
    text = str(label)
    return text if text[-1:] in ":?.!" else f"{text}:"
