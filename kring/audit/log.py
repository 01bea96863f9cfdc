"""Writing the log. Call inside the transaction of the change being logged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, connection, models, transaction

from kring.audit.chain import CONTENT, chained, content_json
from kring.audit.models import Action, AuditEvent, ChainHead, Outcome

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.cases.models import Case


def record(
    actor: User | None,
    action: Action,
    *,
    case: Case | None = None,
    obj: models.Model | None = None,
    outcome: Outcome = Outcome.OK,
    **detail: Any,
) -> AuditEvent:
    """Append one row: who did what to which object of which case, and how it ended.

    Raises ``LogUnavailable`` when the row cannot be written: no read or change goes
    unlogged (``FailClosedMiddleware`` answers 503).
    """
    is_user = actor is not None and actor.is_authenticated
    event = AuditEvent(
        actor=actor if is_user else None,
        actor_role=actor.role if is_user and actor else "public",
        action=action,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case=case,
        outcome=outcome,
        detail=detail,
    )
    try:
        if connection.vendor != "postgresql":
            _append(event)
        elif connection.in_atomic_block:  # a change's transaction: the head waits for it
            with transaction.atomic():
                _append_in_one_statement(event)
        else:
            _append_in_one_statement(event)
    except DatabaseError as failure:
        raise LogUnavailable from failure
    return event


def _append(event: AuditEvent) -> None:
    row = {name: getattr(event, name) for name in CONTENT}
    with transaction.atomic():
        for chained_row in chained([row]):
            event.seq = chained_row["seq"]
            event.prev_hash, event.hash = chained_row["prev_hash"], chained_row["hash"]
            event.save(force_insert=True)


# PostgreSQL moves the chain head and inserts the row in one statement: the head's row lock
# is held only inside the database. Locked from Python (select, hash, insert, update,
# commit), a web thread held it across every wait for Python's interpreter lock, and under
# load every logged page queued behind it (issue 17, docs/performance.md). The hashed text
# is the one chain.digest() builds: "[seq,\"prev_hash\"," followed by the content's JSON.
_BY_NAME = {field.attname: field for field in AuditEvent._meta.concrete_fields}
_FIELDS = [_BY_NAME[name] for name in CONTENT]
_HEAD, _EVENTS = ChainHead._meta.db_table, AuditEvent._meta.db_table
_APPEND = f"""
WITH head AS (
    UPDATE {_HEAD} SET seq = seq + 1, prev_hash = hash, hash = encode(sha256(convert_to(
        '[' || (seq + 1)::text || ',"' || hash || '",' || %s, 'UTF8')), 'hex')
    WHERE id = 1
    RETURNING seq, prev_hash, hash
)
INSERT INTO {_EVENTS} ({", ".join(str(field.column) for field in _FIELDS)}, seq, prev_hash, hash)
SELECT {", ".join(["%s"] * len(_FIELDS))}, head.seq, head.prev_hash, head.hash FROM head
RETURNING id, seq, prev_hash, hash
"""


def _append_in_one_statement(event: AuditEvent) -> None:
    row = {name: getattr(event, name) for name in CONTENT}
    values = [field.get_db_prep_save(row[field.attname], connection) for field in _FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(_APPEND, [content_json(row), *values])
        appended = cursor.fetchone()
        if appended is None:  # a fresh or flushed database: the chain starts here
            ChainHead.objects.bulk_create([ChainHead(pk=1)], ignore_conflicts=True)
            cursor.execute(_APPEND, [content_json(row), *values])
            appended = cursor.fetchone()
    event.pk, event.seq, event.prev_hash, event.hash = appended
    event._state.adding, event._state.db = False, connection.alias


class LogUnavailable(Exception):
    """The log could not be written, so what was to be logged must not happen or be shown."""
