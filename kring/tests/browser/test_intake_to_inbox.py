"""The first step of the method, end to end in a real browser on a phone-sized screen."""

import re

import pytest

from kring.accounts.models import Role
from kring.factories import UserFactory
from kring.intake.models import Request
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_public_request_lands_in_the_right_managers_inbox(live_server, page):
    UserFactory(email="regio@kring.example", role=Role.MANAGER, regions=["utrecht"])
    page.goto(f"{live_server.url}/aanvraag/")
    page.get_by_label("Ik ben familie").check()
    page.get_by_label("Uw naam").fill("Fatima el Amrani")
    page.get_by_label("Uw e-mailadres").fill("fatima@voorbeeld.nl")
    page.locator("#id_persons-0-name").fill("Samira el Amrani")
    page.locator("#id_persons-0-birth_year").fill("1988")
    page.locator("#id_persons-0-postcode").fill("3511 AB")
    page.get_by_label("Wat is er aan de hand?").fill("Mijn zus kan de zorg niet meer aan.")
    page.get_by_label("Opvoeding en gezin").check()
    page.get_by_label("Ik geef toestemming").check()
    page.get_by_role("button", name="Aanvraag versturen").click()

    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"EK-[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    assert Request.objects.get(reference=reference).region.slug == "utrecht"

    log_in(page, live_server.url, "regio@kring.example")
    page.wait_for_url(re.compile(r"/trajecten/inbox/"))
    page.get_by_role("link", name=reference).click()
    assert page.get_by_test_id("case-status").inner_text() == "Nieuw"
    assert page.get_by_text("Mijn zus kan de zorg niet meer aan.").is_visible()


def test_a_bad_postcode_is_shown_next_to_the_field_and_the_rest_is_kept(live_server, page):
    page.goto(f"{live_server.url}/aanvraag/")
    page.get_by_label("Uw naam").fill("Jan Jansen")
    page.locator("#id_persons-0-name").fill("Piet Jansen")
    page.locator("#id_persons-0-postcode").fill("99999")
    page.get_by_role("button", name="Aanvraag versturen").click()
    error = page.locator("#id_persons-0-postcode_error")
    assert "Vul een Nederlandse postcode in" in error.inner_text()
    assert page.get_by_label("Uw naam").input_value() == "Jan Jansen"
    assert Request.objects.count() == 0
