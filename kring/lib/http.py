"""Typed requests and role guards for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

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
    """The sender's address. Behind a proxy, set it up to pass REMOTE_ADDR (see README)."""
    return str(request.META.get("REMOTE_ADDR", ""))
