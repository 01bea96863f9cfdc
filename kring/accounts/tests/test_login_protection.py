"""Lockout after five failures per account and address, the same answers for known and
unknown addresses, and a queued, throttled password-reset mail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from kring.audit.models import Action, AuditEvent, Outcome
from kring.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")
KNOWN = "an@kring.example"


def _page(response, email: str = "") -> str:
    """The page without the per-request CSRF tokens and with the typed address blanked."""
    body = response.content.decode()
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", body.replace(email, "ADDRESS") if email else body)


def _try(client, password, email=KNOWN, address="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.fixture(autouse=True)
def _fresh_reset_counts():
    # The reset throttle counts in the cache, which outlives a test's database rollback.
    cache.clear()


@pytest.fixture
def an(db):
    return UserFactory(email=KNOWN)


def test_four_failures_do_not_lock(client, an):
    for _ in range(4):
        assert "horen niet bij elkaar" in _try(client, "fout").content.decode()
    assert _try(client, PASSWORD).status_code == 302
    assert client.session.get("_auth_user_id") == str(an.pk)


def test_five_failures_lock_the_account_from_that_address(client, an):
    for _ in range(5):
        _try(client, "fout")
    locked = _try(client, PASSWORD)
    assert locked.status_code == 429
    assert "Wacht een kwartier" in locked.content.decode()
    assert not client.session.get("_auth_user_id")
    assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED_OUT).exists()
    failures = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, outcome=Outcome.REFUSED)
    assert failures.count() >= 5
    # Another address is not locked out of the same account.
    assert _try(client, PASSWORD, address="10.0.0.2").status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(client, an):
    for _ in range(5):
        _try(client, "fout")
    assert _try(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert _try(client, PASSWORD).status_code == 302


def test_a_lockout_looks_the_same_for_an_unknown_address(client, an):
    nobody = "niemand@kring.example"
    for _ in range(5):
        _try(client, "fout")
        _try(client, "fout", email=nobody)
    known = _try(client, PASSWORD)
    unknown = _try(client, PASSWORD, email=nobody)
    assert known.status_code == unknown.status_code == 429
    assert _page(known, KNOWN) == _page(unknown, nobody)


def test_a_wrong_login_says_the_same_for_known_and_unknown_addresses(client, an):
    nobody = "niemand@kring.example"
    known = _try(client, "fout")
    unknown = _try(client, "fout", email=nobody)
    assert _page(known, KNOWN) == _page(unknown, nobody)
    assert "horen niet bij elkaar" in _page(known)


def test_password_reset_answers_the_same_and_mails_through_the_queue(client, an):
    known = client.post(RESET, {"email": KNOWN}, follow=True)
    unknown = client.post(RESET, {"email": "niemand@kring.example"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _page(known) == _page(unknown)
    # Tests run the queue immediately (conftest); the mail went through the task.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [KNOWN]
    assert "/account/wachtwoord-herstellen/" in mail.outbox[0].body
    rows = AuditEvent.objects.filter(action=Action.PASSWORD_RESET_REQUESTED)
    assert rows.count() == 2


def test_password_reset_is_throttled_per_address(client, an):
    for _ in range(5):
        response = client.post(RESET, {"email": KNOWN})
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    refused = AuditEvent.objects.filter(
        action=Action.PASSWORD_RESET_REQUESTED, outcome=Outcome.REFUSED
    )
    assert refused.count() == 2
