"""Liveness and readiness (django-health-check), with two checks of Kring's own.

- ``/health/live/`` runs no check: the process answers. A failing liveness probe restarts it.
- ``/health/ready/`` checks the database, the cache table (the rate limits) and that every
  migration is applied: an app server that fails it gets no traffic (a release whose
  migrations have not run yet, a database that is gone).
- ``/health/queue/`` checks the task queue: the oldest task waiting for a worker has waited
  less than ``KRING_TASK_LAG_MINUTES``. Apart from readiness, so that workers falling behind
  page someone instead of taking every app server out of the load balancer.

django-health-check has no check for migrations or for django-tasks-db's queue, hence
``MigrationsApplied`` and ``TaskQueueLag`` here (docs/operations.md).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


def _close_thread_connection(alias: str) -> None:
    """Sync checks run in a worker thread of the view, which keeps no connection after; a
    check called inside a transaction (a test) leaves its connection alone."""
    if not connections[alias].in_atomic_block:
        connections[alias].close()


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """Every migration in the code is applied to the database."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self) -> None:
        try:
            executor = MigrationExecutor(connections[self.alias])
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        finally:
            _close_thread_connection(self.alias)
        if pending:
            raise ServiceUnavailable(f"{len(pending)} migrations not applied")


@dataclasses.dataclass
class TaskQueueLag(HealthCheck):
    """The oldest task that is due and waiting for a worker (READY in django-tasks-db) has
    waited at most ``minutes`` (default ``KRING_TASK_LAG_MINUTES``) since it became due."""

    minutes: int | None = None

    def run(self) -> None:
        limit = timedelta(minutes=self.minutes or settings.KRING_TASK_LAG_MINUTES)
        cutoff = timezone.now() - limit
        never_deferred = Q(run_after=get_date_max()) & Q(enqueued_at__lt=cutoff)
        deferred_until_before = ~Q(run_after=get_date_max()) & Q(run_after__lt=cutoff)
        late = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
            never_deferred | deferred_until_before
        )
        try:
            found = late.exists()
        finally:
            _close_thread_connection(DEFAULT_DB_ALIAS)
        if found:
            raise ServiceUnavailable(f"a task has waited for a worker for over {limit}")


class KringHealthView(HealthCheckView):
    """Always JSON, whatever ``?format=`` or the Accept header asks: the library's HTML page
    has inline styles, which the Content-Security-Policy blocks, and its template is not
    installed (any other format answered 500)."""

    async def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        request.GET = request.GET.copy()
        request.GET["format"] = "json"
        return await super().get(request, *args, **kwargs)


class LiveView(KringHealthView):
    checks: ClassVar[tuple[Any, ...]] = ()


class ReadyView(KringHealthView):
    checks: ClassVar[tuple[Any, ...]] = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        MigrationsApplied,
    )


class QueueView(KringHealthView):
    checks: ClassVar[tuple[Any, ...]] = (TaskQueueLag,)


live = LiveView.as_view()
ready = ReadyView.as_view()
queue = QueueView.as_view()
