"""Conditions that lapse: the certificate of conduct (VOG) and the yearly independence
declaration (issue 14 §3).

Each is valid up to and including its last day (``vog_valid_until``,
``independence_valid_until`` on the profile, the same dates the matching engine compares);
it **lapses on the day after**, and from that day the coordinator is out of matching, until a
new VOG is recorded or a new declaration signed. Reminders, each once (a ``LapseReminder``
claimed before the mail is enqueued):

- two months before the lapse day, and one month before: to the coordinator;
- on the lapse day: to the managers of the coordinator's regions (the office when the
  coordinator has no region with a manager).

A step is sent when it is the current one: a job that did not run for a week still sends the
one-month reminder, never an old two-month one; an expiry is reported up to
``EXPIRED_REPORT_DAYS`` after the lapse day, so switching this on does not mail about VOGs that
lapsed years ago.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.clocks import months
from kring.coaching.models import Condition, LapseReminder, LapseStep
from kring.coaching.tasks import send_lapse_reminder
from kring.coordinators.models import INDEPENDENCE_VALID_DAYS, CoordinatorProfile, CoordinatorStatus

EXPIRED_REPORT_DAYS = 30
# Who takes cases, or will again: a stopped coordinator needs no reminder.
REMINDED_STATUSES = [s for s in CoordinatorStatus.values if s != CoordinatorStatus.STOPPED]


def lapse_day(profile: CoordinatorProfile, condition: str) -> date | None:
    """The first day the condition no longer counts; None when it was never recorded."""
    until = (
        profile.vog_valid_until()
        if condition == Condition.VOG
        else profile.independence_valid_until()
    )
    return None if until is None else until + timedelta(days=1)


def step_due(lapses_on: date, today: date) -> LapseStep | None:
    """The reminder step that is current today for a condition lapsing on ``lapses_on``."""
    if today >= lapses_on + timedelta(days=EXPIRED_REPORT_DAYS):
        return None
    if today >= lapses_on:
        return LapseStep.EXPIRED
    if today >= lapses_on - months(1):
        return LapseStep.ONE_MONTH
    if today >= lapses_on - months(2):
        return LapseStep.TWO_MONTHS
    return None


@dataclass(frozen=True)
class Due:
    profile: CoordinatorProfile
    condition: Condition
    lapses_on: date
    step: LapseStep


def _started_between(today: date, shortest_days: int, longest_days: int) -> tuple[date, date]:
    """Issue or signing dates whose lapse day can have a current step today, for a condition
    valid between ``shortest_days`` and ``longest_days`` (leap years); a few days wider than
    needed, step_due makes the exact test."""
    return (
        today - timedelta(days=longest_days + EXPIRED_REPORT_DAYS + 3),
        today - timedelta(days=shortest_days) + months(2) + timedelta(days=3),
    )


def due_reminders(today: date) -> Iterator[Due]:
    """Every reminder whose step is current today (claimed or not), in one query."""
    years = settings.KRING_VOG_VALID_YEARS
    vog = _started_between(today, 365 * years, 366 * years)
    declared = _started_between(today, INDEPENDENCE_VALID_DAYS, INDEPENDENCE_VALID_DAYS)
    profiles = CoordinatorProfile.objects.filter(
        Q(vog_issued_on__range=vog) | Q(independence_declared_on__range=declared),
        status__in=REMINDED_STATUSES,
        user__is_active=True,
    ).select_related("user")
    for profile in profiles:
        for condition in Condition:
            lapses_on = lapse_day(profile, condition)
            step = step_due(lapses_on, today) if lapses_on else None
            if lapses_on and step:
                yield Due(profile, condition, lapses_on, step)


def send_lapse_reminders(today: date | None = None) -> int:
    """Claim and enqueue every current reminder; a second run finds the claims and skips."""
    today = today or timezone.localdate()
    return sum(_claim(due) for due in due_reminders(today))


def _claim(due: Due) -> bool:
    try:
        with transaction.atomic():
            claim = LapseReminder.objects.create(
                profile=due.profile,
                condition=due.condition,
                lapses_on=due.lapses_on,
                step=due.step,
                sent_at=timezone.now(),
            )
            record(None, Action.REMINDER_SENT, obj=due.profile, kind=f"lapse.{due.condition}",
                   step=due.step, lapses_on=due.lapses_on.isoformat())  # fmt: skip
            transaction.on_commit(lambda: send_lapse_reminder.enqueue(claim.pk))
    except IntegrityError:  # claimed before, by an earlier run or a parallel one
        return False
    return True
