"""The professional's personal invitation link. The mail task makes it, so the token lives
only in that worker's memory and in the mail; the domain and the task both use this."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from kring.lib.tokens import issue_token
from kring.preparation.models import ProfessionalInvolvement


def issue_invitation_link(involvement: ProfessionalInvolvement) -> str:
    """A new invitation token (the previous link stops working), valid for
    KRING_INVITATION_LINK_DAYS; returns the token for the one mail that carries it."""
    token, token_hash = issue_token()
    expires = timezone.now() + timedelta(days=settings.KRING_INVITATION_LINK_DAYS)
    ProfessionalInvolvement.objects.filter(pk=involvement.pk).update(
        token_hash=token_hash, token_expires_at=expires
    )
    involvement.token_hash, involvement.token_expires_at = token_hash, expires
    return token
