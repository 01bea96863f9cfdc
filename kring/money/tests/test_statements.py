"""The office runs the month: a statement per coordinator (PDF) whose total is the sum of its
lines to the cent, and a payment file with valid IBANs only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.money import documents, domain
from kring.money.models import Line, LineStatus, Rate, Statement, cents
from kring.money.tests.conftest import last_month_day

pytestmark = pytest.mark.django_db


def _approved(case, coordinator, manager, *, hours: str, km: str = "0", day: int = 10) -> Line:
    line = domain.record_hours(
        case,
        by=coordinator,
        worked_on=last_month_day(day),
        activity="circle",
        hours=Decimal(hours),
        kilometres=Decimal(km),
    )
    domain.submit_month(line.month, by=coordinator)
    return domain.review_line(line, by=manager, approve=True)


def test_totals_equal_the_sum_of_their_lines_to_the_cent(coordinator, case, manager, office, rate):
    rate.hourly_fee, rate.km_allowance = Decimal("33.33"), Decimal("0.19")
    rate.save()
    # 0,25 × 33,33 = 8,3325 and 13,5 × 0,19 = 2,565: each rounds on its own line.
    lines = [
        _approved(case, coordinator, manager, hours="0.25", km="13.5", day=day) for day in (3, 4, 5)
    ]
    assert {line.amount for line in lines} == {Decimal("8.33") + Decimal("2.57")}
    (statement,) = domain.run_month(lines[0].month, by=office)
    assert statement.total == sum(line.amount for line in lines) == Decimal("32.70")
    assert statement.total == statement.fees + statement.km_amount + statement.expenses
    assert statement.hours == Decimal("0.75")


@settings(max_examples=40, deadline=None)
@given(
    parts=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=40),  # quarters
            st.decimals(min_value=0, max_value=400, places=1),
        ),
        min_size=1,
        max_size=12,
    ),
    fee=st.decimals(min_value=0, max_value=150, places=2),
)
def test_statement_sums_are_the_sums_of_the_line_amounts(parts, fee):
    rate = Rate(hourly_fee=fee, km_allowance=Decimal("0.23"), expense_cap=Decimal(0))
    lines = []
    for quarters, km in parts:
        line = Line(hours=Decimal(quarters) / 4, kilometres=km, rate=rate)
        line.amount = domain.line_amount(line, rate)
        lines.append(line)
    sums = domain.statement_sums(lines)
    assert sums["total"] == sum(line.amount for line in lines)
    assert sums["total"] == sums["fees"] + sums["km_amount"] + sums["expenses"]
    assert sums["total"] == cents(sums["total"])


def test_the_office_runs_the_month_and_downloads_statement_and_payment_file(
    client, coordinator, case, manager, office
):
    domain.save_bank_account(by=coordinator, iban="NL91ABNA0417164300", holder="A. de Vries")
    line = _approved(case, coordinator, manager, hours="2.5", km="40")
    client.force_login(office)
    response = client.post(reverse("money:months"), {"month": f"{line.month:%Y-%m}"})
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.iban == "NL91ABNA0417164300"
    pdf = client.get(reverse("money:statement_pdf", args=[statement.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    csv = client.get(reverse("money:payments_csv"), {"maand": f"{line.month:%Y-%m}"})
    text = csv.content.decode("utf-8-sig")
    assert "NL91ABNA0417164300;A. de Vries;121,70;EUR" in text  # 2,5 × 45 + 40 × 0,23
    # Running it again makes nothing twice; a line approved later goes on next month's.
    assert domain.run_month(line.month, by=office) == []
    assert Line.objects.get(pk=line.pk).statement == statement


def test_the_coordinator_opens_their_own_statement_and_not_anothers(
    client, coordinator, case, manager, office
):
    line = _approved(case, coordinator, manager, hours="1")
    (statement,) = domain.run_month(line.month, by=office)
    client.force_login(coordinator)
    assert client.get(reverse("money:statement_pdf", args=[statement.pk])).status_code == 200
    from kring.accounts.models import Role
    from kring.factories import UserFactory

    client.force_login(UserFactory(role=Role.COORDINATOR))
    assert client.get(reverse("money:statement_pdf", args=[statement.pk])).status_code == 404


def test_an_invalid_iban_is_a_form_error_and_stays_out_of_the_payment_file(
    coordinator_client, coordinator
):
    url = reverse("money:bank_account")
    response = coordinator_client.post(url, {"iban": "NL91ABNA0417164301", "holder": "A"})
    assert response.status_code == 400
    assert "geen geldig IBAN" in response.content.decode()
    response = coordinator_client.post(url, {"iban": "nl91 abna 0417 1643 00", "holder": "A"})
    assert response.status_code == 302
    assert coordinator.bank_account.iban == "NL91ABNA0417164300"
    broken = Statement(iban="NL00XXXX", holder="X", total=Decimal(10), month=last_month_day(1))
    assert list(documents.payment_rows([broken])) == [documents.PAYMENT_HEADERS]
    assert documents.unpayable([broken]) == [broken]


def test_an_old_window_does_not_put_back_a_replaced_account_number(coordinator_client, coordinator):
    from kring.accounts.testing import seen_on

    url = reverse("money:bank_account")
    domain.save_bank_account(by=coordinator, iban="NL91ABNA0417164300", holder="A. de Vries")
    laptop = seen_on(coordinator_client.get(url).content)
    phone = seen_on(coordinator_client.get(url).content)
    new = {"iban": "NL44RABO0123456789", "holder": "A. de Vries", "seen": phone}
    assert coordinator_client.post(url, new).status_code == 302
    stale = {"iban": "NL91ABNA0417164300", "holder": "Anna de Vries", "seen": laptop}
    refused = coordinator_client.post(url, stale)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "<dd>NL44RABO0123456789</dd>" in page and 'value="Anna de Vries"' in page
    coordinator.bank_account.refresh_from_db()
    assert coordinator.bank_account.iban == "NL44RABO0123456789"
    again = {**stale, "seen": seen_on(refused.content)}
    assert coordinator_client.post(url, again).status_code == 302
    coordinator.bank_account.refresh_from_db()
    assert coordinator.bank_account.holder == "Anna de Vries"


def test_a_month_not_over_yet_is_not_run(office):
    from django.utils import timezone

    with pytest.raises(domain.MoneyRefused):
        domain.run_month(timezone.localdate(), by=office)


def test_a_line_not_approved_is_on_no_statement(coordinator, case, office):
    line = domain.record_hours(
        case, by=coordinator, worked_on=last_month_day(), activity="circle", hours=Decimal(1)
    )
    domain.submit_month(line.month, by=coordinator)
    assert domain.run_month(line.month, by=office) == []
    assert Line.objects.get(pk=line.pk).status == LineStatus.SUBMITTED
