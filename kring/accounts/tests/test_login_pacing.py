"""Logins do not starve the pages: passwords are checked one at a time per process on a
low-priority thread, at full strength, and a login that finds no place gets a quick 503."""

from __future__ import annotations

import os
import subprocess
import sys
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


def _hold_elsewhere(path: str) -> subprocess.Popen[str]:
    """Another web process on this machine, hashing: it holds the slot file's lock."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
            path,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_the_machine_hashes_at_most_its_slots_at_once(settings, tmp_path) -> None:
    settings.KRING_LOGIN_LOCK_DIR, settings.KRING_LOGIN_HASHERS = str(tmp_path), 2
    first, second = login.slot_paths()
    holder = _hold_elsewhere(first)
    try:
        assert login.try_slot(first) is None  # taken by the other process
        with login.machine_slot():  # this process takes the free one
            assert login.try_slot(second) is None
            assert login.try_slot(first) is None  # both slots busy: a third would wait
        # A process that dies (kill -9) mid-hash frees its slot: the kernel drops the lock.
        holder.kill()
        holder.wait()
        freed = login.try_slot(first)
        assert freed is not None
        os.close(freed)
    finally:
        holder.kill()
        holder.wait()


def test_a_paced_hash_waits_for_a_slot_held_by_another_process(settings, tmp_path) -> None:
    settings.KRING_LOGIN_LOCK_DIR, settings.KRING_LOGIN_HASHERS = str(tmp_path), 1
    settings.PASSWORD_HASHERS = ["kring.accounts.login.PacedPBKDF2PasswordHasher"]
    holder = _hold_elsewhere(login.slot_paths()[0])
    done = threading.Event()

    def hash_one() -> None:
        make_password("x")
        done.set()

    thread = threading.Thread(target=hash_one)
    try:
        thread.start()
        assert not done.wait(0.5)  # waiting for the other process
        holder.kill()
        assert done.wait(10)  # the slot came free: the hash went on
    finally:
        holder.kill()
        holder.wait()
        thread.join()
