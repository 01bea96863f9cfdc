"""The HTTP API at /api/v1/: OpenAPI 3.1 at openapi.json, Swagger UI at docs (served from
Kring itself: django-ninja's bundled files, no CDN). Every error answers JSON in Dutch."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from kring.api import figures, funding, own_webhook, referrals
from kring.api.auth import RateLimited

api = NinjaAPI(
    title="Kring API",
    version="1",
    description=(
        "Verwijzers melden gezinnen aan en volgen hun verwijzingen, financiers lezen hun "
        "contracten en facturen, het landelijk bureau leest de cijfers. Zie docs/api.md."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", referrals.router)
api.add_router("", own_webhook.router)
api.add_router("", funding.router)
api.add_router("", figures.router)

# Pydantic's error kinds, said in Dutch.
_MESSAGES = {
    "missing": "Dit veld is verplicht.",
    "string_too_long": "Deze tekst is te lang.",
    "string_pattern_mismatch": "Deze waarde heeft niet de juiste vorm.",
    "too_long": "Te veel waarden.",
    "too_short": "Te weinig waarden.",
    "greater_than_equal": "Deze waarde is te klein.",
    "less_than_equal": "Deze waarde is te groot.",
    "enum": "Kies een van de toegestane waarden.",
}


def _field(location: Any) -> str:
    parts = [str(part) for part in location if part not in {"body", "query", "path"}]
    return ".".join(parts[1:] if parts and parts[0] in {"body"} else parts) or "body"


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = _MESSAGES.get(str(error.get("type")), "Ongeldige waarde.")
        errors.setdefault(_field(error.get("loc", ())), []).append(_(message))
    detail = _("De invoer klopt niet.")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


_HTTP_MESSAGES = {
    400: "De aanvraag kon niet worden gelezen.",
    401: "Geef een geldige API-sleutel mee: Authorization: Bearer kr_…",
    403: "Geen toegang.",
    405: "Deze methode kan hier niet.",
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    # Our 403s (another scope, a person who left) say why in Dutch; django-ninja's own
    # messages are English and replaced.
    own = exc.message if status == 403 and exc.message != "Forbidden" else ""
    detail = own or _(_HTTP_MESSAGES.get(status, "Dit kan niet."))
    response = api.create_response(request, {"detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="kring"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Niet gevonden.")}, status=404)


@api.exception_handler(RateLimited)
def too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
