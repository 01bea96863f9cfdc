"""django-rosetta's translator screens under Kring's own templates (kring/templates/rosetta/,
overridden for accessibility, issue 15 §3) and the app's real Content-Security-Policy: the
stylesheet and rosetta's script load, nothing is blocked, each translation field and fuzzy box
has a name, and Tab moves through the fields in page order (no positive tabindex). The axe scan
of these screens is in test_accessibility.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kring.accounts.models import Role
from kring.factories import UserFactory
from kring.tests.browser.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_translate_screen_works_within_the_csp_and_names_its_fields(
    live_server: Any, page: Any
) -> None:
    blocked: list[str] = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    translator = UserFactory(role=Role.TRANSLATOR)
    log_in(page, live_server.url, translator.email)
    page.wait_for_url(lambda url: "/account/" not in url)
    url = reverse("rosetta-form", kwargs={"po_filter": "project", "lang_id": "tr", "idx": 0})
    response = page.goto(f"{live_server.url}{url}?msg_filter=all")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]

    # Kring's stylesheet after rosetta's: the path hint is dark enough.
    assert page.locator('link[href*="kring/rosetta"]').count() == 1
    fields = page.locator("td.translation textarea")
    assert fields.count() > 1
    assert not page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count()

    # Every field and fuzzy box is named by its column and the original text.
    first_row = page.locator("#result_list tbody tr").first
    original = first_row.locator("td.original").inner_text().strip()
    field = first_row.locator("td.translation textarea").first
    name = field.evaluate("e => e.getAttribute('aria-labelledby')")
    assert name and all(page.locator(f"#{part}").count() == 1 for part in name.split())
    assert original
    assert page.get_by_role("checkbox", name="Fuzzy").count() >= fields.count()

    # rosetta.js runs: the select-all box ticks every fuzzy box on the page.
    page.locator("#action-toggle").check()
    assert page.locator("td.c input[type=checkbox]:not(:checked)").count() == 0

    # Tab goes from one translation field to the next one in the page.
    field.focus()
    page.keyboard.press("Tab")  # past the row's fuzzy box
    page.keyboard.press("Tab")
    second = page.locator("td.translation textarea").nth(1)
    assert second.evaluate("e => e === document.activeElement")
    assert not blocked, blocked
