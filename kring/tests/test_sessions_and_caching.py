"""Sessions that end (idle 15 minutes, at most 8 hours, a new id at login) and pages that
no browser or proxy keeps (Cache-Control: no-store)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse

from kring.lib.security import LAST_ACTIVITY, LOGIN_AT, NoStoreMiddleware

pytestmark = pytest.mark.django_db

INBOX = reverse("cases:inbox")
LOGIN = reverse("accounts:login")


def _set_clocks(client: Any, *, idle: float = 0, since_login: float = 0) -> None:
    session = client.session
    session[LAST_ACTIVITY] = time.time() - idle
    session[LOGIN_AT] = time.time() - since_login
    session.save()


def test_a_session_idle_for_fifteen_minutes_is_logged_out_with_a_dutch_message(
    client: Any, manager: Any
) -> None:
    client.force_login(manager)
    assert client.get(INBOX).status_code == 200
    _set_clocks(client, idle=15 * 60 + 1)
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    login_page = client.get(response["Location"]).content.decode()
    assert "U bent uitgelogd omdat u een tijd niets hebt gedaan" in login_page
    assert client.get(INBOX).status_code == 302  # the session is really gone


def test_fourteen_idle_minutes_keep_the_session(client: Any, manager: Any) -> None:
    client.force_login(manager)
    _set_clocks(client, idle=14 * 60)
    assert client.get(INBOX).status_code == 200
    assert client.session[LAST_ACTIVITY] > time.time() - 60  # the request counted


def test_eight_hours_after_login_end_the_session_however_busy(client: Any, manager: Any) -> None:
    client.force_login(manager)
    _set_clocks(client, idle=10, since_login=8 * 3600 + 1)
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_session_without_clocks_counts_from_now(client: Any, manager: Any) -> None:
    client.force_login(manager)
    session = client.session
    session.pop(LAST_ACTIVITY, None)
    session.pop(LOGIN_AT, None)
    session.save()
    assert client.get(INBOX).status_code == 200
    assert {LAST_ACTIVITY, LOGIN_AT} <= set(client.session.keys())


def test_logging_in_gives_a_new_session_id_and_restarts_the_clocks(manager: Any) -> None:
    manager.set_password("een-lang-wachtwoord-voor-de-test")
    manager.save()
    client = Client()
    client.get(LOGIN)
    session = client.session
    session[LOGIN_AT] = time.time() - 7 * 3600  # left from before, in the same browser
    session.save()
    before = session.session_key
    response = client.post(
        LOGIN, {"username": manager.email, "password": "een-lang-wachtwoord-voor-de-test"}
    )
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[LOGIN_AT] > time.time() - 60


def test_keep_alive_counts_as_activity(client: Any, manager: Any) -> None:
    client.force_login(manager)
    _set_clocks(client, idle=13 * 60)
    assert client.post(reverse("keep_alive")).status_code == 204
    assert client.session[LAST_ACTIVITY] > time.time() - 60
    assert client.get(reverse("keep_alive")).status_code == 405


def test_keep_alive_does_not_revive_an_expired_session(client: Any, manager: Any) -> None:
    client.force_login(manager)
    _set_clocks(client, idle=16 * 60)
    assert client.post(reverse("keep_alive")).status_code == 302


def test_pages_carry_the_warning_script_only_when_logged_in(client: Any, manager: Any) -> None:
    assert "kring/session.js" not in client.get(reverse("home")).content.decode()
    client.force_login(manager)
    page = client.get(INBOX).content.decode()
    assert "kring/session.js" in page
    assert 'data-warn-after="780"' in page and 'data-idle-after="900"' in page
    assert "Blijf ingelogd" in page
    assert "<script>" not in page  # the strict CSP allows no inline script


def test_every_page_with_personal_data_says_no_store(client: Any, manager: Any) -> None:
    # Anonymous: the public form (it comes back with what was typed) and a personal link.
    assert client.get(reverse("intake:public_request"))["Cache-Control"] == "no-store"
    family = client.get(reverse("plans:family_plan", args=["not-a-real-token"]))
    assert family["Cache-Control"] == "no-store"
    client.force_login(manager)
    assert client.get(INBOX)["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(settings: Any) -> None:
    def cached(request: HttpRequest) -> HttpResponse:
        response = HttpResponse()
        response["Cache-Control"] = "max-age=31536000"
        return response

    request = HttpRequest()
    request.path = f"/{settings.STATIC_URL.strip('/')}/kring/kring.css"
    assert NoStoreMiddleware(cached)(request)["Cache-Control"] == "max-age=31536000"
    request.path = "/trajecten/inbox/"
    assert NoStoreMiddleware(cached)(request)["Cache-Control"] == "no-store"
