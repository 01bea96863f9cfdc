"""What the end of a course closes in the preparation: the circle's date-poll links, the
professionals' invitations, and invitations to a conference that will not take place."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from kring.cases.models import Case
from kring.preparation.models import Invitation, Participant, ProfessionalInvolvement


def _open_polls(case: Case) -> QuerySet[Participant]:
    return Participant.objects.filter(case=case, poll_closed_at__isnull=True)


def _open_professional_invitations(case: Case) -> QuerySet[ProfessionalInvolvement]:
    return ProfessionalInvolvement.objects.filter(case=case, closed_at__isnull=True)


def _open_invitations(case: Case, now: datetime) -> QuerySet[Invitation]:
    # Only invitations to a conference still to come: past ones have done their work.
    return Invitation.objects.filter(
        participant__case=case, cancelled_at__isnull=True, conference_at__gt=now
    )


def close_preparation_links(case: Case, now: datetime) -> dict[str, int]:
    return {
        "poll_links": _open_polls(case).update(poll_closed_at=now),
        "professional_invitations": _open_professional_invitations(case).update(closed_at=now),
        "invitations": _open_invitations(case, now).update(cancelled_at=now),
    }


def open_preparation_links(case: Case, now: datetime | None = None) -> dict[str, int]:
    from django.utils import timezone

    return {
        "poll_links": _open_polls(case).count(),
        "professional_invitations": _open_professional_invitations(case).count(),
        "invitations": _open_invitations(case, now or timezone.now()).count(),
    }
