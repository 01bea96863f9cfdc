"""Offering a case to a coordinator and handling the answer. Every change is logged.

Capacity is guarded twice: each function locks the coordinator's profile row before reading
its load, and the database refuses a load above ``max_cases`` (a check constraint), so two
managers acting at the same moment cannot both fill the last place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.domain import assign_coordinator
from kring.cases.models import Case, Status
from kring.coordinators.first_support import choose_supporting_manager
from kring.coordinators.matching import (
    SUPPORTED_FIRST_STATUSES,
    CandidateArrays,
    Ranked,
    explain_blocks,
    rank,
)
from kring.coordinators.matching_input import (
    active_profiles,
    candidate_from,
    candidates_for_case,
    current_weights,
    family_names,
    language_names,
    match_request_for,
)
from kring.coordinators.models import (
    CoordinatorProfile,
    CoordinatorStatus,
    DeclaredConflict,
    Offer,
    OfferStatus,
)
from kring.coordinators.tasks import send_offer_mail
from kring.lib.errors import DomainError

if TYPE_CHECKING:
    from kring.accounts.models import User


# Coordinators who take no case now, whatever else fits.
OUT_OF_SERVICE = frozenset({CoordinatorStatus.PAUSED, CoordinatorStatus.STOPPED})


class OfferRefused(DomainError):
    """The offer cannot be made or answered; the message says why, in Dutch."""


@dataclass(frozen=True)
class Proposal:
    profile: CoordinatorProfile
    ranked: Ranked


class Shortlist(list[Proposal]):
    """The proposals, with ``notes`` on whom the rules left out as a group (shown above the
    list: EK1 coordinators when no manager of the region can support a first conference)."""

    def __init__(self, proposals: Iterable[Proposal] = (), notes: Iterable[str] = ()) -> None:
        super().__init__(proposals)
        self.notes = list(notes)


NO_SUPPORT_MESSAGE = gettext_lazy(
    "Coördinatoren voor hun eerste conferentie (EK1) worden nu niet voorgesteld: "
    "geen regiomanager vrij voor begeleiding."
)


def propose(case: Case, *, today: date | None = None, limit: int = 10) -> Shortlist:
    """The best coordinators for a case, with reasons, leaving out those already asked.

    Nobody is proposed while an offer is open: the case waits for that answer first.
    """
    if case.offers.filter(status=OfferStatus.OPEN).exists():
        return Shortlist()
    today = today or timezone.localdate()
    request = match_request_for(case)
    ranked = rank(
        request,
        candidates_for_case(case, today),
        today,
        current_weights(),
        limit=limit,
        manager_can_support=True,
        language_names=language_names(),
    )
    profiles = CoordinatorProfile.objects.select_related("user", "home_postcode").in_bulk(
        [r.candidate_id for r in ranked]
    )
    notes = [] if request.first_conference_support else [str(NO_SUPPORT_MESSAGE)]
    return Shortlist([Proposal(profiles[r.candidate_id], r) for r in ranked], notes)


def _lock_profile(profile_id: int) -> CoordinatorProfile:
    return CoordinatorProfile.objects.select_for_update().get(pk=profile_id)


def _change_load(profile: CoordinatorProfile, delta: int) -> None:
    CoordinatorProfile.objects.filter(pk=profile.pk).update(load=F("load") + delta)


@transaction.atomic
def make_offer(case: Case, profile: CoordinatorProfile, *, by: User, notify: bool = True) -> Offer:
    """Offer a case in matching to a coordinator, if every hard rule and capacity allow."""
    if not by.has_perm("cases.manage_case", case):
        raise PermissionDenied
    locked_case = Case.objects.select_for_update().get(pk=case.pk)
    if locked_case.status != Status.MATCHING:
        raise OfferRefused(_("Dit traject wacht niet (meer) op een coördinator."))
    locked = _lock_profile(profile.pk)
    if locked.status in OUT_OF_SERVICE:
        raise OfferRefused(
            _("Deze coördinator is gepauzeerd of gestopt en krijgt nu geen traject aangeboden.")
        )
    if locked.load >= locked.max_cases:
        raise OfferRefused(_("Deze coördinator heeft op dit moment geen ruimte voor een traject."))
    today = timezone.localdate()
    active = active_profiles(today).filter(pk=locked.pk).first()
    if active is None:  # the account was switched off
        raise OfferRefused(_("Deze coördinator kan nu geen traject aangeboden krijgen."))
    candidate = candidate_from(active, today)
    request = match_request_for(locked_case)
    blocks = explain_blocks(request, candidate, today, language_names())
    if blocks:
        raise OfferRefused(" ".join(blocks))
    single = CandidateArrays([candidate])
    ranked = rank(request, single, today, current_weights(), 1, True, language_names())
    return _create_offer(locked_case, locked, by, ranked[0] if ranked else None, notify)


def _create_offer(
    case: Case, profile: CoordinatorProfile, by: User, ranked: Ranked | None, notify: bool
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
    if notify:
        _notify(offer, "offer_made")
    return offer


def _lock_open_offer(offer: Offer) -> Offer:
    locked = Offer.objects.select_for_update().select_related("case", "profile").get(pk=offer.pk)
    if locked.status == OfferStatus.WITHDRAWN:
        raise OfferRefused(str(WITHDRAWN_MESSAGE))
    if locked.status != OfferStatus.OPEN:
        raise OfferRefused(_("Dit aanbod is al beantwoord of verlopen."))
    return locked


WITHDRAWN_MESSAGE = gettext_lazy(
    "Dit aanbod is ingetrokken: het traject wacht niet meer op een coördinator. "
    "Je hoeft niets te doen."
)


def accept_offer(offer: Offer, *, by: User, now: datetime | None = None) -> Offer:
    """The coordinator says yes: the case is theirs and the first-contact clock starts.

    An offer that went stale (the case left matching, or the coordinator was paused or
    stopped since) is withdrawn instead and refused with a message that says why."""
    if offer.profile.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock_open_offer(offer)
        stale = _stale_reason(locked)
        if stale is None:
            now = now or timezone.now()
            if now > locked.answer_due:
                raise OfferRefused(
                    _("De tijd om te antwoorden is voorbij. Neem contact op met je regiomanager.")
                )
            return _accept(locked, by=by, now=now)
        # Committed before refusing: the stale offer is closed and its place given back.
        _close(locked, OfferStatus.WITHDRAWN, reason=stale)
        record(by, Action.OFFER_ACCEPTED, case=locked.case, obj=locked,
               outcome=Outcome.REFUSED, withdrawn=stale)  # fmt: skip
        if locked.case.status == Status.MATCHING:
            _notify(locked, "offer_withdrawn")  # the manager picks someone else
    raise OfferRefused(stale)


def _stale_reason(offer: Offer) -> str | None:
    """Why this open offer can no longer be accepted, in Dutch; None when it can."""
    case = Case.objects.select_for_update().get(pk=offer.case_id)
    offer.case = case
    if case.status != Status.MATCHING:
        return str(WITHDRAWN_MESSAGE)
    profile = _lock_profile(offer.profile_id)
    if profile.status in OUT_OF_SERVICE:
        return _(
            "Je staat op pauze of bent gestopt als coördinator, dus je kunt nu geen traject "
            "aannemen. Het aanbod is ingetrokken; je regiomanager vraagt iemand anders."
        )
    if profile.status in SUPPORTED_FIRST_STATUSES and (
        choose_supporting_manager(case, prefer=offer.offered_by) is None
    ):
        return _(
            "Er is nu geen regiomanager vrij om je eerste conferentie te begeleiden. Het "
            "aanbod is ingetrokken; je regiomanager neemt contact met je op."
        )
    return None


def _accept(offer: Offer, *, by: User, now: datetime) -> Offer:
    """Write the yes on a locked open offer and assign the case through its one door."""
    offer.status, offer.answered_at = OfferStatus.ACCEPTED, now
    offer.save(update_fields=["status", "answered_at"])
    CoordinatorProfile.objects.filter(pk=offer.profile_id).update(last_case_at=now)
    assign_coordinator(offer.case, offer.profile.user, now=now, by=by)
    _record_supporter(offer, by=by)
    record(by, Action.OFFER_ACCEPTED, case=offer.case, obj=offer)
    _notify(offer, "offer_accepted")
    return offer


def _record_supporter(offer: Offer, *, by: User) -> None:
    """An EK1 coordinator's first conference: the case records its supporting manager (the
    offering manager when free), in the assignment's transaction; nobody free refuses it all.
    Any other coordinator's case carries none (it may have had one before going back)."""
    case = offer.case
    manager = None
    if offer.profile.status in SUPPORTED_FIRST_STATUSES:
        manager = choose_supporting_manager(case, prefer=offer.offered_by)
        if manager is None:
            raise OfferRefused(_("Eerste conferentie: geen regiomanager vrij voor begeleiding."))
    elif case.supporting_manager_id is None:
        return
    Case.objects.filter(pk=case.pk).update(supporting_manager=manager)
    case.supporting_manager = manager
    record(by, Action.SUPPORTING_MANAGER_SET, case=case, obj=case,
           manager=manager.pk if manager else None)  # fmt: skip


@transaction.atomic
def assign_directly(case: Case, profile: CoordinatorProfile, *, by: User) -> Offer:
    """A manager assigns a coordinator they have agreed it with (by phone, in person).

    The same door as an offer: every hard rule and the capacity are checked by ``make_offer``,
    and the offer is accepted on the coordinator's behalf, logged with the manager's name.
    """
    offer = make_offer(case, profile, by=by, notify=False)
    return _accept(_lock_open_offer(offer), by=by, now=timezone.now())


@transaction.atomic
def decline_offer(offer: Offer, *, by: User, reason: str = "", knows_family: bool = False) -> Offer:
    """The coordinator says no. With ``knows_family`` ("ik ken dit gezin / heb er belang
    bij") the family's names are kept on their profile, so matching blocks them next time."""
    if offer.profile.user_id != by.pk:
        raise PermissionDenied
    locked = _lock_open_offer(offer)
    if knows_family:
        reason = reason or str(KNOWS_FAMILY_REASON)
        _declare_conflict(locked, by)
    _close(locked, OfferStatus.DECLINED, reason=reason)
    record(by, Action.OFFER_DECLINED, case=locked.case, obj=locked, reason=reason,
           knows_family=knows_family)  # fmt: skip
    _notify(locked, "offer_declined")
    return locked


KNOWS_FAMILY_REASON = gettext_lazy("Ik ken dit gezin of heb er belang bij.")


def _declare_conflict(offer: Offer, by: User) -> None:
    """Keep the names the offer was about as a declared relationship (logged without them)."""
    conflict, _created = DeclaredConflict.objects.update_or_create(
        profile=offer.profile,
        case=offer.case,
        defaults={"names": sorted(family_names(offer.case)), "declared_at": timezone.now()},
    )
    record(by, Action.PROFILE_UPDATED, case=offer.case, obj=conflict, declared_conflict=True)


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
    transaction.on_commit(lambda: send_offer_mail.enqueue(offer.pk, kind))
