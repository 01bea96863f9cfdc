"""What the end of a course closes, applied to the demo's ended cases in bulk.

The demo writes rows directly for speed, so it does here in a few statements what
``cases.hooks.close_open_links`` does per case when a course really ends: date-poll links,
professional invitations, invitations to a conference that never came and family links all
close at the moment the case closed, and offers still open are withdrawn.
"""

from __future__ import annotations

from django.db.models import F, OuterRef, Subquery

from kring.cases.models import OPEN_STATUSES, Case
from kring.coordinators.models import Offer, OfferStatus
from kring.plans.models import FamilyLink, Plan
from kring.preparation.models import Invitation, Participant, ProfessionalInvolvement


def _closed_at(path: str) -> Subquery:
    return Subquery(Case.objects.filter(pk=OuterRef(path)).values("closed_at")[:1])


def close_ended_courses() -> None:
    ended = Case.objects.exclude(status__in=OPEN_STATUSES).values("pk")
    Participant.objects.filter(case__in=ended, poll_closed_at__isnull=True).update(
        poll_closed_at=_closed_at("case_id")
    )
    ProfessionalInvolvement.objects.filter(case__in=ended, closed_at__isnull=True).update(
        closed_at=_closed_at("case_id")
    )
    # Invitations to a conference after the case closed never came to be.
    case_closed = Subquery(
        Participant.objects.filter(pk=OuterRef("participant_id")).values("case__closed_at")[:1]
    )
    Invitation.objects.annotate(case_closed=case_closed).filter(
        participant__case__in=ended, cancelled_at__isnull=True, conference_at__gt=F("case_closed")
    ).update(cancelled_at=case_closed)
    FamilyLink.objects.filter(plan__case__in=ended, revoked_at__isnull=True).update(
        revoked_at=Subquery(
            Plan.objects.filter(pk=OuterRef("plan_id")).values("case__closed_at")[:1]
        )
    )
    Offer.objects.filter(case__in=ended, status=OfferStatus.OPEN).update(
        status=OfferStatus.WITHDRAWN, answered_at=_closed_at("case_id")
    )
