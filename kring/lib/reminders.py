"""The periodic reminders' shared steps: claim a row's reminder once, queue its mails after
the commit. Two runs at once (two schedulers, a retry) remind once: the claim is an UPDATE
of a still-empty column, which only one of them finds empty."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from django.db import models, transaction


def claim(row: models.Model, now: datetime, field: str = "reminded_at") -> bool:
    """Set ``field`` to ``now`` on this row if it is still empty, in the caller's
    transaction; whether this run got it."""
    unclaimed = type(row)._default_manager.filter(pk=row.pk, **{field: None})
    return bool(unclaimed.update(**{field: now}))


def queue_after_commit(task: Any, ids: Iterable[int]) -> int:
    """Enqueue ``task`` for each id once the caller's transaction commits (never for a
    change that is rolled back); the number queued."""
    queued = 0
    for pk in ids:
        transaction.on_commit(partial(task.enqueue, pk))
        queued += 1
    return queued
