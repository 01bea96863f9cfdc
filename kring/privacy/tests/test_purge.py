"""Retention: past its period a case's personal data is gone from the whole database (a full
dump holds no trace of it), the figures stay, and what is not yet due or held stays."""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.cases.domain import decide
from kring.cases.models import CaseRemark, RemarkKind, Status
from kring.factories import make_case
from kring.money.models import Line, Receipt
from kring.privacy.models import CasePurge, DataKind, LegalHold, PurgeRun
from kring.privacy.purge import purge_expired, purge_today
from kring.privacy.tests.world import closed_case_full_of_people
from kring.stats.facts import rebuild_all, refresh_stale
from kring.stats.models import CaseFact

LATER = timedelta(days=3 * 365)  # past every default period

pytestmark = pytest.mark.django_db


def full_dump() -> str:
    """Every row of every table, seen from the test's own transaction: SQLite's iterdump, or
    on PostgreSQL each row as text (the pg_dump test below runs the real tool)."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT t::text FROM "{table}" t')
            lines += [row[0] for row in cursor.fetchall()]
    return "\n".join(lines)


def figures(case_id: int) -> dict[str, Any]:
    refresh_stale()  # as the dashboard does before it reads
    fact = CaseFact.objects.filter(case_id=case_id).values().get()
    fact.pop("refreshed_at")
    return fact


@pytest.mark.parametrize("status", [Status.CLOSED, Status.STOPPED])
def test_a_full_dump_after_the_purge_holds_no_trace(office: User, status: str) -> None:
    world = closed_case_full_of_people(office, status=status)
    before = full_dump()
    assert [trace for trace in world.traces if trace not in before] == []  # they were there
    log = str(list(AuditEvent.objects.values()))
    assert [text for text in world.never_logged if text in log] == []
    facts = figures(world.case.pk)

    purge_expired(timezone.now() + LATER)

    after = full_dump()
    left = [trace for trace in world.traces if trace in after]
    assert left == []
    assert figures(world.case.pk) == facts
    rebuild_all()  # a later full rebuild computes the same figures from the skeleton
    assert figures(world.case.pk) == facts
    purged = AuditEvent.objects.filter(case=world.case, action=Action.DATA_PURGED)
    assert purged.count() == len(DataKind)


def test_receipts_remarks_and_the_texts_on_money_lines_go_with_the_request(office: User) -> None:
    world = closed_case_full_of_people(office)
    lines = Line.objects.filter(case=world.case)
    assert Receipt.objects.filter(line__case=world.case).count() == 1
    before = list(lines.values_list("worked_on", "hours", "expense", "amount", "status"))
    kept = make_case(status=Status.ASSIGNED)  # open: its remark stays
    decide(kept, Status.MATCHING, by=office, note="De coördinator is ziek geworden")
    kept_remark = CaseRemark.objects.get(case=kept, text="De coördinator is ziek geworden")
    assert CaseRemark.objects.filter(case=world.case, kind=RemarkKind.PAUSED).exists()

    purge_expired(timezone.now() + LATER)

    assert not Receipt.objects.filter(line__case=world.case).exists()
    assert not CaseRemark.objects.filter(case=world.case).exists()
    assert CaseRemark.objects.filter(pk=kept_remark.pk).exists()
    assert set(lines.values_list("note", "review_comment")) == {("", "")}
    # What statements, invoices and the cost figures are made of stays.
    assert list(lines.values_list("worked_on", "hours", "expense", "amount", "status")) == before


def test_receipts_and_remarks_wait_for_the_requests_period(office: User, settings: Any) -> None:
    settings.KRING_RETENTION_REQUEST_MONTHS = 24
    world = closed_case_full_of_people(office)

    purge_expired(timezone.now() + timedelta(days=400))

    assert Receipt.objects.filter(line__case=world.case).exists()
    texts = set(CaseRemark.objects.filter(case=world.case).values_list("text", flat=True))
    assert {"Fenneke is een week weg", "Gerarda ligt in het ziekenhuis"} <= texts
    assert Line.objects.filter(case=world.case).exclude(note="").count() == 2


def test_each_kind_waits_for_its_own_period(office: User, settings: Any) -> None:
    settings.KRING_RETENTION_CIRCLE_MONTHS = 12
    settings.KRING_RETENTION_REQUEST_MONTHS = 24
    world = closed_case_full_of_people(office)

    report = purge_expired(timezone.now() + timedelta(days=400))

    assert report.purged == {"circle": 1, "professional": 1, "plan": 0, "request": 0}
    world.case.request.refresh_from_db()
    assert world.case.request.requester_name == "Fenneke Zonneveld"
    assert not world.case.participants.filter(name="Gerarda Kwakernaak").exists()
    # Run again: nothing is removed twice.
    again = purge_expired(timezone.now() + timedelta(days=400))
    assert again.total() == 0


def test_open_and_held_cases_keep_their_data(office: User) -> None:
    running = make_case(status=Status.PREPARATION, requester_name="Loopt Nog")
    held = closed_case_full_of_people(office)
    LegalHold.objects.create(case=held.case, reason="Klacht in behandeling", placed_by=office)

    report = purge_expired(timezone.now() + LATER)

    assert report.total() == 0
    assert report.held == len(DataKind)
    running.request.refresh_from_db()
    held.case.request.refresh_from_db()
    assert running.request.requester_name == "Loopt Nog"
    assert held.case.request.requester_name == "Fenneke Zonneveld"
    assert not CasePurge.objects.exists()


def test_purge_expired_command(office: User) -> None:
    world = closed_case_full_of_people(office)
    call_command("purge_expired")  # closed today: nothing is due yet
    world.case.request.refresh_from_db()
    assert world.case.request.requester_email == "w.zonneveld@voorbeeld.nl"


@pytest.mark.postgres
# serialized_rollback: the flush after this test keeps the migrations' data (regions) and
# leaves the content types to the restore, as the other transactional tests expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pg_dump_after_the_purge_holds_no_trace(office: User) -> None:
    world = closed_case_full_of_people(office)
    purge_expired(timezone.now() + LATER)

    settings_dict = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            settings_dict["HOST"] or "127.0.0.1",
            "-p",
            str(settings_dict["PORT"] or 5432),
            "-U",
            settings_dict["USER"],
            settings_dict["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PGPASSWORD": settings_dict["PASSWORD"] or ""},
    ).stdout
    assert [trace for trace in world.traces if trace in dump] == []
    assert f"{world.case.pk}\t" in dump  # the case's skeleton and figures are there


def test_the_daily_task_purges_once_a_day(office: User) -> None:
    world = closed_case_full_of_people(office)
    later = timezone.now() + LATER
    assert purge_today(later) == len(DataKind)
    # Data that expires later the same day waits for tomorrow's run.
    second = make_case(status=Status.WITHDRAWN, requester_name="Tweede Gezin")
    assert purge_today(later) == 0
    second.request.refresh_from_db()
    assert second.request.requester_name == "Tweede Gezin"
    assert PurgeRun.objects.get().purged == len(DataKind)
    assert CasePurge.objects.filter(case=world.case).count() == len(DataKind)
