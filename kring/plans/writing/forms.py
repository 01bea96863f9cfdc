"""Forms of the plan editor and of the professionals' acceptance."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Organisation
from kring.cases.choices import LifeDomain
from kring.lib.forms import BoundedFormMixin, DateInput, StyledFormMixin, TimeInput, mark_required
from kring.plans.models import Agreement, Plan
from kring.plans.writing.acceptance import Verdict
from kring.plans.writing.editor import AgreementData
from kring.preparation.models import Participant, SafetyCondition

STALE = _(
    "Iemand anders heeft het plan intussen gewijzigd. Uw invoer staat hieronder nog: kijk of "
    "het nog klopt met het plan zoals het nu is, en sla dan opnieuw op."
)
COMMENT_MAX_LENGTH = 500
MET, NOT_MET = "met", "not_met"
ACCEPT, REJECT = "accept", "reject"
TEXTAREA_CLASS = "utrecht-textarea utrecht-textarea--html-textarea"


class LockedForm(BoundedFormMixin, forms.Form):
    """Carries the plan's lock version, so a save from a stale page is noticed."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def refuse_as_stale(self, plan: Plan) -> None:
        """Keep the input, explain, and carry the current lock so a second save goes through."""
        self.add_error(None, STALE)
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["lock_version"] = str(plan.lock_version)
        self.data = data


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.relation})" if obj.relation else str(obj.name)


class AgreementForm(StyledFormMixin, LockedForm):
    what = forms.CharField(
        label=_("Wat spreken ze af?"),
        max_length=2000,
        help_text=_("In de woorden van de familie."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    who_participants = ParticipantsField(
        label=_("Wie doet het?"),
        queryset=Participant.objects.none(),
        required=False,
        help_text=_("Een of meer mensen uit de kring; of kies hieronder een organisatie."),
        widget=forms.CheckboxSelectMultiple,
    )
    who_organisation = forms.ModelChoiceField(
        label=_("Of een organisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— geen organisatie —"),
    )
    when = forms.CharField(
        label=_("Wanneer, uiterlijk wanneer of hoe vaak?"),
        max_length=200,
        required=False,
        help_text=_(
            "Bijvoorbeeld: elke woensdag, vóór de zomervakantie, twee keer per maand. "
            "Of kies hieronder een datum."
        ),
    )
    due_on = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=DateInput(),
    )
    life_domain = forms.ChoiceField(
        label=_("Levensdomein"),
        choices=[("", _("— kies een levensdomein —")), *LifeDomain.choices],
        error_messages={"required": _("Kies bij welk levensdomein deze afspraak hoort.")},
    )
    professional_help = forms.BooleanField(
        label=_("Doet een beroep op professionele hulp"), required=False
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = plan.case
        people = Participant.objects.filter(case=case).order_by("-is_main_person", "name", "id")
        self.fields["who_participants"].queryset = people  # type: ignore[attr-defined]
        self.fields["who_organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(involvements__case=case).distinct().order_by("name")
        )
        if not self.is_bound:
            self.initial.setdefault("lock_version", plan.lock_version)

    @classmethod
    def for_agreement(cls, agreement: Agreement, plan: Plan) -> AgreementForm:
        initial = {
            "what": agreement.what,
            "who_participants": [p.pk for p in agreement.who_participants.all()],
            "who_organisation": agreement.who_organisation_id,
            "when": agreement.when,
            "due_on": agreement.due_on,
            "life_domain": agreement.life_domain,
            "professional_help": agreement.professional_help,
        }
        return cls(initial=initial, plan=plan)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_who = not data.get("who_participants") and not data.get("who_organisation")
        if no_who and "who_participants" not in self.errors:
            self.add_error(
                "who_participants",
                _("Kies wie dit doet: een of meer mensen uit de kring, of een organisatie."),
            )
        no_when = not (data.get("when") or "").strip() and not data.get("due_on")
        if no_when and "when" not in self.errors:
            self.add_error(
                "when", _("Schrijf op wanneer, uiterlijk wanneer of hoe vaak; of kies een datum.")
            )
        return data

    def agreement_data(self) -> AgreementData:
        data = self.cleaned_data
        return AgreementData(
            what=data["what"],
            who_participants=list(data["who_participants"]),
            who_organisation=data["who_organisation"],
            when=data["when"],
            due_on=data["due_on"],
            life_domain=data["life_domain"],
            professional_help=data["professional_help"],
        )


class AnswersForm(StyledFormMixin, LockedForm):
    """The two answers every plan needs (checked when finalising), emergency plan, evaluation."""

    next_meeting = mark_required(
        forms.CharField(
            label=_("Wie komt wanneer weer bij elkaar om te praten over hoe het gaat?"),
            max_length=2000,
            required=False,
            help_text=_("Nodig om het plan vast te stellen."),
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    )
    who_calls_together = mark_required(
        forms.CharField(
            label=_("Wie roept wie bij elkaar als iets in het plan niet werkt?"),
            max_length=2000,
            required=False,
            help_text=_("Nodig om het plan vast te stellen."),
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    )
    emergency_plan = forms.CharField(
        label=_("Noodplan"),
        max_length=4000,
        required=False,
        help_text=_("Wat doet wie als het misgaat? Alleen als de kring dat wil."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evaluation_on = forms.DateField(
        label=_("Evaluatiedatum"),
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the page also holds the form for a new agreement.
        kwargs.setdefault("auto_id", "answers_%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def for_plan(cls, plan: Plan) -> AnswersForm:
        return cls(
            initial={
                "next_meeting": plan.next_meeting,
                "who_calls_together": plan.who_calls_together,
                "emergency_plan": plan.emergency_plan,
                "evaluation_on": plan.evaluation_on,
                "lock_version": plan.lock_version,
            }
        )

    def answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "lock_version"}


class AcceptanceForm(StyledFormMixin, forms.Form):
    """Per condition met or not (with a comment when not), then accept or not."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        label=_("Uw besluit"),
        choices=[
            (ACCEPT, _("Ik accepteer het plan")),
            (REJECT, _("Ik accepteer het plan niet: het gaat terug naar de kring")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Toelichting bij uw besluit"),
        max_length=2000,
        required=False,
        help_text=_("Verplicht als u het plan niet accepteert: de kring leest wat er nodig is."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, conditions: list[SafetyCondition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conditions = conditions
        for condition in conditions:
            self.fields[f"met_{condition.pk}"] = forms.ChoiceField(
                label=condition.text,
                choices=[(MET, _("Voldaan")), (NOT_MET, _("Niet voldaan"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies of deze voorwaarde is voldaan.")},
            )
            self.fields[f"comment_{condition.pk}"] = forms.CharField(
                label=_("Toelichting"),
                max_length=COMMENT_MAX_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            # Added after StyledFormMixin styled the declared fields, so styled here.
            self.fields[f"comment_{condition.pk}"].widget.attrs["class"] = TEXTAREA_CLASS
        # The form reads top to bottom: the checks, then the verdict.
        self.order_fields([name for name in self.fields if name not in ("decision", "comment")])

    def condition_rows(self) -> list[tuple[SafetyCondition, Any, Any]]:
        return [(c, self[f"met_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.conditions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        not_met = False
        for condition in self.conditions:
            met = data.get(f"met_{condition.pk}")
            comment = (data.get(f"comment_{condition.pk}") or "").strip()
            if met == NOT_MET:
                not_met = True
                if not comment:
                    self.add_error(
                        f"comment_{condition.pk}",
                        _("Schrijf op waarom deze voorwaarde niet is voldaan."),
                    )
        decision = data.get("decision")
        if decision == REJECT and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Schrijf op waarom u het plan niet accepteert."))
        if decision == ACCEPT and not_met:
            self.add_error(
                "decision",
                _(
                    "U kunt het plan niet accepteren als een voorwaarde niet is voldaan. "
                    "Kies ‘niet accepteren’ en schrijf op wat er nodig is."
                ),
            )
        return data

    def verdict(self) -> Verdict:
        data = self.cleaned_data
        return Verdict(
            checks={
                c.pk: (data[f"met_{c.pk}"] == MET, data.get(f"comment_{c.pk}") or "")
                for c in self.conditions
            },
            accepted=data["decision"] == ACCEPT,
            comment=data.get("comment") or "",
        )


class ConferenceVerdictForm(AcceptanceForm):
    """The coordinator writes down what a present professional said at the conference: when,
    per condition met or not, and the verdict. The words are the professional's."""

    stated_at = forms.TimeField(
        label=_("Hoe laat gaf de professional het oordeel?"),
        widget=TimeInput(),
        error_messages={
            "required": _("Vul in hoe laat de professional het oordeel gaf."),
            "invalid": _("Vul een tijd in als uu:mm, bijvoorbeeld 15:30."),
        },
    )

    def __init__(self, *args: Any, held_on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held_on = held_on
        self.fields["decision"].label = _("Het oordeel van de professional")
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            (ACCEPT, _("Geaccepteerd")),
            (REJECT, _("Niet geaccepteerd: het plan gaat terug naar de kring")),
        ]
        self.fields["comment"].label = _("Toelichting van de professional")

    def clean_stated_at(self) -> datetime:
        """The time on the day of the conference; not later than now."""
        value: time = self.cleaned_data["stated_at"]
        stated = timezone.make_aware(datetime.combine(self.held_on, value))
        if stated > timezone.now():
            raise forms.ValidationError(_("Dit tijdstip ligt nog in de toekomst."))
        return stated
