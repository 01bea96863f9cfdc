"""A passkey as the second factor, with Chromium's virtual authenticator: the library's own
script registers and uses it under our strict CSP."""

import re
import time

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from kring.accounts.models import Role
from kring.factories import PASSWORD, UserFactory
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})


def test_a_passkey_added_on_the_security_page_passes_the_second_step(live_server, page, settings):
    # Passkeys are bound to the origin; the test server runs on http://localhost:<port>.
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    assert live_server.url.startswith("http://localhost:")
    _virtual_authenticator(page)
    user = UserFactory(email="coord@kring.example", role=Role.COORDINATOR)
    log_in(page, live_server.url, "coord@kring.example")
    page.wait_for_url(re.compile(r"/voorbereiding/"))

    page.goto(f"{live_server.url}/account/beveiliging/")
    page.get_by_role("button", name="Passkey toevoegen").click()
    deadline = time.monotonic() + 15
    while not WebAuthnCredential.objects.filter(user=user).exists():
        status = page.locator("#passkey-register-status-message")
        assert time.monotonic() < deadline, status.inner_text()
        page.wait_for_timeout(200)

    page.get_by_role("button", name="Uitloggen").click()
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("E-mailadres").fill("coord@kring.example")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/account/tweede-stap/"))
    page.get_by_role("button", name="Doorgaan met passkey").click()
    page.wait_for_url(re.compile(r"/voorbereiding/"))
