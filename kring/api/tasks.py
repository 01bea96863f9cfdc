"""Sending a webhook message, by the task worker after the state change is committed.

A failed attempt (no answer, a refused address, anything but 2xx) is tried again after
1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours; after the sixth attempt the delivery
is marked failed and logged. Each attempt re-checks the address (a name may point elsewhere
by now) and follows no redirect.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from kring.api.models import DeliveryStatus, WebhookDelivery
from kring.api.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookRefused,
    body_of,
    check_url,
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer, not a new address to send to


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST and return the status code (a function of its own so tests can stand in)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


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
        url = check_url(endpoint.url)
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
        return post(url, body, headers), ""
    except (OSError, ValueError) as failure:
        return None, type(failure).__name__
