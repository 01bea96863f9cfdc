"""Typed requests and role guards for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from kring.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


View = Callable[..., HttpResponse]


def role_required(*roles: str) -> Callable[[View], View]:
    """Log in first, then refuse (403) anyone whose role is not listed."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def client_address(request: HttpRequest) -> str:
    """The sender's address, for rate limits and the lockout. Behind a proxy
    (``KRING_BEHIND_PROXY``) REMOTE_ADDR is the proxy's, so the address comes from
    X-Forwarded-For: the entry the nearest of ``KRING_PROXY_COUNT`` trusted proxies appended,
    counted from the right (entries further left are the client's own claim and can be forged)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not settings.KRING_BEHIND_PROXY:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    count = settings.KRING_PROXY_COUNT
    return forwarded[-count] if count and len(forwarded) >= count else remote
