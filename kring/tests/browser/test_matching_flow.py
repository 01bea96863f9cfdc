"""A manager offers a case to an explained candidate; the coordinator accepts in their login."""

import re

import pytest

from kring.accounts.models import Role
from kring.cases.models import Case, Status
from kring.coordinators.tests.test_offers import make_profile
from kring.factories import UserFactory, make_case
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_offer_and_accept(live_server, page):
    UserFactory(email="regio@kring.example", role=Role.MANAGER, regions=["utrecht"])
    case = make_case(status=Status.MATCHING)
    profile = make_profile(languages=["nld"])
    profile.user.email = "coord@kring.example"
    profile.user.save()

    log_in(page, live_server.url, "regio@kring.example")
    page.goto(f"{live_server.url}/trajecten/{case.pk}/")
    proposal = page.get_by_test_id("proposal").first
    assert "km" in proposal.inner_text()
    proposal.get_by_role("button", name=re.compile("^Aanbieden aan")).click()
    assert "Aanbod verstuurd" in page.content()

    page.get_by_role("button", name="Uitloggen").click()
    log_in(page, live_server.url, "coord@kring.example")
    page.goto(f"{live_server.url}/coordinatoren/aanbiedingen/")
    page.get_by_role("button", name="Ik neem dit traject aan").click()
    page.wait_for_load_state()
    assert re.search("aangenomen", page.content())
    assert Case.objects.get(pk=case.pk).coordinator == profile.user
