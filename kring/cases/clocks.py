"""The method's own clocks, as pure functions of dates and a case's fields.

- First contact (3 days), first visit and start (7 days) count from the request's arrival, as
  the method's published figures do; the coordinator's own clock from the assignment is only
  shown beside them.
- The conference has no deadline: the family sets the pace. ``Case.conference_due`` holds the
  target date the coordinator agreed with the family; a reminder follows it, and a long
  preparation is a signal for the manager, not "late".
- The plan goes out within two working days of the conference (Dutch public holidays do not
  count); then the coordinator is reminded, and a working day later the manager hears.
- Follow-up from four weeks after the plan was sent, the implementation registration from three
  months, an escalation at five; earlier only with a recorded reason.
- A pause shifts every clock that is still running.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from kring.cases.models import Case, Status
from kring.lib.workdays import add_working_days

# Months are counted as 91 days per three months (13 weeks): close enough for a reminder, and
# the same length in every month of the year.
DAYS_PER_THREE_MONTHS = 91
# The conference is still to come: the target date runs, and a long stay here is a signal.
BEFORE_CONFERENCE = frozenset({Status.ASSIGNED, Status.PREPARATION, Status.PLANNED})
# No conference date is set yet: only then does a passed target date need a new agreement.
NO_DATE_YET = frozenset({Status.ASSIGNED, Status.PREPARATION})


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def months(count: int) -> timedelta:
    return timedelta(days=round(count * DAYS_PER_THREE_MONTHS / 3))


# ---------- From the request's arrival ----------


def arrival_deadlines(arrival: datetime) -> dict[str, datetime]:
    """First contact, start and first visit, all counted from the moment the request came in."""
    return {
        "first_contact_due": arrival + timedelta(days=settings.KRING_FIRST_CONTACT_DAYS),
        "start_due": arrival + timedelta(days=settings.KRING_START_DAYS),
        "first_visit_due": arrival + timedelta(days=settings.KRING_FIRST_VISIT_DAYS),
    }


def days_since(moment: datetime, now: datetime) -> int:
    """Whole calendar days from ``moment`` to ``now`` (the coordinator's own clock)."""
    return (timezone.localdate(now) - timezone.localdate(moment)).days


# ---------- The conference: a target agreed with the family ----------


def suggested_conference_target(case: Case, today: date) -> date:
    """What the target form proposes: some weeks after the assignment, never in the past."""
    assigned = timezone.localdate(case.assigned_at) if case.assigned_at else today
    return max(today, assigned + timedelta(weeks=settings.KRING_CONFERENCE_WEEKS))


def conference_target(case: Case) -> date | None:
    return timezone.localdate(case.conference_due) if case.conference_due else None


def conference_target_passed(case: Case, now: datetime) -> bool:
    """The agreed date went by without a conference date being set."""
    due = case.conference_due
    return case.status in NO_DATE_YET and due is not None and due < now


def long_preparation(case: Case, now: datetime) -> bool:
    """A signal, not a deadline: the conference is still to come, long after the assignment."""
    began = case.assigned_at or case.opened_at
    long_ago = now - timedelta(weeks=settings.KRING_LONG_PREPARATION_WEEKS)
    return case.status in BEFORE_CONFERENCE and began is not None and began < long_ago


# ---------- The plan: two working days ----------


def plan_send_due(held_on: date) -> datetime:
    """The end of the second working day after the conference day."""
    return end_of_day(add_working_days(held_on, settings.KRING_PLAN_SEND_DAYS))


def plan_send_escalation(due: datetime) -> datetime:
    """When the regional manager hears: the coordinator is reminded once ``due`` has passed and
    keeps the next working day to send the plan; the manager hears on the one after that."""
    return start_of_day(add_working_days(timezone.localdate(due), 2))


def plan_send_late(case: Case, now: datetime) -> bool:
    due = case.plan_send_due
    return case.status == Status.HELD and due is not None and due < now


def plan_send_escalated(case: Case, now: datetime) -> bool:
    due = case.plan_send_due
    return plan_send_late(case, now) and due is not None and plan_send_escalation(due) <= now


# ---------- After the plan was sent ----------


def after_plan_sent(sent_at: datetime) -> dict[str, datetime]:
    """Follow-up from four weeks after sending, the implementation registration from three
    months (both configurable); set when the plan goes out."""
    return {
        "follow_up_due": sent_at + timedelta(days=settings.KRING_FOLLOW_UP_DAYS),
        "implementation_due": sent_at + months(settings.KRING_IMPLEMENTATION_MONTHS),
    }


def implementation_escalation_gap() -> timedelta:
    """From the registration's opening (three months) to its escalation (five months)."""
    extra = settings.KRING_IMPLEMENTATION_ESCALATION_MONTHS - settings.KRING_IMPLEMENTATION_MONTHS
    return months(extra)


def implementation_escalation(implementation_due: datetime) -> datetime:
    return implementation_due + implementation_escalation_gap()


def is_early(opens: datetime | None, now: datetime) -> bool:
    """Before the moment a step is due; doing it then needs a recorded reason."""
    return opens is not None and now < opens


# ---------- Pausing ----------


def _running(case: Case) -> dict[str, bool]:
    """Per deadline field: whether its clock still runs (not yet met)."""
    status = case.status
    conference_to_come = status in BEFORE_CONFERENCE or status in {Status.NEW, Status.MATCHING}
    return {
        "first_contact_due": case.first_contact_at is None,
        "start_due": case.started_at is None,
        "first_visit_due": case.first_visit_at is None,
        "conference_due": conference_to_come,
        "plan_send_due": status == Status.HELD,
        "follow_up_due": status in {Status.HELD, Status.PLAN_SENT},
        "implementation_due": status in {Status.HELD, Status.PLAN_SENT, Status.FOLLOWED_UP},
    }


def shift_running_clocks(case: Case, pause: timedelta) -> list[str]:
    """Move every deadline not yet met by the length of a pause; returns the fields moved."""
    shifted = []
    for field, running in _running(case).items():
        due = getattr(case, field)
        if running and due is not None:
            setattr(case, field, due + pause)
            shifted.append(field)
    return shifted


def start_aftercare(case: Case, sent_at: datetime) -> list[str]:
    """Set the follow-up and implementation clocks when the plan goes out; the fields set."""
    dues = after_plan_sent(sent_at)
    for field, due in dues.items():
        setattr(case, field, due)
    return list(dues)
