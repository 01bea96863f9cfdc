"""The template backend: Django's, with plain-text templates rendered without HTML escaping.

Every ``.txt`` template is the body or subject of a plain-text mail (or part of one). Escaping
is for HTML: in a text mail it would show a name like O'Brien as ``O&#x27;Brien`` and
"<Kees>" as ``&lt;Kees&gt;``. So a template whose name ends in ``.txt`` renders with
autoescape off, together with everything it includes; HTML templates are escaped as always.
Settings: ``TEMPLATES[0]["BACKEND"] = "kring.lib.templates.KringTemplates"``.
"""

from __future__ import annotations

from typing import Any

from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates, Template, reraise
from django.template.context import make_context

PLAIN_TEXT_SUFFIX = ".txt"


class PlainTextTemplate(Template):
    """A Django template rendered with autoescape off."""

    def render(self, context: dict[str, Any] | None = None, request: Any = None) -> str:
        made = make_context(context, request, autoescape=False)
        try:
            return self.template.render(made)
        except TemplateDoesNotExist as exc:
            reraise(exc, self.backend)


class KringTemplates(DjangoTemplates):
    def get_template(self, template_name: str) -> Template:
        template = super().get_template(template_name)
        if template_name.endswith(PLAIN_TEXT_SUFFIX):
            return PlainTextTemplate(template.template, self)
        return template
