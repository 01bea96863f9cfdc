"""Rate limits on PDFs, CSVs, research exports and the public form (django-ratelimit, counted
in the database cache), and the one Dutch CSV dialect with formula cells neutralised."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from kring.accounts.models import Region, Role
from kring.cases.models import Status
from kring.factories import UserFactory, make_case, make_plan
from kring.lib.spreadsheet import BOM, csv_lines
from kring.stats.models import ExportKind

pytestmark = pytest.mark.django_db

EXPORT = "/cijfers/onderzoek/downloaden/"
PURPOSE = "Promotieonderzoek naar doorlooptijden van Eigen Kracht-conferenties per regio."
FORMULAS = ["=1+1", "+31 6", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _refused_in_dutch(response: Any) -> bool:
    return response.status_code == 429 and "Te veel verzoeken" in response.content.decode()


def test_the_plan_pdf_is_limited_per_user(client: Any, settings: Any) -> None:
    settings.KRING_RATE_PDF = "1/h"  # an hour: a minute's window can turn between two requests
    plan = make_plan()
    office = UserFactory(role=Role.OFFICE)
    client.force_login(office)
    url = reverse("plans:plan_pdf", args=[plan.case.pk])
    assert client.get(url)["Content-Type"] == "application/pdf"
    assert _refused_in_dutch(client.get(url))
    client.force_login(UserFactory(role=Role.OFFICE))  # another user has their own count
    assert client.get(url).status_code == 200


def test_dashboard_csv_is_limited_and_counted_in_the_shared_database_cache(
    client: Any, manager: Any, settings: Any
) -> None:
    settings.KRING_RATE_CSV = "2/h"
    client.force_login(manager)
    url = reverse("stats:table_csv", args=["funnel"])
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    assert _refused_in_dutch(client.get(url))
    # The count lives in the database, which every web process shares (not in one's memory).
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM kring_cache")
        assert cursor.fetchone()[0] >= 1


def test_research_exports_are_limited_but_the_form_is_not(
    client: Any, researcher: Any, settings: Any
) -> None:
    settings.KRING_RATE_EXPORT = "1/h"
    client.force_login(researcher)
    data = {"kind": ExportKind.AGGREGATE, "purpose": PURPOSE}
    assert client.post(EXPORT, data).status_code == 200
    assert client.get(EXPORT).status_code == 200  # reading the form costs nothing
    assert _refused_in_dutch(client.post(EXPORT, data))


# --- the Dutch dialect ----------------------------------------------------------------------


def test_the_dialect_neutralises_formulas_and_leaves_numbers_alone() -> None:
    lines = list(csv_lines([["tekst", *FORMULAS, "-3", "1,5", "<5"]]))
    assert lines[0] == BOM
    (row,) = csv.reader(io.StringIO(lines[1], newline=""), delimiter=";")
    assert row[0] == "tekst"
    assert all(cell.startswith("'") for cell in row[1:7]), row
    assert row[7:] == ["-3", "1,5", "<5"]
    assert lines[1].endswith("\r\n")


def test_dashboard_csv_is_dutch_and_defused(client: Any, office: Any) -> None:
    hostile = Region.objects.create(name='=HYPERLINK("http://x.example")', slug="vijandig")
    make_case(status=Status.STOPPED, region=hostile)
    client.force_login(office)
    response = client.get(reverse("stats:table_csv", args=["regions"]))
    assert response.status_code == 200, response
    body = response.content.decode("utf-8")
    assert body.startswith(BOM)
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    labels = [row[0] for row in rows]
    assert '\'=HYPERLINK("http://x.example")' in labels
    assert not any(label.startswith("=") for label in labels)


def test_research_export_uses_the_same_dialect_and_is_defused(client: Any, researcher: Any) -> None:
    hostile = Region.objects.create(name="@SUM(1+1)*cmd", slug="vijandig")
    make_case(status=Status.STOPPED, region=hostile)
    client.force_login(researcher)
    response = client.post(EXPORT, {"kind": ExportKind.AGGREGATE, "purpose": PURPOSE})
    body = response.content.decode("utf-8")
    assert body.startswith(BOM)
    header, *rows = csv.reader(io.StringIO(body[1:]), delimiter=";")
    assert header[:2] == ["region", "year"]
    assert "'@SUM(1+1)*cmd" in [row[0] for row in rows]
