"""Webhooks: an organisation's system hears when one of its API referrals changes state.

- The address is checked when it is set and again before every delivery (a name can point
  elsewhere later): https only (http too with DEBUG), and every address the name resolves to
  must be public — no loopback, private, link-local or reserved networks (SSRF) unless DEBUG.
  Redirects are not followed.
- Each message is signed with HMAC-SHA256 over ``<timestamp>.<body>``; the receiver checks
  the signature and refuses an old timestamp (replays). The secret must be recoverable to
  sign, so it is not stored: it is derived from the server's key (``KRING_WEBHOOK_KEY``, else
  ``SECRET_KEY``) and the endpoint's random nonce. A copy of the database signs nothing;
  setting the address again makes a new nonce, so a new secret (shown once).
- A state change writes a ``WebhookDelivery`` in the move's own transaction and enqueues its
  sending after the commit; failures are retried with growing pauses (tasks.py).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.api.models import (
    ApiKey,
    ApiReferral,
    DeliveryStatus,
    Scope,
    WebhookDelivery,
    WebhookEndpoint,
)
from kring.api.signing import WebhookRefused, check_url, signing_secret
from kring.api.tasks import deliver_webhook
from kring.audit.log import record
from kring.audit.models import Action

if TYPE_CHECKING:
    from kring.accounts.models import Organisation, User
    from kring.cases.models import Case

EVENT_STATUS_CHANGED = "referral.status_changed"


def set_webhook(
    organisation: Organisation, url: str, *, by: User, key: ApiKey | None = None
) -> tuple[WebhookEndpoint, str]:
    """Set (or replace) the organisation's address; returns it and its new secret. The office
    sets any organisation's; an organisation's system sets its own with its referrals
    ``key`` (``PUT /api/v1/webhook``)."""
    _may_change(organisation, by, key)
    checked = check_url(url)
    with transaction.atomic():
        endpoint, _created = WebhookEndpoint.objects.select_for_update().update_or_create(
            organisation=organisation,
            defaults={"url": checked, "nonce": secrets.token_hex(32), "active": True},
        )
        # The host only: a path may carry the receiver's own token.
        record(
            by,
            Action.API_WEBHOOK_SET,
            obj=endpoint,
            organisation=organisation.pk,
            host=urlsplit(checked).hostname,
            **_through(key),
        )
    return endpoint, signing_secret(endpoint)


def switch_off(
    organisation: Organisation, *, by: User, key: ApiKey | None = None
) -> WebhookEndpoint | None:
    """No more messages to the organisation's address until it is set again (messages still
    waiting are not sent). None when there was no active address; twice is once."""
    _may_change(organisation, by, key)
    with transaction.atomic():
        endpoint = (
            WebhookEndpoint.objects.select_for_update()
            .filter(organisation=organisation, active=True)
            .first()
        )
        if endpoint is None:
            return None
        endpoint.active = False
        endpoint.save(update_fields=["active"])
        record(
            by,
            Action.API_WEBHOOK_OFF,
            obj=endpoint,
            organisation=organisation.pk,
            **_through(key),
        )
    return endpoint


def _may_change(organisation: Organisation, by: User, key: ApiKey | None) -> None:
    if key is None and not by.is_office:
        raise WebhookRefused(_("Alleen het landelijk bureau stelt webhooks in."))
    if key is not None and (key.organisation_id != organisation.pk or key.scope != Scope.REFERRALS):
        raise WebhookRefused(_("Een organisatie stelt alleen haar eigen webhook in."))


def _through(key: ApiKey | None) -> dict[str, Any]:
    """In the log: the key a system used, by its public prefix."""
    return {"prefix": key.prefix} if key is not None else {}


def payload(case: Case, reference: str, old: str, new: str) -> dict[str, Any]:
    """What a message says: which referral, from which status to which. Nothing about the
    family; the receiver reads the rest with its key."""
    return {
        "event": EVENT_STATUS_CHANGED,
        "reference": reference,
        "previous_status": old,
        "status": new,
        "changed_at": (case.status_changed_at or timezone.now()).isoformat(),
    }


def case_moved(case: Case, old: str, new: str) -> None:
    """The case layer's move hook: announce the change to the referral's organisation."""
    link = (
        ApiReferral.objects.filter(request_id=case.request_id)
        .select_related("request", "organisation__webhook")
        .first()
    )
    endpoint = getattr(link.organisation, "webhook", None) if link is not None else None
    if link is None or endpoint is None or not endpoint.active:
        return
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        request=link.request,
        event=EVENT_STATUS_CHANGED,
        payload=payload(case, link.request.reference, old, new),
    )
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk))


def resend(delivery: WebhookDelivery, *, by: User) -> WebhookDelivery:
    """Send a message that was given up once more: a fresh round of attempts (the receiver
    was down for a day, say). Only a failed message, only by the office; twice at once
    sends it once (the second finds it waiting already)."""
    if not by.is_office:
        raise WebhookRefused(_("Alleen het landelijk bureau verstuurt webhookberichten opnieuw."))
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).first()
        if locked is None or locked.status != DeliveryStatus.FAILED:
            raise WebhookRefused(
                _("Dit bericht is niet mislukt; het wordt niet opnieuw verstuurd.")
            )
        locked.status, locked.attempts = DeliveryStatus.PENDING, 0
        locked.save(update_fields=["status", "attempts"])
        record(by, Action.API_WEBHOOK_RESENT, obj=locked, delivery=locked.pk)
        transaction.on_commit(lambda: deliver_webhook.enqueue(locked.pk))
    return locked


def latest_deliveries(limit: int = 25) -> list[WebhookDelivery]:
    """The most recent messages to every organisation, for the office's page."""
    return list(
        WebhookDelivery.objects.select_related("endpoint__organisation", "request").order_by(
            "-created_at", "-id"
        )[:limit]
    )
