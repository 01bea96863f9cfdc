"""Liveness and readiness over HTTP, and Kring's own checks (kring/lib/health.py): migrations
applied and the task queue's lag, each called directly inside the test's transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import task
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from health_check.exceptions import ServiceUnavailable

from kring.lib.health import MigrationsApplied, TaskQueueLag

pytestmark = pytest.mark.django_db


@task()
def nothing() -> None:
    """A task for the queue check to find waiting."""


def test_liveness_runs_no_check_and_needs_no_login() -> None:
    response = Client().get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {}
    # JSON whatever the query asks: the library's HTML page is not installed.
    for asked in ("html", "a", "openmetrics"):
        answered = Client().get("/health/live/", {"format": asked}, HTTP_ACCEPT="text/html")
        assert answered.status_code == 200 and answered.json() == {}, asked


def test_readiness_checks_database_cache_and_migrations() -> None:
    response = Client().get("/health/ready/")
    assert response.status_code == 200, response.content
    assert set(response.json()) == {
        "Database(alias='default')",
        "Cache(alias='default')",
        "MigrationsApplied(alias='default')",
    }
    assert set(response.json().values()) == {"OK"}


def test_the_migrations_check_fails_while_a_migration_is_not_applied() -> None:
    last = MigrationRecorder.Migration.objects.filter(app="sessions").order_by("-id").first()
    assert last is not None
    MigrationsApplied().run()
    last.delete()  # as if the release's migrate had not run yet (rolled back after the test)
    with pytest.raises(ServiceUnavailable, match="1 migrations not applied"):
        MigrationsApplied().run()


def test_the_queue_check_fails_when_the_oldest_waiting_task_is_too_old(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.KRING_TASK_LAG_MINUTES = 15
    nothing.enqueue()
    TaskQueueLag().run()  # just enqueued
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=16))
    with pytest.raises(ServiceUnavailable, match="waited for a worker"):
        TaskQueueLag().run()
    # A task deferred to a later time waits from then on, not from its enqueueing.
    DBTaskResult.objects.update(run_after=timezone.now() + timedelta(hours=1))
    TaskQueueLag().run()
