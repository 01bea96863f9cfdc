"""Form helpers: the NL Design System (Utrecht) classes on every widget, accessible errors."""

from __future__ import annotations

from typing import Any

from django import forms

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.HiddenInput, ""),
    # Django puts a multi-input widget's attrs on its wrapper too, so these are styled by
    # kring.css through the field's <fieldset> instead of per-input classes.
    (forms.CheckboxSelectMultiple, ""),
    (forms.RadioSelect, ""),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.SelectMultiple, "utrecht-select utrecht-select--html-select"),
    (forms.widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


class StyledFormMixin:
    """Adds the Utrecht component classes to widgets (Django itself sets the ARIA attributes)."""

    fields: dict[str, forms.Field]
    # The server validates and explains in Dutch; the browser's own (English, red-before-you-
    # start) required-field checks would only get in the way.
    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next((css for cls, css in _WIDGET_CLASSES if isinstance(field.widget, cls)), "")
            field.widget.attrs.setdefault("class", css)
