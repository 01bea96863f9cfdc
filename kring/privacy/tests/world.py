"""A closed case full of recognisable personal data, built through the course's actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from kring.accounts.models import User
from kring.cases.domain import decide, pause_case, resume_case
from kring.cases.models import Case, Status
from kring.factories import make_case, walk_to
from kring.money.domain import ReceiptFile, record_expense, record_hours, review_line, submit_month
from kring.money.models import Rate
from kring.preparation.circle.domain import add_note, add_participant
from kring.preparation.logistics.domain import give_up_date
from kring.preparation.models import Participant
from kring.preparation.professionals.domain import invite_professional, save_part

# From the walk through the conference, the plan and the follow-up.
_PLAN_TRACES = [
    "Mama brengt Sara",
    "Over zes weken bij oma",
    "Buurthuis De Linde",
    "Tests lopen de weken niet af",
]


@dataclass
class World:
    case: Case
    # Every name, address, number and text that must go. Names that faker never makes (not
    # "Joep": the office or a coordinator may be called that), so a hit is this case's.
    traces: list[str]
    # Reasons typed for a step (a pause, a date given up): kept with the case as remarks,
    # which the purge deletes, but never in the append-only log, since nothing could remove
    # them from it.
    never_logged: tuple[str, ...] = ("een week weg", "ziekenhuis")


def closed_case_full_of_people(office: User, *, status: str = Status.CLOSED) -> World:
    case = make_case(
        status=Status.PREPARATION,
        requester_name="Fenneke Zonneveld",
        requester_email="w.zonneveld@voorbeeld.nl",
        requester_phone="06-91827364",
        situation="Thuis loopt het vast sinds de verhuizing naar Lunetten.",
        question="Hoe krijgen we weer rust in huis voor Wubbo?",
        main_person__name="Wubbo Zonneveld",
    )
    coordinator = case.coordinator
    aunt = add_participant(
        case,
        Participant(
            name="Gerarda Kwakernaak",
            relation="tante",
            category="family",
            email="gerarda.kwak@voorbeeld.nl",
            phone="06-55511122",
            address="Kersenlaan 17, Houten",
            status="comes",
        ),
        by=coordinator,
    )
    add_note(aunt, timezone.localdate(), "Belde over de sleutel van de schuur", by=coordinator)
    professional = invite_professional(
        case,
        name="Bartholomeus Quaak",
        email="b.quaak@jeugdteam.example",
        organisation="Jeugdteam Oost",
        role="jeugdconsulent",
        by=coordinator,
    )
    save_part(
        professional,
        information="Wubbo verzuimt sinds februari op dinsdag.",
        concerns="Zorgen om de nachtrust van Wubbo.",
        help_offer="Wekelijks gesprek op het jeugdteam.",
        by=coordinator,
    )
    _money(case, coordinator, office)
    pause_case(case, by=coordinator, reason="Fenneke is een week weg")
    resume_case(case, by=coordinator)
    case = walk_to(case, Status.PLANNED)
    case = give_up_date(case, by=coordinator, reason="Gerarda ligt in het ziekenhuis")
    if status == Status.STOPPED:
        decide(case, status, by=office, stop_reason="other", note="Gerarda wil niet meer mee")
    case = walk_to(case, status)
    return World(
        case=case,
        traces=[
            "Fenneke",
            "Zonneveld",
            "w.zonneveld@voorbeeld.nl",
            "06-91827364",
            "Lunetten",
            "rust in huis",
            "Wubbo",
            "Gerarda",
            "Kwakernaak",
            "gerarda.kwak@voorbeeld.nl",
            "06-55511122",
            "Kersenlaan",
            "sleutel van de schuur",
            "Bartholomeus",
            "Quaak",
            "b.quaak@jeugdteam.example",
            "verzuimt",
            "nachtrust",
            "een week weg",
            "ziekenhuis",
            *_MONEY_TRACES,
            *(_PLAN_TRACES if status == Status.CLOSED else ["wil niet meer mee"]),
        ],
    )


# The free texts on the coordinator's money lines (the receipt itself is checked in
# test_purge: a dump shows it as bytes).
_MONEY_TRACES = ["Taxi met oma Trijntje", "Bakkerij Dubbeldam", "Taart voor Trijntje"]
RECEIPT = b"\x89PNG\r\n\x1a\n" + b"Kassabon Bakkerij Dubbeldam"


def _money(case: Case, coordinator: User, office: User) -> None:
    """Hours with a note, returned with a comment; an expense with a note and a receipt."""
    Rate.objects.get_or_create(
        starts_on=date(2000, 1, 1),
        defaults={
            "hourly_fee": Decimal("45.00"),
            "km_allowance": Decimal("0.23"),
            "expense_cap": Decimal("250.00"),
        },
    )
    today = timezone.localdate()
    hours = record_hours(
        case,
        by=coordinator,
        worked_on=today,
        activity="travel",
        hours=Decimal(1),
        note=_MONEY_TRACES[0],
    )
    submit_month(hours.month, by=coordinator)
    review_line(hours, by=office, approve=False, comment=f"Graag de bon van {_MONEY_TRACES[1]}")
    record_expense(
        case,
        by=coordinator,
        worked_on=today,
        expense_kind="catering",
        amount=Decimal("18.50"),
        note=_MONEY_TRACES[2],
        receipt=ReceiptFile("bon.png", "image/png", RECEIPT),
    )
