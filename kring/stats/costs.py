"""The cost of a conference (issue 13), for the figures page: average and spread of hours
and costs per held conference, per variant, region, year and outcome (plan made or not).

Counts approved lines only (what was paid). The rows are ``kring.stats`` tables, so they are
shown, downloaded as CSV and suppressed for researchers like every other figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from statistics import fmean, pstdev
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from kring.money.models import Line, LineStatus, variant_choices
from kring.stats.models import CaseFact
from kring.stats.tables import Cell, Table

HEADERS = [
    _("Conferenties"),
    _("Uren gemiddeld"),
    _("Uren spreiding (sd)"),
    _("Kosten gemiddeld (€)"),
    _("Kosten spreiding (sd, €)"),
]


def case_costs(facts: QuerySet[CaseFact]) -> list[dict[str, Any]]:
    """One row per held conference in scope with its approved hours and costs (two queries)."""
    held = facts.filter(conference_held=True)
    info = list(held.values("case_id", "variant", "region__name", "opened_on", "plan_made"))
    sums = (
        Line.objects.filter(status=LineStatus.APPROVED, case_id__in=held.values("case_id"))
        .values("case_id")
        .annotate(hours=Sum("hours"), cost=Sum("amount"))
    )
    by_case = {row["case_id"]: row for row in sums}
    rows = []
    for fact in info:
        money = by_case.get(fact["case_id"])
        if money is None:  # no approved hours yet: not a cost figure
            continue
        rows.append(
            {
                **fact,
                "hours": float(Decimal(money["hours"] or 0)),
                "cost": float(Decimal(money["cost"] or 0)),
            }
        )
    return rows


def _cells(rows: list[dict[str, Any]]) -> list[Cell]:
    hours = [row["hours"] for row in rows]
    costs = [row["cost"] for row in rows]
    n = len(rows)
    return [
        Cell(n),
        Cell(round(fmean(hours), 1), count=n, base=n, kind="number"),
        Cell(round(pstdev(hours), 1), count=n, base=n, kind="number"),
        Cell(round(fmean(costs), 2), count=n, base=n, kind="number"),
        Cell(round(pstdev(costs), 2), count=n, base=n, kind="number"),
    ]


def _table(
    key: str,
    title: Any,
    by: Any,
    rows: list[dict[str, Any]],
    label: Callable[[Any], str],
    order: Iterable[Any] | None = None,
) -> Table:
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[by] if isinstance(by, str) else by(row)].append(row)
    keys = [k for k in order if k in groups] if order is not None else sorted(groups, key=str)
    table_rows = [(label(k), _cells(groups[k])) for k in keys]
    if rows:
        table_rows.append((str(_("Alle conferenties")), _cells(rows)))
    return Table(
        key=key,
        title=str(title),
        headers=[str(by_title(key)), *(str(h) for h in HEADERS)],
        rows=table_rows,
        chart="none",
        note=str(
            _(
                "Alleen gehouden conferenties met goedgekeurde uren; kosten zijn honorarium, "
                "kilometers en onkosten."
            )
        ),
    )


def by_title(key: str) -> Any:
    return {
        "cost_variant": _("Soort conferentie"),
        "cost_region": _("Regio"),
        "cost_year": _("Jaar"),
        "cost_outcome": _("Uitkomst"),
    }[key]


def cost_tables(facts: QuerySet[CaseFact]) -> list[Table]:
    rows = case_costs(facts)
    variants = dict(variant_choices())
    outcome_label = {True: str(_("Plan gemaakt")), False: str(_("Geen plan"))}
    return [
        _table(
            "cost_variant",
            _("Uren en kosten per conferentie, per soort"),
            "variant",
            rows,
            lambda v: str(variants.get(v, v)),
            order=variants,
        ),
        _table(
            "cost_region",
            _("Uren en kosten per conferentie, per regio"),
            "region__name",
            rows,
            lambda r: r or str(_("Landelijke wachtrij")),
        ),
        _table(
            "cost_year",
            _("Uren en kosten per conferentie, per jaar"),
            lambda row: row["opened_on"].year,
            rows,
            str,
        ),
        _table(
            "cost_outcome",
            _("Uren en kosten per conferentie: plan gemaakt of niet"),
            lambda row: bool(row["plan_made"]),
            rows,
            lambda made: outcome_label[made],
            order=[True, False],
        ),
    ]
