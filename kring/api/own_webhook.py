"""A referring organisation's system sets, reads and switches off its own webhook.

The same domain actions as the office's page (``webhooks.set_webhook``/``switch_off``), with
the key in the log; the address is checked the same way (https, public addresses only). The
signing secret is in the answer to ``PUT`` only, as on the office's page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from kring.accounts.models import User
from kring.api import webhooks
from kring.api.auth import KeyAuth, key_of
from kring.api.models import ApiKey, Scope, WebhookEndpoint
from kring.api.schemas import REFUSALS, Error, WebhookIn, WebhookOut, WebhookSet
from kring.api.signing import WebhookRefused

router = Router(auth=KeyAuth(Scope.REFERRALS), tags=["verwijzingen"])


def _acts_for(key: ApiKey) -> User:
    # A referrals key acts for one of its organisation's professionals; KeyAuth refuses the
    # call before this otherwise (keys.check_acts_for).
    if key.acts_for is None:
        raise HttpError(403, _("Deze sleutel hoort bij niemand."))
    return key.acts_for


@router.get(
    "/webhook",
    response={200: WebhookOut, 404: Error, **REFUSALS},
    summary="De eigen webhook",
    operation_id="get_webhook",
)
def get_webhook(request: HttpRequest) -> Any:
    endpoint = WebhookEndpoint.objects.filter(organisation=key_of(request).organisation).first()
    if endpoint is None:
        return Status(404, {"detail": _("Er is geen webhook ingesteld.")})
    return Status(200, {"url": endpoint.url, "active": endpoint.active})


@router.put(
    "/webhook",
    response={200: WebhookSet, **REFUSALS},
    summary="De eigen webhook instellen (of vervangen)",
    operation_id="set_webhook",
)
def set_webhook(request: HttpRequest, body: WebhookIn) -> Any:
    key = key_of(request)
    try:
        endpoint, secret = webhooks.set_webhook(
            key.organisation, body.url, by=_acts_for(key), key=key
        )
    except WebhookRefused as refusal:
        detail = _("De webhook is niet ingesteld.")
        return Status(422, {"detail": detail, "errors": {"url": [str(refusal)]}})
    return Status(200, {"url": endpoint.url, "active": endpoint.active, "secret": secret})


@router.delete(
    "/webhook",
    response={204: None, **REFUSALS},
    summary="De eigen webhook uitzetten",
    operation_id="switch_off_webhook",
)
def switch_off_webhook(request: HttpRequest) -> Any:
    key = key_of(request)
    webhooks.switch_off(key.organisation, by=_acts_for(key), key=key)
    return Status(204, None)
