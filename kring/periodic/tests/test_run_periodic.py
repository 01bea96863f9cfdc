"""The scheduler beside the worker: one run sends each due reminder once, a second run none."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.cases.models import Case, Status
from kring.factories import make_case
from kring.periodic.jobs import PERIODIC_TASKS
from kring.periodic.management.commands.run_periodic import enqueue_periodic_tasks
from kring.preparation.models import SentReminder

pytestmark = pytest.mark.django_db


def _run_once(capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("run_periodic", "--once", stdout=out)
    return out.getvalue()


def test_one_run_sends_each_due_reminder_once_and_a_second_run_none(
    manager, coordinator, django_capture_on_commit_callbacks
):
    late = make_case(
        status=Status.HELD,
        coordinator=coordinator,
        submitted_at=timezone.now() - timedelta(days=30),
    )
    Case.objects.filter(pk=late.pk).update(plan_send_due=timezone.now() - timedelta(days=8))
    followed = make_case(status=Status.FOLLOWED_UP, coordinator=coordinator)
    Case.objects.filter(pk=followed.pk).update(
        implementation_due=timezone.now() - timedelta(days=1)
    )

    out = _run_once(django_capture_on_commit_callbacks)
    assert f"{len(PERIODIC_TASKS)} periodic tasks enqueued" in out
    first = len(mail.outbox)
    kinds = set(SentReminder.objects.values_list("case_id", "kind"))
    assert (late.pk, "plan_send_overdue") in kinds
    assert (late.pk, "plan_send_escalated") in kinds
    assert (followed.pk, "implementation") in kinds
    assert first == len(kinds) > 0  # one mail per reminder

    _run_once(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == first
    assert set(SentReminder.objects.values_list("case_id", "kind")) == kinds


def test_a_task_still_waiting_for_the_worker_is_not_enqueued_again(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert len(enqueue_periodic_tasks()) == len(PERIODIC_TASKS)
    assert enqueue_periodic_tasks() == []  # the worker has not picked them up yet
    assert DBTaskResult.objects.count() == len(PERIODIC_TASKS)
