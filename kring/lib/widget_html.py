"""Django's form widget templates, written in Python: the same markup, byte for byte.

Every ``{{ field }}`` renders its widget through two to four templates (the widget, input.html,
attrs.html, and per option of a radio list three more). On the public request form and the
circle page that was about half of the page's time (issue 17, docs/performance.md). The form
renderer (kring/lib/renderers.py) calls these writers instead, but only for the templates
that are still Django's own files (or our select.html): a template that an app overrides is
rendered as a template. kring/tests/test_widget_html.py renders every widget both ways and
compares the output.

Values go through ``render_value_in_context`` as ``{{ value }}`` does in a template (local
time, localisation, escaping), and ``stringformat:'s'`` where the templates use it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
_AUTOESCAPE = Context(autoescape=True)  # read only: render_value_in_context asks its flags
Writer = Callable[[Mapping[str, Any]], str]


def _shown(value: Any) -> str:
    """``{{ value }}``: as a template prints a variable, escaped."""
    if type(value) is str:  # most values: nothing to localise, so only escaped (quickly)
        return html.escape(value)
    return str(render_value_in_context(value, _AUTOESCAPE))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: str() without localisation, escaped (a value that was
    marked safe stays as it is, as the filter keeps it safe)."""
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def attrs_html(attrs: Mapping[str, Any]) -> str:
    """attrs.html: ` name="value"` per attribute; True as a bare name, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def input_html(widget: Mapping[str, Any]) -> str:
    """input.html, with its closing newline."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}'
        f"{attrs_html(widget['attrs'])}>\n"
    )


def textarea_html(widget: Mapping[str, Any]) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    name, attrs = _shown(widget["name"]), attrs_html(widget["attrs"])
    return f'<textarea name="{name}"{attrs}>\n{value}</textarea>\n'


def input_option_html(option: Mapping[str, Any]) -> str:
    """input_option.html: the input, inside its label when the option wraps it."""
    if not option.get("wrap_label"):
        return input_html(option) + "\n"
    target = option["attrs"].get("id")
    for_id = f' for="{_shown(target)}"' if target else ""
    return f"<label{for_id}>{input_html(option)} {_shown(option['label'])}</label>\n"


def select_html(widget: Mapping[str, Any], option_html: Writer) -> str:
    """kring's select.html: the select with its options (``option_html`` writes one)."""
    parts = [f'<select name="{_shown(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        parts.extend("\n  " + option_html(option) for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def select_option_html(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{attrs_html(option["attrs"])}>'
        f"{_shown(option['label'])}</option>\n"
    )


def multiple_input_html(widget: Mapping[str, Any], option_html: Writer) -> str:
    """multiple_input.html (radio buttons, checkbox lists): a div of options, per group."""
    own_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_shown(own_id)}"' if own_id else "",
        f' class="{_shown(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_shown(group)}</label>")
        parts.extend(f"<div>\n    {option_html(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)
