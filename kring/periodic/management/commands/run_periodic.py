"""Run Kring's periodic work as a process beside the task worker (``make demo`` starts it).

Every few minutes it enqueues the periodic tasks of ``kring_periodic`` (reminders, escalations,
expiring offers, the figures), which ``db_worker`` then runs. Each task is idempotent: a
reminder is claimed by a unique (case, kind) row before it is sent, so two runs, or this
process beside a cron job, send every reminder once. A task still waiting for the worker is
not enqueued again, so a stopped worker does not leave a pile of copies behind.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.tasks import Task, TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from kring.periodic.jobs import PERIODIC_TASKS
from kring.periodic.workers import requeue_orphaned_tasks


def _waiting(task: Task[Any, Any]) -> bool:
    """Whether a copy of the task is already queued and not yet picked up by the worker."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        return False  # the immediate backend runs it at once: nothing ever waits
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return ready.filter(task_path=task.module_path).exists()


def enqueue_periodic_tasks() -> list[str]:
    """One run: enqueue each periodic task that is not already waiting; their names."""
    enqueued = []
    for periodic in PERIODIC_TASKS:
        if not _waiting(periodic):
            periodic.enqueue()
            enqueued.append(periodic.name)
    return enqueued


class Command(BaseCommand):
    help = (
        "Zet de periodieke taken van Kring elke paar minuten in de wachtrij "
        "(herinneringen, escalaties, verlopen aanbiedingen, cijfers); draai naast db_worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=float, default=5.0, help="minuten tussen twee rondes (standaard 5)"
        )
        parser.add_argument("--once", action="store_true", help="één ronde, dan stoppen")

    def handle(self, *args: object, **options: Any) -> None:
        while True:
            # Tasks of workers that died in the middle go back in the queue (workers.py).
            requeue_orphaned_tasks()
            names = enqueue_periodic_tasks()
            self.stdout.write(f"{len(names)} periodic tasks enqueued: {', '.join(names)}")
            if options["once"]:
                return
            time.sleep(max(options["every"], 0.1) * 60)
