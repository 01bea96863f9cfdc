"""Forms of the manager's inbox and case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Region
from kring.cases.models import Case, Status, StopReason
from kring.intake.choices import Variant
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

    def __init__(self, *args: Any, regions: list[Region], national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [
            ("", _("Alle regio's") if national else _("Al mijn regio's"))
        ]
        if national:
            choices.append((NATIONAL_QUEUE, _("Landelijke wachtrij (geen regio)")))
        choices += [(str(region.pk), region.name) for region in regions]
        self.fields["region"].choices = choices  # type: ignore[attr-defined]


class MoveForm(StyledFormMixin, forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"), choices=Status.choices)
    stop_reason = forms.ChoiceField(
        label=_("Reden van stoppen"),
        choices=[("", _("— kies een reden —")), *StopReason.choices],
        required=False,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the legal next steps, but accept any status so that a stale page gets
        # the domain's own explanation of why the move is not possible.
        self.fields["to"].widget.choices = [(s.value, s.label) for s in case.next_statuses()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to") == Status.STOPPED and not data.get("stop_reason"):
            self.add_error("stop_reason", _("Kies een reden waarom het traject stopt."))
        return data


class RouteForm(StyledFormMixin, forms.Form):
    region = forms.ModelChoiceField(label=_("Regio"), queryset=Region.objects.all())
