"""The cost of a conference (issue 13), for the figures page: average and spread of hours
and costs per held conference, per variant, region, year and outcome (plan made or not).

Counts approved lines only (what was paid). The rows are ``kring.stats`` tables, so they are
shown, downloaded as CSV and suppressed for researchers like every other figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, Power
from django.utils.translation import gettext_lazy as _

from kring.money.models import Line, LineStatus, variant_choices
from kring.stats.models import CaseFact
from kring.stats.tables import Cell, Table, add_up, grouped

HEADERS = [
    _("Conferenties"),
    _("Uren gemiddeld"),
    _("Uren spreiding (sd)"),
    _("Kosten gemiddeld (€)"),
    _("Kosten spreiding (sd, €)"),
]


def held_with_money(facts: QuerySet[CaseFact]) -> QuerySet[CaseFact]:
    """The held conferences in scope that have approved lines, each with the sum of its
    approved hours and costs."""
    approved = Line.objects.filter(status=LineStatus.APPROVED, case_id=OuterRef("case_id"))

    def total(field: str) -> Subquery:
        summed = approved.order_by().values("case_id").annotate(total=Sum(field))
        return Subquery(summed.values("total"))

    return facts.filter(Exists(approved), conference_held=True).annotate(
        hours=total("hours"),
        cost=total("amount"),
        year=ExtractYear("opened_on"),
        # Not known yet counts as no plan, as it did when these were added up in Python.
        plan=Coalesce("plan_made", Value(False), output_field=BooleanField()),
    )


# The database adds up one row per conference into the finest groups (soort, regio, jaar,
# uitkomst): count, sum and sum of squares of hours and costs. The tables add those groups up
# further, so the page reads a few hundred rows at most however many conferences were held
# (issue 17: it read every held conference before). Decimals throughout, so a mean of
# 1324.505 rounds the same way whatever order the rows were added in.
FINEST = ("variant", "region__name", "year", "plan")
MEASURES = ("hours_sum", "hours_squared", "cost_sum", "cost_squared")


def finest_groups(conferences: QuerySet[CaseFact]) -> list[dict[str, Any]]:
    def squared(name: str) -> Power:
        return Power(name, 2)  # one subquery per row, where name * name asked it twice

    rows = (
        conferences.values(*FINEST)
        .annotate(
            n=Count("case_id"),
            hours_sum=Sum("hours"),
            hours_squared=Sum(squared("hours")),
            cost_sum=Sum("cost"),
            cost_squared=Sum(squared("cost")),
        )
        .order_by()
    )
    # SQLite answers the squares as floats: decimals, so that they add up with the sums.
    return [{**row, **{m: Decimal(row[m]) for m in MEASURES}} for row in rows]


def _mean_and_spread(
    total: Decimal, squares: Decimal, n: int, places: int, kind: str = "number"
) -> list[Cell]:
    """The mean and the population standard deviation (as statistics.pstdev) from the sums,
    rounded half to even as round() does."""
    mean = total / n
    spread = max(Decimal(0), squares / n - mean * mean).sqrt()
    return [
        Cell(float(round(value, places)), count=n, base=n, kind=kind) for value in (mean, spread)
    ]


def _cells(sums: dict[str, Any]) -> list[Cell]:
    n = sums["n"]
    return [
        Cell(n),
        *_mean_and_spread(sums["hours_sum"], sums["hours_squared"], n, 1),
        *_mean_and_spread(sums["cost_sum"], sums["cost_squared"], n, 2, kind="money"),
    ]


def _table(
    key: str,
    title: Any,
    by: str,
    groups: list[dict[str, Any]],
    everything: list[Cell],
    label: Callable[[Any], str],
    order: Iterable[Any] | None = None,
) -> Table:
    added = grouped(groups, by, FINEST)
    keys = [k for k in order if k in added] if order is not None else sorted(added, key=str)
    table_rows = [(label(k), _cells(added[k])) for k in keys]
    if groups:
        table_rows.append((str(_("Alle conferenties")), everything))
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
    groups = finest_groups(held_with_money(facts))
    # The same last row in every table: all conferences.
    everything = _cells(add_up(groups, FINEST)) if groups else []
    variants = dict(variant_choices())
    outcome_label = {True: str(_("Plan gemaakt")), False: str(_("Geen plan"))}
    return [
        _table(
            "cost_variant",
            _("Uren en kosten per conferentie, per soort"),
            "variant",
            groups,
            everything,
            lambda v: str(variants.get(v, v)),
            order=variants,
        ),
        _table(
            "cost_region",
            _("Uren en kosten per conferentie, per regio"),
            "region__name",
            groups,
            everything,
            lambda r: r or str(_("Landelijke wachtrij")),
        ),
        _table(
            "cost_year",
            _("Uren en kosten per conferentie, per jaar"),
            "year",
            groups,
            everything,
            str,
        ),
        _table(
            "cost_outcome",
            _("Uren en kosten per conferentie: plan gemaakt of niet"),
            "plan",
            groups,
            everything,
            lambda made: outcome_label[made],
            order=[True, False],
        ),
    ]
