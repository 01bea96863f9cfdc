"""Funders' contracts, their use, and invoices numbered without gaps.

Each state change (a contract added, the invoices of a month issued, an invoice credited) is
one function: checks, writes and the log row in one transaction. An invoice is never edited:
a credit note cancels it and the cases can be invoiced again.

A number is taken from the year's ``InvoiceCounter`` row under ``select_for_update``: a
second invoicer waits for the first to commit, so numbers have no gaps and no doubles (a
rolled back invoice rolls its number back with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.models import Case, Status
from kring.money.domain import MoneyRefused, _guarded, _month_end
from kring.money.models import (
    Contract,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    Invoicing,
    Line,
    LineKind,
    LineStatus,
    Pricing,
    cents,
    first_of_month,
)

if TYPE_CHECKING:
    from kring.accounts.models import Region, User

# Cases on the way: a coordinator works on them, the conference is still to come.
COMING_STATUSES = (Status.ASSIGNED, Status.PREPARATION, Status.PLANNED)
WARN_AT = Decimal("0.8")
PAYMENT_DAYS = 30
# The organisation that invoices; settings.KRING_SELLER overrides (name, address, KvK, VAT).
SELLER_DEFAULTS = {
    "name": "Eigen Kracht Centrale (demo)",
    "street": "Voorbeeldstraat 1",
    "postcode": "3511 AB",
    "city": "Utrecht",
    "country": "NL",
    "kvk": "00000000",
    "vat": "NL000000000B01",
    "iban": "NL91ABNA0417164300",
    "vat_exemption": "Vrijgesteld van btw (art. 11 lid 1 Wet OB)",
}


def seller() -> dict[str, str]:
    return {**SELLER_DEFAULTS, **getattr(settings, "KRING_SELLER", {})}


# ---------- Contracts and their use ----------


def add_contract(funder: Any, *, by: User, regions: list[Region], **fields: Any) -> Contract:
    def change() -> Contract:
        if not by.is_office:
            raise MoneyRefused(_("Alleen het landelijk bureau legt contracten vast."))
        contract = Contract.objects.create(funder=funder, **fields)
        contract.regions.set(regions)
        record(
            by,
            Action.CONTRACT_ADDED,
            obj=contract,
            funder=funder.pk,
            pricing=contract.pricing,
            price=str(contract.price),
            cap=contract.cap,
        )
        return contract

    return _guarded(Action.CONTRACT_ADDED, by, change)


def end_contract(contract: Contract, *, by: User, ends_on: date) -> Contract:
    """End a contract earlier than agreed (the funder stops, or a new contract takes over).
    What was invoiced stays as it is: the new end is not before the last day of a month
    already invoiced under the contract (credit those invoices first)."""

    def change() -> Contract:
        if not by.is_office:
            raise MoneyRefused(_("Alleen het landelijk bureau beëindigt contracten."))
        locked = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
        if ends_on >= locked.ends_on:
            raise MoneyRefused(
                _("Kies een datum vóór het huidige einde (%(end)s).")
                % {"end": date_format(locked.ends_on, "j F Y")},
                field="ends_on",
            )
        if ends_on < locked.starts_on:
            raise MoneyRefused(
                _("Het contract begint op %(start)s; het kan niet eerder eindigen.")
                % {"start": date_format(locked.starts_on, "j F Y")},
                field="ends_on",
            )
        invoiced = (
            Invoice.objects.filter(
                contract=locked, kind=InvoiceKind.INVOICE, credit_note__isnull=True
            )
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
        )
        if invoiced is not None and ends_on < _month_end(invoiced):
            raise MoneyRefused(
                _(
                    "Er is al gefactureerd tot en met %(month)s. Kies een datum daarna, of "
                    "crediteer eerst die facturen."
                )
                % {"month": date_format(invoiced, "F Y")},
                field="ends_on",
            )
        old = locked.ends_on
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
        record(
            by,
            Action.CONTRACT_ENDED,
            obj=locked,
            funder=locked.funder_id,
            old=old.isoformat(),
            new=ends_on.isoformat(),
        )
        return locked

    return _guarded(Action.CONTRACT_ENDED, by, change, contract_id=contract.pk)


def covered_cases(contract: Contract) -> QuerySet[Case]:
    """The funder's cases in the contract's regions."""
    return Case.objects.filter(
        request__funder=contract.funder_id, region__in=contract.regions.all()
    )


def _held_in(contract: Contract, start: date, end: date) -> QuerySet[Case]:
    start, end = max(start, contract.starts_on), min(end, contract.ends_on)
    return covered_cases(contract).filter(
        conference__held_on__gte=start, conference__held_on__lte=end
    )


@dataclass(frozen=True)
class ContractUse:
    contract: Contract
    used: int
    coming: int

    @property
    def share(self) -> int | None:
        cap = self.contract.cap
        return int(self.used * 100 / cap) if cap else None

    @property
    def warn(self) -> bool:
        cap = self.contract.cap
        return cap is not None and cap > 0 and self.used >= cap * WARN_AT

    @property
    def over_with_coming(self) -> bool:
        cap = self.contract.cap
        return cap is not None and self.used + self.coming > cap


def contract_use(contract: Contract) -> ContractUse:
    used = _held_in(contract, contract.starts_on, contract.ends_on).count()
    coming = covered_cases(contract).filter(status__in=COMING_STATUSES).count()
    return ContractUse(contract, used, coming)


# ---------- Invoices ----------


def _live_lines() -> QuerySet[InvoiceLine]:
    """Lines of invoices that count: issued and not credited."""
    return InvoiceLine.objects.filter(
        invoice__kind=InvoiceKind.INVOICE, invoice__credit_note__isnull=True
    )


@dataclass(frozen=True)
class Draft:
    case: Case
    description: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return cents(self.quantity * self.unit_price)


def drafts_for(contract: Contract, month: date) -> list[Draft]:
    """What the contract lets us invoice for the month and was not invoiced before."""
    start, end = first_of_month(month), _month_end(month)
    if contract.pricing == Pricing.PER_CONFERENCE:
        done = _live_lines().filter(invoice__contract=contract).values("case_id")
        cases = _held_in(contract, start, end).exclude(pk__in=done).select_related("request")
        return [
            Draft(
                case,
                _("Eigen Kracht-conferentie %(ref)s") % {"ref": case.request.reference},
                Decimal(1),
                contract.price,
            )
            for case in cases.order_by("conference__held_on", "pk")
        ]
    done = _live_lines().filter(invoice__contract=contract, invoice__period=start).values("case_id")
    hours = (
        Line.objects.filter(
            kind=LineKind.HOURS,
            status=LineStatus.APPROVED,
            worked_on__gte=max(start, contract.starts_on),
            worked_on__lte=min(end, contract.ends_on),
            case__in=covered_cases(contract),
        )
        .exclude(case_id__in=done)
        .values("case_id")
        .annotate(total=Sum("hours"))
        .order_by("case_id")
    )
    by_pk = Case.objects.select_related("request").in_bulk([row["case_id"] for row in hours])
    return [
        Draft(
            by_pk[row["case_id"]],
            _("Uren coördinator %(ref)s") % {"ref": by_pk[row["case_id"]].request.reference},
            row["total"],
            contract.price,
        )
        for row in hours
    ]


def next_number(year: int) -> tuple[int, str]:
    """The year's next invoice number, taken under the counter row's lock (call inside the
    transaction that saves the invoice)."""
    InvoiceCounter.objects.get_or_create(year=year)
    counter = InvoiceCounter.objects.select_for_update(of=("self",)).get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}-{counter.last:05d}"


def _issue(contract: Contract, month: date, drafts: list[Draft], by: User) -> Invoice:
    today = timezone.localdate()
    sequence, number = next_number(today.year)
    invoice = Invoice.objects.create(
        number=number,
        year=today.year,
        sequence=sequence,
        kind=InvoiceKind.INVOICE,
        contract=contract,
        period=first_of_month(month),
        issued_on=today,
        total=sum((draft.amount for draft in drafts), Decimal("0.00")),
        created_by=by,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            case=draft.case,
            description=draft.description,
            quantity=draft.quantity,
            unit_price=draft.unit_price,
            amount=draft.amount,
        )
        for draft in drafts
    )
    record(by, Action.INVOICE_ISSUED, obj=invoice, number=number, total=str(invoice.total))
    return invoice


def issue_invoices(month: date, *, by: User) -> list[Invoice]:
    """The month's invoices for every contract: one per funder and month, or one per
    conference where the contract says so. Nothing is invoiced twice."""

    def change() -> list[Invoice]:
        if not by.is_office:
            raise MoneyRefused(_("Alleen het landelijk bureau maakt facturen."))
        if first_of_month(month) >= first_of_month(timezone.localdate()):
            raise MoneyRefused(_("Een maand wordt gefactureerd als hij voorbij is."))
        start, end = first_of_month(month), _month_end(month)
        contracts = Contract.objects.filter(starts_on__lte=end, ends_on__gte=start).select_related(
            "funder"
        )
        issued: list[Invoice] = []
        for contract in contracts.order_by("pk"):
            drafts = drafts_for(contract, month)
            if not drafts:
                continue
            if contract.invoicing == Invoicing.PER_CONFERENCE:
                issued += [_issue(contract, month, [draft], by) for draft in drafts]
            else:
                issued.append(_issue(contract, month, drafts, by))
        if not issued:
            raise MoneyRefused(_("Er is voor deze maand niets (meer) te factureren."))
        return issued

    return _guarded(Action.INVOICE_ISSUED, by, change, month=f"{month:%Y-%m}")


def credit_invoice(invoice: Invoice, *, by: User, reason: str) -> Invoice:
    """A credit note for the whole invoice, numbered in the same series; its cases can be
    invoiced again."""

    def change() -> Invoice:
        if not by.is_office:
            raise MoneyRefused(_("Alleen het landelijk bureau crediteert facturen."))
        locked = Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)
        if locked.kind != InvoiceKind.INVOICE:
            raise MoneyRefused(_("Een creditnota wordt niet zelf gecrediteerd."))
        if Invoice.objects.filter(credits=locked).exists():
            raise MoneyRefused(_("Deze factuur is al gecrediteerd."))
        today = timezone.localdate()
        sequence, number = next_number(today.year)
        note = Invoice.objects.create(
            number=number,
            year=today.year,
            sequence=sequence,
            kind=InvoiceKind.CREDIT_NOTE,
            contract=locked.contract,
            period=locked.period,
            issued_on=today,
            total=-locked.total,
            credits=locked,
            reason=reason,
            created_by=by,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=note,
                case_id=line.case_id,
                description=line.description,
                quantity=-line.quantity,
                unit_price=line.unit_price,
                amount=-line.amount,
            )
            for line in locked.lines.all()
        )
        # The reason is free text: it is printed on the credit note, not written in the log.
        record(by, Action.INVOICE_CREDITED, obj=note, number=number, credits=locked.number)
        return note

    return _guarded(Action.INVOICE_CREDITED, by, change, invoice_id=invoice.pk)


def due_on(invoice: Invoice) -> date:
    return invoice.issued_on + timedelta(days=PAYMENT_DAYS)


def funders_without_contract_cases() -> QuerySet[Case]:
    """Open cases whose request names no funder: someone must still find who pays."""
    return Case.objects.open().filter(Q(request__funder__isnull=True))
