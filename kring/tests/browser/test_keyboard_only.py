"""Keyboard only (issue 15 §3): the public request form, the date poll and the plan editor
are done without a mouse: Tab and Shift+Tab to move, Space to tick, the arrow keys in a group
of radio buttons or a drop-down, Enter to send, and typing. Locators only say which field
the test waits for; focus gets there by the keyboard alone. Every element that takes the
focus on the way must show it (an outline or a ring), and focus must reach each field from
the top of the page, in order.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role, User
from kring.accounts.testing import confirmed_totp_device
from kring.cases.models import Status
from kring.factories import PASSWORD, UserFactory, a_case, make_plan
from kring.intake.models import Request
from kring.plans.models import Agreement
from kring.preparation.logistics.mailing import issue_poll_link
from kring.preparation.models import Category, InvitationStatus, Participant, PollResponse, PollSlot
from kring.tests.browser.helpers import code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What has the focus, described for a failure message, and whether it shows it.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    // The element's outline or ring; a composite widget (a searchable select) may draw it on
    // the box around its text field, so an outline or the focus yellow up to three levels up
    // counts too.
    const shows = (el, own) => {
        const s = getComputedStyle(el);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        const ring = s.boxShadow && s.boxShadow !== 'none'
                     && (own || s.boxShadow.includes('rgb(255, 221, 0)'));
        return outline || ring;
    };
    let visible = shows(e, true);
    for (let up = e.parentElement, i = 0; !visible && up && i < 3; up = up.parentElement, i++) {
        visible = shows(up, false);
    }
    const name = (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '');
    return {what: e.tagName.toLowerCase() + name + ' ' + (e.innerText || '').trim().slice(0, 40),
            visible: visible};
}"""


class Keyboard:
    """Tab through a page as a keyboard user does, noting every stop without a visible focus."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.unseen: list[str] = []

    def tab_to(self, selector: str, *, back: bool = False, limit: int = 150) -> None:
        """Press Tab (Shift+Tab with ``back``) until the element ``selector`` has the focus."""
        stops = []
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue
            stops.append(focused["what"])
            if not focused["visible"] and focused["what"] not in self.unseen:
                self.unseen.append(focused["what"])
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"the keyboard never reached {selector}; it went: {stops}")

    def type(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def press(self, selector: str, key: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press(key)

    def send(self, selector: str) -> None:
        """Tab to the button ``selector`` and press Enter; wait for the next page."""
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def assert_focus_was_always_visible(self) -> None:
        assert not self.unseen, f"focus not visible on: {self.unseen}"


def log_in_by_keyboard(page: Any, base: str, user: User) -> None:
    device = confirmed_totp_device(user)
    page.goto(f"{base}{reverse('accounts:login')}")
    keys = Keyboard(page)
    keys.type("#id_username", user.email)
    keys.type("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    keys.type("#id_code", code_for(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/account/" not in page.url
    keys.assert_focus_was_always_visible()


def test_the_public_request_form_by_keyboard(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}{reverse('intake:public_request')}")
    keys = Keyboard(page)
    keys.tab_to("#id_requester_kind_0")
    page.keyboard.press("ArrowDown")  # the next radio button: a family member asks
    keys.type("#id_requester_name", "Fatma Yıldız")
    keys.type("#id_requester_email", "fatma@voorbeeld.nl")
    keys.type("#id_persons-0-name", "Deniz Yıldız")
    keys.type("#id_persons-0-postcode", "3511 AB")
    keys.type("#id_situation", "Het gaat niet goed thuis sinds de verhuizing.")
    keys.press("#id_life_domains_2", "Space")  # housing
    keys.type("#id_question", "Wat is er nodig zodat Deniz weer naar school gaat?")
    keys.press("#id_consent", "Space")
    # Back up to the question to add a word (Shift+Tab), then on to sending.
    keys.tab_to("#id_question", back=True)
    page.keyboard.press("End")
    page.keyboard.type(" En wie helpt daarbij?")
    keys.send("form.kring-form button[type=submit]")
    assert page.url.endswith(reverse("intake:received"))
    request = Request.objects.get(requester_name="Fatma Yıldız")
    assert request.requester_kind == "family"
    assert request.question.endswith("En wie helpt daarbij?")
    assert request.life_domains == ["housing"]
    keys.assert_focus_was_always_visible()


def test_the_date_poll_by_keyboard(live_server: Any, page: Any) -> None:
    case = a_case(at=Status.PREPARATION)
    aunt = Participant.objects.create(
        case=case,
        name="Lies Bakker",
        relation="tante",
        category=Category.FAMILY,
        status=InvitationStatus.COMES,
    )
    soon = timezone.now() + timedelta(days=20)
    first, second = (
        PollSlot.objects.create(case=case, starts_at=soon + timedelta(days=days)) for days in (0, 2)
    )
    token = issue_poll_link(aunt, by=None, channel="test")
    page.goto(f"{live_server.url}{reverse('preparation:poll_answer', args=[token])}")
    keys = Keyboard(page)
    keys.press(f"#id_slot_{first.pk}_0", "Space")  # can come
    keys.tab_to(f"#id_slot_{second.pk}_0")
    page.keyboard.press("ArrowDown")  # maybe
    page.keyboard.press("ArrowDown")  # cannot
    # Back to the first date (Shift+Tab) and change it to 'maybe'.
    keys.tab_to(f"#id_slot_{first.pk}_0", back=True)
    page.keyboard.press("ArrowDown")
    keys.send("form.kring-form button[type=submit]")
    answers = dict(PollResponse.objects.filter(participant=aunt).values_list("slot", "answer"))
    assert answers == {first.pk: "maybe", second.pk: "no"}
    keys.assert_focus_was_always_visible()


def test_an_agreement_added_in_the_plan_editor_by_keyboard(live_server: Any, page: Any) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    case = a_case(at=Status.HELD, coordinator=coordinator)
    plan = make_plan(case, agreements=2)
    log_in_by_keyboard(page, live_server.url, coordinator)
    page.goto(f"{live_server.url}{reverse('plans:plan_edit', args=[case.pk])}")
    keys = Keyboard(page)
    keys.type("#id_what", "Oma haalt de kinderen op woensdag op van school.")
    keys.press("#id_who_participants_0", "Space")
    keys.type("#id_when", "elke woensdag")
    keys.press("#id_life_domain", "ArrowDown")  # the first life domain in the list
    keys.press("#id_professional_help", "Space")
    keys.send("form[action$='/afspraken/nieuw/'] button[type=submit]")
    added = Agreement.objects.get(plan=plan, what__startswith="Oma haalt")
    assert added.when == "elke woensdag"
    assert added.life_domain
    assert added.professional_help
    assert added.who_participants.exists()
    keys.assert_focus_was_always_visible()
