from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from django.test import override_settings
from django.urls import reverse

from kring.accounts.testing import VerifiedClient
from kring.api import signing, tasks, webhooks
from kring.api.models import DeliveryStatus, WebhookDelivery
from kring.api.tests.conftest import REFERRAL, bearer
from kring.audit.models import Action, AuditEvent
from kring.cases.domain import decide
from kring.cases.models import Case, Status
from kring.tests.test_query_counts import assert_same_queries_for_1_and_20_rows


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

    def receive(url: str, body: bytes, headers: dict[str, str], **pinned: str) -> int:
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
    monkeypatch.setattr(tasks, "post", lambda url, body, headers, **pinned: 500)
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


def _failed_delivery(api_client: Any, referral_key: str, organisation: Any, office: Any) -> Any:
    """A message walked through every attempt to failed (the receiver answers 500)."""
    webhooks.set_webhook(organisation, "https://hooks.example.org/k", by=office)
    decide(_referred_case(api_client, referral_key), Status.MATCHING, by=office)
    delivery = WebhookDelivery.objects.get()
    for _ in range(tasks.MAX_ATTEMPTS):
        tasks.deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    return delivery


def test_the_office_sees_the_messages_and_sends_a_failed_one_again(
    api_client: Any,
    referral_key: str,
    organisation: Any,
    office: Any,
    public_dns: None,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(tasks, "post", lambda url, body, headers, **pinned: 500)
    delivery = _failed_delivery(api_client, referral_key, organisation, office)
    client = VerifiedClient()
    client.force_login(office)
    page = client.get(reverse("koppelingen:keys")).content.decode()
    assert delivery.request.reference in page and "HTTP 500" in page
    assert "Mislukt" in page and "Opnieuw versturen" in page

    resend_url = reverse("koppelingen:resend", args=[delivery.pk])
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        response = client.post(resend_url)
    assert response.status_code == 302 and len(enqueued) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    assert AuditEvent.objects.filter(action=Action.API_WEBHOOK_RESENT, actor=office).count() == 1

    # A double click: the second finds it waiting, nothing enqueued twice.
    with django_capture_on_commit_callbacks(execute=False) as again:
        page = client.post(resend_url, follow=True).content.decode()
    assert not again and "niet mislukt" in page
    monkeypatch.setattr(tasks, "post", lambda url, body, headers, **pinned: 204)
    assert tasks.deliver_webhook.call(delivery.pk) == "delivered"


def test_only_the_office_resends_and_an_unknown_message_is_a_404(
    api_client: Any,
    referral_key: str,
    organisation: Any,
    office: Any,
    professional: Any,
    public_dns: None,
    monkeypatch: Any,
) -> None:
    monkeypatch.setattr(tasks, "post", lambda url, body, headers, **pinned: 500)
    delivery = _failed_delivery(api_client, referral_key, organisation, office)
    client = VerifiedClient()
    client.force_login(professional)
    assert client.post(reverse("koppelingen:resend", args=[delivery.pk])).status_code == 403
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.resend(delivery, by=professional)
    client.force_login(office)
    for pk in (delivery.pk + 1000, 2**63):
        response = client.post(f"/koppelingen/berichten/{pk}/opnieuw/")
        assert response.status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_the_messages_list_costs_no_query_per_message(
    api_client: Any, referral_key: str, organisation: Any, office: Any, public_dns: None
) -> None:
    webhooks.set_webhook(organisation, "https://hooks.example.org/k", by=office)

    def add_row(number: int) -> str:
        case = _referred_case(api_client, referral_key)
        decide(case, Status.MATCHING, by=office)
        return case.request.reference

    client = VerifiedClient()
    client.force_login(office)
    assert_same_queries_for_1_and_20_rows(client, reverse("koppelingen:keys"), add_row)


class _Receiver(BaseHTTPRequestHandler):
    """A receiving system on this machine: keeps what it got, answers ``answer``."""

    got: ClassVar[list[tuple[str, str, bytes]]] = []
    answer: ClassVar[int] = 204

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.got.append((self.path, self.headers["Host"], body))
        self.send_response(self.answer)
        self.send_header("Location", "http://127.0.0.1:9/elders")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def receiver() -> Any:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Receiver.got.clear()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@override_settings(DEBUG=True)  # http and a local receiver allowed, as in development
def test_a_message_goes_to_the_checked_address_not_a_new_lookup(
    api_client: Any,
    referral_key: str,
    organisation: Any,
    office: Any,
    monkeypatch: Any,
    receiver: int,
) -> None:
    """The name does not exist in real DNS: only the checked address reaches the receiver,
    with the name in the Host header. A redirect is an answer, not followed."""
    monkeypatch.setattr(signing, "resolve", lambda host: ["127.0.0.1"])
    url = f"http://hooks.kring-test.invalid:{receiver}/k?bron=kring"
    webhooks.set_webhook(organisation, url, by=office)
    decide(_referred_case(api_client, referral_key), Status.MATCHING, by=office)
    delivery = WebhookDelivery.objects.get()
    assert tasks.deliver_webhook.call(delivery.pk) == "delivered"
    path, host, body = _Receiver.got[0]
    assert path == "/k?bron=kring" and host == f"hooks.kring-test.invalid:{receiver}"
    assert json.loads(body)["status"] == Status.MATCHING

    _Receiver.answer = 302
    try:
        decide(delivery.request.case, Status.REJECTED, by=office, note="Past niet.")
        moved = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
        assert tasks.deliver_webhook.call(moved.pk) == "retry"
    finally:
        _Receiver.answer = 204
    moved.refresh_from_db()
    assert moved.last_status_code == 302 and len(_Receiver.got) == 2  # nothing at /elders
