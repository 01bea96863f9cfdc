"""includes/field.html written in Python: one form field with its label, marker, help and errors.

Every page with a form showed each field through that template, and the template language
spends about half a millisecond per field looking up the bound field's attributes (is_hidden,
widget_type, use_fieldset, errors three times, label, required, help_text, auto_id): on the
circle page, 17 fields, a quarter of the page's time (issue 17, docs/performance.md). Pages call
``{% form_field field %}`` (kring/lib/form_tags.py, a builtin tag); the template stays the
readable description of the markup, and kring/tests/test_field_html.py renders fields of
every kind both ways and compares the output byte for byte.
"""

from __future__ import annotations

from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def _marker(field: BoundField) -> str:
    required = field.field.required or getattr(field.field, "marked_required", False)
    text = gettext("(verplicht)") if required else gettext("(optioneel)")
    return f'<span class="kring-field__marker">{conditional_escape(text)}</span>'


def _help_and_errors(field: BoundField, auto_id: str) -> str:
    help_text = field.help_text
    shown_help = (
        f'  <p class="kring-field__help utrecht-form-field-description" id="{auto_id}_helptext">'
        f"{help_text}</p>"
        if help_text
        else "  "
    )
    errors = field.errors
    shown_errors = (
        '\n  <div class="kring-field__error utrecht-form-field-error-message" '
        f'id="{auto_id}_error">'
        + "".join(f"<p>{conditional_escape(str(error))}</p>" for error in errors)
        + "</div>"
        if errors
        else "\n  "
    )
    return shown_help + shown_errors


def _fieldset(field: BoundField, auto_id: str, label: str, invalid: bool) -> str:
    described = field.aria_describedby
    return (
        '\n<fieldset class="kring-field kring-field--fieldset utrecht-form-fieldset '
        "utrecht-form-fieldset--html-fieldset"
        + (" kring-field--invalid utrecht-form-fieldset--invalid" if invalid else "")
        + '"'
        + (f' aria-describedby="{conditional_escape(described)}"' if described else "")
        + '>\n  <legend class="kring-field__label utrecht-form-fieldset__legend '
        f'utrecht-form-fieldset__legend--html-legend">{label} {_marker(field)}</legend>\n'
        + _help_and_errors(field, auto_id)
        + f"\n  {field}\n</fieldset>\n"
    )


def _checkbox(field: BoundField, auto_id: str, label: str, invalid: bool) -> str:
    for_id = conditional_escape(field.id_for_label)
    return (
        '\n<div class="kring-field kring-field--checkbox'
        + (" kring-field--invalid" if invalid else "")
        + f'">\n  {field}\n  <label class="kring-field__label utrecht-form-label '
        f'utrecht-form-label--checkbox" for="{for_id}">{label} {_marker(field)}</label>\n'
        + _help_and_errors(field, auto_id)
        + "\n</div>\n"
    )


def _plain(field: BoundField, auto_id: str, label: str, invalid: bool, widget_type: str) -> str:
    for_id = conditional_escape(field.id_for_label)
    return (
        f'\n<div class="kring-field kring-field--{conditional_escape(widget_type)}'
        + (" kring-field--invalid" if invalid else "")
        + f'">\n  <label class="kring-field__label utrecht-form-label" for="{for_id}">'
        f"{label} {_marker(field)}</label>\n"
        + _help_and_errors(field, auto_id)
        + f"\n  {field}\n</div>\n"
    )


def field_html(field: BoundField) -> SafeString:
    """What ``{% include "includes/field.html" with field=field %}`` renders."""
    if field.is_hidden:
        return mark_safe(f"{field}\n")
    auto_id = conditional_escape(field.auto_id)
    label = conditional_escape(field.label)
    invalid = bool(field.errors)
    widget_type = field.widget_type
    if field.use_fieldset:
        body = _fieldset(field, auto_id, label, invalid)
    elif widget_type == "checkbox":
        body = _checkbox(field, auto_id, label, invalid)
    else:
        body = _plain(field, auto_id, label, invalid, widget_type)
    # The template's own line breaks around its branches, kept so both give the same bytes.
    return mark_safe(f"\n{body}\n\n")
