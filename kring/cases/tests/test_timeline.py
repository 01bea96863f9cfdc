"""The case page's timeline and the office's trail stay the same size however often a case
is read: reads are summarised per reader, changes and the trail are paged."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from kring.accounts.models import Role, User
from kring.accounts.testing import VerifiedClient
from kring.audit.log import record
from kring.audit.models import Action, AuditEvent
from kring.cases.trail import TIMELINE_PAGE_SIZE, TIMELINE_READERS, TRAIL_PAGE_SIZE
from kring.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def _client(user: User) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _get(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def _timeline_part(page: str) -> str:
    return page[page.index('id="timeline"') :]


def test_reads_are_summarised_and_the_page_does_not_grow_with_them(manager: User) -> None:
    case = make_case()
    url = reverse("cases:detail", args=[case.pk])
    client = _client(manager)
    client.get(url)  # the session and other caches that fill once
    few_queries, few = _get(client, url)
    for _ in range(120):
        client.get(url)
    many_queries, many = _get(client, url)
    reads = AuditEvent.objects.filter(case=case, action=Action.CASE_VIEWED).count()
    assert reads == 123
    assert many_queries == few_queries
    # "3 keer" became "123 keer"; nothing else on the page grew.
    assert abs(len(many) - len(few)) < 10
    summary = _timeline_part(many)
    assert f"Traject bekeken door {escape(str(manager))}, 123 keer" in summary, summary[:1500]
    assert summary.count("Traject bekeken") == 1


def test_many_readers_show_the_latest_and_a_count(manager: User, office: User) -> None:
    case = make_case()
    url = reverse("cases:detail", args=[case.pk])
    readers = [UserFactory(role=Role.OFFICE) for _ in range(TIMELINE_READERS + 3)]
    for reader in readers:
        _client(reader).get(url)
    queries, page = _get(_client(office), url)
    summary = _timeline_part(page)
    assert summary.count("Traject bekeken door") == TIMELINE_READERS
    assert escape(str(readers[-1])) in summary  # the most recent readers are named
    assert escape(str(readers[0])) not in summary
    # The office itself read last: one of the ten; four readers are left out.
    assert "En nog 4 eerdere lezers." in summary
    assert reverse("cases:trail", args=[case.pk]) in summary
    for reader in readers[:TIMELINE_READERS]:
        _client(reader).get(url)
    assert _get(_client(office), url)[0] == queries


def test_changes_are_paged_newest_first(manager: User) -> None:
    case = make_case()
    changes = TIMELINE_PAGE_SIZE + 5
    record(manager, Action.CASE_FIRST_CONTACT, case=case, obj=case)  # the oldest change
    for number in range(changes):
        record(manager, Action.REQUEST_CHANGED, case=case, obj=case.request, field=number)
    url = reverse("cases:detail", args=[case.pk])
    client = _client(manager)
    first = _timeline_part(client.get(url).content.decode())
    assert first.count("Aanvraag gewijzigd") == TIMELINE_PAGE_SIZE
    assert "Pagina 1 van 2" in first
    second = _timeline_part(client.get(url, {"pagina": 2}).content.decode())
    older = AuditEvent.objects.filter(case=case).exclude(action=Action.CASE_VIEWED).count()
    assert second.count("<time") == older - TIMELINE_PAGE_SIZE
    assert "Eerste contact vastgelegd" in second and "Eerste contact vastgelegd" not in first


def test_the_trail_is_paged(office: User) -> None:
    case = make_case()
    reader = UserFactory(role=Role.MANAGER, regions=[case.region])
    client = _client(reader)
    url = reverse("cases:detail", args=[case.pk])
    for _ in range(TRAIL_PAGE_SIZE + 10):
        client.get(url)
    trail = reverse("cases:trail", args=[case.pk])
    page = _client(office).get(trail).content.decode()
    assert page.count('data-testid="trail-row"') == TRAIL_PAGE_SIZE
    rest = _client(office).get(trail, {"pagina": 2}).content.decode()
    total = AuditEvent.objects.filter(case=case).count()  # the two trail reads included
    assert rest.count('data-testid="trail-row"') == total - TRAIL_PAGE_SIZE
