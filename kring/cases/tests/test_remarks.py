"""The reasons typed for steps that do not end the course (back to matching, a pause, a date
given up) are kept with the case as remarks and shown to its managers; the append-only log
only says that there was one."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.accounts.models import User
from kring.accounts.testing import VerifiedClient
from kring.audit.models import Action, AuditEvent
from kring.cases.domain import IllegalTransition, decide, pause_case, resume_case
from kring.cases.models import Case, CaseRemark, RemarkKind, Status
from kring.factories import make_case
from kring.preparation.logistics.domain import LogisticsError, give_up_date

pytestmark = pytest.mark.django_db

WHY = "Mevrouw Kwakkelstein wil een andere coördinator"


def detail(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _page(client: VerifiedClient, case: Case) -> str:
    response = client.get(detail(case))
    assert response.status_code == 200
    return response.content.decode()


def test_back_to_matching_keeps_the_reason_and_the_managers_page_shows_it(
    client: VerifiedClient, manager: User
) -> None:
    case = make_case(status=Status.ASSIGNED)
    client.force_login(manager)
    client.post(reverse("cases:decide", args=[case.pk, "matching"]), {"matching-note": f" {WHY} "})

    assert Case.objects.get(pk=case.pk).status == Status.MATCHING
    # (The walk to ASSIGNED took it to matching once before, with the office's note.)
    remark = CaseRemark.objects.get(case=case, new_status=Status.MATCHING, by=manager)
    assert remark.kind == RemarkKind.MOVED
    assert (remark.text, remark.by) == (WHY, manager)
    # The log says there was a note, never what it said.
    moved = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED).latest("id")
    assert moved.detail["note"] is True
    assert "Kwakkelstein" not in str(list(AuditEvent.objects.filter(case=case).values()))
    page = _page(client, case)
    remarks = page[page.index('data-testid="case-remarks"') :]
    assert WHY in remarks
    assert "Naar ‘Koppelen aan coördinator’" in remarks
    assert str(manager) in remarks


def test_the_remarks_are_for_the_managers_only(
    client: VerifiedClient,
    manager: User,
    other_manager: User,
    professional: User,
    office: User,
) -> None:
    case = make_case(status=Status.ASSIGNED, referrer=professional, channel="referral")
    coordinator = case.coordinator
    decide(case, Status.MATCHING, by=manager, note=WHY)

    client.force_login(office)
    assert WHY in _page(client, case)
    # The referring professional reads the case page, without the managers' parts.
    client.force_login(professional)
    page = _page(client, case)
    assert WHY not in page
    assert 'data-testid="case-remarks"' not in page
    # Another region's case does not exist for its managers; coordinators have no case page
    # (and this one's involvement ended with the move).
    client.force_login(other_manager)
    assert client.get(detail(case)).status_code == 404
    client.force_login(coordinator)
    assert client.get(detail(case)).status_code == 403


def test_a_pause_keeps_its_reason_after_the_resume(client: VerifiedClient, manager: User) -> None:
    case = make_case(status=Status.PREPARATION)
    coordinator = case.coordinator
    pause_case(case, by=coordinator, reason="Opname in het ziekenhuis, drie weken")
    resumed = resume_case(case, by=coordinator)

    assert resumed.pause_reason == ""
    remark = CaseRemark.objects.get(case=case, kind=RemarkKind.PAUSED)
    assert (remark.text, remark.by, remark.new_status) == (
        "Opname in het ziekenhuis, drie weken",
        coordinator,
        "",
    )
    client.force_login(manager)
    remarks = _page(client, case).split('data-testid="case-remarks"')[1]
    assert "Pauze" in remarks
    assert "Opname in het ziekenhuis, drie weken" in remarks


def test_giving_up_a_planned_date_keeps_the_reason(client: VerifiedClient, manager: User) -> None:
    case = make_case(status=Status.PLANNED)
    coordinator = case.coordinator
    give_up_date(case, by=coordinator, reason="  De oma van Sem is overleden.  ")

    assert Case.objects.get(pk=case.pk).status == Status.PREPARATION
    remark = CaseRemark.objects.get(case=case, kind=RemarkKind.DATE_GIVEN_UP)
    assert (remark.text, remark.by) == ("De oma van Sem is overleden.", coordinator)
    given_up = AuditEvent.objects.get(case=case, action=Action.CONFERENCE_DATE_GIVEN_UP)
    assert given_up.detail["reason"] is True
    client.force_login(manager)
    remarks = _page(client, case).split('data-testid="case-remarks"')[1]
    assert "Datum gaat niet door" in remarks
    assert "De oma van Sem is overleden." in remarks


def test_a_refused_action_keeps_no_remark(manager: User) -> None:
    assigned = make_case(status=Status.ASSIGNED)
    planned = make_case(status=Status.PLANNED)
    before = set(CaseRemark.objects.values_list("pk", flat=True))

    with pytest.raises(IllegalTransition):
        decide(assigned, Status.MATCHING, by=manager, note="   ")
    with pytest.raises(IllegalTransition):  # not a move the table has
        decide(assigned, Status.REJECTED, by=manager, note=WHY)
    with pytest.raises(IllegalTransition):
        pause_case(assigned, by=manager, reason=" ")
    pause_case(assigned, by=manager, reason="Even wachten")
    with pytest.raises(IllegalTransition):  # already paused
        pause_case(assigned, by=manager, reason="Nog een keer")
    with pytest.raises(LogisticsError):
        give_up_date(planned, by=manager, reason="")
    with pytest.raises(LogisticsError):  # no planned date to give up
        give_up_date(assigned, by=manager, reason=WHY)

    new = CaseRemark.objects.exclude(pk__in=before)
    assert list(new.values_list("text", flat=True)) == ["Even wachten"]
    assert Case.objects.get(pk=assigned.pk).status == Status.ASSIGNED
    assert Case.objects.get(pk=planned.pk).status == Status.PLANNED


def test_a_final_move_keeps_its_note_as_the_exit_note_not_as_a_remark(manager: User) -> None:
    case = make_case(status=Status.MATCHING)
    before = CaseRemark.objects.filter(case=case).count()
    decide(case, Status.WITHDRAWN, by=manager, note=WHY)
    assert Case.objects.get(pk=case.pk).exit_note == WHY
    assert CaseRemark.objects.filter(case=case).count() == before


def test_a_remark_is_cut_to_its_length(manager: User) -> None:
    case = make_case(status=Status.ASSIGNED)
    decide(case, Status.MATCHING, by=manager, note="x" * 600)
    assert CaseRemark.objects.get(case=case, by=manager).text == "x" * 500


def test_html_in_a_remark_is_escaped(client: VerifiedClient, manager: User) -> None:
    case = make_case(status=Status.ASSIGNED)
    decide(case, Status.MATCHING, by=manager, note='<script>alert("hoi")</script><b>vet</b>')
    client.force_login(manager)
    page = _page(client, case)
    assert "&lt;script&gt;alert(&quot;hoi&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;" in page
    assert "<script>alert" not in page
    assert "<b>vet</b>" not in page


def _count(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_case_page_takes_as_many_queries_with_one_remark_as_with_five(
    client: VerifiedClient, manager: User
) -> None:
    case = make_case(status=Status.NEW)
    decide(case, Status.MATCHING, by=manager)  # no note: no remark
    pause_case(case, by=manager, reason="Pauze nummer 0")
    assert CaseRemark.objects.filter(case=case).count() == 1
    client.force_login(manager)
    client.get(detail(case))  # caches that fill once (the session, content types)
    one, page = _count(client, detail(case))
    assert "Pauze nummer 0" in page

    for number in range(1, 5):  # paused again at the end, as at the first count
        resume_case(case, by=manager)
        pause_case(case, by=manager, reason=f"Pauze nummer {number}")
    assert CaseRemark.objects.filter(case=case).count() == 5
    five, page = _count(client, detail(case))
    assert [n for n in range(5) if f"Pauze nummer {n}" not in page] == []
    assert five == one, f"{one} queries with 1 remark, {five} with 5"
