"""No read or change without its log row: when the log cannot be written, answer 503."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from kring.audit.log import LogUnavailable

logger = logging.getLogger(__name__)


class FailClosedMiddleware:
    """Turns ``LogUnavailable`` from any view into a plain 503 page that shows no data.

    The page is built without templates or the database: the database may be what failed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LogUnavailable):
            return None
        logger.error("Audit log unavailable; refused %s", request.path, exc_info=exception)
        title = escape(_("Even niet beschikbaar"))
        text = escape(
            _(
                "Kring kan op dit moment niet vastleggen wie wat bekijkt, en toont daarom niets. "
                "Probeer het over een paar minuten opnieuw."
            )
        )
        body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{text}</p>"
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "120"
        response["Cache-Control"] = "no-store"
        return response
