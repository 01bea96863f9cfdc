"""Funders' contracts, their use, and invoices: numbered without gaps, credit notes instead
of edits, cases by reference only, the EN 16931 XML inside the PDF."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Organisation, Region, Role
from kring.cases.models import Status
from kring.factories import OrganisationFactory, UserFactory, a_case
from kring.money import invoicing
from kring.money.models import Contract, Invoice, InvoiceCounter, InvoiceKind
from kring.money.tests.conftest import last_month_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def funder(db: None) -> Organisation:
    return OrganisationFactory(name="Gemeente Utrecht", kind=Organisation.Kind.MUNICIPALITY)


@pytest.fixture
def contract(funder, office, utrecht) -> Contract:
    today = timezone.localdate()
    return invoicing.add_contract(
        funder,
        by=office,
        regions=[utrecht],
        reference="INK-2026-0042",
        starts_on=date(today.year - 1, 1, 1),
        ends_on=date(today.year + 1, 12, 31),
        pricing="per_conference",
        price=Decimal("1850.00"),
        cap=2,
        invoicing="monthly",
        invoice_address="Postbus 16200\n3500 CE Utrecht",
    )


def _held_on(case: Any, day: date) -> Any:
    """The conference's date is data, not a status: put it on ``day`` (last month)."""
    type(case.conference).objects.filter(pk=case.conference.pk).update(held_on=day)
    return case


def test_a_month_is_invoiced_once_with_gapless_numbers_and_a_credit_note_reopens_it(
    contract, funder, office
):
    first = _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(5))
    second = _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(20))
    month = last_month_day(1)
    (invoice,) = invoicing.issue_invoices(month, by=office)
    year = timezone.localdate().year
    assert invoice.number == f"{year}-00001"
    assert invoice.total == Decimal("3700.00") == sum(line.amount for line in invoice.lines.all())
    descriptions = " ".join(invoice.lines.values_list("description", flat=True))
    assert first.request.reference in descriptions and second.request.reference in descriptions
    for person in first.request.main_persons.all():
        assert person.name not in descriptions
    with pytest.raises(invoicing.MoneyRefused, match="niets"):
        invoicing.issue_invoices(month, by=office)
    note = invoicing.credit_invoice(invoice, by=office, reason="Verkeerde financier")
    assert (note.kind, note.number, note.total) == (
        InvoiceKind.CREDIT_NOTE,
        f"{year}-00002",
        Decimal("-3700.00"),
    )
    with pytest.raises(invoicing.MoneyRefused, match="al gecrediteerd"):
        invoicing.credit_invoice(invoice, by=office, reason="nog eens")
    (again,) = invoicing.issue_invoices(month, by=office)
    assert again.number == f"{year}-00003"
    assert list(Invoice.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
        3,
    ]


def test_a_contract_per_conference_invoices_each_conference_on_its_own(contract, funder, office):
    contract.invoicing = "per_conference"
    contract.save()
    _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(5))
    _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(6))
    assert len(invoicing.issue_invoices(last_month_day(1), by=office)) == 2


def test_a_case_of_another_funder_or_region_is_not_on_the_invoice(contract, funder, office):
    _held_on(
        a_case(at=Status.HELD, funder=OrganisationFactory(name="Woonstichting")), last_month_day(5)
    )
    case = _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(5))
    case.region = Region.objects.get(slug="groningen")
    case.save(update_fields=["region"])
    with pytest.raises(invoicing.MoneyRefused):
        invoicing.issue_invoices(last_month_day(1), by=office)


def test_contract_use_warns_at_eighty_percent(contract, funder, coordinator):
    use = invoicing.contract_use(contract)
    assert (use.used, use.coming, use.warn) == (0, 0, False)
    _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(5))
    a_case(at=Status.PREPARATION, funder=funder, coordinator=coordinator)
    a_case(at=Status.PLANNED, funder=funder)
    use = invoicing.contract_use(contract)
    assert (use.used, use.coming, use.share, use.warn) == (1, 2, 50, False)
    assert use.over_with_coming
    _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(6))
    assert invoicing.contract_use(contract).warn


def test_the_office_makes_invoices_on_its_page_and_the_pdf_carries_factur_x(
    client, contract, funder, office
):
    import facturx

    _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(5))
    client.force_login(office)
    response = client.post(reverse("money:invoices"), {"month": f"{last_month_day(1):%Y-%m}"})
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    pdf = client.get(reverse("money:invoice_pdf", args=[invoice.pk]))
    assert pdf.status_code == 200
    _name, xml = facturx.get_xml_from_pdf(pdf.content, check_xsd=True)
    assert invoice.number.encode() in xml
    assert b"INK-2026-0042" in xml
    assert b"1850.00" in xml
    page = client.get(reverse("money:contracts")).content.decode()
    assert "Gemeente Utrecht" in page
    response = client.post(
        reverse("money:credit", args=[invoice.pk]), {f"c{invoice.pk}-reason": ""}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("money:credit", args=[invoice.pk]), {f"c{invoice.pk}-reason": "Dubbel"}
    )
    assert response.status_code == 302
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    _name, xml = facturx.get_xml_from_pdf(
        client.get(reverse("money:invoice_pdf", args=[note.pk])).content, check_xsd=True
    )
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml


def test_a_contract_form_refuses_an_end_before_its_start_and_hostile_values(client, office, funder):
    client.force_login(office)
    data = {
        "funder": funder.pk,
        "reference": "X",
        "starts_on": "2026-05-01",
        "ends_on": "2026-04-01",
        "pricing": "per_hour",
        "price": "95,00",
        "invoicing": "monthly",
        "invoice_address": "Postbus 1",
        "regions": [Region.objects.get(slug="utrecht").pk],
    }
    response = client.post(reverse("money:contracts"), data)
    assert response.status_code == 400
    assert "eindigt na de begindatum" in response.content.decode()
    for field, value in [("price", str(2**70)), ("cap", str(2**70)), ("funder", str(2**70))]:
        bad = {**data, "ends_on": "2026-12-31", field: value}
        assert client.post(reverse("money:contracts"), bad).status_code == 400
    assert (
        client.post(reverse("money:contracts"), {**data, "reference": "a\x00"}).status_code == 400
    )
    assert not Contract.objects.exists()


def test_a_per_hour_contract_invoices_the_approved_hours(
    funder, office, utrecht, rate, coordinator
):
    from kring.money import domain

    contract = invoicing.add_contract(
        funder,
        by=office,
        regions=[utrecht],
        reference="UUR",
        starts_on=date(2020, 1, 1),
        ends_on=date(2100, 1, 1),
        pricing="per_hour",
        price=Decimal("95.00"),
        cap=None,
        invoicing="monthly",
        invoice_address="Postbus 1",
    )
    case = a_case(
        at=Status.PREPARATION,
        coordinator=coordinator,
        funder=funder,
        submitted_at=timezone.now() - timedelta(days=70),
    )
    manager = UserFactory(role=Role.MANAGER, regions=[utrecht])
    for hours in ("2.25", "1.5"):
        line = domain.record_hours(
            case,
            by=coordinator,
            worked_on=last_month_day(),
            activity="circle",
            hours=Decimal(hours),
        )
        domain.submit_month(line.month, by=coordinator)
        domain.review_line(line, by=manager, approve=True)
    (invoice,) = invoicing.issue_invoices(last_month_day(1), by=office)
    assert invoice.contract == contract
    assert invoice.total == Decimal("356.25")  # 3,75 × 95


# ---------- Gapless under concurrency (PostgreSQL: invoicers really run side by side) ----------

THREADS = 6
ROUNDS = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_invoicers_get_gapless_numbers_without_doubles():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one at a time: the lock is PostgreSQL's to prove")
    year = 2031
    start = threading.Barrier(THREADS)
    taken: list[int] = []
    errors: list[BaseException] = []

    def invoicer(number: int) -> None:
        try:
            start.wait()
            for round_ in range(ROUNDS):
                with transaction.atomic():
                    sequence, _label = invoicing.next_number(year)
                    if (number + round_) % 4 == 0:
                        # A rolled back invoice gives its number back: no gap.
                        transaction.set_rollback(True)
                        continue
                    taken.append(sequence)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=invoicer, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(taken) == list(range(1, len(taken) + 1))
    assert InvoiceCounter.objects.get(year=year).last == len(taken)


def test_the_office_ends_a_contract_earlier_with_a_log_row(client, contract, office, manager):
    from kring.audit.models import Action, AuditEvent, Outcome

    url = reverse("money:end_contract", args=[contract.pk])
    field = f"e{contract.pk}-ends_on"
    client.force_login(office)
    assert 'action="' + url + '"' in client.get(reverse("money:contracts")).content.decode()
    old_end = contract.ends_on
    for value, error in [
        (old_end.isoformat(), "vóór het huidige einde"),
        ("9999-12-31", "tussen 1900 en 2100"),
        ("2000-01-01", "kan niet eerder eindigen"),
        ("2026-02-30", "geldige datum"),
        ("a\x00", "geldige datum"),
        (str(2**70), "geldige datum"),
    ]:
        response = client.post(url, {field: value})
        assert response.status_code == 400, value
        assert error in response.content.decode(), value
    contract.refresh_from_db()
    assert contract.ends_on == old_end
    new_end = timezone.localdate() + timedelta(days=30)
    response = client.post(url, {field: new_end.isoformat()})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.ends_on == new_end
    event = AuditEvent.objects.get(action=Action.CONTRACT_ENDED, outcome=Outcome.OK)
    assert (event.actor, event.detail["old"], event.detail["new"]) == (
        office,
        old_end.isoformat(),
        new_end.isoformat(),
    )
    client.force_login(manager)
    assert client.post(url, {field: new_end.isoformat()}).status_code == 403
    client.force_login(office)
    assert client.post(reverse("money:end_contract", args=[2**31]), {}).status_code == 404


def test_a_contract_does_not_end_before_a_month_it_invoiced(contract, funder, office):
    _held_on(a_case(at=Status.HELD, funder=funder), last_month_day(5))
    (invoice,) = invoicing.issue_invoices(last_month_day(1), by=office)
    with pytest.raises(invoicing.MoneyRefused, match="al gefactureerd"):
        invoicing.end_contract(contract, by=office, ends_on=last_month_day(20))
    invoicing.credit_invoice(invoice, by=office, reason="Contract eerder beëindigd")
    ended = invoicing.end_contract(contract, by=office, ends_on=last_month_day(20))
    assert ended.ends_on == last_month_day(20)
