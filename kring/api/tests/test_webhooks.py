from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from django.test import override_settings

from kring.api import signing, tasks, webhooks
from kring.api.models import DeliveryStatus, WebhookDelivery
from kring.api.tests.conftest import REFERRAL, bearer
from kring.cases.domain import decide
from kring.cases.models import Case, Status


@pytest.fixture
def public_dns(monkeypatch: Any) -> None:
    monkeypatch.setattr(signing, "resolve", lambda host: ["93.184.216.34"])


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("http://hooks.example.org/kring", ["93.184.216.34"]),
        ("https://localhost/kring", ["127.0.0.1"]),
        ("https://intern.example.org/", ["10.0.0.5"]),
        ("https://metadata.example.org/", ["169.254.169.254"]),
        ("https://v6.example.org/", ["::1"]),
        ("https://user:pw@hooks.example.org/", ["93.184.216.34"]),
        ("ftp://hooks.example.org/", ["93.184.216.34"]),
        ("https://hooks.example.org:99999999/", ["93.184.216.34"]),
    ],
)
def test_unsafe_addresses_are_refused(monkeypatch: Any, url: str, addresses: list[str]) -> None:
    monkeypatch.setattr(signing, "resolve", lambda host: addresses)
    with pytest.raises(signing.WebhookRefused):
        signing.check_url(url)


def test_a_name_that_does_not_resolve_is_refused(monkeypatch: Any) -> None:
    def fail(host: str) -> list[str]:
        raise OSError("no such name")

    monkeypatch.setattr(signing, "resolve", fail)
    with pytest.raises(signing.WebhookRefused):
        signing.check_url("https://nergens.example.org/")


@override_settings(DEBUG=True)
def test_with_debug_a_local_http_receiver_is_allowed(monkeypatch: Any) -> None:
    monkeypatch.setattr(signing, "resolve", lambda host: ["127.0.0.1"])
    assert signing.check_url("http://127.0.0.1:9000/hook") == "http://127.0.0.1:9000/hook"


def _referred_case(api_client: Any, referral_key: str) -> Case:
    reference = api_client.post(
        "/api/v1/referrals", REFERRAL, content_type="application/json", **bearer(referral_key)
    ).json()["reference"]
    return Case.objects.get(request__reference=reference)


def test_a_state_change_sends_a_signed_message(
    api_client: Any,
    referral_key: str,
    organisation: Any,
    office: Any,
    public_dns: None,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    endpoint, secret = webhooks.set_webhook(organisation, "https://hooks.example.org/k", by=office)
    case = _referred_case(api_client, referral_key)
    sent: list[tuple[str, bytes, dict[str, str]]] = []

    def receive(url: str, body: bytes, headers: dict[str, str]) -> int:
        sent.append((url, body, headers))
        return 204

    monkeypatch.setattr(tasks, "post", receive)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decide(case, Status.MATCHING, by=office)
    assert len(callbacks) >= 1
    delivery = WebhookDelivery.objects.get()
    assert tasks.deliver_webhook.call(delivery.pk) == "delivered"
    url, body, headers = sent[0]
    assert url == endpoint.url
    payload = json.loads(body)
    assert payload["status"] == Status.MATCHING and payload["previous_status"] == Status.NEW
    assert payload["reference"] == case.request.reference
    # What the receiver does (docs/api.md): HMAC-SHA256 over "<timestamp>.<body>".
    stamp = headers["X-Kring-Timestamp"]
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert headers["X-Kring-Signature"] == f"t={stamp},v1={expected}"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1


def test_a_failed_delivery_is_retried_then_given_up(
    api_client: Any,
    referral_key: str,
    organisation: Any,
    office: Any,
    public_dns: None,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    webhooks.set_webhook(organisation, "https://hooks.example.org/k", by=office)
    case = _referred_case(api_client, referral_key)
    decide(case, Status.MATCHING, by=office)
    delivery = WebhookDelivery.objects.get()
    monkeypatch.setattr(tasks, "post", lambda url, body, headers: 500)
    with django_capture_on_commit_callbacks(execute=False) as retries:
        assert tasks.deliver_webhook.call(delivery.pk) == "retry"
    assert len(retries) == 1  # the next attempt, scheduled later
    for _ in range(tasks.MAX_ATTEMPTS - 2):
        assert tasks.deliver_webhook.call(delivery.pk) == "retry"
    assert tasks.deliver_webhook.call(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == tasks.MAX_ATTEMPTS and delivery.last_status_code == 500


def test_a_referral_without_a_webhook_or_not_from_the_api_sends_nothing(
    api_client: Any, referral_key: str, office: Any
) -> None:
    case = _referred_case(api_client, referral_key)
    decide(case, Status.MATCHING, by=office)
    assert not WebhookDelivery.objects.exists()


def test_the_secret_is_not_stored_and_changes_with_a_new_address(
    organisation: Any, office: Any, public_dns: None
) -> None:
    endpoint, first = webhooks.set_webhook(organisation, "https://hooks.example.org/a", by=office)
    assert first not in json.dumps(list(type(endpoint).objects.values()), default=str)
    _endpoint, second = webhooks.set_webhook(organisation, "https://hooks.example.org/b", by=office)
    assert first != second
