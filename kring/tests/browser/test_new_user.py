"""Issue 15 §2 in a real browser: the searchable language choice (with and without
JavaScript) and the error summary that takes the focus."""

import re

import pytest

from kring.intake.models import Request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _fill_the_rest(page):
    page.get_by_label("Ik ben familie").check()
    page.get_by_label("Uw naam").fill("Fatima el Amrani")
    page.get_by_label("Uw e-mailadres").fill("fatima@voorbeeld.nl")
    page.locator("#id_persons-0-name").fill("Samira el Amrani")
    page.locator("#id_persons-0-postcode").fill("3511 AB")
    page.get_by_label("Wat is er aan de hand?").fill("Mijn zus kan de zorg niet meer aan.")
    page.get_by_label("Ik geef toestemming").check()


def _wished_codes():
    return set(Request.objects.get().wish_languages.values_list("code", flat=True))


def test_typing_finds_the_language_family_and_picks_every_variety(live_server, page):
    blocked = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto(f"{live_server.url}/aanvraag/")
    _fill_the_rest(page)
    search = page.locator("#id_wish_languages-ts-control")
    search.click()
    search.fill("arab")
    page.locator(".ts-dropdown .option", has_text="Arabisch, alle varianten").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.get_by_test_id("reference").wait_for()
    assert {"ary", "arz", "apc", "arb"} <= _wished_codes()
    assert not blocked, blocked


def test_without_javascript_the_plain_list_works(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/aanvraag/")
    _fill_the_rest(page)
    page.locator("#id_wish_languages").select_option(["familie-ara", "tir"])
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.get_by_test_id("reference").wait_for()
    assert {"ary", "tir"} <= _wished_codes()
    context.close()


def test_the_error_summary_takes_the_focus_and_names_the_main_person(live_server, page):
    page.goto(f"{live_server.url}/aanvraag/")
    page.get_by_label("Uw naam").fill("Jan Jansen")
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.wait_for_url(re.compile(r"/aanvraag/"))
    summary = page.locator("#kring-form-errors")
    assert summary.evaluate("element => element === document.activeElement")
    assert "Vul de naam in van de persoon om wie het gaat." in summary.inner_text()
    assert "Verstuur minimaal" not in page.content()
