"""The dashboard's cells as people read them: rounded, never cut off."""

from __future__ import annotations

import pytest
from django.utils import translation

from kring.stats.tables import Cell
from kring.stats.templatetags.stats_tags import cell


@pytest.mark.parametrize(
    ("figure", "shown"),
    [
        (Cell(70.26, kind="percent"), "70,3%"),
        (Cell(1.96, kind="days"), "2,0 dagen"),
        (Cell(1.96, kind="number"), "2,0"),
        (Cell(1375.18, kind="money"), "1.375,18"),
        (Cell(1375.175, kind="money"), "1.375,17"),  # the float is just below the half
        (Cell(12345), "12.345"),
        (Cell(None, hidden=True), "<5"),
        (Cell(None), "–"),
    ],
)
def test_a_cell_is_rounded_to_its_places(figure: Cell, shown: str) -> None:
    with translation.override("nl"):
        assert cell(figure) == shown
