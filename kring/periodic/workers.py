"""Workers that may die: a task a killed worker had claimed goes back to the queue.

django-tasks-db hands each task to one worker (``SELECT ... FOR UPDATE SKIP LOCKED``, then the
row is marked RUNNING with the worker's id), so several workers on several machines never run
a task twice. But a worker killed in the middle (``kill -9``, a crashed machine, an
out-of-memory kill) leaves its task RUNNING for ever: that reminder would be lost.

So each worker holds a PostgreSQL advisory lock named after its worker id, on a connection of
its own, for as long as it lives. PostgreSQL releases the lock when that session ends, and it
ends when the process dies (the kernel closes the socket at once; a machine that vanishes is
noticed by the TCP keepalives set below within about a minute). ``requeue_orphaned_tasks``
puts every RUNNING task whose worker's lock is free back in the queue. Workers call it when
they start and every minute, and ``run_periodic`` on every round.

The price is at-least-once: a worker killed after the mail went out but before the task was
marked done has that one task run again. Kring's reminders are claimed by a unique row before
their mail is enqueued, so at most the mail in flight at the moment of the kill is sent twice.

SQLite (development) has no advisory locks and one machine: there nothing is requeued.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# The first key of the two-key advisory lock: Kring's workers (any constant of our own).
LOCK_NAMESPACE = 4711_17


def _supported(alias: str = DEFAULT_DB_ALIAS) -> bool:
    return connections[alias].vendor == "postgresql"


class WorkerLock:
    """The lock that says "worker ``worker_id`` is alive", on its own connection."""

    def __init__(self, worker_id: str, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.worker_id = worker_id
        self.alias = alias
        self.connection: BaseDatabaseWrapper | None = None

    def acquire(self) -> None:
        """Take the lock; refuses when a live worker already has this id."""
        if not _supported(self.alias):
            return
        # A wrapper of its own (not in ``connections``), so Django's closing of old
        # connections between tasks never ends this session.
        own = connections.create_connection(self.alias)
        own.settings_dict = {**own.settings_dict, "CONN_MAX_AGE": None}
        with own.cursor() as cursor:
            # The server notices a vanished machine within about a minute.
            cursor.execute("SET tcp_keepalives_idle = 30")
            cursor.execute("SET tcp_keepalives_interval = 10")
            cursor.execute("SET tcp_keepalives_count = 3")
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, self.worker_id]
            )
            (taken,) = cursor.fetchone()
        if not taken:
            own.close()
            raise RuntimeError(f"another live worker has the id {self.worker_id!r}")
        self.connection = own

    def alive(self) -> bool:
        """Whether the lock's session still stands (a database restart ends it)."""
        if self.connection is None:
            return not _supported(self.alias)
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # any failure means the session, and so the lock, is gone
            return False
        return True

    def release(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def requeue_orphaned_tasks(alias: str = DEFAULT_DB_ALIAS, *, mine: str = "") -> int:
    """Put back in the queue each RUNNING task whose worker holds no lock any more (it died);
    the number put back. ``mine``: a starting worker's own id, whose RUNNING tasks can only
    be a dead earlier process's with the same ``--worker-id``."""
    if not _supported(alias):
        return 0
    running = DBTaskResult.objects.using(alias).filter(status=TaskResultStatus.RUNNING)
    owners: dict[str, list[Any]] = {}
    for pk, worker_ids in running.values_list("pk", "worker_ids"):
        if worker_ids:
            owners.setdefault(worker_ids[-1], []).append(pk)
    requeued = 0
    for worker_id, pks in owners.items():
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            # Free means no session holds it: that worker is gone. Taken here inside a
            # transaction-level lock, so no two requeuers race, and released at commit.
            cursor.execute(
                "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, worker_id]
            )
            (free,) = cursor.fetchone()
            if not free and worker_id != mine:
                continue
            # Only rows still RUNNING under that worker (it may have finished them after all).
            requeued += (
                DBTaskResult.objects.using(alias)
                .filter(pk__in=pks, status=TaskResultStatus.RUNNING)
                .update(status=TaskResultStatus.READY, started_at=None)
            )
            logger.warning("Requeued %d task(s) of worker %s, which died", len(pks), worker_id)
    return requeued
