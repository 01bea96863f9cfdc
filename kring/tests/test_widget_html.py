"""The form renderer (kring/lib/renderers.py) writes every widget as Django's templates do."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import django.forms
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from kring.coordinators.models import Language
from kring.lib.renderers import KringFormRenderer, W

DJANGOS = Path(django.forms.__file__).parent / "templates"
ESCAPED = mark_safe("&amp;")  # an attribute that is already escaped
HOSTILE = 'Tom & "Jerry" <script>'


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "Een"), ("b", HOSTILE), (3, "Drie")])
    grouped = forms.ChoiceField(
        choices=[("", "— kies —"), ("Noord", [("gr", "Groningen"), ("fr", "Fryslân")]), ("x", "X")]
    )
    several = forms.MultipleChoiceField(choices=[("a", "Een"), ("b", "Twee"), ("c", "Drie")])
    yes_no = forms.NullBooleanField()
    language = forms.ModelChoiceField(queryset=Language.objects.order_by("name_nl"))
    styled = forms.ChoiceField(
        choices=[("a", "Een")], widget=forms.Select(attrs={"class": "x", "aria-describedby": "y"})
    )
    name = forms.CharField(max_length=20, help_text="h")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    email = forms.EmailField(required=False)
    age = forms.IntegerField(min_value=0, max_value=120, required=False)
    amount = forms.DecimalField(max_digits=8, decimal_places=2, required=False, localize=True)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    at = forms.DateTimeField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    agreed = forms.BooleanField(required=False)
    kind = forms.ChoiceField(
        choices=[("p", HOSTILE), ("Groep", [("q", "Q"), ("r", "R")])],
        widget=forms.RadioSelect(attrs={"class": "kring-radio"}),
    )
    needs = forms.MultipleChoiceField(
        choices=[("a", "Een"), ("b", "Twee")], widget=forms.CheckboxSelectMultiple
    )
    flags = forms.CharField(
        widget=forms.TextInput(
            attrs={"autofocus": True, "disabled": False, "data-x": mark_safe("&amp;")}
        )
    )


FILLED: dict[str, Any] = {
    "plain": "b",
    "grouped": "fr",
    "several": ["a", "c"],
    "yes_no": "true",
    "language": "zzq",
    "name": HOSTILE,
    "note": f"regel een\n{HOSTILE}\x00",
    "email": "x@example.org",
    "age": "99999999999999999999",
    "amount": "1234.5",
    "day": "9999-12-31",
    "at": "2026-12-06 10:00",
    "secret": HOSTILE,
    "hidden": '"><b>',
    "agreed": "on",
    "kind": "q",
    "needs": ["b"],
    "flags": "",
}


def _rendered(renderer: object, data: dict[str, Any] | None, **initial: Any) -> dict[str, str]:
    form = Everything(data, initial=initial, renderer=renderer)
    form.is_valid()
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("language", ["nl", "en", "ar"])
def test_every_widget_is_written_as_djangos_templates_write_it(db: object, language: str) -> None:
    from django.utils import translation

    Language.objects.get_or_create(code="zzq", defaults={"name_nl": HOSTILE, "name_en": "x"})
    initial = {"day": datetime.date(2026, 1, 2), "amount": 12.5, "agreed": True, "note": "x"}
    with translation.override(language):
        for data, start in ((None, {}), (None, initial), (FILLED, {})):
            ours = _rendered(KringFormRenderer(), data, **start)
            djangos = _rendered(DjangoTemplates(), data, **start)
            for name in ours:
                assert ours[name] == djangos[name], name
    assert 'value="b" selected>Tom &amp; &quot;Jerry&quot; &lt;script&gt;</option>' in ours["plain"]
    assert '<optgroup label="Noord">' in ours["grouped"]
    assert ours["several"].count(" selected") == 2
    assert 'value="Tom &amp; &quot;Jerry&quot; &lt;script&gt;"' in ours["name"]
    assert " autofocus" in ours["flags"] and "disabled" not in ours["flags"]
    assert 'data-x="&amp;"' in ours["flags"]  # marked safe: not escaped twice
    assert "<label" in ours["kind"] and " checked" in ours["kind"]


def test_an_option_with_a_template_of_its_own_keeps_it() -> None:
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class OneForm(forms.Form):
        marked = forms.ChoiceField(choices=[("a", "Een")], widget=Marked)

    ours = str(OneForm(renderer=KringFormRenderer())["marked"])
    assert ours == str(OneForm(renderer=DjangoTemplates())["marked"])
    assert "<label" in ours  # input_option.html's markup, not a plain <option>


def test_a_template_an_app_overrides_is_rendered_as_that_template(tmp_path: Path) -> None:
    (tmp_path / W).mkdir(parents=True)
    (tmp_path / W / "input.html").write_text('<input data-own name="{{ widget.name }}">')

    class Overridden(KringFormRenderer):
        @property
        def engine(self) -> Any:
            return self.backend(
                {"APP_DIRS": True, "DIRS": [tmp_path, DJANGOS], "NAME": "own", "OPTIONS": {}}
            )

    class OneForm(forms.Form):
        name = forms.CharField()

    assert str(OneForm(renderer=Overridden())["name"]).startswith("<input data-own")
    assert "data-own" not in str(OneForm(renderer=KringFormRenderer())["name"])
