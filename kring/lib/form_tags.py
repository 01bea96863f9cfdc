"""Template tags for forms, loaded as ``kring_forms``: by the form renderer
(kring/lib/renderers.py) and by the pages (settings.TEMPLATES)."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms.renderers import get_default_renderer
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

PLAIN_OPTION = "django/forms/widgets/select_option.html"


@register.simple_tag
def select_options(widget: dict[str, Any]) -> SafeString:
    """A select's options, as Django's select.html writes them, built in Python.

    A plain option's only attribute can be ``selected`` (Select.option_inherits_attrs is
    False); an option with a template or attributes of its own is rendered by its template.
    """
    parts: list[str] = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(_option(option) for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # every part is escaped by format_html or a template


def _option(option: dict[str, Any]) -> str:
    attrs = option["attrs"]
    if option["template_name"] != PLAIN_OPTION or attrs.keys() - {"selected"}:
        own = get_default_renderer().get_template(option["template_name"])
        return "\n  " + own.render({"widget": option})
    selected = " selected" if attrs.get("selected") else ""
    # The newline after each option is the one at the end of Django's select_option.html.
    return format_html(
        '\n  <option value="{}"{}>{}</option>\n', str(option["value"]), selected, option["label"]
    )


@register.filter
def label_colon(label: str) -> str:
    """A field's label before its error: "Naam: …", but "Hoe vond je het? …" (as Django's
    label_suffix, no colon after a label that ends in punctuation)."""
    text = str(label)
    return text if text[-1:] in ":?.!" else f"{text}:"
