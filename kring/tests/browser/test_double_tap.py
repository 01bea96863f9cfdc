"""A coordinator on a phone taps "Uren opslaan" twice in a row: one hour line, paid once."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kring.accounts.models import Role
from kring.cases.models import Status
from kring.factories import UserFactory, make_case
from kring.money.models import Line, Rate
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_double_tap_on_save_records_the_hours_once(live_server, page):
    Rate.objects.create(
        starts_on=timezone.localdate() - timedelta(days=400),
        hourly_fee=Decimal("45.00"),
        km_allowance=Decimal("0.23"),
        expense_cap=Decimal("250.00"),
    )
    coordinator = UserFactory(email="uren@kring.example", role=Role.COORDINATOR)
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)
    log_in(page, live_server.url, "uren@kring.example")
    page.wait_for_url(re.compile(r"/voorbereiding/mijn-trajecten/"))

    posts: list[str] = []

    def note_post(request) -> None:
        if request.method == "POST":
            posts.append(request.url)

    page.on("request", note_post)
    page.goto(f"{live_server.url}/geld/traject/{case.pk}/")
    page.locator("#id_hours").fill("1,5")
    page.get_by_role("button", name="Uren opslaan").dblclick()
    page.wait_for_load_state()
    page.get_by_role("heading", name="Regels").wait_for()
    assert Line.objects.filter(case=case).count() == 1
    assert len(posts) == 1
    # The page itself lets a form go once (kring/static/kring/forms.js): a second submit of the
    # same form while the first is on its way is stopped before it is sent.
    stopped = page.evaluate(
        """() => {
            // The expense form: the hours form is used below.
            const form = document.querySelectorAll("input[name=once]")[1].form;
            return [1, 2].map(() => {
                const submit = new Event("submit", {bubbles: true, cancelable: true});
                form.dispatchEvent(submit);
                return submit.defaultPrevented;
            });
        }"""
    )
    assert stopped == [False, True]
    # The next entry comes from a fresh form: a second line.
    page.locator("#id_hours").fill("2")
    page.get_by_role("button", name="Uren opslaan").click()
    page.wait_for_load_state()
    page.get_by_role("heading", name="Regels").wait_for()
    assert Line.objects.filter(case=case).count() == 2
