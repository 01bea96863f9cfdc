"""The form renderer's select (kring/lib/renderers.py) writes what Django's own writes."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from kring.coordinators.models import Language
from kring.lib.renderers import KringFormRenderer

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


def _rendered(renderer: object, data: dict[str, object] | None) -> dict[str, str]:
    form = Everything(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


def test_every_select_is_written_as_djangos_renderer_writes_it(db: object) -> None:
    Language.objects.get_or_create(code="zzq", defaults={"name_nl": HOSTILE, "name_en": "x"})
    for data in (
        None,
        {"plain": "b", "grouped": "fr", "several": ["a", "c"], "yes_no": "true", "language": "zzq"},
    ):
        ours = _rendered(KringFormRenderer(), data)
        djangos = _rendered(DjangoTemplates(), data)
        assert ours == djangos
    assert 'value="b" selected>Tom &amp; &quot;Jerry&quot; &lt;script&gt;</option>' in ours["plain"]
    assert '<optgroup label="Noord">' in ours["grouped"]
    assert ours["several"].count(" selected") == 2


def test_an_option_with_a_template_of_its_own_keeps_it() -> None:
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class OneForm(forms.Form):
        marked = forms.ChoiceField(choices=[("a", "Een")], widget=Marked)

    ours = str(OneForm(renderer=KringFormRenderer())["marked"])
    assert ours == str(OneForm(renderer=DjangoTemplates())["marked"])
    assert "<label" in ours  # input_option.html's markup, not a plain <option>
