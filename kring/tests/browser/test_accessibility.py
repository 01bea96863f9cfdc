"""Accessibility and phones as gates (issue 15 §3): every page of every role passes axe-core's
WCAG 2.1 A and AA rules, and no page of the coordinator, the family or the public forms
scrolls sideways on a 360 px wide phone.

The page list is the URL configuration: ``kring/tests/test_access.py`` walks every named URL
and its ``TABLE`` says which role opens which page (GET, 200); its ``build_world`` makes the
objects they are built from, walking the real course. Each role gets one browser context,
logged in once through the login form and the second step, and scans each of its pages
once. Buttons (POST-only URLs) are not pages; URLs that answer a file (PDF, CSV, JSON,
JavaScript) are listed in ``FILES`` and checked to answer no HTML, so a page that stops
answering HTML, or a new file download, is noticed here.

The coordinator and anonymous visitors (the public forms and the family's personal links:
the plan, the date poll, the professional's invitation) browse at 360 px and every page of
theirs must fit; the other roles work at a desk and are scanned at 1280 px.

axe-core is vendored in ``vendor/axe.min.js`` (MPL-2.0; see ``vendor/README.md``) and run
through the browser's developer protocol (``page.evaluate``), which the page's
Content-Security-Policy does not govern: the pages keep their real policy, so the scan also
reports what a visitor's browser would complain about on each page: a script or style the
policy refuses, a JavaScript error, a part of the page that does not load, a value the
browser cannot read (a Dutch date in a date picker shows an empty field).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from kring.accounts.models import Role
from kring.tests.browser.helpers import log_in
from kring.tests.test_access import ADMIN, ANON, GET, ROLES, ROUTES, TABLE, World, build_world
from kring.tests.test_access import _url as url_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE, DESK = 360, 1280
# Roles whose every page must fit a phone: coordinators work on the road; anonymous visitors
# are the families (their personal links) and the public forms.
ON_A_PHONE = {ANON, Role.COORDINATOR}

NOT_A_PAGE = (
    "a URL that answers a file belongs in FILES (kring/tests/browser/test_accessibility.py)"
)

# Pages that answer a file, not HTML: skipped by the scan, their content type checked.
FILES = {
    "api:openapi-json": "application/json",
    "health_live": "application/json",
    "health_queue": "application/json",
    "health_ready": "application/json",
    "money:invoice_pdf": "application/pdf",
    "money:payments_csv": "text/csv",
    "money:receipt": "application/pdf",
    "money:statement_pdf": "application/pdf",
    "otp_webauthn:js-i18n-catalog": "text/javascript",
    "plans:family_plan_pdf": "application/pdf",
    "plans:plan_pdf": "application/pdf",
    "preparation:diagram": "image/svg+xml",
    "rosetta-download-file": "application/x-zip",
    "rosetta.translate_text": "application/json",
    "preparation:invitation_letter": "application/pdf",
    "stats:table_csv": "text/csv",
    "training:certificate_pdf": "application/pdf",
    "training:cv": "application/pdf",
}

# Pages whose markup is not Kring's, left out of the scan (each with why):
# - api:openapi-view is django-ninja's bundled Swagger UI, a developer tool for the
#   organisations' programmers, drawn entirely by its own JavaScript; Kring cannot fix its
#   markup, and the same content is in docs/api.md and the JSON schema (api:openapi-json).
NOT_OURS = {"api:openapi-view"}


def pages_of(role: str) -> list[str]:
    """The names of the pages ``role`` opens: GET, 200, in the access table."""
    names = []
    for name in sorted(ROUTES):
        row = TABLE.get(name) or (TABLE.get(ADMIN) if name.startswith("admin:") else None)
        # A page without a row fails test_access.py, which asks for one; then it is scanned.
        if name in NOT_OURS:
            continue
        if row is not None and row.how == GET and row._asdict()[str(role)] == 200:
            names.append(name)
    return names


def scan(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is, one line per element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          html: n.html.slice(0, 160),
                                          summary: n.failureSummary}))}));
        }""",
        WCAG21_A_AA,
    )
    lines = []
    for violation in result:
        for node in violation["nodes"]:
            lines.append(
                f"  {violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"      at {node['target']}: {node['html']}\n"
                f"      {' '.join(node['summary'].split())}"
            )
    return lines


def too_wide(page: Any, width: int) -> str | None:
    """What sticks out of a ``width`` px wide screen, when the page scrolls sideways."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return None
    # The outermost elements past the edge, leaving out what a scrolling container clips.
    culprits = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.parentElement
                         || e.parentElement.getBoundingClientRect().right <= width + 1)
            .filter(e => !e.parentElement
                         || getComputedStyle(e).position === 'absolute'
                         || getComputedStyle(e.parentElement).overflowX === 'visible')
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                      + (e.className && typeof e.className === 'string'
                         ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                      + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')""",
        width,
    )
    return f"  scrolls sideways: {scroll_width} px wide at {width} px; sticking out: {culprits}"


def listen(page: Any) -> list[str]:
    """What the browser reports about the page: its warnings and errors (a refused script or
    style, a JavaScript error, a value a field cannot show) and parts that did not load. The
    refusal pages' own 403 and 404 are the page, not a missing part, and are not reported."""
    heard: list[str] = []

    def console(message: Any) -> None:
        if message.type in ("error", "warning") and "Failed to load resource" not in message.text:
            heard.append(f"  browser {message.type}: {message.text}")

    def response(answer: Any) -> None:
        part = answer.request.resource_type != "document"
        if answer.status >= 400 and part:
            heard.append(f"  not loaded ({answer.status}): {answer.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: heard.append(f"  JavaScript error: {error}"))
    page.on("response", response)
    return heard


def browse_as(browser: Any, base: str, world: World, role: str) -> Any:
    width = PHONE if role in ON_A_PHONE else DESK
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-NL")
    page = context.new_page()
    if role != ANON:
        log_in(page, base, world.users[role].email)
        page.wait_for_url(lambda url: "/account/" not in url)
    return context, page


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_and_fits_a_phone(live_server: Any, browser: Any, role: str) -> None:
    world = build_world()
    base = live_server.url
    context, page = browse_as(browser, base, world, role)
    heard = listen(page)
    width = PHONE if role in ON_A_PHONE else DESK
    found: dict[str, list[str]] = {}
    scanned = 0
    try:
        for name in pages_of(role):
            url = base + url_for(name, world.targets[TABLE[name].target])
            if name in FILES:
                answer = context.request.get(url)
                kind = answer.headers.get("content-type", "").split(";")[0]
                if kind != FILES[name]:  # (a health check may answer 503, still JSON)
                    found[f"{name} {url}"] = [
                        f"  expected a {FILES[name]} file, got {answer.status} {kind}"
                    ]
                continue
            heard.clear()
            try:
                response = page.goto(url)
            except PlaywrightError as error:  # a download: no page to scan
                found[f"{name} {url}"] = [f"  {error.message.splitlines()[0]}: {NOT_A_PAGE}"]
                continue
            assert response is not None
            kind = response.headers.get("content-type", "").split(";")[0]
            if response.status != 200 or kind != "text/html":
                found[f"{name} {url}"] = [f"  got {response.status} {kind}: {NOT_A_PAGE}"]
                continue
            problems = scan(page) + heard
            if role in ON_A_PHONE and (wide := too_wide(page, width)):
                problems.append(wide)
            scanned += 1
            if problems:
                found[f"{name} {url}"] = problems
        # The refusals a role meets: a page it may not open, and one that is not there.
        for url in (base + reverse("cases:inbox"), base + "/bestaat-niet/"):
            heard.clear()
            response = page.goto(url)
            if response is not None and response.status in (403, 404):
                problems = scan(page) + heard
                if problems:
                    found[f"{response.status} {url}"] = problems
    finally:
        context.close()
    print(f"\n{role}: {scanned} pages scanned")
    assert not found, f"{role}: {len(found)} pages with accessibility problems:\n" + "\n".join(
        f"{where}\n" + "\n".join(lines) for where, lines in found.items()
    )


def test_the_scan_finds_what_it_is_meant_to_find(browser: Any) -> None:
    """The gate is only as good as its scan: a page with an image without a text, a field
    without a label and too little contrast fails, and one that scrolls sideways is caught;
    the browser's complaints are heard (a script error, a script the page's policy refuses,
    a Dutch date in a date picker)."""
    context = browser.new_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    heard = listen(page)
    try:
        page.set_content(
            '<!DOCTYPE html><html lang="nl"><head><title>Proef</title>'
            "<script>notDefinedAnywhere()</script>"
            '<meta http-equiv="Content-Security-Policy" content="script-src \'none\'">'
            "<script>1</script></head><body><main>"
            '<h1>Proef</h1><img src="data:,"><input type="text">'
            '<input type="date" value="07-12-2026" aria-label="Datum">'
            '<p style="color:#bbb;background:#fff">Lichtgrijs</p>'
            '<div style="width:500px">Te breed</div></main></body></html>'
        )
        found = "\n".join(scan(page))
        for rule in ("image-alt", "label", "color-contrast"):
            assert f"  {rule} (" in found, found
        assert too_wide(page, PHONE)
        said = "\n".join(heard)
        assert "JavaScript error: notDefinedAnywhere is not defined" in said, said
        assert "Content Security Policy" in said, said
        assert "does not conform to the required format" in said, said
    finally:
        context.close()
