"""On the national demo data the dashboard shows the published figures of domain.md.

The national demo is 100,000 requests over eight years; drawing it takes minutes, so this is
one test, run in the PostgreSQL run of CI (where the other heavy tests live).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from kring.accounts.models import User
from kring.stats.figures import Dashboard, Filters, dashboard

# Percentage points either way: the demo draws each case at random around the published
# figure, so with tens of thousands of cases the result lands within a point or two.
TOLERANCE = 3.0
PUBLISHED = [
    ("funnel", "Conferentie gehouden", 1, 70),
    ("funnel", "Plan zonder conferentie", 1, 15),
    ("funnel", "Gestopt tijdens de voorbereiding", 1, 15),
    ("plans", "Conferenties met een plan", 0, 90),
    ("plans", "Afspraken met professionele hulp", 0, 20),
    ("implementation", "Geheel uitgevoerd", 0, 40),
    ("implementation", "Deels uitgevoerd", 0, 50),
    ("implementation", "Niet uitgevoerd", 0, 10),
]


def _value(board: Dashboard, key: str, label: str, column: int) -> float:
    value = dict(board.table(key).rows)[label][column].value
    assert value is not None, (key, label)
    return float(value)


@pytest.mark.postgres
@pytest.mark.slow
# Transactional, so the 100,000 requests go with a TRUNCATE afterwards: rolled back, they
# would stay as dead rows that every later COUNT(*) in this process scans until a vacuum
# (the hostile-forms crawl counts every table after each attack: minutes instead of seconds).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_national_demo_shows_the_published_figures() -> None:
    call_command("demo", scale="national", seed=1, stdout=io.StringIO(), verbosity=0)
    board = dashboard(User.objects.get(email="beheer@kring.example"), Filters())

    assert board.cases >= 100_000
    measured = {(key, label): _value(board, key, label, col) for key, label, col, _ in PUBLISHED}
    off = {
        figure: (value, published)
        for (key, label, _col, published), (figure, value) in zip(
            PUBLISHED, measured.items(), strict=True
        )
        if abs(value - published) > TOLERANCE
    }
    assert not off, f"measured vs published, beyond {TOLERANCE} points: {off}"
    per_plan = float(board.table("plans").note.split()[1].replace(",", "."))
    assert per_plan == pytest.approx(15, abs=1)
