"""Money in the hostile-forms test's small world (kring/tests/test_hostile_forms.py), so that
its crawl meets every money page: a draft line with a receipt, a line waiting for review, a
statement, a contract and an invoice. Test support only; no product code imports it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kring.accounts.models import Region, Role
from kring.cases.models import INVOLVED_STATUSES, Case
from kring.money import domain, invoicing
from kring.money.models import Invoice, InvoiceKind, InvoiceLine, Rate, Statement

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def money_world(users: dict[str, Any]) -> None:
    coordinator, office = users[Role.COORDINATOR], users[Role.OFFICE]
    Rate.objects.create(
        starts_on=date(2000, 1, 1),
        hourly_fee=Decimal("45.00"),
        km_allowance=Decimal("0.23"),
        expense_cap=Decimal("250.00"),
    )
    case = (
        Case.objects.filter(coordinator=coordinator, status__in=INVOLVED_STATUSES)
        .order_by("pk")
        .first()
    )
    assert case is not None
    today = timezone.localdate()
    waiting = domain.record_hours(
        case, by=coordinator, worked_on=today, activity="circle", hours=Decimal(2)
    )
    domain.submit_month(waiting.month, by=coordinator)
    domain.record_expense(
        case,
        by=coordinator,
        worked_on=today,
        expense_kind="catering",
        amount=Decimal("12.50"),
        receipt=domain.ReceiptFile("bon.png", "image/png", PNG),
    )
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    Statement.objects.create(coordinator=coordinator, month=last_month, created_by=office)
    contract = invoicing.add_contract(
        case.request.funder or _funder(),
        by=office,
        regions=list(Region.objects.filter(slug="utrecht")),
        reference="WERELD-1",
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        pricing="per_conference",
        price=Decimal("1850.00"),
        cap=10,
        invoicing="monthly",
        invoice_address="Postbus 1",
    )
    sequence, number = invoicing.next_number(today.year)
    invoice = Invoice.objects.create(
        number=number,
        year=today.year,
        sequence=sequence,
        kind=InvoiceKind.INVOICE,
        contract=contract,
        period=last_month,
        issued_on=today,
        total=Decimal("1850.00"),
        created_by=office,
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        case=case,
        description=f"Eigen Kracht-conferentie {case.request.reference}",
        quantity=Decimal(1),
        unit_price=Decimal("1850.00"),
        amount=Decimal("1850.00"),
    )


def _funder() -> Any:
    from kring.accounts.models import Organisation

    return Organisation.objects.get_or_create(
        name="Gemeente Utrecht", defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )[0]
