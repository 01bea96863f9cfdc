"""Bearer keys with a scope, a rate limit per key, and a log row for every call."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from kring.api.keys import KeyRefused, check_acts_for, find_key, prefix_of
from kring.api.models import ApiKey, Scope
from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.lib.errors import DomainError

DEFAULT_RATE = "120/m"


class RateLimited(DomainError):
    """Too many calls with one key: 429 with Retry-After."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(
            _("Te veel aanroepen met deze sleutel. Probeer het over %(seconds)s seconden.")
            % {"seconds": self.retry_after}
        )


def _rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "KRING_RATE_API", DEFAULT_RATE))


def _per_key(group: str, request: HttpRequest) -> str:
    return f"apikey:{request.api_key.prefix}"  # type: ignore[attr-defined]


def _where(request: HttpRequest) -> dict[str, Any]:
    return {"method": request.method, "path": request.path[:200]}


class KeyAuth(HttpBearer):
    """``Authorization: Bearer kr_…`` for one scope. A missing or unknown key is 401, a key
    of another scope 403, too many calls 429; each call and each refusal is logged."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> ApiKey | None:
        found = super().__call__(request)
        if found is None and not getattr(request, "_kring_api_logged", False):
            # No key, or not as a bearer: authenticate() never ran, so log it here.
            record(
                None, Action.API_REFUSED, outcome=Outcome.DENIED, reason="no_key", **_where(request)
            )
        return found  # type: ignore[no-any-return]

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        request._kring_api_logged = True  # type: ignore[attr-defined]
        key = find_key(token)
        if key is None:
            record(
                None,
                Action.API_REFUSED,
                outcome=Outcome.DENIED,
                reason="unknown_key",
                prefix=prefix_of(token),
                **_where(request),
            )
            return None
        if key.scope != self.scope:
            record(
                key.acts_for,
                Action.API_REFUSED,
                obj=key,
                outcome=Outcome.DENIED,
                reason="scope",
                prefix=key.prefix,
                **_where(request),
            )
            raise AuthorizationError(
                403, _("Deze sleutel geeft geen toegang tot dit deel van de API.")
            )
        try:  # the person the key acts for may have left, or changed role, since
            check_acts_for(key.organisation, key.scope, key.acts_for)
        except KeyRefused as refusal:
            record(
                None,
                Action.API_REFUSED,
                obj=key,
                outcome=Outcome.DENIED,
                reason="acts_for",
                prefix=key.prefix,
                **_where(request),
            )
            raise AuthorizationError(403, str(refusal.message)) from refusal
        request.api_key = key  # type: ignore[attr-defined]
        usage = get_usage(request, group="api", key=_per_key, rate=_rate, increment=True)
        if usage is not None and usage["should_limit"]:
            record(
                key.acts_for,
                Action.API_REFUSED,
                obj=key,
                outcome=Outcome.REFUSED,
                reason="rate",
                prefix=key.prefix,
                **_where(request),
            )
            raise RateLimited(int(usage["time_left"]))
        record(
            key.acts_for,
            Action.API_CALLED,
            obj=key,
            prefix=key.prefix,
            organisation=key.organisation_id,
            **_where(request),
        )
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return key


def key_of(request: HttpRequest) -> ApiKey:
    return request.auth  # type: ignore[attr-defined,no-any-return]
