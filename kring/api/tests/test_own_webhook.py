"""A referring organisation's system sets, reads and switches off its own webhook."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kring.accounts.testing import VerifiedClient
from kring.api import keys, webhooks
from kring.api.models import Scope, WebhookDelivery, WebhookEndpoint
from kring.api.signing import WebhookRefused
from kring.api.tests.conftest import REFERRAL, bearer
from kring.audit.models import Action, AuditEvent
from kring.cases.domain import decide
from kring.cases.models import Case, Status
from kring.factories import OrganisationFactory

URL = "/api/v1/webhook"


def _put(api_client: Any, secret: str, url: str) -> Any:
    return api_client.put(URL, {"url": url}, content_type="application/json", **bearer(secret))


def test_a_system_sets_its_own_webhook_and_gets_the_secret_once(
    api_client: Any, referral_key: str, organisation: Any, professional: Any, public_dns: None
) -> None:
    answer = _put(api_client, referral_key, "https://hooks.example.org/kring")

    assert answer.status_code == 200
    body = answer.json()
    endpoint = WebhookEndpoint.objects.get(organisation=organisation)
    assert body == {"url": endpoint.url, "active": True, "secret": body["secret"]}
    assert body["secret"] == webhooks.signing_secret(endpoint) and len(body["secret"]) >= 32
    event = AuditEvent.objects.get(action=Action.API_WEBHOOK_SET)
    assert event.actor == professional
    assert event.detail["prefix"] == keys.prefix_of(referral_key)
    read = api_client.get(URL, **bearer(referral_key))
    assert read.status_code == 200
    assert read.json() == {"url": "https://hooks.example.org/kring", "active": True}


def test_an_unsafe_or_broken_address_is_refused_per_field(
    api_client: Any, referral_key: str, organisation: Any, monkeypatch: Any
) -> None:
    from kring.api import signing

    monkeypatch.setattr(signing, "resolve", lambda host: ["10.0.0.5"])
    for url in ("https://intern.example.org/", "http://hooks.example.org/", "https://a\x00b/"):
        answer = _put(api_client, referral_key, url)
        assert answer.status_code == 422, url
        assert list(answer.json()["errors"]) == ["url"]
    assert _put(api_client, referral_key, "https://x.org/" + "a" * 600).status_code == 422
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.API_WEBHOOK_SET).exists()


def test_switched_off_no_more_messages_and_twice_is_once(
    api_client: Any, referral_key: str, organisation: Any, office: Any, public_dns: None
) -> None:
    _put(api_client, referral_key, "https://hooks.example.org/kring")
    reference = api_client.post(
        "/api/v1/referrals", REFERRAL, content_type="application/json", **bearer(referral_key)
    ).json()["reference"]

    for _ in range(2):
        assert api_client.delete(URL, **bearer(referral_key)).status_code == 204
    assert AuditEvent.objects.filter(action=Action.API_WEBHOOK_OFF).count() == 1
    assert api_client.get(URL, **bearer(referral_key)).json()["active"] is False
    decide(Case.objects.get(request__reference=reference), Status.MATCHING, by=office)
    assert not WebhookDelivery.objects.exists()
    # Set again: on, with a new secret.
    assert _put(api_client, referral_key, "https://hooks.example.org/kring").json()["active"]


def test_only_a_referral_key_and_only_for_its_own_organisation(
    api_client: Any, funding_key: str, referral_key: str, organisation: Any, office: Any
) -> None:
    assert api_client.get(URL).status_code == 401
    assert api_client.delete(URL).status_code == 401
    assert api_client.put(URL, {"url": "https://x.org/"}, "application/json").status_code == 401
    assert api_client.get(URL, **bearer(referral_key)).status_code == 404  # none yet
    for call in (
        lambda: api_client.get(URL, **bearer(funding_key)),
        lambda: api_client.delete(URL, **bearer(funding_key)),
        lambda: _put(api_client, funding_key, "https://hooks.example.org/"),
    ):
        assert call().status_code == 403
    other = OrganisationFactory(name="Elders")
    key = keys.find_key(referral_key)
    assert key is not None and key.scope == Scope.REFERRALS
    for change in (
        lambda: webhooks.set_webhook(other, "https://hooks.example.org/", by=office, key=key),
        lambda: webhooks.switch_off(other, by=office, key=key),
        lambda: webhooks.set_webhook(organisation, "https://hooks.example.org/", by=key.acts_for),
    ):
        with pytest.raises(WebhookRefused):
            change()
    assert not WebhookEndpoint.objects.exists()


def test_the_office_switches_a_webhook_off_on_its_page(
    organisation: Any, office: Any, professional: Any, public_dns: None
) -> None:
    endpoint, _secret = webhooks.set_webhook(organisation, "https://hooks.example.org/", by=office)
    button = reverse("koppelingen:webhook_off", args=[endpoint.pk])
    page = _office_client(office).get(reverse("koppelingen:keys")).content.decode()
    assert f'action="{button}"' in page

    client = _office_client(office)
    for _ in range(2):
        assert client.post(button).status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert AuditEvent.objects.filter(action=Action.API_WEBHOOK_OFF, actor=office).count() == 1
    page = client.get(reverse("koppelingen:keys")).content.decode()
    assert f'action="{button}"' not in page and "uitgezet" in page
    assert client.post(reverse("koppelingen:webhook_off", args=[2**63])).status_code == 404
    others = VerifiedClient()
    others.force_login(professional)
    assert others.post(button).status_code == 403


def _office_client(office: Any) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(office)
    return client


def test_the_office_page_has_each_field_id_once(office: Any) -> None:
    page = _office_client(office).get(reverse("koppelingen:keys")).content.decode()
    assert page.count('id="id_organisation"') == 1
    assert page.count('id="webhook_organisation"') == 1
    assert 'for="webhook_url"' in page
