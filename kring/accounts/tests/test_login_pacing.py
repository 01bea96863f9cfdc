"""Logins do not starve the pages: passwords are checked one at a time per process on a
low-priority thread, at full strength, and a login that finds no place gets a quick 503."""

from __future__ import annotations

import os
import threading

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.urls import reverse

from kring.accounts import login
from kring.audit.models import Action, AuditEvent
from kring.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def test_the_paced_hasher_is_djangos_pbkdf2_at_full_strength(settings) -> None:
    # The tests hash with MD5 for speed (conftest); here production's list.
    settings.PASSWORD_HASHERS = ["kring.accounts.login.PacedPBKDF2PasswordHasher"]
    paced, plain = login.PacedPBKDF2PasswordHasher(), PBKDF2PasswordHasher()
    assert (paced.algorithm, paced.iterations) == (plain.algorithm, plain.iterations)
    assert paced.encode("geheim-wachtwoord", "zout1234") == plain.encode(
        "geheim-wachtwoord", "zout1234"
    )
    # A password stored before keeps working, and new ones are made by the paced hasher.
    assert check_password("geheim-wachtwoord", plain.encode("geheim-wachtwoord", "zout1234"))
    assert make_password("x").startswith("pbkdf2_sha256$")


def test_the_hashing_runs_on_its_own_thread_at_a_lower_priority() -> None:
    seen: list[tuple[str, int]] = []

    def where() -> None:
        seen.append((threading.current_thread().name, os.getpriority(os.PRIO_PROCESS, 0)))

    login._paced.run(where)
    name, niceness = seen[0]
    assert name.startswith("kring-password")
    assert name != threading.current_thread().name
    # PRIO_PROCESS 0 is the calling thread on Linux: the password thread, not this one.
    assert niceness > os.getpriority(os.PRIO_PROCESS, 0)


def test_a_login_without_a_place_is_asked_to_come_back(client, settings) -> None:
    user = UserFactory(email="an@kring.example")
    places = login._paced.place()
    taken = [places.acquire(blocking=False) for _ in range(settings.KRING_LOGIN_CHECKS)]
    assert all(taken)
    try:
        response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    finally:
        for _ in taken:
            places.release()
    assert response.status_code == 503
    assert response["Retry-After"] == str(login.LOGIN_RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "Er loggen nu veel mensen tegelijk in" in page
    assert 'value="an@kring.example"' in page  # what was typed is kept
    # Nothing was checked, so nothing counts against the account.
    assert not AccessAttempt.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.LOGIN_FAILED).exists()
    # With a place free again the same login goes through.
    again = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert again.status_code == 302
