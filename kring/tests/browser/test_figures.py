"""A manager reads the figures on a phone: charts drawn under the CSP, tables, CSV; a
researcher downloads a pseudonymised file after saying what it is for."""

from pathlib import Path

import pytest

from kring.accounts.models import Role
from kring.cases.models import Status
from kring.factories import UserFactory, make_case, make_plan
from kring.stats.models import ResearchExport
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_manager_reads_the_figures_and_downloads_a_table(live_server, page):
    UserFactory(email="regio@kring.example", role=Role.MANAGER, regions=["utrecht"])
    for _ in range(3):
        make_plan(make_case(status=Status.CLOSED), agreements=5)
    make_case(status=Status.STOPPED)
    errors = []

    def console(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, live_server.url, "regio@kring.example")
    page.get_by_role("link", name="Cijfers").click()
    page.wait_for_load_state()
    funnel = page.get_by_test_id("table-funnel")
    assert "75,0%" in funnel.inner_text()  # 3 conferences of 4 concluded
    drawn = page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')]"
        ".every(canvas => Chart.getChart(canvas) !== undefined)"
    )
    assert drawn
    # Nothing refused by the Content-Security-Policy, no script error, nothing missing.
    assert errors == []

    with page.expect_download() as download:
        page.locator("#figuur-funnel ~ p a", has_text="Download als CSV").click()
    first_line = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert first_line.startswith("Uitkomst;Aanvragen")


def test_researcher_states_a_purpose_and_downloads(live_server, page):
    researcher = UserFactory(email="onderzoek@kring.example", role=Role.RESEARCHER)
    case = make_case(status=Status.STOPPED)
    log_in(page, live_server.url, "onderzoek@kring.example")
    page.goto(f"{live_server.url}/cijfers/onderzoek/downloaden/")
    page.get_by_label("Per traject, gepseudonimiseerd").check()
    page.get_by_role("button", name="Downloaden (CSV)").click()
    assert page.get_by_text("Beschrijf waarvoor u de gegevens gebruikt.", exact=True).is_visible()

    page.get_by_label("Per traject, gepseudonimiseerd").check()
    page.get_by_label("Waarvoor gebruikt u deze gegevens?").fill(
        "Promotieonderzoek naar de uitvoering van plannen na drie maanden."
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Downloaden (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "pseudonym" in text.splitlines()[0]
    assert case.request.requester_name not in text
    assert ResearchExport.objects.get().user == researcher
