"""Forms for recording the conference and for the other endings of a course."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.cases.models import Case, Status, StopReason
from kring.lib.forms import DateInput, StyledFormMixin, TimeInput
from kring.plans.conference.domain import (
    TIME_FIELDS,
    ConferenceRecord,
    available_endings,
    ending_problems,
    professionals_allowed,
    times_out_of_order,
)
from kring.plans.models import Phase
from kring.preparation.models import Participant, Preparation, ProfessionalInvolvement

KINDS = ("participants", "professionals")


def _time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": _("Vul een tijd in, bijvoorbeeld 14:30.")},
    )


@dataclass(frozen=True)
class GridCell:
    name: str
    value: int
    id: str
    label: str
    checked: bool
    allowed: bool


@dataclass(frozen=True)
class GridRow:
    name: str
    detail: str
    kind: str
    cells: list[GridCell]


class ConferenceForm(StyledFormMixin, forms.Form):
    """The day, the times of the phases, and a grid of who was present in which phase."""

    held_on = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        error_messages={
            "required": _("Vul de datum van de conferentie in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    place = forms.CharField(
        label=_("Plaats"),
        max_length=300,
        error_messages={"required": _("Vul in waar de conferentie was.")},
    )
    information_started_at = _time_field(_("Start informatiefase"))
    private_started_at = _time_field(_("Start besloten tijd"))
    presentation_started_at = _time_field(_("Start presentatie"))
    ended_at = _time_field(_("Einde"))

    def __init__(
        self,
        *args: Any,
        case: Case,
        participants: Iterable[Participant],
        professionals: Iterable[ProfessionalInvolvement],
        preparation: Preparation | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.participants = list(participants)
        self.professionals = list(professionals)
        people: dict[str, list[Any]] = {
            "participants": self.participants,
            "professionals": self.professionals,
        }
        for phase in Phase:
            for kind in KINDS:
                self.fields[f"{kind}_{phase.value}"] = forms.TypedMultipleChoiceField(
                    label=phase.label,
                    choices=[(person.pk, person.name) for person in people[kind]],
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={
                        "invalid_choice": _("Deze persoon hoort niet bij dit traject.")
                    },
                )
        if not self.is_bound:
            self._set_initial(preparation)

    def _set_initial(self, preparation: Preparation | None) -> None:
        """Prefill what is known: the planned date, time and place; everyone who said they
        would come in every phase, the professionals in the phases they may attend."""
        if preparation is not None and preparation.conference_at is not None:
            start = timezone.localtime(preparation.conference_at)
            self.initial.setdefault("held_on", start.date())
            self.initial.setdefault("information_started_at", start.time().replace(second=0))
        if preparation is not None and preparation.venue:
            self.initial.setdefault("place", preparation.venue)
        coming = [p.pk for p in self.participants if p.attends]
        for phase in Phase.values:
            self.initial.setdefault(f"participants_{phase}", coming)
            if phase != Phase.PRIVATE:
                self.initial.setdefault(
                    f"professionals_{phase}", [p.pk for p in self.professionals]
                )

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(
                _("Deze datum ligt in de toekomst. Leg de conferentie vast als die geweest is.")
            )
        return held_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        times = {name: cleaned.get(name) for name in TIME_FIELDS}
        for name, message in times_out_of_order(times).items():
            if name not in self.errors:
                self.add_error(name, message)
        for phase in Phase.values:
            if cleaned.get(f"professionals_{phase}") and not professionals_allowed(
                self.case, phase
            ):
                self.add_error(
                    f"professionals_{phase}",
                    _(
                        "Bij deze conferentie is de besloten tijd zonder coördinator en "
                        "professionals. Zet bij professionals geen vinkje in de besloten tijd."
                    ),
                )
        return cleaned

    def to_record(self) -> ConferenceRecord:
        data = self.cleaned_data
        return ConferenceRecord(
            held_on=data["held_on"],
            place=data["place"],
            **{name: data.get(name) for name in TIME_FIELDS},
            participants={p: set(data.get(f"participants_{p}", [])) for p in Phase.values},
            professionals={p: set(data.get(f"professionals_{p}", [])) for p in Phase.values},
        )

    # ---------- the attendance grid ----------

    def phase_fields(self) -> list[forms.BoundField]:
        return [self[f"{kind}_{phase}"] for kind in KINDS for phase in Phase.values]

    def _checked(self, name: str) -> set[str]:
        return {str(value) for value in (self[name].value() or [])}

    def grid(self) -> list[GridRow]:
        """One row per person, one checkbox per phase (professionals not in the family's
        private time)."""
        rows = []
        checked = {
            f"{kind}_{phase}": self._checked(f"{kind}_{phase}")
            for kind in KINDS
            for phase in Phase.values
        }
        people: list[tuple[str, Participant | ProfessionalInvolvement, str]] = [
            ("participants", p, str(_("hoofdpersoon")) if p.is_main_person else p.relation)
            for p in self.participants
        ]
        people += [("professionals", p, str(p.organisation)) for p in self.professionals]
        for kind, person, detail in people:
            name = person.name
            cells = []
            for phase in Phase:
                field = f"{kind}_{phase.value}"
                cells.append(
                    GridCell(
                        name=field,
                        value=person.pk,
                        id=f"id_{field}_{person.pk}",
                        label=f"{name}: {phase.label}",
                        checked=str(person.pk) in checked[field],
                        allowed=kind == "participants"
                        or professionals_allowed(self.case, phase.value),
                    )
                )
            rows.append(GridRow(name=name, detail=detail, kind=kind, cells=cells))
        return rows


class EndingForm(StyledFormMixin, forms.Form):
    """How the course ended, if not with a plan after a conference; with its reason."""

    ending = forms.ChoiceField(
        label=_("Hoe is het traject geëindigd?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe het traject is geëindigd.")},
    )
    stop_reason = forms.ChoiceField(
        label=_("Reden van stoppen"),
        required=False,
        choices=[("", "—"), *StopReason.choices],
        help_text=_("Alleen bij ‘gestopt tijdens de voorbereiding’."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Schrijf kort op waarom. Verplicht bij ‘plan gemaakt zonder conferentie’ en "
            "‘conferentie zonder plan’. Geen dossierinformatie."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        endings = available_endings(case)
        self.fields["ending"].choices = [(s.value, s.label) for s in endings]  # type: ignore[attr-defined]
        if len(endings) == 1:
            self.initial.setdefault("ending", endings[0].value)
        if Status.STOPPED not in endings:
            del self.fields["stop_reason"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ending = cleaned.get("ending")
        if ending:
            problems = ending_problems(
                self.case, ending, cleaned.get("stop_reason", ""), cleaned.get("note", "")
            )
            for name, message in problems.items():
                self.add_error(name, message)
        return cleaned

    def chosen_label(self) -> str:
        return str(Status(self.cleaned_data["ending"]).label)

    def stop_reason_label(self) -> str:
        reason = self.cleaned_data.get("stop_reason")
        if self.cleaned_data.get("ending") != Status.STOPPED or not reason:
            return ""
        return str(StopReason(reason).label)
