"""Issue 15 §2: the conference's attendance table fits a phone (360 px) without scrolling."""

import pytest

from kring.accounts.models import Role
from kring.cases.models import Status
from kring.factories import UserFactory, a_case
from kring.preparation.models import Category, InvitationStatus, Participant
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_attendance_table_fits_a_phone(live_server, browser):
    coordinator = UserFactory(email="coord@kring.example", role=Role.COORDINATOR)
    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    for name in ("Fatima el Amrani-Bouzidi", "Oma Truus van den Heuvel", "Buurman Kees"):
        Participant.objects.create(
            case=case, name=name, category=Category.FAMILY, status=InvitationStatus.COMES
        )
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server.url, "coord@kring.example")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/plan/{case.pk}/conferentie/")
    grid = page.get_by_test_id("attendance-grid")
    grid.wait_for()
    wrap_fits = grid.evaluate(
        "table => table.parentElement.scrollWidth <= table.parentElement.clientWidth"
    )
    assert wrap_fits
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Every checkbox is on screen, the last phase's too.
    last = page.locator("[data-testid=attendance-grid] input[type=checkbox]").last
    box = last.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    context.close()
