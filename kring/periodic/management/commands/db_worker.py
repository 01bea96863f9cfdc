"""django-tasks-db's ``db_worker``, with a lock that tells the other workers it is alive.

Same options and behaviour as the library's command (this app comes before
``django_tasks_db`` in INSTALLED_APPS, so ``manage.py db_worker`` is this one). Added: the
worker holds its advisory lock while it lives and puts back the tasks of dead workers when it
starts; a thread beside the loop does that again every ``--requeue-every`` seconds, and stops
the worker (as SIGTERM does: after the task at hand) when the lock's session is gone, e.g.
after a database restart, so that the process manager starts it afresh with a new lock
(``kring/periodic/workers.py``).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections, connections
from django_tasks_db.management.commands import db_worker

from kring.periodic.workers import WorkerLock, requeue_orphaned_tasks

logger = logging.getLogger(__name__)


def _keep(lock: WorkerLock, every: float) -> None:
    while True:
        time.sleep(every)
        if not lock.alive():
            logger.error("Worker %s lost its lock (database restarted?); stopping", lock.worker_id)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        try:
            requeue_orphaned_tasks()
        except Exception:  # the database away for a moment: try again next time
            logger.exception("Looking for tasks of dead workers failed")
        finally:
            close_old_connections()
            connections.close_all()


class Command(db_worker.Command):
    help = db_worker.Command.help + "; puts back the tasks of workers that died"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--requeue-every",
            type=float,
            default=60.0,
            help="seconds between two looks for tasks of dead workers (default 60)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lock = WorkerLock(options["worker_id"])
        for attempt in range(20):
            try:
                lock.acquire()
                break
            except RuntimeError:
                if attempt == 19:
                    raise
                time.sleep(0.5)  # a requeuer holds it for an instant
        if lock.connection is not None:
            lock.connection.inc_thread_sharing()  # the keeper thread asks it if it lives
        requeue_orphaned_tasks(mine=options["worker_id"])
        every = max(options.pop("requeue_every"), 0.1)
        threading.Thread(target=_keep, args=(lock, every), daemon=True).start()
        super().handle(*args, **options)
