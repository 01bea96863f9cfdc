"""The figures' building blocks: a cell that knows what it rests on (for small-cell
suppression) and a table of them with its chart. The dashboard (figures.py) and the cost of
a conference (costs.py) both build these."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SMALL_CELL = 5


@dataclass(frozen=True)
class Cell:
    """A figure and the number of cases (or agreements) it rests on, for suppression.

    ``base`` is the denominator of a share or the cases behind an average; ``count`` the
    numerator of a share or the count itself."""

    value: float | int | None
    count: int | None = None
    base: int | None = None
    kind: str = "count"  # count | percent | days | number | money (euros, two places)
    hidden: bool = False  # blanked by small-cell suppression: shown as "<5"

    def suppressed(self) -> bool:
        # A count cell rests on the count it shows.
        count = self.value if self.kind == "count" else self.count
        small_count = count is not None and 0 < count < SMALL_CELL
        small_base = self.base is not None and self.base < SMALL_CELL
        return small_count or small_base


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: Sequence[str]
    rows: Sequence[tuple[str, Sequence[Cell]]]
    chart: str = "bar"  # bar | doughnut | none
    note: str = ""
    # The number of cases the note counts, if it counts any (suppressed like a cell).
    note_base: int | None = None

    @property
    def chart_id(self) -> str:
        return f"grafiek-{self.key}"

    def chart_data(self) -> dict[str, Any]:
        """Labels and the first column's values, for Chart.js (suppressed values as null)."""
        return {
            "type": self.chart,
            "labels": [str(label) for label, _cells in self.rows],
            "label": str(self.headers[1]) if len(self.headers) > 1 else "",
            "values": [cells[0].value if cells else None for _label, cells in self.rows],
        }


def add_up(rows: list[dict[str, Any]], keys: Sequence[str]) -> dict[str, Any]:
    """Rows of counts and sums added up, column by column, except the grouping ``keys``."""
    totals: Counter[str] = Counter()
    for row in rows:
        totals.update({key: value for key, value in row.items() if key not in keys})
    return defaultdict(int, totals)


def grouped(rows: list[dict[str, Any]], by: str, keys: Sequence[str]) -> dict[Any, dict[str, Any]]:
    """The rows added up per value of ``by`` (one of the grouping ``keys``)."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[by]].append(row)
    return {key: add_up(members, keys) for key, members in groups.items()}
