"""Forms of the manager's inbox and case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Region
from kring.cases.choices import Variant
from kring.cases.models import Case, Status, StopReason, note_required
from kring.lib.forms import StyledFormMixin

NATIONAL_QUEUE = "landelijk"


class InboxFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle open trajecten")), *Status.choices],
        required=False,
    )
    variant = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle soorten")), *Variant.choices], required=False
    )
    region = forms.ChoiceField(label=_("Regio"), required=False)
    without_funder = forms.BooleanField(label=_("Alleen zonder financier"), required=False)

    def __init__(self, *args: Any, regions: list[Region], national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [
            ("", _("Alle regio's") if national else _("Al mijn regio's"))
        ]
        if national:
            choices.append((NATIONAL_QUEUE, _("Landelijke wachtrij (geen regio)")))
        choices += [(str(region.pk), region.name) for region in regions]
        self.fields["region"].choices = choices  # type: ignore[attr-defined]


# The button that makes each decision, in the manager's words.
DECISION_LABELS: dict[str, Any] = {
    Status.MATCHING: _("Aannemen: koppelen aan een coördinator"),
    Status.INFORMATIVE_ONLY: _("Alleen een informatief gesprek"),
    Status.REJECTED: _("Aanvraag afwijzen"),
    Status.WITHDRAWN: _("Aanvraag is ingetrokken"),
    Status.STOPPED: _("Traject stoppen"),
    Status.PLAN_WITHOUT_CONFERENCE: _("Plan gemaakt zonder conferentie"),
    Status.NO_PLAN: _("Conferentie zonder plan afsluiten"),
}
BACK_TO_MATCHING_LABEL = _("Terug naar koppelen (andere coördinator)")


def decision_label(case: Case, to: str) -> Any:
    if to == Status.MATCHING and case.status != Status.NEW:
        return BACK_TO_MATCHING_LABEL
    return DECISION_LABELS[to]


class DecisionForm(StyledFormMixin, forms.Form):
    """One decision on the case page: its own button, with the reason it needs."""

    note = forms.CharField(
        label=_("Waarom?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    stop_reason = forms.ChoiceField(
        label=_("Reden van stoppen"), choices=[("", _("— kies een reden —")), *StopReason.choices]
    )

    def __init__(self, *args: Any, case: Case, to: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=to, **kwargs)
        self.to, self.label = to, decision_label(case, to)
        if to != Status.STOPPED:
            del self.fields["stop_reason"]
        if not note_required(case.status, to):
            if to == Status.STOPPED:
                self.fields["note"].required = False
                self.fields["note"].label = _("Toelichting")
            else:
                del self.fields["note"]


class RouteForm(StyledFormMixin, forms.Form):
    region = forms.ModelChoiceField(label=_("Regio"), queryset=Region.objects.all())
