"""Lockout and the idle logout, as a user meets them in the browser.

The first login's enrolment (password, authenticator app, recovery codes) is
``test_login_second_factor.py``; passkeys are ``test_passkey.py``.

The idle logout runs on two clocks: the page's (``static/kring/session.js`` shows the notice and
fetches the page again at the limit) and the server's (``SessionTimeoutMiddleware`` compares the
session's stored activity with the time). The timeouts are whole minutes in the settings, so
the test runs the page's clock forward with Playwright's clock and puts the session's stored
clocks back by the same time, instead of waiting fifteen minutes.
"""

import re
import time
from importlib import import_module

import pytest
from django.conf import settings

from kring.accounts.models import Region, Role
from kring.factories import PASSWORD, UserFactory, make_case
from kring.lib.security import LAST_ACTIVITY, LOGIN_AT
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KNOWN = "regio@kring.example"
UNKNOWN = "niemand@kring.example"
WRONG_LOGIN = "horen niet bij elkaar"
SITUATION = "Mijn zus kan de zorg niet meer aan."


# ---------- Lockout ----------


def _attempt(page, base, email, password):
    """One login through the form; the answer's status code."""
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_response(
        lambda response: response.request.method == "POST" and "/account/inloggen/" in response.url
    ) as answer:
        page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    return answer.value.status


def test_five_wrong_passwords_lock_the_account_and_the_page_does_not_tell_it_exists(
    live_server, page
):
    UserFactory(email=KNOWN, role=Role.MANAGER, regions=["utrecht"])
    base = live_server.url
    for _ in range(4):
        assert _attempt(page, base, KNOWN, "verkeerd-wachtwoord") == 200
        assert WRONG_LOGIN in page.locator("main").inner_text()
    _attempt(page, base, KNOWN, "verkeerd-wachtwoord")

    # The sixth attempt, with the right password, from the same address: refused.
    assert _attempt(page, base, KNOWN, PASSWORD) == 429
    assert page.get_by_role("heading", name="Even wachten").is_visible()
    known_page = page.locator("main").inner_text()
    assert "Wacht een kwartier" in known_page
    assert KNOWN not in known_page
    # Not logged in: the work page asks for the password again.
    page.goto(f"{base}/trajecten/inbox/")
    page.wait_for_url(re.compile(r"/account/inloggen/"))
    assert page.get_by_label("Wachtwoord").is_visible()

    # An address without an account, locked the same way, gets the same page.
    for _ in range(5):
        _attempt(page, base, UNKNOWN, "verkeerd-wachtwoord")
    assert _attempt(page, base, UNKNOWN, PASSWORD) == 429
    assert page.locator("main").inner_text() == known_page


# ---------- The idle logout ----------


def _session_key(page):
    [cookie] = [c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    return cookie["value"]


def _idle_on_the_server(page, minutes):
    """What the server holds when the user last did something ``minutes`` ago."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=_session_key(page))
    back = time.time() - minutes * 60
    store[LAST_ACTIVITY] = back
    store[LOGIN_AT] = min(store[LOGIN_AT], back)
    store.save()


def _stored_activity(page):
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=_session_key(page))
    return store[LAST_ACTIVITY]


def _open_case_page(live_server, page):
    UserFactory(email=KNOWN, role=Role.MANAGER, regions=["utrecht"])
    case = make_case(region=Region.objects.get(slug="utrecht"), situation=SITUATION)
    page.clock.install()  # the page's timers run when the test says so
    log_in(page, live_server.url, KNOWN)
    page.wait_for_url(re.compile(r"/trajecten/inbox/"))
    page.goto(f"{live_server.url}/trajecten/{case.pk}/")
    assert page.get_by_text(SITUATION).is_visible()
    return case


def test_the_notice_comes_before_the_idle_logout_and_the_logout_takes_the_data_off_screen(
    live_server, page
):
    idle, warning = settings.KRING_SESSION_IDLE_MINUTES, settings.KRING_SESSION_WARNING_MINUTES
    case = _open_case_page(live_server, page)
    notice = page.locator("#kring-session")

    page.clock.run_for((warning * 60 - 5) * 1000)
    assert notice.is_hidden()
    page.clock.run_for(10 * 1000)
    assert notice.is_visible()
    assert f"Over {idle - warning} minuten wordt u uitgelogd" in notice.inner_text()
    assert page.get_by_role("button", name="Blijf ingelogd").is_visible()

    # The user walks away: the server's clock passes the limit, then the page's.
    _idle_on_the_server(page, idle + 1)
    page.clock.run_for(((idle - warning) * 60 + 5) * 1000)
    page.wait_for_url(re.compile(r"/account/inloggen/"))
    assert page.get_by_text("U bent uitgelogd omdat u een tijd niets hebt gedaan.").is_visible()
    assert page.get_by_text(SITUATION).count() == 0
    # Logged out for real: the case page asks for the password.
    page.goto(f"{live_server.url}/trajecten/{case.pk}/")
    page.wait_for_url(re.compile(r"/account/inloggen/"))
    assert page.get_by_text(SITUATION).count() == 0


def test_stay_logged_in_counts_as_activity_and_starts_the_wait_again(live_server, page):
    warning = settings.KRING_SESSION_WARNING_MINUTES
    _open_case_page(live_server, page)
    notice = page.locator("#kring-session")
    page.clock.run_for((warning * 60 + 5) * 1000)
    assert notice.is_visible()

    _idle_on_the_server(page, warning)
    before = time.time()
    page.get_by_role("button", name="Blijf ingelogd").click()
    notice.wait_for(state="hidden")
    assert _stored_activity(page) >= before  # the server saw the click as activity
    assert page.get_by_text(SITUATION).is_visible()

    # The page's clocks start again: the notice waits the whole warning time once more.
    page.clock.run_for((warning * 60 - 5) * 1000)
    assert notice.is_hidden()
    page.clock.run_for(10 * 1000)
    assert notice.is_visible()
