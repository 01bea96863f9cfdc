"""The main person's own link to their plan: read it, download it, mark progress.

The token is long and random (``secrets.token_urlsafe(32)``) and only its SHA-256 hash is
stored, so a copy of the database opens no plan. A link expires, can be revoked, and every
use is logged twice: a FamilyLinkUse row and an audit event (no actor: nobody logs in).
One active link per main person per plan: a new link replaces the previous one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.lib.errors import DomainError
from kring.lib.tokens import hash_token, issue_token
from kring.plans.distribution.tasks import notify_family_progress
from kring.plans.models import Agreement, FamilyLink, FamilyLinkUse, Plan, PlanStatus
from kring.preparation.models import Participant

if TYPE_CHECKING:
    from kring.accounts.models import User

PROGRESS_MAX = 200


class LinkRefused(DomainError):
    """A link cannot be made (not a main person, plan not final); says why in Dutch."""


@dataclass(frozen=True)
class Lookup:
    """The outcome of opening a link: the link when it works, else why not."""

    link: FamilyLink | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.link is not None and not self.reason


# ---------- Reads ----------


def is_active(link: FamilyLink, now: datetime | None = None) -> bool:
    return link.revoked_at is None and link.expires_at > (now or timezone.now())


def links_for_plan(plan: Plan) -> QuerySet[FamilyLink]:
    """The plan's links with how often and when last used (for the coordinator's page)."""
    return (
        FamilyLink.objects.filter(plan=plan)
        .select_related("participant", "created_by")
        .annotate(use_count=Count("uses"), last_used_at=Max("uses__used_at"))
        .order_by("-created_at", "-id")
    )


def main_persons(plan: Plan) -> QuerySet[Participant]:
    return Participant.objects.filter(case=plan.case, is_main_person=True).order_by("name", "id")


def open_link(token: str, *, now: datetime | None = None) -> Lookup:
    """Find the link for a token; an expired or revoked one is refused and logged."""
    link = (
        FamilyLink.objects.select_related("plan__case__request", "participant")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        return Lookup(None, "unknown")
    now = now or timezone.now()
    reason = ""
    if link.revoked_at is not None:
        reason = "revoked"
    elif link.expires_at <= now:
        reason = "expired"
    if reason:
        record(
            None,
            Action.FAMILY_LINK_REFUSED,
            case=link.plan.case,
            obj=link,
            outcome=Outcome.DENIED,
            reason=reason,
        )
    return Lookup(link, reason)


# ---------- Changes ----------


@transaction.atomic
def create_link(
    plan: Plan, participant: Participant, *, by: User, channel: str = "screen"
) -> tuple[FamilyLink, str]:
    """A new personal link for a main person; returns the link and the token (shown or
    mailed once, never stored). Revokes the person's earlier links for this plan."""
    if not by.has_perm("cases.prepare_case", plan.case):
        raise PermissionDenied
    if participant.case_id != plan.case_id or not participant.is_main_person:
        raise LinkRefused(_("Alleen een hoofdpersoon krijgt een eigen link."))
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.FINAL:
        raise LinkRefused(_("Maak de link als het plan definitief is."))
    now = timezone.now()
    for old in FamilyLink.objects.filter(
        plan=locked, participant=participant, revoked_at__isnull=True
    ):
        _revoke(old, by=by, now=now, why="replaced")
    token, token_hash = issue_token()
    link = FamilyLink.objects.create(
        plan=locked,
        participant=participant,
        token_hash=token_hash,
        created_by=by,
        expires_at=now + timedelta(days=settings.KRING_FAMILY_LINK_DAYS),
    )
    record(
        by,
        Action.FAMILY_LINK_CREATED,
        case=locked.case,
        obj=link,
        participant=participant.pk,
        channel=channel,
        expires_at=link.expires_at.isoformat(),
    )
    return link, token


def _revoke(link: FamilyLink, *, by: User, now: datetime, why: str) -> None:
    link.revoked_at = now
    link.save(update_fields=["revoked_at"])
    record(by, Action.FAMILY_LINK_REVOKED, case=link.plan.case, obj=link, reason=why)


@transaction.atomic
def revoke_link(plan: Plan, link_pk: int, *, by: User) -> bool:
    """Revoke one of the plan's links; False when it was already revoked (or not this plan's)."""
    if not by.has_perm("cases.prepare_case", plan.case):
        raise PermissionDenied
    link = (
        FamilyLink.objects.select_for_update()
        .select_related("plan__case")
        .filter(pk=link_pk, plan=plan, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        return False
    _revoke(link, by=by, now=timezone.now(), why="revoked")
    return True


@transaction.atomic
def log_use(link: FamilyLink, action: str, *, agreement: int | None = None) -> FamilyLinkUse:
    """Every successful use: a row on the link and an audit event with the case."""
    use = FamilyLinkUse.objects.create(link=link, action=action)
    case, event = link.plan.case, Action.FAMILY_LINK_USED
    if agreement is None:
        record(None, event, case=case, obj=link, use=action)
    else:
        record(None, event, case=case, obj=link, use=action, agreement=agreement)
    return use


@transaction.atomic
def save_progress(link: FamilyLink, agreement_pk: int, text: str) -> Agreement | None:
    """The main person notes how an agreement goes. Only agreements of the link's own plan;
    None for any other."""
    agreement = (
        Agreement.objects.select_for_update().filter(pk=agreement_pk, plan=link.plan_id).first()
    )
    if agreement is None:
        return None
    agreement.progress = text.strip()[:PROGRESS_MAX]
    agreement.progress_at = timezone.now()
    agreement.save(update_fields=["progress", "progress_at"])
    log_use(link, "progress", agreement=agreement.pk)
    # The coordinator hears of it.
    transaction.on_commit(lambda: notify_family_progress.enqueue(agreement.pk))
    return agreement
