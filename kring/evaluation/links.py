"""The questionnaire's personal link: made, found, refused.

Below both the domain and the mail task (the task makes the link for the mail it sends, so
the token is never in the task queue; the coordinator makes one to hand over by hand).
Only the SHA-256 of a token is kept; a new link replaces the previous one (the reminder's
keeps the first mail's working beside it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.evaluation.models import Questionnaire
from kring.lib.tokens import hash_token, issue_token

if TYPE_CHECKING:
    from kring.accounts.models import User


@dataclass(frozen=True)
class Lookup:
    """What a token opened: the questionnaire when it may be answered, else why not."""

    questionnaire: Questionnaire | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not self.reason


def issue_link(
    questionnaire: Questionnaire,
    *,
    by: User | None,
    channel: str,
    now: datetime | None = None,
    keep_earlier: bool = False,
) -> str:
    """A new link for the questionnaire; returns the token for the one mail or screen that
    shows it. Call inside a transaction. The previous link stops working, except with
    ``keep_earlier`` (the reminder): then it keeps working beside the new one, and any
    link before it stops."""
    now = now or timezone.now()
    token, token_hash = issue_token()
    questionnaire.earlier_token_hash = questionnaire.token_hash if keep_earlier else None
    questionnaire.token_hash = token_hash
    questionnaire.expires_at = now + timedelta(days=settings.KRING_EVALUATION_LINK_DAYS)
    fields = ["earlier_token_hash", "token_hash", "expires_at"]
    if channel == "email":
        questionnaire.sent_at = now
        fields.append("sent_at")
    questionnaire.save(update_fields=fields)
    record(
        by,
        Action.EVALUATION_LINK_ISSUED,
        case=questionnaire.case,
        obj=questionnaire,
        channel=channel,
        expires_at=questionnaire.expires_at.isoformat(),
    )
    return token


def open_link(token: str, *, now: datetime | None = None) -> Lookup:
    """The questionnaire behind a token; an expired one is refused and logged with its case.
    An answered one is found (its page thanks the person again)."""
    hashed = hash_token(token)
    found = (
        Questionnaire.objects.select_related("case", "participant", "involvement")
        .filter(Q(token_hash=hashed) | Q(earlier_token_hash=hashed))
        .first()
    )
    if found is None:
        return Lookup(None, "unknown")
    if found.answered_at is None and (
        found.expires_at is None or found.expires_at <= (now or timezone.now())
    ):
        record(
            None,
            Action.PERSONAL_LINK_REFUSED,
            case=found.case,
            obj=found,
            outcome=Outcome.DENIED,
            kind="evaluation",
            reason="expired",
        )
        return Lookup(found, "expired")
    return Lookup(found)
