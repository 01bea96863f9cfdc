"""Failed guesses at personal links: counted per address, throttled, logged.

A token has 256 bits, so guessing one is hopeless; the throttle keeps a scanner from trying
anyway and the log shows that someone did. Only failures count (an unknown, expired or closed
link), so a family member opening their own link many times is never stopped. The counter is
django-ratelimit's (a kept library: per-address buckets in the cache, keyed by a hash of the
address); the refusal page and the audit row are ours. The token itself is never logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from kring.audit.log import record
from kring.audit.models import Action, Outcome

if TYPE_CHECKING:
    from kring.cases.models import Case

GROUP = "kring.personal-link-failures"


def _usage(request: HttpRequest, *, increment: bool) -> dict[str, int] | None:
    return get_usage(
        request, group=GROUP, key="ip", rate=settings.KRING_LINK_FAILURE_RATE, increment=increment
    )


def too_many_failures(request: HttpRequest) -> bool:
    """Whether this address has used up its failed attempts (without counting this one)."""
    usage = _usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def throttled(request: HttpRequest, kind: str) -> HttpResponse:
    """The Dutch 429 page; the attempt is logged but not looked up."""
    record(
        None, Action.PERSONAL_LINK_REFUSED, outcome=Outcome.DENIED, kind=kind, reason="throttled"
    )
    return render(request, "links/too_many.html", {"kind": kind}, status=429)


def refused(
    request: HttpRequest, kind: str, reason: str, *, case: Case | None = None, log: bool = True
) -> HttpResponse:
    """Count the failure against the address, log it, and explain in Dutch (404 whatever
    the reason: the page says why, the status tells a scanner nothing). ``log=False`` when
    the domain already logged the refusal with its own action."""
    _usage(request, increment=True)
    if log:
        record(
            None,
            Action.PERSONAL_LINK_REFUSED,
            case=case,
            outcome=Outcome.DENIED,
            kind=kind,
            reason=reason,
        )
    context = {"kind": kind, "reason": reason}
    return render(request, "links/refused.html", context, status=404)
