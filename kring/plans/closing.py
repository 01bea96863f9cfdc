"""What the end of a course does to the plan's family links.

A course that ends early (withdrawn, stopped, rejected) revokes them at once. The regular end,
the implementation registration, is different: the family keeps reading its own plan for
``KRING_FAMILY_LINK_AFTER_CLOSE_DAYS`` (three months) and the links expire then; no link
outlives that window.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from kring.cases.models import Case, Status
from kring.plans.models import FamilyLink


def _after_close(closed_at: datetime) -> datetime:
    return closed_at + timedelta(days=settings.KRING_FAMILY_LINK_AFTER_CLOSE_DAYS)


def close_family_links(case: Case, now: datetime) -> dict[str, int]:
    links = FamilyLink.objects.filter(plan__case=case, revoked_at__isnull=True)
    if case.status == Status.CLOSED:
        until = _after_close(now)
        return {
            "family_links_expiring": links.filter(expires_at__gt=until).update(expires_at=until)
        }
    return {"family_links": links.update(revoked_at=now)}


def open_family_links(case: Case) -> dict[str, int]:
    """Links that still work, beyond what the end allows (after the regular end, the three
    months of reading are allowed)."""
    active = FamilyLink.objects.filter(
        plan__case=case, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if case.status == Status.CLOSED and case.closed_at is not None:
        active = active.filter(expires_at__gt=_after_close(case.closed_at))
    return {"family_links": active.count()}
