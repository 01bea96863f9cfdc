"""Sending a webhook message, by the task worker after the state change is committed.

A failed attempt (no answer, a refused address, anything but 2xx) is tried again after
1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours; after the sixth attempt the delivery
is marked failed and logged. Each attempt re-checks the address (a name may point elsewhere
by now) and follows no redirect.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from kring.api.models import DeliveryStatus, WebhookDelivery
from kring.api.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookRefused,
    body_of,
    checked_target,
    sign,
    signing_secret,
)
from kring.audit.log import record
from kring.audit.models import Action, Outcome

BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10


def post(url: str, body: bytes, headers: dict[str, str], *, address: str) -> int:
    """POST to ``url``, connected to the checked IP ``address`` (not the name resolved
    again); https still verifies the certificate for the name. A redirect is an answer
    (http.client follows none), not a new address to send to."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    connection: http.client.HTTPConnection
    if https:
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(
            host, port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)

    def pinned(target: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        return socket.create_connection((address, target[1]), *args, **kwargs)

    connection._create_connection = pinned  # type: ignore[attr-defined]
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        return int(connection.getresponse().status)
    finally:
        connection.close()


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt; schedules the next when it fails and attempts are left."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return "done"
        delivery.attempts += 1
        code, error = _attempt(delivery)
        delivery.last_status_code, delivery.last_error = code, error[:200]
        fields = ["attempts", "last_status_code", "last_error", "status", "delivered_at"]
        detail: dict[str, Any] = {
            "delivery": delivery.pk,
            "attempt": delivery.attempts,
            "code": code,
        }
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, timezone.now()
            delivery.save(update_fields=fields)
            record(None, Action.API_WEBHOOK_DELIVERED, obj=delivery, **detail)
            return "delivered"
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        delivery.save(update_fields=fields)
        record(None, Action.API_WEBHOOK_FAILED, obj=delivery, outcome=Outcome.REFUSED, **detail)
        if delivery.status == DeliveryStatus.FAILED:
            return "failed"
        later = timezone.now() + BACKOFF[delivery.attempts - 1]
        transaction.on_commit(lambda: deliver_webhook.using(run_after=later).enqueue(delivery_id))
        return "retry"


def _attempt(delivery: WebhookDelivery) -> tuple[int | None, str]:
    endpoint = delivery.endpoint
    if not endpoint.active:
        return None, "inactive"
    try:
        url, address = checked_target(endpoint.url)
    except WebhookRefused as refusal:
        return None, str(refusal)
    body = body_of(delivery)
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Kring-Webhook/1",
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: f"t={stamp},v1={sign(signing_secret(endpoint), stamp, body)}",
        "X-Kring-Delivery": str(delivery.pk),
    }
    try:
        return post(url, body, headers, address=address), ""
    except (OSError, ValueError) as failure:
        return None, type(failure).__name__
