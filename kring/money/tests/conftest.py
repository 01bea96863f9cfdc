"""Money fixtures: a rate in force, a coordinator with a case in preparation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kring.cases.models import Case, Status
from kring.factories import make_case
from kring.money.models import Rate


def last_month_day(day: int = 10) -> date:
    """A day in the month before this one (a month the office can run)."""
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=day)


@pytest.fixture
def rate(db: None) -> Rate:
    return Rate.objects.create(
        starts_on=date(2020, 1, 1),
        hourly_fee=Decimal("45.00"),
        km_allowance=Decimal("0.23"),
        expense_cap=Decimal("250.00"),
    )


@pytest.fixture
def case(rate: Rate, coordinator: Any) -> Case:
    """In preparation since two months ago, so last month's hours can go on it."""
    return make_case(
        status=Status.PREPARATION,
        coordinator=coordinator,
        submitted_at=timezone.now() - timedelta(days=70),
    )
