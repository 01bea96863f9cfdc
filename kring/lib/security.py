"""Sessions that end, and pages no cache keeps.

A screen with a family's data left open on a shared computer is the likeliest leak: a session
ends after KRING_SESSION_IDLE_MINUTES without a request (``static/kring/session.js`` warns two
minutes before and offers to stay logged in) and KRING_SESSION_MAX_HOURS after the login,
however busy. Django's own SESSION_COOKIE_AGE cannot do either: it restarts at every save.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.lib.http import AuthenticatedHttpRequest

LOGIN_AT = "kring_login_at"
LAST_ACTIVITY = "kring_last_activity"
# Activity is written at most this often, so a busy user does not save the session on
# every request; the idle limit is then at most this much late.
ACTIVITY_RESOLUTION = 30


@receiver(user_logged_in)
def _start_clocks(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # The login keeps the session's data (only its key changes), so the clocks restart here.
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[LAST_ACTIVITY] = now


def expired(session: Any, now: float) -> bool:
    """Idle too long, or logged in too long. A missing clock counts as now (a session made
    by ``force_login`` in a test, or one from before this measure)."""
    idle = now - session.get(LAST_ACTIVITY, now)
    age = now - session.get(LOGIN_AT, now)
    return (
        idle > settings.KRING_SESSION_IDLE_MINUTES * 60
        or age > settings.KRING_SESSION_MAX_HOURS * 3600
    )


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        session, now = request.session, time.time()
        if expired(session, now):
            logout(request)
            messages.info(
                request,
                _("U bent uitgelogd omdat u een tijd niets hebt gedaan. Log opnieuw in."),
            )
            return redirect_to_login(request.get_full_path())
        session.setdefault(LOGIN_AT, now)
        if now - session.get(LAST_ACTIVITY, 0) >= ACTIVITY_RESOLUTION:
            session[LAST_ACTIVITY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """No browser or proxy keeps a copy of any page: logged-in pages and the personal-link
    pages show a family's data, and even the public form shows what was typed when it comes
    back with an error. Static files are served before Django and keep their caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            response["Cache-Control"] = "no-store"
        return response


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    """Template context for the notice before the idle logout (includes/session_notice.html)."""
    idle, warning = settings.KRING_SESSION_IDLE_MINUTES, settings.KRING_SESSION_WARNING_MINUTES
    return {
        "session_timeout": {
            "warn_after": warning * 60,
            "idle_after": idle * 60,
            "minutes_left": idle - warning,
        }
    }


@login_required
@require_POST
def keep_alive(request: AuthenticatedHttpRequest) -> HttpResponse:
    """'Blijf ingelogd': the request itself is the activity the middleware records."""
    return HttpResponse(status=204)
