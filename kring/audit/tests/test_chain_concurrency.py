"""Writers at the same moment cannot fork the log's hash chain (PostgreSQL, where requests
really run side by side; each thread has its own database connection)."""

from __future__ import annotations

import threading
from collections import Counter
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kring.accounts.models import Role
from kring.audit.chain import GENESIS, verify
from kring.audit.log import record
from kring.audit.models import Action, AuditEvent, ChainHead
from kring.factories import UserFactory

# serialized_rollback: the flush after this test leaves the tables empty for the next
# serialized test to restore (a plain flush re-creates content types with new ids, which the
# next serialized test then collides with).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 6
ROUNDS = 25
# Every other round a writer logs three rows in one transaction, as a request that logs
# several things does; the head stays locked for all three.
BATCH = 3


def _writer(number: int, user: Any, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait()
        for n in range(ROUNDS):
            if n % 2:
                with transaction.atomic():
                    for part in range(BATCH):
                        record(user, Action.INBOX_VIEWED, writer=number, n=n, part=part)
            else:
                record(user, Action.INBOX_VIEWED, writer=number, n=n)
    except BaseException as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connection.close()


def _run_writers(users: list[Any]) -> list[BaseException]:
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_writer, args=(i, users[i % len(users)], start, errors))
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs"
    return errors


def test_writers_at_the_same_time_never_fork_the_chain() -> None:
    assert connection.vendor == "postgresql"
    users = [UserFactory(role=role) for role in (Role.MANAGER, Role.OFFICE, Role.COORDINATOR)]
    # A flushed database has no chain head yet: the first writers also race to create it.
    ChainHead.objects.all().delete()
    assert not AuditEvent.objects.exists()

    errors = _run_writers(users)

    assert errors == []
    per_writer = ROUNDS // 2 * BATCH + (ROUNDS - ROUNDS // 2)
    rows = list(AuditEvent.objects.order_by("seq").values("seq", "prev_hash", "hash", "detail"))
    assert len(rows) == THREADS * per_writer
    assert Counter(row["detail"]["writer"] for row in rows) == dict.fromkeys(
        range(THREADS), per_writer
    )
    # One line: places 1..n without gaps, every row hangs from the one before it, and no two
    # rows share a predecessor.
    assert [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["prev_hash"] == GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in pairwise(rows))
    assert len({row["prev_hash"] for row in rows}) == len(rows)
    # The writers really overlapped: their rows are interleaved, not one writer after another.
    switches = sum(a["detail"]["writer"] != b["detail"]["writer"] for a, b in pairwise(rows))
    assert switches > THREADS
    # A batch is one transaction under the head's lock: its rows stay together, in order.
    for a, b, c in zip(rows, rows[1:], rows[2:], strict=False):
        if a["detail"].get("part") == 0:
            assert [r["detail"]["writer"] for r in (b, c)] == [a["detail"]["writer"]] * 2
            assert [r["detail"]["part"] for r in (b, c)] == [1, 2]

    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (len(rows), rows[-1]["hash"])
    assert verify() is None
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"Audit chain intact: {len(rows)} rows, head {rows[-1]['hash']}" in out.getvalue()


def test_a_read_outside_a_transaction_is_logged_in_one_statement() -> None:
    """The head's lock is held only inside PostgreSQL (kring/audit/log.py): no BEGIN, no
    select, no COMMIT around it from Python. The first row also starts a missing chain."""
    ChainHead.objects.all().delete()
    user = UserFactory(role=Role.MANAGER)
    first = record(user, Action.INBOX_VIEWED, n=1)
    with CaptureQueriesContext(connection) as queries:
        second = record(user, Action.INBOX_VIEWED, n=2)

    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["WITH"]
    assert (first.seq, second.seq, second.prev_hash) == (1, 2, first.hash)
    stored = AuditEvent.objects.get(pk=second.pk)
    assert (stored.seq, stored.hash, stored.detail) == (2, second.hash, {"n": 2})
    head = ChainHead.objects.get()
    assert (head.seq, head.prev_hash, head.hash) == (2, first.hash, second.hash)
    assert verify() is None
