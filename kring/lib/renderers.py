"""The form renderer: Django's own, with the select widget's template made lighter.

Django renders every <option> of a select through two included templates (the option and
its attributes). On the circle page the language select alone has over 200 options, which
took 11 ms of the page's 50 (issue 17, docs/performance.md); writing the options inline in
the template still took 10 ms (the template language's lookups). So ``form_templates/``'s
select.html has the options built in Python (``form_tags.select_options``, the same markup);
an option with a template of its own still gets it. Everything else is Django's renderer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

_OVERRIDES = Path(__file__).parent / "form_templates"
_DJANGO_FORMS = Path(django.forms.__file__).parent / "templates"


class KringFormRenderer(DjangoTemplates):
    @cached_property
    def engine(self) -> Any:
        # As Django's renderer, with our overrides searched before its built-in templates.
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [_OVERRIDES, _DJANGO_FORMS],
                "NAME": "djangoforms",
                "OPTIONS": {"libraries": {"kring_forms": "kring.lib.form_tags"}},
            }
        )
