"""The form renderer: Django's own, with the widget templates written in Python.

Django renders every widget through its templates: a text field through three (text.html,
input.html, attrs.html), every <option> of a select through two more, every radio button
through four. On the circle page and the public request form that was about half of the
page's time (issue 17, docs/performance.md). So the widgets whose templates are still
Django's own files are written by kring/lib/widget_html.py, the same markup byte for byte
(kring/tests/test_widget_html.py renders every widget both ways); when an installed app
overrides any of these templates, every widget is rendered by its template as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.functional import cached_property

from kring.lib import widget_html as html

_DJANGO_FORMS = Path(django.forms.__file__).parent / "templates"
W = "django/forms/widgets/"
# Django's widgets that are one <input>: their template includes input.html and ends.
_INPUTS = "text number email url password hidden date datetime time checkbox search tel color"
_OPTIONS = "radio_option checkbox_option"  # include input_option.html
_LISTS = "radio checkbox_select"  # include multiple_input.html


class KringFormRenderer(DjangoTemplates):
    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        writer = self._writers.get(template_name)
        if writer is None:
            return str(super().render(template_name, context, request))
        return writer(context["widget"]).strip()  # as Django's renderer strips a widget

    def _option(self, option: Mapping[str, Any]) -> str:
        """One option of a select or a list, as its template writes it when included (not
        stripped): by its writer, or by the option's own template."""
        writer = self._writers.get(option["template_name"])
        if writer is None:
            return str(self.get_template(option["template_name"]).render({"widget": option}))
        return writer(option)

    @cached_property
    def _writers(self) -> dict[str, html.Writer]:
        """Template name -> the function that writes what that template would."""
        writers: dict[str, html.Writer] = {
            W + "input.html": html.input_html,
            W + "attrs.html": html.attrs_html,  # not called as a widget; checked below
            W + "textarea.html": html.textarea_html,
            W + "input_option.html": html.input_option_html,
            W + "select_option.html": html.select_option_html,
            W + "select.html": partial(html.select_html, option_html=self._option),
            W + "multiple_input.html": partial(html.multiple_input_html, option_html=self._option),
        }
        # Each of these templates includes another and adds the newline at its own end.
        for name in _INPUTS.split():
            writers[f"{W}{name}.html"] = lambda w: html.input_html(w) + "\n"
        for name in _OPTIONS.split():
            writers[f"{W}{name}.html"] = lambda o: html.input_option_html(o) + "\n"
        for name in _LISTS.split():
            writers[f"{W}{name}.html"] = lambda w: html.multiple_input_html(w, self._option) + "\n"
        if not all(self._is_djangos(name) for name in writers):
            return {}
        del writers[W + "attrs.html"]
        return writers

    def _is_djangos(self, name: str) -> bool:
        """Whether ``name`` is found as Django's own file, not one an installed app put first."""
        found: Any = self.engine.get_template(name)  # the backend's Template, with its origin
        return Path(found.origin.name).is_relative_to(_DJANGO_FORMS)
