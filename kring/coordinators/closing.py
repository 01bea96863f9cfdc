"""What the end of a course closes in the pool: the offers still waiting for an answer."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from kring.cases.models import Case
from kring.coordinators.models import CoordinatorProfile, Offer, OfferStatus


def close_offers(case: Case, now: datetime) -> dict[str, int]:
    """Withdraw the case's open offers, so nobody can accept a case that has ended, and give
    each asked coordinator back the place the offer held for them."""
    offers = list(Offer.objects.select_for_update().filter(case=case, status=OfferStatus.OPEN))
    for offer in offers:
        offer.status, offer.answered_at = OfferStatus.WITHDRAWN, now
        offer.save(update_fields=["status", "answered_at"])
        CoordinatorProfile.objects.filter(pk=offer.profile_id, load__gt=0).update(
            load=F("load") - 1
        )
    return {"offers": len(offers)}


def open_offers(case: Case) -> dict[str, int]:
    return {"offers": Offer.objects.filter(case=case, status=OfferStatus.OPEN).count()}
