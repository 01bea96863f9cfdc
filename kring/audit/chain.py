"""The hash chain over the log: each row carries sha256(previous hash + its own content).

Appending locks the one-row chain head (``select_for_update``; on SQLite every write
transaction already holds the database's one write lock), so two writers can never hang their
rows from the same predecessor. Changing, deleting, reordering or slipping in a row breaks
the chain from that row on, and ``audit_verify`` names the first broken one.

The chain shows tampering; it does not stop someone who can also recompute every later hash
and the head. Keep the head hash that ``audit_verify`` prints outside the database (see
docs/security.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from django.db.models import QuerySet

GENESIS = "0" * 64
# The content of a row that the hash covers, by attribute name (foreign keys as their ids).
CONTENT = (
    "at",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "outcome",
    "detail",
)


def _instant(value: datetime) -> str:
    if timezone.is_naive(value):  # as Django stores a naive datetime: in the current zone
        value = timezone.make_aware(value)
    return value.astimezone(UTC).isoformat()


def digest(prev_hash: str, seq: int, row: Mapping[str, Any], *, stored: bool = False) -> str:
    """The hash of one row: canonical JSON of its place, predecessor and content.

    A row about to be written (``stored`` False) has its details sent through JSON and back
    first, so it is hashed as the database will return it (string keys, lists).
    """
    # A JSON list in a fixed order: the place, the predecessor, then CONTENT.
    canonical = f"[{seq},{json.dumps(prev_hash)},{content_json(row, stored=stored)}"
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_json(row: Mapping[str, Any], *, stored: bool = False) -> str:
    """The canonical JSON of a row's content, without the list's opening bracket: what follows
    the place and the predecessor in the hashed text (PostgreSQL appends it there itself,
    kring/audit/log.py)."""
    detail = row["detail"] if stored else json.loads(json.dumps(row["detail"]))
    values = [_instant(row["at"]), *(row[name] for name in CONTENT[1:-1]), detail]
    return json.dumps(values, sort_keys=True, separators=(",", ":"))[1:]


def _locked_head() -> Any:
    from kring.audit.models import ChainHead

    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a fresh or flushed database: the chain starts here
        ChainHead.objects.bulk_create([ChainHead(pk=1)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def chained(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Give each row its place and hashes, in order, moving the head along.

    Call inside the transaction that inserts the rows (the head stays locked until it ends).
    """
    assert transaction.get_connection().in_atomic_block, "chain rows inside a transaction"
    head = _locked_head()
    for row in rows:
        seq = head.seq + 1
        row.update(seq=seq, prev_hash=head.hash, hash=digest(head.hash, seq, row))
        head.seq, head.prev_hash, head.hash = seq, head.hash, row["hash"]
        yield row
    head.save(update_fields=["seq", "prev_hash", "hash"])


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold (``seq`` None: the head itself)."""

    seq: int | None
    pk: int | None
    reason: str


def _head() -> tuple[int, str]:
    from kring.audit.models import ChainHead

    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return head or (0, GENESIS)


PAGE = 2000


def _pages_in_order(rows: QuerySet[Any, tuple[Any, ...]], size: int) -> Iterator[tuple[Any, ...]]:
    """The rows (ordered by seq, values with seq second) a page at a time, each page after
    the last seq of the one before: memory stays flat however long the log is, without a
    server-side cursor, which Kring does not use (a transaction pooler such as PgBouncer
    cannot keep one between statements; settings.py)."""
    page = list(rows[:size])
    while page:
        yield from page
        if len(page) < size:
            return
        page = list(rows.filter(seq__gt=page[-1][1])[:size])


def verify(page: int = PAGE) -> Break | None:
    """Walk the whole chain in order; the first row that does not hold, or None.

    Rows and the head move together in one transaction, so the rows up to the head read at the
    start are all there, and no committed row can lie beyond the head read at the end.
    """
    from kring.audit.models import AuditEvent

    head_seq, head_hash = _head()
    rows = AuditEvent.objects.filter(seq__lte=head_seq).order_by("seq")
    fields = ("pk", "seq", "prev_hash", "hash", *CONTENT)
    prev_hash, expected = GENESIS, 1
    for values in _pages_in_order(rows.values_list(*fields), page):
        row = dict(zip(fields, values, strict=True))
        pk, seq = row["pk"], row["seq"]
        if seq != expected:
            return Break(seq, pk, f"expected row {expected} here: a row is missing or moved")
        if row["prev_hash"] != prev_hash:
            return Break(seq, pk, "does not follow from the row before it")
        if row["hash"] != digest(prev_hash, seq, row, stored=True):
            return Break(seq, pk, "its content does not match its hash")
        prev_hash, expected = row["hash"], expected + 1
    if (expected - 1, prev_hash) != (head_seq, head_hash):
        return Break(None, None, f"the chain head names row {head_seq}: rows at the end are gone")
    top = AuditEvent.objects.order_by("-seq").values_list("seq", "pk").first()
    if top is not None and top[0] > _head()[0]:
        return Break(top[0], top[1], "lies beyond the chain head: added outside the log")
    return None
