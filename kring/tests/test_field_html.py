"""``{% form_field %}`` (kring/lib/field_html.py) writes a field as includes/field.html does."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from kring.coordinators.models import Language
from kring.lib.forms import mark_required
from kring.tests.test_widget_html import FILLED, HOSTILE, Everything


class More(Everything):
    when = forms.SplitDateTimeField(required=False, help_text="<em>dag</em> en tijd")
    must = forms.CharField(required=False, label=HOSTILE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_required(self.fields["must"])


def _both(form: forms.Form) -> list[tuple[str, str, str]]:
    tag = Template("{% form_field field %}")
    return [
        (
            name,
            render_to_string("includes/field.html", {"field": form[name]}),
            tag.render(Context({"field": form[name]})),
        )
        for name in form.fields
    ]


@pytest.mark.parametrize("language", ["nl", "en", "ar"])
def test_every_kind_of_field_is_written_as_the_template_writes_it(db: object, language: str):
    Language.objects.get_or_create(code="zzq", defaults={"name_nl": HOSTILE, "name_en": "x"})
    tampered = {**FILLED, "when_0": "9999-99-99", "when_1": "\x00", "must": ""}
    with translation.override(language):
        for data in (None, tampered):
            form = More(data)
            form.is_valid()
            for name, template, tag in _both(form):
                assert tag == template, name
    shown = {name: tag for name, _, tag in _both(form)}
    assert "&lt;script&gt;" in shown["must"] and "<script>" not in shown["must"]
    assert "<em>dag</em>" in shown["when"]  # help text is the form's own markup, not escaped
    assert "<fieldset" in shown["kind"] and "kring-field--checkbox" in shown["agreed"]
    assert "kring-field--invalid" in shown["age"] and 'id="id_age_error"' in shown["age"]
    assert shown["hidden"].startswith('<input type="hidden"')


def test_a_field_the_course_requires_says_so_in_the_tag_too(db: object):
    form = More()
    tag = Template("{% form_field form.must %}{% form_field form.note %}")
    shown = tag.render(Context({"form": form}))
    assert shown.count("(verplicht)") == 1 and shown.count("(optioneel)") == 1
