"""A case whose plan was sent, with a circle that shows every kind of person the
questionnaire is (or is not) for; shared by the evaluation's tests and its access rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from kring.accounts.models import Region, User
from kring.cases.models import Case, Status
from kring.coordinators.models import Language
from kring.evaluation.domain import AnswerData, submit_answer
from kring.evaluation.models import Questionnaire
from kring.factories import OrganisationFactory, a_case, make_plan
from kring.plans.models import Attendance, Phase
from kring.preparation.models import (
    Category,
    InvitationStatus,
    Participant,
    ProfessionalInvolvement,
)


@dataclass
class Sent:
    case: Case
    main: Participant
    aunt: Participant  # attended, has an e-mail address, Moroccan Arabic
    neighbour: Participant  # attended, no e-mail address
    absent: Participant  # said no
    kept_away: Participant  # not invited for safety
    professional: ProfessionalInvolvement  # present
    absent_professional: ProfessionalInvolvement

    def questionnaire(self, person: Participant | ProfessionalInvolvement) -> Questionnaire:
        field = "participant" if isinstance(person, Participant) else "involvement"
        return Questionnaire.objects.get(case=self.case, **{field: person})


def _person(case: Case, name: str, category: str, **fields: Any) -> Participant:
    fields.setdefault("status", InvitationStatus.COMES)
    return Participant.objects.create(case=case, name=name, category=category, **fields)


def held_case(coordinator: User | None = None, region: Region | str | None = None) -> Sent:
    """A held case with its circle and attendance, its plan final but not yet sent."""
    if isinstance(region, str):
        region = Region.objects.get(slug=region)
    extra: dict[str, Any] = {} if region is None else {"region": region}
    case = a_case(at=Status.HELD, coordinator=coordinator, **extra)
    main = _person(
        case, "Sanne de Vries", Category.HOUSEHOLD, is_main_person=True, email="sanne@example.com"
    )
    aunt = _person(
        case,
        "Fatima el Amrani",
        Category.FAMILY,
        email="fatima@example.com",
        named_by=main,
        language=Language.objects.get(code="ary"),
    )
    neighbour = _person(case, "Henk Jansen", Category.COMMUNITY, named_by=aunt)
    absent = _person(
        case, "Karim Aziz", Category.FAMILY, email="karim@example.com", status="declines"
    )
    kept_away = _person(
        case,
        "Piet de Vries",
        Category.FAMILY,
        email="piet@example.com",
        status=InvitationStatus.NOT_INVITED_SAFETY,
    )
    organisation = OrganisationFactory()
    involvements = [
        ProfessionalInvolvement.objects.create(
            case=case,
            name=name,
            email=email,
            organisation=organisation,
            invited_at=timezone.now(),
            invited_by=case.coordinator,
        )
        for name, email in (("Jeugdconsulent", "jc@example.com"), ("Huisarts", "ha@example.com"))
    ]
    conference = case.conference
    for participant in (aunt, neighbour):
        Attendance.objects.create(
            conference=conference, phase=Phase.PRIVATE, participant=participant
        )
    Attendance.objects.create(
        conference=conference, phase=Phase.INFORMATION, professional=involvements[0]
    )
    make_plan(case, agreements=2, final=True)
    return Sent(case, main, aunt, neighbour, absent, kept_away, *involvements)


def sent_case(coordinator: User | None = None, region: Region | str | None = None) -> Sent:
    from kring.plans.distribution.domain import send_plan

    sent = held_case(coordinator, region)
    send_plan(sent.case.plan, by=sent.case.coordinator)
    return sent


def answer(questionnaire: Questionnaire, score: int = 4, comment: str = "") -> None:
    submit_answer(questionnaire, AnswerData(score, score, score, score, comment))
