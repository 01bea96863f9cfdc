"""Checking a webhook's address and signing its messages: shared by the domain (webhooks.py)
and the task that sends (tasks.py). See webhooks.py for the rules."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from kring.api.models import WebhookDelivery, WebhookEndpoint
from kring.lib.errors import DomainError

SIGNATURE_HEADER = "X-Kring-Signature"
TIMESTAMP_HEADER = "X-Kring-Timestamp"


class WebhookRefused(DomainError):
    pass


def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (a function of its own so tests can stand in)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def check_url(url: str) -> str:
    """The address, if Kring may send to it; else ``WebhookRefused`` with the reason."""
    return checked_target(url)[0]


def checked_target(url: str) -> tuple[str, str]:
    """The address and the one IP address to send to, both checked (else ``WebhookRefused``
    with the reason). The message goes to that IP address (``tasks.post``), not to whatever
    the name resolves to a moment later: a name that flips to an internal address between the
    check and the connection (DNS rebinding) reaches nothing inside."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018  (a port that is no number raises here)
    except ValueError as error:
        raise WebhookRefused(_("Dit is geen geldig adres.")) from error
    allowed = {"https", "http"} if settings.DEBUG else {"https"}
    if parts.scheme not in allowed:
        raise WebhookRefused(_("Het adres moet met https:// beginnen."))
    if not host or parts.username or parts.password or "\x00" in url or len(url) > 500:
        raise WebhookRefused(_("Dit is geen geldig adres."))
    try:
        addresses = resolve(host)
    except (OSError, UnicodeError) as error:
        raise WebhookRefused(_("Dit adres bestaat niet (de naam is onbekend).")) from error
    if not addresses:
        raise WebhookRefused(_("Dit adres bestaat niet (de naam is onbekend)."))
    if not settings.DEBUG:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise WebhookRefused(
                    _("Dit adres wijst naar een intern of privé netwerk; dat mag niet.")
                )
    return url.strip(), addresses[0]


def _server_key() -> str:
    return getattr(settings, "KRING_WEBHOOK_KEY", "") or settings.SECRET_KEY


def signing_secret(endpoint: WebhookEndpoint) -> str:
    digest = salted_hmac(
        "kring.api.webhook", endpoint.nonce, secret=_server_key(), algorithm="sha256"
    )
    return f"whsec_{digest.hexdigest()}"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def body_of(delivery: WebhookDelivery) -> bytes:
    data = {**delivery.payload, "delivery": delivery.pk}
    return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
