"""The database gone in the middle of a request: a Dutch 503 instead of a 500.

Kring writes each change in one transaction (``transaction.atomic`` in the domain functions),
so when the connection breaks halfway PostgreSQL rolls the change back: nothing is half
written. The page is built without templates or the database. ``CONN_HEALTH_CHECKS`` (in
settings) makes the next request test its kept connection and connect afresh, so the app
answers again as soon as the database is back.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import defaults


def database_unavailable() -> HttpResponse:
    title = escape(_("Even niet beschikbaar"))
    text = escape(
        _(
            "Kring kan de database op dit moment niet bereiken. Er is niets opgeslagen van wat "
            "u net deed. Probeer het over een minuut opnieuw."
        )
    )
    body = f'<!doctype html><html lang="nl"><title>{title}</title><h1>{title}</h1><p>{text}</p>'
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it for any exception no view or middleware handled, inside
    the ``except`` block, so ``sys.exc_info()`` is that exception."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    return defaults.server_error(request)
