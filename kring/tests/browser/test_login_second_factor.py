"""Logging in for the first time on a phone: password, set up the app, recovery codes."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from kring.accounts.models import Role
from kring.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_first_login_sets_up_the_app_and_shows_recovery_codes(live_server, page):
    UserFactory(email="regio@kring.example", role=Role.MANAGER, regions=["utrecht"])
    page.goto(f"{live_server.url}/trajecten/inbox/")
    page.get_by_label("E-mailadres").fill("regio@kring.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url(re.compile(r"/account/tweede-stap/instellen/"))
    assert page.get_by_role("img", name="QR-code voor uw authenticator-app").is_visible()
    secret = page.locator(".kring-secret").inner_text().replace(" ", "")
    # What the phone's app computes from the key it was given.
    code = f"{TOTP(b32decode(secret)).token():06d}"
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Bevestigen").click()

    assert page.get_by_role("heading", name="Uw herstelcodes").is_visible()
    assert page.locator(".kring-recovery-codes li").count() == 10
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_url(re.compile(r"/trajecten/inbox/"))
