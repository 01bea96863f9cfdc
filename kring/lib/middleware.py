"""Dutch by default; another language only when the user picks it with the language switch
(or a link with ``?taal=<code>``, which is then remembered like the switch's choice).

Django's LocaleMiddleware would also follow the browser's Accept-Language, which would show
an English screen to a Dutch mother whose phone happens to be set to English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.utils import translation
from django.utils.translation import gettext as _

from kring.lib.forms import INT_MAX
from kring.lib.languages import STAFF_LANGUAGES


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # ?taal=tr on a link (the family's pages, a link in a mail) chooses like the switch.
        asked = request.GET.get("taal", "")
        chosen = asked if asked in self.available else ""
        chosen = chosen or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        # A page for one person (the family's link) may speak that person's language unless
        # the visitor chose one.
        request.language_chosen = chosen in self.available  # type: ignore[attr-defined]
        response = self.get_response(request)
        if asked in self.available:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                asked,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response


class StaffLanguageMiddleware:
    """Staff screens are in Dutch or English only: someone logged in who chose a family
    language on a public page (the cookie is shared) gets Dutch. After authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        staff = user is not None and user.is_authenticated
        if staff and translation.get_language() not in STAFF_LANGUAGES:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE  # type: ignore[attr-defined]
        return self.get_response(request)


class HostileInputMiddleware:
    """Answers tampering before a view sees it, where no form can explain it next to a field:
    a NUL character in the address or a search (PostgreSQL stores no NUL in text) gets 400
    with a Dutch explanation; an id in the address beyond the database's integers gets 404
    (nothing has that id, and SQLite would raise on looking it up). Posted forms refuse NUL
    and bound their numbers themselves (``kring.lib.forms``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET):
            message = _("Dit adres of deze zoekopdracht bevat een ongeldig teken. Pas het aan.")
            if request.path.startswith("/api/"):  # the HTTP API answers every error as JSON
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: object, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        if any(isinstance(value, int) and abs(value) > INT_MAX for value in kwargs.values()):
            raise Http404


def _has_nul(query: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())
