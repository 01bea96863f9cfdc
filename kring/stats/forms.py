"""The dashboard's filters: region (within what the user may see), variant, domain, funder,
period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Organisation, Region, User
from kring.cases.choices import LifeDomain, Variant
from kring.intake.models import FUNDER_KINDS
from kring.lib.forms import DateInput, StyledFormMixin
from kring.stats.figures import Filters


class DashboardFilterForm(StyledFormMixin, forms.Form):
    region = forms.ModelChoiceField(
        label=_("Regio"), queryset=Region.objects.none(), required=False
    )
    variant = forms.ChoiceField(
        label=_("Soort conferentie"),
        choices=[("", _("Alle soorten")), *Variant.choices],
        required=False,
    )
    domain = forms.ChoiceField(
        label=_("Levensdomein van de aanvraag"),
        choices=[("", _("Alle levensdomeinen")), *LifeDomain.choices],
        required=False,
    )
    funder = forms.ModelChoiceField(
        label=_("Financier"),
        queryset=Organisation.objects.filter(kind__in=FUNDER_KINDS),
        required=False,
    )
    start = forms.DateField(
        label=_("Aanvragen vanaf"),
        required=False,
        widget=DateInput(),
    )
    end = forms.DateField(label=_("tot en met"), required=False, widget=DateInput())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        region = self.fields["region"]
        if user.is_manager:
            region.queryset = user.regions.all()  # type: ignore[attr-defined]
            region.empty_label = _("Al mijn regio's")  # type: ignore[attr-defined]
            # Only the funders of their own regions' requests, not the whole country's.
            funders = self.fields["funder"]
            funders.queryset = funders.queryset.filter(  # type: ignore[attr-defined]
                funded_requests__case__region__in=user.regions.all()
            ).distinct()
        else:
            region.queryset = Region.objects.all()  # type: ignore[attr-defined]
            region.empty_label = _("Heel Nederland")  # type: ignore[attr-defined]
        self.fields["funder"].empty_label = _("Alle financiers")  # type: ignore[attr-defined]
        if user.is_researcher:
            # Fine filters let two nearly equal queries be subtracted to reveal a few cases:
            # researchers narrow by region, variant and whole years only.
            del self.fields["funder"], self.fields["domain"]
            self.fields["start"].help_text = _("Telt vanaf 1 januari van dat jaar.")
            self.fields["end"].help_text = _("Telt tot en met 31 december van dat jaar.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("De einddatum ligt vóór de begindatum."))
        return data

    def filters(self) -> Filters:
        """The filters asked for; nothing narrowed when the form is invalid or empty."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        region, funder = data.get("region"), data.get("funder")
        start, end = data.get("start"), data.get("end")
        if self.user.is_researcher:
            start = start and date(start.year, 1, 1)
            end = end and date(end.year, 12, 31)
        return Filters(
            regions=(region.pk,) if region else None,
            variant=data.get("variant") or "",
            domain=data.get("domain") or "",
            funder=funder.pk if funder else None,
            start=start,
            end=end,
        )
