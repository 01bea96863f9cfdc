"""Offering a case to a coordinator and handling the answer. Every change is logged.

Capacity is guarded twice: each function locks the coordinator's profile row before reading
its load, and the database refuses a load above ``max_cases`` (a check constraint), so two
managers acting at the same moment cannot both fill the last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.domain import assign_coordinator
from kring.cases.models import Case, Status
from kring.coordinators.matching import CandidatePool, Ranked, explain_blocks, rank
from kring.coordinators.models import CoordinatorProfile, Offer, OfferStatus
from kring.coordinators.pool import (
    active_profiles,
    candidate_from,
    current_weights,
    language_names,
    match_request_for,
    pool_for_case,
)

if TYPE_CHECKING:
    from kring.accounts.models import User


class OfferRefused(Exception):
    """The offer cannot be made or answered; the message says why, in Dutch."""


@dataclass(frozen=True)
class Proposal:
    profile: CoordinatorProfile
    ranked: Ranked


def propose(case: Case, *, today: date | None = None, limit: int = 10) -> list[Proposal]:
    """The best coordinators for a case, with reasons, leaving out those already asked.

    Nobody is proposed while an offer is open: the case waits for that answer first.
    """
    if case.offers.filter(status=OfferStatus.OPEN).exists():
        return []
    today = today or timezone.localdate()
    ranked = rank(
        match_request_for(case),
        pool_for_case(case, today),
        today,
        current_weights(),
        limit=limit,
        manager_can_support=True,
        language_names=language_names(),
    )
    profiles = CoordinatorProfile.objects.select_related("user", "home_postcode").in_bulk(
        [r.candidate_id for r in ranked]
    )
    return [Proposal(profiles[r.candidate_id], r) for r in ranked]


def _lock_profile(profile_id: int) -> CoordinatorProfile:
    return CoordinatorProfile.objects.select_for_update().get(pk=profile_id)


def _change_load(profile: CoordinatorProfile, delta: int) -> None:
    CoordinatorProfile.objects.filter(pk=profile.pk).update(load=F("load") + delta)


@transaction.atomic
def make_offer(case: Case, profile: CoordinatorProfile, *, by: User) -> Offer:
    """Offer a case in matching to a coordinator, if every hard rule and capacity allow."""
    if not by.has_perm("cases.manage_case", case):
        raise PermissionDenied
    locked_case = Case.objects.select_for_update().get(pk=case.pk)
    if locked_case.status != Status.MATCHING:
        raise OfferRefused(_("Dit traject wacht niet (meer) op een coördinator."))
    locked = _lock_profile(profile.pk)
    if locked.load >= locked.max_cases:
        raise OfferRefused(_("Deze coördinator heeft op dit moment geen ruimte voor een traject."))
    today = timezone.localdate()
    candidate = candidate_from(active_profiles(today).get(pk=locked.pk), today)
    request = match_request_for(locked_case)
    blocks = explain_blocks(request, candidate, today, language_names())
    if blocks:
        raise OfferRefused(" ".join(blocks))
    single = CandidatePool([candidate])
    ranked = rank(request, single, today, current_weights(), 1, True, language_names())
    return _create_offer(locked_case, locked, by, ranked[0] if ranked else None)


def _create_offer(
    case: Case, profile: CoordinatorProfile, by: User, ranked: Ranked | None
) -> Offer:
    now = timezone.now()
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                case=case,
                profile=profile,
                offered_by=by,
                offered_at=now,
                answer_due=now + timedelta(hours=settings.KRING_OFFER_ANSWER_HOURS),
                score=ranked.score if ranked else 0,
                reasons=ranked.reasons if ranked else [],
            )
            _change_load(profile, +1)
    except IntegrityError as clash:
        raise OfferRefused(
            _("Er staat al een aanbod open voor dit traject, of deze coördinator is al gevraagd.")
        ) from clash
    record(by, Action.OFFER_MADE, case=case, obj=offer, coordinator=profile.user_id)
    _notify(offer, "offer_made")
    return offer


def _lock_open_offer(offer: Offer) -> Offer:
    locked = Offer.objects.select_for_update().select_related("case", "profile").get(pk=offer.pk)
    if locked.status != OfferStatus.OPEN:
        raise OfferRefused(_("Dit aanbod is al beantwoord of verlopen."))
    return locked


@transaction.atomic
def accept_offer(offer: Offer, *, by: User, now: datetime | None = None) -> Offer:
    """The coordinator says yes: the case is theirs and the first-contact clock starts."""
    if offer.profile.user_id != by.pk:
        raise PermissionDenied
    locked = _lock_open_offer(offer)
    now = now or timezone.now()
    if now > locked.answer_due:
        raise OfferRefused(
            _("De tijd om te antwoorden is voorbij. Neem contact op met je regiomanager.")
        )
    locked.status, locked.answered_at = OfferStatus.ACCEPTED, now
    locked.save(update_fields=["status", "answered_at"])
    CoordinatorProfile.objects.filter(pk=locked.profile_id).update(last_case_at=now)
    assign_coordinator(locked.case, by, now=now)
    record(by, Action.OFFER_ACCEPTED, case=locked.case, obj=locked)
    _notify(locked, "offer_accepted")
    return locked


@transaction.atomic
def decline_offer(offer: Offer, *, by: User, reason: str = "") -> Offer:
    if offer.profile.user_id != by.pk:
        raise PermissionDenied
    locked = _lock_open_offer(offer)
    _close(locked, OfferStatus.DECLINED, reason=reason)
    record(by, Action.OFFER_DECLINED, case=locked.case, obj=locked, reason=reason)
    _notify(locked, "offer_declined")
    return locked


def _close(offer: Offer, status: OfferStatus, *, reason: str = "") -> None:
    _lock_profile(offer.profile_id)
    offer.status, offer.answered_at, offer.decline_reason = status, timezone.now(), reason
    offer.save(update_fields=["status", "answered_at", "decline_reason"])
    _change_load(offer.profile, -1)


def expire_offers(now: datetime | None = None) -> int:
    """Close offers whose answer time has passed and tell the manager; safe to run twice."""
    now = now or timezone.now()
    due = Offer.objects.filter(status=OfferStatus.OPEN, answer_due__lt=now).values_list(
        "pk", flat=True
    )
    expired = 0
    for pk in list(due):
        with transaction.atomic():
            offer = Offer.objects.select_for_update().select_related("case", "profile").get(pk=pk)
            if offer.status != OfferStatus.OPEN:
                continue  # answered or expired by a parallel run meanwhile
            _close(offer, OfferStatus.EXPIRED)
            record(None, Action.OFFER_EXPIRED, case=offer.case, obj=offer)
            _notify(offer, "offer_expired")
            expired += 1
    return expired


def release_capacity(case: Case) -> None:
    """The coordinator's involvement in a case ended: free the place it took."""
    if case.coordinator_id is None:
        return
    profile = (
        CoordinatorProfile.objects.select_for_update().filter(user_id=case.coordinator_id).first()
    )
    if profile is not None and profile.load > 0:
        _change_load(profile, -1)


def _notify(offer: Offer, kind: str) -> None:
    from kring.coordinators.tasks import send_offer_mail

    transaction.on_commit(lambda: send_offer_mail.enqueue(offer.pk, kind))
