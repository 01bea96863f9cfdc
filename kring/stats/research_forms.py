"""The research export form: which data, for which years, and why (always required)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.lib.forms import StyledFormMixin
from kring.stats.figures import Filters
from kring.stats.models import ExportKind

PURPOSE_MIN_LENGTH = 30
FIRST_YEAR = 2000


class ExportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Welke gegevens?"),
        choices=ExportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies welke gegevens u wilt downloaden.")},
    )
    purpose = forms.CharField(
        label=_("Waarvoor gebruikt u deze gegevens?"),
        help_text=_(
            "Bijvoorbeeld het onderzoek en de vraag die u ermee beantwoordt. Dit wordt met uw "
            "naam en de datum bewaard, zodat altijd na te gaan is wie welke gegevens waarvoor "
            "heeft gebruikt."
        ),
        min_length=PURPOSE_MIN_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Beschrijf waarvoor u de gegevens gebruikt."),
            "min_length": _(
                "Beschrijf het doel in ten minste %(limit_value)d tekens (nu %(show_value)d)."
            ),
        },
    )
    from_year = forms.IntegerField(
        label=_("Vanaf jaar"),
        required=False,
        help_text=_("Jaar waarin de aanvraag binnenkwam. Leeg: vanaf het begin."),
        error_messages={"invalid": _("Vul een jaartal in, bijvoorbeeld 2024.")},
    )
    to_year = forms.IntegerField(
        label=_("Tot en met jaar"),
        required=False,
        help_text=_("Leeg: tot en met nu."),
        error_messages={"invalid": _("Vul een jaartal in, bijvoorbeeld 2025.")},
    )

    def clean_from_year(self) -> int | None:
        return self._year("from_year")

    def clean_to_year(self) -> int | None:
        return self._year("to_year")

    def _year(self, name: str) -> int | None:
        year: int | None = self.cleaned_data.get(name)
        last = timezone.localdate().year
        if year is not None and not FIRST_YEAR <= year <= last:
            raise forms.ValidationError(
                _("Kies een jaar van %(first)s tot en met %(last)s."),
                params={"first": FIRST_YEAR, "last": last},
            )
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from_year"), cleaned.get("to_year")
        if start is not None and end is not None and end < start:
            self.add_error("to_year", _("Het eindjaar ligt vóór het beginjaar."))
        return cleaned

    def filters(self) -> Filters:
        """Whole years only: a period cut at any day would let two exports be subtracted to
        reveal the few cases of that day."""
        start, end = self.cleaned_data.get("from_year"), self.cleaned_data.get("to_year")
        return Filters(
            start=date(start, 1, 1) if start else None,
            end=date(end, 12, 31) if end else None,
        )

    def logged_filters(self) -> dict[str, int | None]:
        return {
            "from_year": self.cleaned_data.get("from_year"),
            "to_year": self.cleaned_data.get("to_year"),
        }
