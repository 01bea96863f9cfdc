"""Forms of the offer flow and the batch proposal."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Region
from kring.coordinators.matching import Weights
from kring.coordinators.models import MatchingWeights
from kring.lib.forms import StyledFormMixin


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden (optioneel)"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: te ver weg, geen tijd."),
    )
    knows_family = forms.BooleanField(
        label=_("Ik ken dit gezin of heb er belang bij"),
        required=False,
        help_text=_(
            "Dan word je voor dit gezin niet meer gevraagd; dit komt op je profiel te staan."
        ),
    )


class BatchForm(StyledFormMixin, forms.Form):
    region = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Al mijn regio's"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.queryset = Region.objects.all() if user.is_office else user.regions.all()  # type: ignore[attr-defined]


# No weight needs more: the soft scores are tens of points, and sums must stay finite.
MAX_WEIGHT = 1000
# Scales divide; zero would make every distance or rotation score undefined.
_POSITIVE = {"distance_scale_km", "rotation_cap_days"}


class MatchingWeightsForm(forms.ModelForm):
    """The admin's weights: known names, each a finite number from 0 to MAX_WEIGHT."""

    class Meta:
        model = MatchingWeights
        fields = ["values"]

    def clean_values(self) -> dict[str, Any]:
        values = self.cleaned_data.get("values") or {}
        if not isinstance(values, dict):
            raise forms.ValidationError(_('Schrijf de gewichten als {"naam": getal}.'))
        known = [f.name for f in fields(Weights)]
        for name, value in values.items():
            _check_weight(name, value, known)
        return values


def _check_weight(name: str, value: Any, known: list[str]) -> None:
    if name not in known:
        raise forms.ValidationError(
            _("Onbekend gewicht %(name)s. Bekend zijn: %(known)s.")
            % {"name": name, "known": ", ".join(known)}
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise forms.ValidationError(_("Het gewicht %(name)s moet een getal zijn.") % {"name": name})
    low = 0 if name not in _POSITIVE else 1
    if not low <= value <= MAX_WEIGHT:  # also false for NaN and infinity
        raise forms.ValidationError(
            _("Het gewicht %(name)s moet tussen %(low)s en %(max)s liggen.")
            % {"name": name, "low": low, "max": MAX_WEIGHT}
        )
