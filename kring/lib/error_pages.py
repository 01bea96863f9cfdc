"""The house error pages with DEBUG on too, so the demo shows what production shows.

With DEBUG, Django answers a 404 and an unhandled exception with its debug pages (the URL
list, the traceback), whatever ``handler404``/``handler500`` say. ``make demo`` runs with
DEBUG (runserver serves the static files, the demo keys need no secrets), so without this the
people trying Kring would meet those pages. This middleware gives them ``404.html`` and
``500.html`` (``403.html`` Django uses with or without DEBUG). A developer who wants the debug
pages sets ``KRING_DEBUG_ERROR_PAGES=1``; without DEBUG the middleware does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404
from django.views import defaults

from kring.lib.unavailable import server_error

logger = logging.getLogger("django.request")


def house_pages_in_debug() -> bool:
    return bool(settings.DEBUG) and not getattr(settings, "KRING_DEBUG_ERROR_PAGES", False)


class HouseErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # An address no URL matches never reaches a view: Django turned it into its debug
        # 404 already. No resolver match tells that case apart from a view's own 404.
        if (
            house_pages_in_debug()
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            return defaults.page_not_found(request, Resolver404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not house_pages_in_debug():
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django renders 403.html itself, DEBUG or not
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return defaults.bad_request(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        # Inside the except block Django runs process_exception in: server_error sees it.
        return server_error(request)
