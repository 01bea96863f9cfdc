"""A coordinator prepares their case on a phone: first visit, the circle grows, the question."""

import re

import pytest

from kring.accounts.models import Role
from kring.cases.models import Case, Status
from kring.factories import UserFactory, make_case
from kring.preparation.models import Participant, Preparation
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_coordinator_prepares_on_a_phone(live_server, page):
    coordinator = UserFactory(email="coord@kring.example", role=Role.COORDINATOR)
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)

    log_in(page, live_server.url, "coord@kring.example")
    page.wait_for_url(re.compile(r"/voorbereiding/mijn-trajecten/"))
    main_person = case.request.main_persons.first().name
    page.get_by_role("link", name=main_person).first.click()

    page.get_by_role("button", name="Eerste bezoek is geweest").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).first_visit_at is not None

    page.goto(f"{live_server.url}/voorbereiding/{case.pk}/kring/")
    page.get_by_role("link", name="Iemand toevoegen").click()
    page.locator("#id_name").fill("Oma Ans")
    # An age out of range: Kring's Dutch message by the field, not the browser's own bubble.
    page.locator("#id_age").fill("130")
    page.get_by_role("button", name="Toevoegen aan de kring").click()
    page.wait_for_load_state()
    assert page.locator("#id_age_error").inner_text() == "Vul een leeftijd tussen 0 en 120 in."
    assert page.locator("#id_name").input_value() == "Oma Ans"
    page.locator("#id_age").fill("")
    page.locator("#id_relation").fill("oma")
    page.locator("#id_category").select_option("family")
    page.get_by_role("button", name="Toevoegen aan de kring").click()
    page.wait_for_load_state()
    assert Participant.objects.filter(case=case, name="Oma Ans").exists()
    assert page.locator("img[src$='kring.svg']").is_visible()

    page.goto(f"{live_server.url}/voorbereiding/{case.pk}/vraag/")
    page.locator("#id_question").fill("Zijn de kinderen veilig?")
    page.get_by_role("button", name="Opslaan als concept").click()
    page.wait_for_load_state()
    assert "open vraag" in page.content().lower() or "ja of nee" in page.content().lower()
    page.locator("#id_question").fill("Wat is er nodig zodat de kinderen veilig thuis wonen?")
    page.get_by_role("button", name="Opslaan: de vraag is afgesproken").click()
    page.wait_for_load_state()
    assert Preparation.objects.get(case=case).question_agreed_at is not None
    # Phone-sized: nothing forces the page wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
