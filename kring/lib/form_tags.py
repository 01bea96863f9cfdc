"""Template tags and filters for forms, a builtin library of every template (settings.TEMPLATES)."""

from __future__ import annotations

import uuid
from typing import Any

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kring.lib.field_html import field_html

register = template.Library()

# The name of a create form's one-time token (kring/accounts/once.py).
ONCE_FIELD = "once"


@register.filter
def label_colon(label: str) -> str:
    """A field's label before its error: "Naam: …", but "Hoe vond je het? …" (as Django's
    label_suffix, no colon after a label that ends in punctuation)."""
    text = str(label)
    return text if text[-1:] in ":?.!" else f"{text}:"


@register.simple_tag
def once_field() -> SafeString:
    """A fresh token for a form that creates something: posting the same form twice (a
    double tap) saves once (kring/accounts/once.py). Each rendering gets its own."""
    return format_html('<input type="hidden" name="{}" value="{}">', ONCE_FIELD, uuid.uuid4())


@register.filter
def marks_fields(form: Any) -> bool:
    """Whether a form's errors sit at fields (the summary then says to check them), not only
    above the form (a refusal: nothing to mark)."""
    errors = getattr(form, "errors", None) or {}
    fields = getattr(form, "fields", {})
    return any(
        name != NON_FIELD_ERRORS and not fields[name].widget.is_hidden
        for name in errors
        if name in fields
    )


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    """``{% form_field form.name %}``: the field as includes/field.html shows it, written in
    Python (kring/lib/field_html.py). A builtin tag: every template has it without a load."""
    return field_html(field)
