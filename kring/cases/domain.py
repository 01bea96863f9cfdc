"""Every change to a case's course goes through the functions in this module."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases import hooks
from kring.cases.clocks import arrival_deadlines, shift_running_clocks, start_aftercare
from kring.cases.hooks import close_open_links
from kring.cases.models import (
    COORDINATOR_DECISIONS,
    INVOLVED_STATUSES,
    TRANSITIONS,
    Case,
    CaseRemark,
    Door,
    RemarkKind,
    Status,
    StopReason,
    door_of,
    note_required,
)
from kring.lib.errors import DomainError

if TYPE_CHECKING:
    from kring.accounts.models import Region, User
    from kring.intake.models import Request


class IllegalTransition(DomainError):
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
        **arrival_deadlines(submitted),
    )


def _end_involvement(case: Case) -> None:
    hooks.end_involvement(case)  # the pool frees the coordinator's place
    if case.status == Status.MATCHING:  # back to matching: someone else will be asked
        case.coordinator = None


def _check_move(case: Case, to: str, door: Door, stop_reason: str, note: str) -> None:
    owner = door_of(case.status, to)
    if owner is None:
        raise IllegalTransition(
            _("Een traject met status ‘%(current)s’ kan niet naar ‘%(to)s’.")
            % {"current": Status(case.status).label, "to": Status(to).label}
        )
    if owner != door:
        # The move exists, but another action owns it (held only by recording the conference).
        raise IllegalTransition(
            _("‘%(to)s’ kan alleen via de eigen stap in het traject, niet zo.")
            % {"to": Status(to).label}
        )
    if to == Status.STOPPED and stop_reason not in StopReason.values:
        raise IllegalTransition(_("Kies een reden waarom het traject stopt."))
    if note_required(case.status, to) and not note.strip():
        raise IllegalTransition(_("Schrijf kort op waarom."))


def may_decide(user: User, case: Case, to: str) -> bool:
    """Managers make every decision; the assigned coordinator how their course ended early."""
    if user.has_perm("cases.manage_case", case):
        return True
    return to in COORDINATOR_DECISIONS and user.has_perm("cases.prepare_case", case)


def decide(case: Case, to: str, *, by: User, stop_reason: str = "", note: str = "") -> Case:
    """A pure decision on the course (accept for matching, reject, informative talk only, back
    to matching, withdraw, stop, plan without conference, no plan), with its reason.

    Refused moves raise ``IllegalTransition`` with a Dutch message; both outcomes are logged.
    """
    if not may_decide(by, case, to):
        raise PermissionDenied
    return _guarded(case, to, Door.DECISION, by, stop_reason=stop_reason, note=note)


def advance(case: Case, to: str, *, by: User, door: Door) -> Case:
    """The move an owning action makes (start, schedule, hold, send, follow up, register).

    Only the module of that action calls this, naming its door; the table refuses the move
    when the door does not own it. The action has checked who may do it.
    """
    return _guarded(case, to, door, by)


def _guarded(case: Case, to: str, door: Door, by: User, **reasons: str) -> Case:
    try:
        return _apply_move(case.pk, to, door, by, **reasons)
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
def _apply_move(
    case_id: int, to: str, door: Door, by: User, *, stop_reason: str = "", note: str = ""
) -> Case:
    # Lock the row: two people acting at once cannot both move the case from one status.
    case = Case.objects.select_for_update().get(pk=case_id)
    _check_move(case, to, door, stop_reason, note)
    fields = ["stop_reason"]
    case.stop_reason = stop_reason if to == Status.STOPPED else ""
    if note.strip() and not TRANSITIONS[to]:
        case.exit_note = note.strip()[:500]
        fields.append("exit_note")
    elif note.strip():  # e.g. back to matching: the course goes on, the reason stays
        keep_remark(case, RemarkKind.MOVED, note, by, new_status=to)
    # The note is kept with the case (purged with it); the append-only log only says there was
    # one.
    return _write_move(case, to, by, fields, note=bool(note.strip()))


def keep_remark(
    case: Case, kind: RemarkKind, text: str, by: User, *, new_status: str = ""
) -> CaseRemark | None:
    """Keep the reason typed for a step with the case, in the caller's transaction (purged
    with the request's data; the append-only log only says there was one). Nothing is kept
    for an empty text."""
    text = text.strip()[:500]
    if not text:
        return None
    return CaseRemark.objects.create(
        case=case, kind=kind, new_status=new_status, text=text, at=timezone.now(), by=by
    )


def _write_move(case: Case, to: str, by: User, fields: list[str], **logged: object) -> Case:
    """Write a checked move on a locked case: the status, its clocks, what ending it closes,
    and the log row, all in the caller's transaction."""
    previous, now = case.status, timezone.now()
    case.status, case.status_changed_at = to, now
    fields = [*fields, "status", "status_changed_at"]
    if to == Status.PREPARATION and case.started_at is None:
        case.started_at = now
        fields.append("started_at")
    if to == Status.PLAN_SENT:  # follow-up and implementation count from the sending
        fields += start_aftercare(case, now)
    closed: dict[str, int] = {}
    if not TRANSITIONS[to]:
        case.closed_at = now
        fields.append("closed_at")
        closed = close_open_links(case, now)
    leaves_involvement = previous in INVOLVED_STATUSES and to not in INVOLVED_STATUSES
    if leaves_involvement and case.coordinator_id is not None:
        _end_involvement(case)
        fields.append("coordinator")
    case.save(update_fields=fields)
    detail: dict[str, Any] = {key: value for key, value in logged.items() if value}
    if closed:
        detail["closed"] = closed
    record(
        by,
        Action.CASE_MOVED,
        case=case,
        obj=case,
        old=previous,
        new=to,
        stop_reason=case.stop_reason,
        **detail,
    )
    hooks.moved(case, previous, to)  # the API's webhooks
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
def assign_coordinator(
    case: Case, coordinator: User, *, now: datetime, by: User | None = None
) -> Case:
    """Matching → assigned: the one door for a coordinator to get a case.

    Called from the offer flow when the coordinator accepts (``by`` is the coordinator), and
    when a manager assigns directly (``by`` is the manager; the offer flow made and accepted
    the offer on the coordinator's behalf after the same hard rules).
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    _check_move(locked, Status.ASSIGNED, Door.ASSIGNMENT, "", "")
    locked.coordinator = coordinator
    fields = ["coordinator", *_set_assignment_deadlines(locked, now)]
    return _write_move(locked, Status.ASSIGNED, by or coordinator, fields)


def _set_assignment_deadlines(case: Case, now: datetime) -> list[str]:
    """The coordinator's own clock starts; the method's deadlines keep counting from the
    request (``open_case``) and the conference gets the date agreed with the family later."""
    case.assigned_at = now
    return ["assigned_at"]


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
    # The reason stays with the case (also after the resume), not in the append-only log: it
    # may name people.
    keep_remark(locked, RemarkKind.PAUSED, reason, by)
    record(by, Action.CASE_PAUSED, case=locked, obj=locked, reason=bool(locked.pause_reason))
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
    shifted = shift_running_clocks(locked, pause)
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
