"""The yearly independence declaration: a reminder a month before it lapses, once each."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from kring.audit.log import record
from kring.audit.models import Action
from kring.coordinators.matching import INDEPENDENCE_WARNING_DAYS
from kring.coordinators.models import (
    INDEPENDENCE_VALID_DAYS,
    CoordinatorProfile,
    CoordinatorStatus,
    IndependenceReminder,
)
from kring.coordinators.tasks import send_independence_reminder

# Who still takes cases, or will again: a stopped coordinator needs no reminder.
REMINDED_STATUSES = [s for s in CoordinatorStatus.values if s != CoordinatorStatus.STOPPED]


def lapsing_soon(today: date) -> list[CoordinatorProfile]:
    """Profiles whose declaration is still valid today but lapses within the warning time."""
    oldest = today - timedelta(days=INDEPENDENCE_VALID_DAYS - 1)
    newest = oldest + timedelta(days=INDEPENDENCE_WARNING_DAYS)
    return list(
        CoordinatorProfile.objects.filter(
            independence_declared_on__gte=oldest,
            independence_declared_on__lt=newest,
            status__in=REMINDED_STATUSES,
            user__is_active=True,
        ).select_related("user")
    )


def remind_lapsing_declarations(today: date) -> int:
    """Claim and send one reminder per declaration; a second run finds the claim and skips."""
    sent = 0
    for profile in lapsing_soon(today):
        sent += _remind_once(profile)
    return sent


def _remind_once(profile: CoordinatorProfile) -> bool:
    assert profile.independence_declared_on is not None
    try:
        with transaction.atomic():
            IndependenceReminder.objects.create(
                profile=profile,
                declared_on=profile.independence_declared_on,
                sent_at=timezone.now(),
            )
            record(None, Action.REMINDER_SENT, obj=profile, kind="independence_declaration")
            pk = profile.pk
            transaction.on_commit(lambda: send_independence_reminder.enqueue(pk))
    except IntegrityError:  # claimed before, by this run's predecessor or a parallel one
        return False
    return True
