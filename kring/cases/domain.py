"""Every change to a case's course goes through the functions in this module."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.models import (
    COORDINATOR_MOVES,
    INVOLVED_STATUSES,
    TRANSITIONS,
    Case,
    Status,
    StopReason,
)

if TYPE_CHECKING:
    from kring.accounts.models import Region, User
    from kring.intake.models import Request


class IllegalTransition(Exception):
    """The move is not in the transition table (or lacks what it needs); says why in Dutch."""


def open_case(request: Request, *, now: datetime | None = None) -> Case:
    """Start the course of a fresh request, with its deadlines counted from the request."""
    submitted = now or request.submitted_at
    return Case.objects.create(
        request=request,
        region=request.region,
        variant=request.variant,
        status=Status.NEW,
        opened_at=submitted,
        status_changed_at=submitted,
        first_contact_due=submitted + timedelta(days=settings.KRING_FIRST_CONTACT_DAYS),
        start_due=submitted + timedelta(days=settings.KRING_START_DAYS),
        first_visit_due=submitted + timedelta(days=settings.KRING_FIRST_VISIT_DAYS),
    )


def _end_involvement(case: Case) -> None:
    from kring.coordinators.domain import release_capacity

    release_capacity(case)
    if case.status == Status.MATCHING:  # back to matching: someone else will be asked
        case.coordinator = None


def _check_move(case: Case, to: str, stop_reason: str) -> None:
    if to not in TRANSITIONS[case.status]:
        raise IllegalTransition(
            _("Een traject met status ‘%(current)s’ kan niet naar ‘%(to)s’.")
            % {"current": Status(case.status).label, "to": Status(to).label}
        )
    if to == Status.STOPPED and stop_reason not in StopReason.values:
        raise IllegalTransition(_("Kies een reden waarom het traject stopt."))


def may_move(user: User, case: Case, to: str) -> bool:
    """Managers make every move; the assigned coordinator the moves of their own work."""
    if user.has_perm("cases.manage_case", case):
        return True
    return to in COORDINATOR_MOVES and user.has_perm("cases.prepare_case", case)


def move_case(case: Case, to: str, *, by: User, stop_reason: str = "", note: str = "") -> Case:
    """Move a case to another status, or refuse with a clear message; both are logged.

    ``note`` explains an ending (plan without conference, stopped, no plan, withdrawn).
    """
    if not may_move(by, case, to):
        raise PermissionDenied
    try:
        return _apply_move(case.pk, to, by, stop_reason, note)
    except IllegalTransition as refusal:
        # Logged after the failed move's savepoint rolled back, so the refusal stays on record.
        record(
            by,
            Action.CASE_MOVE_REFUSED,
            case=case,
            obj=case,
            outcome=Outcome.REFUSED,
            old=case.status,
            new=to,
            message=str(refusal),
        )
        raise


@transaction.atomic
def _apply_move(case_id: int, to: str, by: User, stop_reason: str, note: str = "") -> Case:
    # Lock the row: two people acting at once cannot both move the case from one status.
    case = Case.objects.select_for_update().get(pk=case_id)
    _check_move(case, to, stop_reason)
    previous, now = case.status, timezone.now()
    case.status, case.status_changed_at = to, now
    case.stop_reason = stop_reason if to == Status.STOPPED else ""
    fields = ["status", "status_changed_at", "stop_reason"]
    if note:
        case.exit_note = note[:500]
        fields.append("exit_note")
    if to == Status.PREPARATION and case.started_at is None:
        case.started_at = now
        fields.append("started_at")
    if not TRANSITIONS[to]:
        case.closed_at = now
        fields.append("closed_at")
    leaves_involvement = previous in INVOLVED_STATUSES and to not in INVOLVED_STATUSES
    if leaves_involvement and case.coordinator_id is not None:
        _end_involvement(case)
        fields.append("coordinator")
    case.save(update_fields=fields)
    record(
        by,
        Action.CASE_MOVED,
        case=case,
        obj=case,
        old=previous,
        new=to,
        stop_reason=case.stop_reason,
    )
    return case


@transaction.atomic
def record_first_contact(case: Case, *, by: User, at: datetime | None = None) -> Case:
    """Note that the requester has been contacted (stops the first-contact clock).

    The assigned coordinator does this, or a manager (both have ``cases.prepare_case``).
    """
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.first_contact_at is None:
        locked.first_contact_at = at or timezone.now()
        locked.save(update_fields=["first_contact_at"])
        record(by, Action.CASE_FIRST_CONTACT, case=locked, obj=locked)
    return locked


@transaction.atomic
def route_case(case: Case, region: Region, *, by: User) -> Case:
    """Send a case (usually from the national queue) to a region's managers."""
    if not by.is_office:
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    previous = locked.region_id
    locked.region = region
    locked.save(update_fields=["region"])
    record(by, Action.CASE_ROUTED, case=locked, obj=locked, old=previous, new=region.pk)
    return locked


@transaction.atomic
def assign_coordinator(case: Case, coordinator: User, *, now: datetime) -> Case:
    """The coordinator accepted the offer: matching → assigned, first-contact clock starts.

    Called only from the offer flow, which has checked that this coordinator was asked.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    _check_move(locked, Status.ASSIGNED, "")
    locked.status, locked.status_changed_at = Status.ASSIGNED, now
    locked.coordinator = coordinator
    locked.first_contact_due = now + timedelta(days=settings.KRING_FIRST_CONTACT_DAYS)
    locked.conference_due = now + timedelta(weeks=settings.KRING_CONFERENCE_WEEKS)
    locked.save(
        update_fields=[
            "status",
            "status_changed_at",
            "coordinator",
            "first_contact_due",
            "conference_due",
        ]
    )
    record(
        coordinator,
        Action.CASE_MOVED,
        case=locked,
        obj=locked,
        old=Status.MATCHING,
        new=Status.ASSIGNED,
        stop_reason="",
    )
    return locked


_OPEN_DEADLINES = [
    ("first_contact_due", "first_contact_at"),
    ("start_due", "started_at"),
    ("first_visit_due", "first_visit_at"),
    ("conference_due", None),
]


@transaction.atomic
def pause_case(case: Case, *, by: User, reason: str) -> Case:
    """Stop the clocks (illness, a crisis, waiting for someone); the reason is kept."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.paused_at is not None:
        raise IllegalTransition(_("Dit traject staat al op pauze."))
    if not reason.strip():
        raise IllegalTransition(_("Geef een reden voor de pauze."))
    locked.paused_at, locked.pause_reason = timezone.now(), reason.strip()
    locked.save(update_fields=["paused_at", "pause_reason"])
    record(by, Action.CASE_PAUSED, case=locked, obj=locked, reason=locked.pause_reason)
    return locked


@transaction.atomic
def resume_case(case: Case, *, by: User) -> Case:
    """Restart the clocks: every deadline not yet met shifts by the length of the pause."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.paused_at is None:
        raise IllegalTransition(_("Dit traject staat niet op pauze."))
    pause = timezone.now() - locked.paused_at
    shifted = []
    for due_field, done_field in _OPEN_DEADLINES:
        due = getattr(locked, due_field)
        if due is not None and (done_field is None or getattr(locked, done_field) is None):
            setattr(locked, due_field, due + pause)
            shifted.append(due_field)
    locked.paused_at, locked.pause_reason = None, ""
    locked.save(update_fields=[*shifted, "paused_at", "pause_reason"])
    record(by, Action.CASE_RESUMED, case=locked, obj=locked, days=pause.days)
    return locked


@transaction.atomic
def record_first_visit(case: Case, *, by: User, at: datetime | None = None) -> Case:
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.first_visit_at is None:
        locked.first_visit_at = at or timezone.now()
        locked.save(update_fields=["first_visit_at"])
        record(by, Action.CASE_FIRST_VISIT, case=locked, obj=locked)
    return locked
