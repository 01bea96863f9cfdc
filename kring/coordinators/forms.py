"""Forms of the offer flow and the batch proposal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Region
from kring.lib.forms import StyledFormMixin


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden (optioneel)"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: te ver weg, geen tijd, ik ken de familie."),
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
