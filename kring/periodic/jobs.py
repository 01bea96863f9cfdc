"""Kring's periodic work: each job finds what is due in one part of the course and enqueues
one mail per reminder. ``manage.py kring_periodic`` (cron) or ``run_periodic`` (beside the
worker) enqueues them every few minutes. Each job is idempotent: a reminder is claimed by a
unique row before it is sent, so two runs at once send it once.

The jobs live here, above the parts they call, so that a part's domain can enqueue its own
mail tasks without those tasks importing the domain back (no import cycles; see
docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from django.tasks import Task, task
from django.utils import timezone

from kring.coaching.domain import send_meeting_reminders
from kring.coaching.lapses import send_lapse_reminders
from kring.coordinators.domain import expire_offers
from kring.evaluation.domain import send_questionnaire_reminders
from kring.plans.aftercare.domain import send_follow_up_reminders, send_implementation_reminders
from kring.preparation.logistics.domain import send_conference_reminders
from kring.preparation.workspace.domain import send_deadline_reminders
from kring.privacy.tasks import purge_expired_data
from kring.stats.tasks import refresh_stale_figures
from kring.training.domain import send_session_reminders


@task()
def expire_overdue_offers() -> int:
    """Offers nobody answered in time expire: silence counts as no."""
    return expire_offers()


@task()
def send_due_independence_reminders() -> int:
    """The VOG and the independence declaration (kring.coaching.lapses): the coordinator two
    months and one month before either lapses, the managers on the day; each once."""
    return send_lapse_reminders(timezone.localdate())


@task()
def send_due_deadline_reminders() -> int:
    """Clocks of the preparation that ran out, once per clock."""
    return send_deadline_reminders(timezone.now())


@task()
def send_due_conference_reminders() -> int:
    """Reminders for the circle of conferences within 48 hours, once per case."""
    return send_conference_reminders(timezone.now())


@task()
def send_due_follow_up_reminders() -> int:
    """Follow-up calls due within two days, once."""
    return send_follow_up_reminders(timezone.now())


@task()
def send_due_implementation_reminders() -> int:
    """Implementation registrations due (three months; escalated at five), once."""
    return send_implementation_reminders(timezone.now())


@task()
def send_due_meeting_reminders() -> int:
    """Regional meetings and study days within 48 hours: the invitees who did not say no,
    once per meeting."""
    return send_meeting_reminders(timezone.now())


@task()
def send_due_session_reminders() -> int:
    """Training sessions starting within two days: everyone still invited, once."""
    return send_session_reminders(timezone.localdate())


@task()
def send_due_questionnaire_reminders() -> int:
    """Questionnaires mailed two weeks ago and not answered: one reminder each."""
    return send_questionnaire_reminders(timezone.now())


PERIODIC_TASKS: list[Task[Any, Any]] = [
    expire_overdue_offers,
    send_due_independence_reminders,
    send_due_deadline_reminders,
    send_due_conference_reminders,
    send_due_follow_up_reminders,
    send_due_implementation_reminders,
    send_due_meeting_reminders,
    send_due_session_reminders,
    send_due_questionnaire_reminders,
    refresh_stale_figures,
    purge_expired_data,
]
