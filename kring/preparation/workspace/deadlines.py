"""What is late in a case: its deadlines that passed unmet, the manager's escalation of a plan
not sent, and a passed conference target. Reads only; the workspace shows these and the
periodic reminders (workspace.domain) and their mails (workspace.tasks) use them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from kring.cases import clocks
from kring.cases.models import Case, Status

# Who hears about a clock: the coordinator, the region's managers, or both.
COORDINATOR, MANAGERS, BOTH = "coordinator", "managers", "both"


@dataclass(frozen=True)
class LateDeadline:
    kind: str  # the reminder key, e.g. "first_contact_overdue"
    label: str
    due: datetime
    audience: str = BOTH
    # The mail's opening line when it is not the plain "a deadline has passed".
    message: str = ""

    def days_late(self, now: datetime) -> int:
        return (timezone.localdate(now) - timezone.localdate(self.due)).days


def _deadlines(case: Case) -> list[tuple[str, str, datetime | None, bool]]:
    """(kind, label, due, met) for each of a case's deadlines. The conference has none: its
    agreed target date is a reminder for the coordinator (``clock_reminders``)."""
    return [
        (
            "first_contact_overdue",
            _("Eerste contact"),
            case.first_contact_due,
            case.first_contact_at is not None,
        ),
        (
            "first_visit_overdue",
            _("Eerste bezoek"),
            case.first_visit_due,
            case.first_visit_at is not None,
        ),
        ("start_overdue", _("Start van het werk"), case.start_due, case.started_at is not None),
        ("plan_send_overdue", _("Plan versturen"), case.plan_send_due, case.status != Status.HELD),
    ]


def _audience(kind: str) -> str:
    # The coordinator sends the plan; the manager hears only a working day later.
    return COORDINATOR if kind == "plan_send_overdue" else BOTH


def late_deadlines(case: Case, now: datetime) -> list[LateDeadline]:
    """The deadlines of a case that have passed without being met (the same rules as
    Case.objects.overdue)."""
    return [
        LateDeadline(kind, label, due, _audience(kind))
        for kind, label, due, met in _deadlines(case)
        if due is not None and not met and due < now
    ]


def clock_reminders(case: Case, now: datetime) -> list[LateDeadline]:
    """Everything to remind someone of now: the late deadlines, the manager's escalation of a
    plan not sent, and a passed conference target (one reminder per agreed date)."""
    reminders = late_deadlines(case, now)
    if clocks.plan_send_escalated(case, now) and case.plan_send_due is not None:
        reminders.append(
            LateDeadline(
                "plan_send_escalated",
                _("Plan versturen"),
                clocks.plan_send_escalation(case.plan_send_due),
                MANAGERS,
                _(
                    "Het plan is twee werkdagen na de conferentie nog niet verstuurd, ook niet "
                    "na de herinnering aan de coördinator."
                ),
            )
        )
    target = clocks.conference_target(case)
    if target is not None and clocks.conference_target_passed(case, now):
        reminders.append(
            LateDeadline(
                f"conference_target_{target:%Y%m%d}",
                _("Streefdatum conferentie"),
                case.conference_due or now,
                COORDINATOR,
                _(
                    "De streefdatum voor de conferentie die u met de familie afsprak is "
                    "voorbij. Spreek samen een nieuwe datum af en leg die vast."
                ),
            )
        )
    return reminders


def next_deadline(case: Case) -> tuple[str, datetime] | None:
    """The earliest deadline not yet met, for the coordinator's list (the agreed conference
    date counts as one for the coordinator)."""
    open_ = [(due, label) for _kind, label, due, met in _deadlines(case) if due and not met]
    if case.conference_due and case.status in clocks.NO_DATE_YET:
        open_.append((case.conference_due, _("Streefdatum conferentie")))
    if not open_:
        return None
    due, label = min(open_)
    return label, due
