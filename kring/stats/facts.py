"""Computing each case's summary row (``CaseFact``) from its own data, a batch at a time.

A batch costs a fixed handful of queries (cases, agreements, invitations, attendance), never
one per case, so a full rebuild of the national data is a few hundred batches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from kring.cases.choices import LifeDomain
from kring.cases.models import (
    CONFERENCE_HELD_STATUSES,
    OPEN_STATUSES,
    PLAN_SENT_STATUSES,
    Case,
    Status,
)
from kring.evaluation.models import Answer, Question, Questionnaire
from kring.plans.aftercare.implementation import plan_implementation
from kring.plans.models import Agreement, Attendance, Cause, Implementation, Phase
from kring.preparation.models import (
    Category,
    InvitationStatus,
    Participant,
    ProfessionalInvolvement,
)
from kring.stats.models import CaseFact, RequestOutcome, StaleCase

BATCH = 2000
DOMAIN_BITS = {domain: 1 << index for index, domain in enumerate(LifeDomain.values)}

_EXIT_OUTCOMES = {
    Status.PLAN_WITHOUT_CONFERENCE: RequestOutcome.PLAN_WITHOUT_CONFERENCE,
    Status.STOPPED: RequestOutcome.STOPPED,
    Status.INFORMATIVE_ONLY: RequestOutcome.INFORMATIVE_ONLY,
    Status.WITHDRAWN: RequestOutcome.WITHDRAWN,
}
# Participants who were asked to come (not those still to ask or kept away for safety).
_ASKED = [
    InvitationStatus.ASKED,
    InvitationStatus.COMES,
    InvitationStatus.CONDITIONAL,
    InvitationStatus.DECLINES,
]
_CASE_FIELDS = (
    "id",
    "region_id",
    "variant",
    "status",
    "coordinator_id",
    "opened_at",
    "first_contact_at",
    "first_contact_due",
    "started_at",
    "start_due",
    "conference_due",
    "request__funder_id",
    "request__life_domains",
    "conference__held_on",
    "plan__sent_at",
    "plan__send_due",
)


def refresh(case_ids: Iterable[int]) -> int:
    """Recompute the rows of these cases (and drop the rows of cases that no longer exist)."""
    ids = sorted(set(case_ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        done += _refresh_batch(ids[start : start + BATCH])
    return done


def rebuild_all() -> int:
    """Recompute every row; for after a bulk load that bypassed the ORM's signals."""
    CaseFact.objects.exclude(case_id__in=Case.objects.values("id")).delete()
    StaleCase.objects.all().delete()
    done = 0
    for ids in _id_batches():
        done += _refresh_batch(ids)
    return done


def refresh_stale() -> int:
    """Recompute the cases marked stale since the last refresh."""
    ids = list(StaleCase.objects.values_list("case_id", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        refresh(ids)
        # Only the marks read above: a mark made meanwhile stays for the next refresh.
        StaleCase.objects.filter(case_id__in=ids).delete()
    return len(ids)


def mark_stale(case_ids: Iterable[int | None]) -> None:
    rows = [StaleCase(case_id=case_id) for case_id in set(case_ids) if case_id is not None]
    StaleCase.objects.bulk_create(rows, ignore_conflicts=True)


def _id_batches() -> Iterator[list[int]]:
    last = 0
    while ids := list(
        Case.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:BATCH]
    ):
        yield ids
        last = ids[-1]


def _refresh_batch(ids: list[int]) -> int:
    now = timezone.now()
    agreements = _agreement_counts(ids)
    invited = _invited_counts(ids)
    present = _attendance_counts(ids)
    circles = _circle_growth(ids)
    evaluations = _evaluation_sums(ids)
    facts = [
        _fact(row, agreements.get(row["id"], {}), invited, present, now)
        for row in Case.objects.filter(id__in=ids).order_by().values(*_CASE_FIELDS)
    ]
    for fact in facts:
        for name, value in {**circles[fact.case_id], **evaluations[fact.case_id]}.items():
            setattr(fact, name, value)
    with transaction.atomic():
        CaseFact.objects.filter(case_id__in=ids).exclude(
            case_id__in=[fact.case_id for fact in facts]
        ).delete()
        CaseFact.objects.bulk_create(
            facts,
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=[field.name for field in CaseFact._meta.concrete_fields[1:]],
        )
    return len(facts)


def _agreement_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        Agreement.objects.filter(plan__case_id__in=ids)
        .values("plan__case_id")
        .order_by()
        .annotate(
            total=Count("id"),
            professional=Count("id", filter=Q(professional_help=True)),
            fully=Count("id", filter=Q(implementation=Implementation.FULLY)),
            partly=Count("id", filter=Q(implementation=Implementation.PARTLY)),
            not_done=Count("id", filter=Q(implementation=Implementation.NOT)),
            family=Count("id", filter=Q(cause=Cause.FAMILY)),
            professionals=Count("id", filter=Q(cause=Cause.PROFESSIONALS)),
        )
    )
    return {row["plan__case_id"]: cast(dict[str, int], row) for row in rows}


def _invited_counts(ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    asked = Participant.objects.filter(case_id__in=ids, status__in=_ASKED)
    for queryset in (asked, ProfessionalInvolvement.objects.filter(case_id__in=ids)):
        per_case = queryset.values("case_id").order_by().annotate(n=Count("id"))
        for case_id, count in per_case.values_list("case_id", "n"):
            counts[case_id] += count
    return counts


def _attendance_counts(ids: list[int]) -> dict[tuple[int, str], int]:
    rows = (
        Attendance.objects.filter(conference__case_id__in=ids)
        .values("conference__case_id", "phase")
        .order_by()
        .annotate(n=Count("id"))
    )
    return {(row["conference__case_id"], row["phase"]): row["n"] for row in rows}


def _circle_growth(ids: list[int]) -> dict[int, dict[str, int]]:
    """Per case, the participants present in some phase of the conference from beyond the
    household (not the main persons, not professionals drawn in the circle), and those the
    coordinator was pointed to by someone else in the circle (``named_by``)."""
    present = Participant.objects.filter(
        case_id__in=ids,
        pk__in=Attendance.objects.filter(conference__case_id__in=ids).values("participant_id"),
    )
    beyond = Q(is_main_person=False) & ~Q(category__in=[Category.HOUSEHOLD, Category.PROFESSIONALS])
    rows = (
        present.values("case_id")
        .order_by()
        .annotate(
            present_beyond_household=Count("id", filter=beyond),
            present_named_by_others=Count("id", filter=Q(named_by__isnull=False)),
        )
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        found[row["case_id"]] = {
            "present_beyond_household": row["present_beyond_household"],
            "present_named_by_others": row["present_named_by_others"],
        }
    return found


def _evaluation_sums(ids: list[int]) -> dict[int, dict[str, int]]:
    """Per case, the questionnaires sent and answered, and each scale's sum over the answers."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    invited = Questionnaire.objects.filter(case_id__in=ids).values("case_id").order_by()
    for count in invited.annotate(n=Count("id")):
        found[count["case_id"]]["evaluation_invited"] = count["n"]
    sums = {f"evaluation_{question}": Sum(question) for question in Question.values}
    answered = Answer.objects.filter(questionnaire__case_id__in=ids)
    per_case = answered.values("questionnaire__case_id").order_by()
    for row in per_case.annotate(evaluation_answers=Count("id"), **sums):
        values = cast(dict[str, int], row)
        case_id = values["questionnaire__case_id"]
        found[case_id].update({k: v for k, v in values.items() if k.startswith("evaluation_")})
    return found


def _fact(
    row: dict[str, Any],
    agreements: dict[str, int],
    invited: dict[int, int],
    present: dict[tuple[int, str], int],
    now: datetime,
) -> CaseFact:
    case_id, status, opened = row["id"], row["status"], row["opened_at"]
    fully, partly, not_done = (agreements.get(k, 0) for k in ("fully", "partly", "not_done"))
    held_on: date | None = row["conference__held_on"]
    held_at = _noon(held_on) if held_on else None
    sent_at = row["plan__sent_at"]
    # A step not (yet) taken counts as late only while the case is open; a case that ended
    # another way never needed it.
    late = now if status in OPEN_STATUSES else None
    return CaseFact(
        case_id=case_id,
        region_id=row["region_id"],
        variant=row["variant"],
        funder_id=row["request__funder_id"],
        domains=_domain_bits(row["request__life_domains"]),
        opened_on=timezone.localdate(opened),
        coordinator_id=row["coordinator_id"],
        outcome=_outcome(status),
        conference_held=status in CONFERENCE_HELD_STATUSES,
        plan_made=_plan_made(status),
        agreements=agreements.get("total", 0),
        professional_agreements=agreements.get("professional", 0),
        implementation=plan_implementation(fully, partly, not_done),
        agreements_fully=fully,
        agreements_partly=partly,
        agreements_not=not_done,
        cause_family=agreements.get("family", 0),
        cause_professionals=agreements.get("professionals", 0),
        hours_to_first_contact=_hours(opened, row["first_contact_at"]),
        hours_to_start=_hours(opened, row["started_at"]),
        hours_to_conference=_hours(opened, held_at),
        hours_to_plan_sent=_hours(held_at, sent_at),
        first_contact_in_time=_in_time(row["first_contact_at"], row["first_contact_due"], late),
        start_in_time=_in_time(row["started_at"], row["start_due"], late),
        conference_in_time=_conference_in_time(held_on, row["conference_due"], late),
        plan_sent_in_time=_in_time(sent_at, row["plan__send_due"], late),
        invited=invited.get(case_id, 0),
        present_information=present.get((case_id, Phase.INFORMATION), 0),
        present_private=present.get((case_id, Phase.PRIVATE), 0),
        present_presentation=present.get((case_id, Phase.PRESENTATION), 0),
        refreshed_at=now,
    )


def _outcome(status: str) -> str:
    if status in CONFERENCE_HELD_STATUSES:
        return RequestOutcome.CONFERENCE
    return _EXIT_OUTCOMES.get(status, RequestOutcome.OPEN)  # type: ignore[call-overload]


def _plan_made(status: str) -> bool | None:
    if status in PLAN_SENT_STATUSES:
        return True
    return False if status == Status.NO_PLAN else None


def _domain_bits(domains: list[str] | None) -> int:
    return sum(DOMAIN_BITS.get(domain, 0) for domain in set(domains or []))


def _noon(day: date) -> datetime:
    """A conference is recorded by its day; count lead times to the middle of it."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def _hours(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds() // 3600))


def _in_time(done: datetime | None, due: datetime | None, late: datetime | None) -> bool | None:
    """Met, missed, or None while the deadline still runs, was never set or did not apply."""
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if late is not None and due < late else None


def _conference_in_time(
    held_on: date | None, due: datetime | None, late: datetime | None
) -> bool | None:
    if due is None:
        return None
    if held_on is not None:
        return held_on <= timezone.localdate(due)
    return False if late is not None and due < late else None
