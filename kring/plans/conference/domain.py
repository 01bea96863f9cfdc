"""The conference day, recorded afterwards, and the other ways a course can end.

``record_conference`` writes the day (phases, times, who was where), moves the case to HELD
and sets the aftercare deadlines, all in one transaction. ``end_case`` ends a course another
way (plan without conference, stopped during preparation, conference without plan); those exit
states are final.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import hooks
from kring.cases.choices import Variant
from kring.cases.clocks import plan_send_due
from kring.cases.domain import advance, decide
from kring.cases.models import (
    COORDINATOR_DECISIONS,
    Case,
    Door,
    Status,
    StopReason,
    note_required,
)
from kring.coordinators.models import CoordinatorProfile
from kring.lib.errors import DomainError
from kring.plans.models import Attendance, Conference, Phase
from kring.preparation.models import InvitationStatus, Participant, ProfessionalInvolvement

if TYPE_CHECKING:
    from kring.accounts.models import User

# The four moments of the day, in the order they must follow each other.
TIME_FIELDS = (
    "information_started_at",
    "private_started_at",
    "presentation_started_at",
    "ended_at",
)
# Three months is 91 days (13 weeks); months are approximated so, not counted on the calendar.
DAYS_PER_THREE_MONTHS = 91


class ConferenceError(DomainError):
    """A refused recording or ending, with a Dutch message for the screen."""


def coordinator_leads_private_time(case: Case) -> bool:
    """Family variant: the circle is alone in phase 2. Other variants: the coordinator leads."""
    return case.variant != Variant.FAMILY


def professionals_allowed(case: Case, phase: str) -> bool:
    """Professionals are never in the family's private time (besloten tijd)."""
    return not (phase == Phase.PRIVATE and case.variant == Variant.FAMILY)


def attendance_participants(case: Case) -> QuerySet[Participant]:
    """Everyone in the circle who could have been there: all but the not-invited."""
    return (
        Participant.objects.filter(case=case)
        .exclude(status=InvitationStatus.NOT_INVITED_SAFETY)
        .order_by("-is_main_person", "name", "id")
    )


def attendance_professionals(case: Case) -> QuerySet[ProfessionalInvolvement]:
    return (
        ProfessionalInvolvement.objects.filter(case=case)
        .select_related("organisation")
        .order_by("name", "id")
    )


def times_out_of_order(times: Mapping[str, time | None]) -> dict[str, str]:
    """Each given time must come after the one given before it (all are optional).

    Returns a Dutch message per field that comes too early.
    """
    errors: dict[str, str] = {}
    previous: time | None = None
    for name in TIME_FIELDS:
        current = times.get(name)
        if current is None:
            continue
        if previous is not None and current <= previous:
            errors[name] = _("Deze tijd moet later zijn dan %(earlier)s.") % {
                "earlier": previous.strftime("%H:%M")
            }
        else:
            previous = current
    return errors


def implementation_days() -> int:
    """The implementation registration comes KRING_IMPLEMENTATION_MONTHS after the
    conference, counted as 91 days per three months (close enough for a reminder)."""
    return round(settings.KRING_IMPLEMENTATION_MONTHS * DAYS_PER_THREE_MONTHS / 3)


def aftercare_deadlines(held_on: date) -> dict[str, datetime]:
    """The plan goes out within two working days of the conference day (``cases.clocks``);
    follow-up after four weeks; implementation after three months (all configurable in
    settings). The last two are reset from the moment the plan is sent."""
    day_start = timezone.make_aware(datetime.combine(held_on, time.min))
    return {
        "plan_send_due": plan_send_due(held_on),
        "follow_up_due": day_start + timedelta(days=settings.KRING_FOLLOW_UP_DAYS),
        "implementation_due": day_start + timedelta(days=implementation_days()),
    }


@dataclass
class ConferenceRecord:
    """What the form collected: the day, the times, and who was present in which phase."""

    held_on: date
    place: str
    information_started_at: time | None = None
    private_started_at: time | None = None
    presentation_started_at: time | None = None
    ended_at: time | None = None
    # phase -> ids of participants / professional involvements present
    participants: dict[str, set[int]] = field(default_factory=dict)
    professionals: dict[str, set[int]] = field(default_factory=dict)

    def times(self) -> dict[str, time | None]:
        return {name: getattr(self, name) for name in TIME_FIELDS}


def _check_record(case: Case, data: ConferenceRecord) -> None:
    errors = times_out_of_order(data.times())
    if errors:
        raise ConferenceError(next(iter(errors.values())))
    for phase in Phase.values:
        if data.professionals.get(phase) and not professionals_allowed(case, phase):
            raise ConferenceError(
                _("Bij deze conferentie is de besloten tijd zonder coördinator en professionals.")
            )
    participant_ids = set(attendance_participants(case).values_list("pk", flat=True))
    professional_ids = set(attendance_professionals(case).values_list("pk", flat=True))
    for phase in Phase.values:
        unknown = (data.participants.get(phase, set()) - participant_ids) | (
            data.professionals.get(phase, set()) - professional_ids
        )
        if unknown:
            raise ConferenceError(_("Iemand in de lijst hoort niet (meer) bij dit traject."))


def _attendance_rows(conference: Conference, data: ConferenceRecord) -> Iterable[Attendance]:
    for phase in Phase.values:
        for participant_id in sorted(data.participants.get(phase, set())):
            yield Attendance(conference=conference, phase=phase, participant_id=participant_id)
        for professional_id in sorted(data.professionals.get(phase, set())):
            yield Attendance(conference=conference, phase=phase, professional_id=professional_id)


def record_conference(case: Case, data: ConferenceRecord, *, by: User) -> Conference:
    """Record the conference, move the case PLANNED → HELD and set the aftercare deadlines.

    A second submit of the same form returns the conference already recorded.
    """
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    _check_record(case, data)
    try:
        return _record_conference(case.pk, data, by)
    except IntegrityError:
        # Two submits at once on a database without row locks: the first one won.
        existing = Conference.objects.filter(case_id=case.pk).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _record_conference(case_id: int, data: ConferenceRecord, by: User) -> Conference:
    case = Case.objects.select_for_update().get(pk=case_id)
    existing = Conference.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if case.status != Status.PLANNED:
        raise ConferenceError(
            _("Een conferentie vastleggen kan alleen als de conferentie gepland is.")
        )
    conference = Conference.objects.create(
        case=case,
        held_on=data.held_on,
        place=data.place,
        **data.times(),
        coordinator_led_private_time=coordinator_leads_private_time(case),
        recorded_by=by,
    )
    rows = list(_attendance_rows(conference, data))
    Attendance.objects.bulk_create(rows)
    hooks.facts_changed([case.pk])  # bulk_create sends no signals; the figures count attendance
    record(
        by,
        Action.CONFERENCE_RECORDED,
        case=case,
        obj=conference,
        held_on=data.held_on.isoformat(),
        attendance={phase: sum(1 for r in rows if r.phase == phase) for phase in Phase.values},
    )
    held = advance(case, Status.HELD, by=by, door=Door.CONFERENCE)
    deadlines = aftercare_deadlines(data.held_on)
    for name, due in deadlines.items():
        setattr(held, name, due)
    held.save(update_fields=list(deadlines))
    _count_for_the_coordinator(held)
    return conference


def _count_for_the_coordinator(case: Case) -> None:
    """One more conference done: matching's "new coordinator" and the training's "EK2 after
    two conferences" read this count (an F() expression, so two at once both count)."""
    if case.coordinator_id is not None:
        CoordinatorProfile.objects.filter(user_id=case.coordinator_id).update(
            conferences_done=F("conferences_done") + 1
        )


def conference_attendance(conference: Conference) -> dict[str, list[str]]:
    """Per phase, the names of those present (participants first, then professionals)."""
    rows = (
        Attendance.objects.filter(conference=conference)
        .select_related("participant", "professional__organisation")
        .order_by("id")
    )
    people: dict[str, list[str]] = {phase: [] for phase in Phase.values}
    for row in sorted(rows, key=lambda r: (r.participant_id is None, r.id)):
        people[row.phase].append(str(row.participant or row.professional))
    return people


# ---------- The other endings ----------

# The exits a coordinator chooses on the endings page: the decisions of the transition table
# that are theirs (a manager decides the rest on the case page).
ENDING_STATUSES = COORDINATOR_DECISIONS


def available_endings(case: Case) -> tuple[Status, ...]:
    return tuple(s for s in case.decisions() if s in ENDING_STATUSES)


def ending_problems(case: Case, to: str, stop_reason: str, note: str) -> dict[str, str]:
    """What is missing for this ending, per form field, in Dutch (empty when complete)."""
    problems: dict[str, str] = {}
    if to not in available_endings(case):
        problems["ending"] = _("Dit einde past niet bij de fase van het traject.")
    if to == Status.STOPPED and stop_reason not in StopReason.values:
        problems["stop_reason"] = _("Kies een reden waarom het traject stopt.")
    if note_required(case.status, to) and not note.strip():
        problems["note"] = _("Schrijf kort op waarom het zo gelopen is.")
    return problems


def end_case(case: Case, to: str, *, by: User, stop_reason: str = "", note: str = "") -> Case:
    """End the course another way. Final: the exit states have no way back."""
    problems = ending_problems(case, to, stop_reason, note)
    if problems:
        raise ConferenceError(next(iter(problems.values())))
    return decide(
        case,
        to,
        by=by,
        stop_reason=stop_reason if to == Status.STOPPED else "",
        note=note.strip(),
    )
