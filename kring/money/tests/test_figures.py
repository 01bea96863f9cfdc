"""The figures page shows the cost of a conference, with a CSV for the funder's report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.cases.models import Case, Status
from kring.factories import make_case
from kring.money import domain
from kring.stats.costs import cost_tables
from kring.stats.facts import refresh_stale
from kring.stats.models import CaseFact

pytestmark = pytest.mark.django_db


def _held_with_hours(coordinator, manager, hours: str) -> None:
    case = make_case(status=Status.HELD, coordinator=coordinator)
    lines = [
        domain.record_hours(
            case, by=coordinator, worked_on=timezone.localdate(), activity="circle", hours=part
        )
        for part in [Decimal(hours) / 2] * 2
    ]
    domain.submit_month(lines[0].month, by=coordinator)
    for line in lines:
        domain.review_line(line, by=manager, approve=True)


def test_average_and_spread_of_hours_and_cost_per_variant(rate, coordinator, manager, client):
    for hours in ("20", "30", "40"):
        _held_with_hours(coordinator, manager, hours)
    refresh_stale()
    tables = {table.key: table for table in cost_tables(CaseFact.objects.all())}
    label, cells = tables["cost_variant"].rows[0]
    assert label == "Voor individu en familie"
    assert [cell.value for cell in cells] == [3, 30.0, 8.2, 1350.0, 367.42]
    client.force_login(manager)
    page = client.get(reverse("stats:dashboard"))
    assert 'data-testid="table-cost_variant"' in page.content.decode()
    # Euros with both cents on the page, as in the CSV: not cut off after one place.
    assert ">1.350,00<" in page.content.decode()
    assert ">367,42<" in page.content.decode()
    csv = client.get(reverse("stats:table_csv", args=["cost_outcome"])).content.decode("utf-8-sig")
    assert "Plan gemaakt" in csv or "Geen plan" in csv


def test_researchers_see_small_cost_groups_suppressed(
    rate, coordinator, manager, client, researcher
):
    _held_with_hours(coordinator, manager, "30")
    client.force_login(researcher)
    page = client.get(reverse("stats:dashboard")).content.decode()
    assert 'data-testid="table-cost_year"' in page
    assert "&lt;5" in page


def test_the_research_export_has_each_cases_approved_hours_and_cost(
    rate, coordinator, manager, researcher
):
    from kring.stats.figures import Filters
    from kring.stats.research import RECORD_COLUMNS, pseudonym, record_rows

    _held_with_hours(coordinator, manager, "30")
    paid = Case.objects.get()
    # A line still waiting for review does not count; a case without approved lines is empty.
    waiting = domain.record_hours(
        paid, by=coordinator, worked_on=timezone.localdate(), activity="plan", hours=Decimal(3)
    )
    domain.submit_month(waiting.month, by=coordinator)
    unpaid = make_case(status=Status.HELD)
    refresh_stale()
    header, *rows = record_rows(researcher, Filters())
    assert header == [column.name for column in RECORD_COLUMNS]
    by_pseudonym = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_pseudonym[pseudonym(paid.pk)]["approved_hours"] == "30,00"
    assert by_pseudonym[pseudonym(paid.pk)]["approved_cost"] == "1350,00"
    assert by_pseudonym[pseudonym(unpaid.pk)]["approved_hours"] == ""
    assert by_pseudonym[pseudonym(unpaid.pk)]["approved_cost"] == ""
