"""Writing the log. Call inside the transaction of the change being logged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, models, transaction

from kring.audit.chain import CONTENT, chained
from kring.audit.models import Action, AuditEvent, Outcome

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
    row = {name: getattr(event, name) for name in CONTENT}
    try:
        with transaction.atomic():
            for chained_row in chained([row]):
                event.seq = chained_row["seq"]
                event.prev_hash, event.hash = chained_row["prev_hash"], chained_row["hash"]
                event.save(force_insert=True)
    except DatabaseError as failure:
        raise LogUnavailable from failure
    return event


class LogUnavailable(Exception):
    """The log could not be written, so what was to be logged must not happen or be shown."""
