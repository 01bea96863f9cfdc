"""Rate limits on the expensive and the bulk pages, with django-ratelimit.

Rendering a PDF takes a fraction of a second of CPU and a CSV or research export reads many
cases: a limit per user (per address without a login) keeps one account or script from
exhausting the server or copying the data out fast. Counts live in the database cache, so
every web process shares them. The rates are settings (``KRING_RATE_*``), read at each
request so an organisation (or a test) can change them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

from kring.lib.http import View, client_address


def address_key(group: str, request: HttpRequest) -> str:
    """A keyed hash of the sender's address: enough to count requests, useless to identify
    (the cache table would otherwise hold addresses, or a hash of one anyone can reverse)."""
    address = client_address(request).encode()
    return hmac.new(settings.SECRET_KEY.encode(), address, hashlib.sha256).hexdigest()


def user_or_address(group: str, request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{address_key(group, request)}"


def rate_setting(name: str) -> Callable[[str, HttpRequest], str]:
    def rate(group: str, request: HttpRequest) -> str:
        return str(getattr(settings, name))

    return rate


def limited(group: str, rate: str, method: str | tuple[None] = ALL) -> Callable[[View], View]:
    """Refuse with the 429 page once a user (or address) passes the rate in setting ``rate``;
    views sharing a ``group`` share one count."""
    return ratelimit(
        group=group, key=user_or_address, rate=rate_setting(rate), method=method, block=True
    )


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """RATELIMIT_VIEW: a Dutch page instead of django-ratelimit's 403."""
    response = render(request, "too_many_requests.html", status=429)
    response["Retry-After"] = "60"
    return response


def _intake_usage(request: HttpRequest, *, count: bool) -> dict[str, int] | None:
    rate = f"{settings.KRING_INTAKE_RATE_LIMIT}/h"
    return get_usage(request, group="intake", key=address_key, rate=rate, increment=count)


def intake_limit_reached(request: HttpRequest) -> bool:
    """The public form's limit: KRING_INTAKE_RATE_LIMIT stored requests per address per
    hour. Only a stored request counts (``count_intake``), so a mother correcting mistakes
    in the form is never refused for them."""
    usage = _intake_usage(request, count=False)
    return usage is not None and usage["count"] >= usage["limit"]


def count_intake(request: HttpRequest) -> None:
    _intake_usage(request, count=True)
