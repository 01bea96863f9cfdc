"""A funder's system: its contracts' use and its invoices, as the money app computes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from kring.api.auth import KeyAuth, key_of
from kring.api.models import Scope
from kring.api.schemas import REFUSALS, ContractOut, Error, InvoiceOut
from kring.audit.log import record
from kring.audit.models import Action
from kring.lib.pdf import pdf_response
from kring.money import documents
from kring.money.invoicing import contract_use, due_on
from kring.money.models import Contract, Invoice, InvoiceKind

router = Router(auth=KeyAuth(Scope.FUNDING), tags=["financiering"])


def _invoiced(contract: Contract) -> Decimal:
    live = contract.invoices.filter(kind=InvoiceKind.INVOICE, credit_note__isnull=True)
    return live.aggregate(total=Sum("total"))["total"] or Decimal("0.00")


@router.get(
    "/funding/contracts",
    response={200: list[ContractOut], **REFUSALS},
    summary="De contracten van deze financier en hun gebruik",
    operation_id="list_contracts",
)
def list_contracts(request: HttpRequest) -> Any:
    contracts = Contract.objects.filter(funder=key_of(request).organisation).prefetch_related(
        "regions"
    )
    rows = []
    for contract in contracts:
        use = contract_use(contract)
        rows.append(
            {
                "reference": contract.reference,
                "starts_on": contract.starts_on,
                "ends_on": contract.ends_on,
                "pricing": contract.pricing,
                "price": f"{contract.price:.2f}",
                "cap": contract.cap,
                "regions": [region.name for region in contract.regions.all()],
                "used": use.used,
                "coming": use.coming,
                "share": use.share,
                "invoiced": f"{_invoiced(contract):.2f}",
            }
        )
    return rows


def _status(invoice: Invoice) -> str:
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return "credit_note"
    return "credited" if hasattr(invoice, "credit_note") else "open"


@router.get(
    "/funding/invoices",
    response={200: list[InvoiceOut], **REFUSALS},
    summary="De facturen en creditnota's aan deze financier",
    operation_id="list_invoices",
)
def list_invoices(request: HttpRequest) -> Any:
    invoices = Invoice.objects.filter(contract__funder=key_of(request).organisation).select_related(
        "contract", "credits", "credit_note"
    )
    return [
        {
            "number": invoice.number,
            "kind": invoice.kind,
            "status": _status(invoice),
            "contract": invoice.contract.reference,
            "period": invoice.period,
            "issued_on": invoice.issued_on,
            "due_on": due_on(invoice),
            "total": f"{invoice.total:.2f}",
            "credits": invoice.credits.number if invoice.credits else None,
        }
        for invoice in invoices
    ]


# An invoice number as Kring makes them (invoicing.next_number: "2026-00042").
INVOICE_NUMBER = r"^[0-9]{4}-[0-9]{1,10}$"


@router.get(
    "/funding/invoices/{number}/pdf",
    response={404: Error, **REFUSALS},
    summary="Eén factuur of creditnota als pdf (Factur-X, EN 16931)",
    operation_id="get_invoice_pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "De pdf, met de gestructureerde factuur (XML) erin.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_invoice_pdf(
    request: HttpRequest, number: str = Path(..., max_length=20, pattern=INVOICE_NUMBER)
) -> Any:
    """The same PDF the office sends, for the funder it is addressed to only."""
    key = key_of(request)
    invoice = Invoice.objects.filter(contract__funder=key.organisation, number=number).first()
    if invoice is None:
        return Status(404, {"detail": _("Deze factuur is niet gevonden.")})
    record(key.acts_for, Action.INVOICE_VIEWED, obj=invoice, number=number, prefix=key.prefix)
    return pdf_response(documents.invoice_pdf(invoice), f"factuur-{invoice.number}.pdf")
