"""The demo has realistic money: hours around 30 per conference, statements that add up,
contracts and invoices, and lines waiting for review."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from statistics import fmean
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from kring.demo.generate import SCALES, generate
from kring.money.models import (
    Contract,
    Invoice,
    Line,
    LineKind,
    LineStatus,
    Rate,
    Statement,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_the_demo_has_hours_statements_contracts_and_invoices(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    generate(seed=7, scale=SCALES["small"], now=NOW)
    assert Rate.objects.count() == 2  # a change on 1 January
    held = (
        Line.objects.filter(kind=LineKind.HOURS, case__conference__isnull=False)
        .values("case_id")
        .annotate(hours=Sum("hours"))
    )
    average = fmean(float(row["hours"]) for row in held)
    assert 24 <= average <= 36, average
    assert Line.objects.filter(status=LineStatus.SUBMITTED).exists()
    assert Line.objects.filter(kind=LineKind.EXPENSE).exists()
    for statement in Statement.objects.all()[:50]:
        assert statement.total == sum(
            (line.amount for line in statement.lines.all()), Decimal("0.00")
        )
    assert Contract.objects.exists()
    assert Invoice.objects.exists()
    assert not Line.objects.filter(status=LineStatus.APPROVED, statement__isnull=True).exists()
