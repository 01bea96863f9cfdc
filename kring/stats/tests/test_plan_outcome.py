"""The dashboard, its CSV and the research export count a plan's implementation by the one
definition (``plans.implementation``): a plan carried out partly is never "not carried out"."""

from __future__ import annotations

import csv
import io
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from kring.accounts.models import Region, User
from kring.cases.models import Case, Status
from kring.factories import make_case, make_plan
from kring.plans.models import Agreement, Cause, Implementation
from kring.stats.facts import refresh_stale
from kring.stats.figures import Filters, dashboard
from kring.stats.models import CaseFact, ExportKind
from kring.stats.research import pseudonym

pytestmark = pytest.mark.django_db

F, P, N = Implementation.FULLY, Implementation.PARTLY, Implementation.NOT
# Four agreements per plan; what the figures must call each plan.
PLANS = {
    "all partly": ([P, P, P, P], P),
    "partly and not": ([P, N, N, N], P),
    "all not": ([N, N, N, N], N),
    "all fully": ([F, F, F, F], F),
    "fully and not": ([F, N, N, N], P),
}


def _registered(values: list[str]) -> Case:
    case = make_case(status=Status.CLOSED)
    make_plan(case, agreements=len(values), final=True)
    agreements = Agreement.objects.filter(plan__case=case).order_by("position")
    for agreement, value in zip(agreements, values, strict=True):
        agreement.implementation = value
        agreement.cause = "" if value == F else Cause.FAMILY
        agreement.save()
    return case


@pytest.fixture
def plans(utrecht: Region) -> dict[str, Case]:
    return {name: _registered(values) for name, (values, _outcome) in PLANS.items()}


def test_dashboard_counts_a_partly_carried_out_plan_as_partly(
    manager: User, plans: dict[str, Case]
) -> None:
    table = dashboard(manager, Filters()).table("implementation")
    per_plan = {label: cells[0].value for label, cells in table.rows}
    # Of five plans: one fully, three partly, one not.
    assert per_plan == {
        "Geheel uitgevoerd": 20.0,
        "Deels uitgevoerd": 60.0,
        "Niet uitgevoerd": 20.0,
    }


def test_dashboard_csv_counts_by_the_same_definition(
    client: Client, manager: User, plans: dict[str, Case]
) -> None:
    client.force_login(manager)
    response = client.get(reverse("stats:table_csv", args=["implementation"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    per_plan = {row[0]: row[1] for row in rows[1:]}
    assert per_plan == {
        "Geheel uitgevoerd": "20,0",
        "Deels uitgevoerd": "60,0",
        "Niet uitgevoerd": "20,0",
    }


def test_research_export_gives_each_plan_its_outcome(
    client: Client, researcher: User, plans: dict[str, Case]
) -> None:
    client.force_login(researcher)
    response = client.post(
        reverse("stats:research:export"),
        {"kind": ExportKind.RECORDS, "purpose": "Onderzoek naar de uitvoering van plannen."},
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    exported = {row["pseudonym"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    for name, (values, outcome) in PLANS.items():
        row = exported[pseudonym(plans[name].pk)]
        assert row["implementation"] == outcome, name
        assert int(row["agreements_partly"]) == values.count(P)


def test_the_migration_recounts_rows_stored_by_the_old_rule(plans: dict[str, Case]) -> None:
    refresh_stale()
    old_rule = [plans["all partly"].pk, plans["partly and not"].pk]
    CaseFact.objects.filter(case_id__in=old_rule).update(implementation=N)
    migration = import_module("kring.stats.migrations.0003_recount_partly_plans")
    migration.recount(apps, connection.schema_editor())
    stored = dict(CaseFact.objects.values_list("case_id", "implementation"))
    assert {name: stored[case.pk] for name, case in plans.items()} == {
        name: outcome for name, (_values, outcome) in PLANS.items()
    }
