"""Writing the log. Call inside the transaction of the change being logged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

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
    """Append one row: who did what to which object of which case, and how it ended."""
    is_user = actor is not None and actor.is_authenticated
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_role=actor.role if is_user and actor else "public",
        action=action,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case=case,
        outcome=outcome,
        detail=detail,
    )
