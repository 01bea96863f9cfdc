"""Replaying a drafted course onto a case row and its audit log, as the domain functions would.

Each move does what ``cases.domain`` does when it happens for real: ``open_case`` sets the
deadlines, ``assign_coordinator`` (the coordinator accepts an offer) starts the coordinator's
own clock (the demo also sets the target date they agree with the family), ``_write_move``
sets ``started_at`` and ``closed_at`` and unlinks the coordinator when a case goes back to
matching; every step leaves the audit row ``audit.log.record`` would have written, at the
moment it happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from kring.accounts.models import User
from kring.audit.models import Action
from kring.cases.models import TRANSITIONS, Status
from kring.demo import timeline
from kring.demo.coordinators import Seat, Workload

Row = dict[str, Any]


@dataclass(frozen=True)
class Deadlines:
    """The method's deadlines (settings), read once: settings is a slow lazy object."""

    first_contact: timedelta
    start: timedelta
    first_visit: timedelta
    conference: timedelta

    @classmethod
    def from_settings(cls) -> Deadlines:
        return cls(
            timedelta(days=settings.KRING_FIRST_CONTACT_DAYS),
            timedelta(days=settings.KRING_START_DAYS),
            timedelta(days=settings.KRING_FIRST_VISIT_DAYS),
            timedelta(weeks=settings.KRING_CONFERENCE_WEEKS),
        )


def new_case(case_id: int, request: Row, due: Deadlines) -> Row:
    """As ``cases.domain.open_case`` does, with the deadlines counted from the request."""
    submitted = request["submitted_at"]
    return {
        "id": case_id,
        "request_id": request["id"],
        "region_id": request["region_id"],
        "variant": request["variant"],
        "status": Status.NEW.value,
        "stop_reason": "",
        "coordinator_id": None,
        "opened_at": submitted,
        "status_changed_at": submitted,
        "first_contact_due": submitted + due.first_contact,
        "start_due": submitted + due.start,
        "first_visit_due": submitted + due.first_visit,
        "conference_due": None,
        "first_contact_at": None,
        "started_at": None,
        "first_visit_at": None,
        "closed_at": None,
    }


class Log:
    """The audit rows of one case."""

    def __init__(self, case: Row, office: User, manager: User) -> None:
        self.case, self.office, self.manager = case, office, manager
        self.rows: list[Row] = []

    def add(self, at: datetime, action: str, actor: User | None, obj: str, detail: Row) -> None:
        self.rows.append(
            {
                "at": at,
                "action": action,
                "actor_id": actor.pk if actor else None,
                "actor_role": actor.role if actor else "public",
                "object_type": obj,
                "object_id": str(self.case["request_id" if obj == "request" else "id"]),
                "case_id": self.case["id"],
                "detail": detail,
            }
        )

    def submitted(self, request: Row, referrer: User | None) -> None:
        action = Action.REQUEST_REFERRED if referrer else Action.REQUEST_SUBMITTED
        detail = {"region": request["region_id"]}
        self.add(request["submitted_at"], action, referrer, "request", detail)


class Course:
    """Walks the steps that already happened and derives the case's fields and log."""

    def __init__(self, case: Row, log: Log, workload: Workload, due: Deadlines) -> None:
        self.case, self.log, self.workload, self.due = case, log, workload, due
        self.seat: Seat | None = None

    def replay(
        self,
        happened: list[tuple[str, datetime]],
        seats: Iterator[Seat],
        routed_to: int | None,
        stop_reason: str,
    ) -> None:
        log, case = self.log, self.case
        for name, at in happened:
            if name == timeline.ROUTED:
                case["region_id"] = routed_to
                log.add(at, Action.CASE_ROUTED, log.office, "case", {"old": None, "new": routed_to})
            elif name == timeline.FIRST_CONTACT:
                case["first_contact_at"] = at
                log.add(at, Action.CASE_FIRST_CONTACT, log.manager, "case", {})
            elif name == timeline.FIRST_VISIT:
                case["first_visit_at"] = at
                visitor = self.seat.user if self.seat else log.manager
                log.add(at, Action.CASE_FIRST_VISIT, visitor, "case", {})
            else:
                self.move(name, at, stop_reason if name == Status.STOPPED else "", seats)

    def move(self, to: str, at: datetime, reason: str, seats: Iterator[Seat]) -> None:
        case, actor = self.case, self.log.manager
        old = case["status"]
        case.update(status=str(to), status_changed_at=at, stop_reason=reason)
        if to == Status.ASSIGNED:
            actor = self._assign(next(seats), at)
        elif to == Status.MATCHING:  # back to matching: the coordinator is no longer linked
            case["coordinator_id"], self.seat = None, None
        elif to == Status.HELD and self.seat is not None:
            self.seat.conferences += 1
        if to == Status.PREPARATION and case["started_at"] is None:
            case["started_at"] = at
        if not TRANSITIONS[to]:
            case["closed_at"] = at
        detail = {"old": old, "new": str(to), "stop_reason": reason}
        self.log.add(at, Action.CASE_MOVED, actor, "case", detail)

    def _assign(self, seat: Seat, at: datetime) -> User:
        """The coordinator accepted: theirs from now. The method's clocks keep counting from
        the request; the coordinator agrees a target date for the conference with the family."""
        self.seat = seat
        self.workload.assigned(seat, at)
        self.case.update(
            coordinator_id=seat.user.pk,
            assigned_at=at,
            conference_due=at + self.due.conference,
        )
        return seat.user
