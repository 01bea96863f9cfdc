"""The documents money makes: a coordinator's statement (PDF), the office's payment file
(CSV) and a funder's invoice (PDF with its EN 16931 XML inside: Factur-X).

Cases appear by their reference only, never with a family's name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from kring.lib.pdf import render_to_pdf
from kring.lib.spreadsheet import decimal
from kring.money.invoicing import due_on, seller
from kring.money.models import Invoice, InvoiceKind, Statement


def statement_pdf(statement: Statement) -> bytes:
    lines = statement.lines.select_related("case__request", "rate").order_by("worked_on", "pk")
    return render_to_pdf(
        "money/statement_pdf.html",
        {"statement": statement, "lines": lines, "coordinator": statement.coordinator},
    )


def valid_iban(value: str) -> bool:
    try:
        IBAN(value)
    except (SchwiftyException, ValueError):
        return False
    return True


PAYMENT_HEADERS = [
    "IBAN begunstigde",
    "Naam begunstigde",
    "Bedrag",
    "Valuta",
    "Omschrijving",
    "Betalingskenmerk",
]


def payment_rows(statements: Sequence[Statement]) -> Iterator[list[str]]:
    """One transfer per statement with a valid IBAN and something to pay (the page lists
    the others so the office can chase them)."""
    yield PAYMENT_HEADERS
    for statement in statements:
        if statement.total <= 0 or not valid_iban(statement.iban):
            continue
        yield [
            statement.iban,
            statement.holder,
            decimal(statement.total),
            "EUR",
            _("Honorarium en onkosten %(month)s") % {"month": f"{statement.month:%m-%Y}"},
            statement.reference,
        ]


def unpayable(statements: Sequence[Statement]) -> list[Statement]:
    return [s for s in statements if s.total > 0 and not valid_iban(s.iban)]


def _amount(value: Decimal) -> str:
    return f"{abs(value):.2f}"


def invoice_xml(invoice: Invoice) -> bytes:
    """The invoice as UN/CEFACT CII, profile EN 16931 (what Factur-X embeds). A credit note
    (type 381) carries positive amounts and refers to the invoice it cancels."""
    lines = list(invoice.lines.order_by("pk"))
    context: dict[str, Any] = {
        "invoice": invoice,
        "type_code": "381" if invoice.kind == InvoiceKind.CREDIT_NOTE else "380",
        "issued": f"{invoice.issued_on:%Y%m%d}",
        "due": f"{due_on(invoice):%Y%m%d}",
        "seller": seller(),
        "buyer": invoice.contract.funder,
        "contract": invoice.contract,
        "lines": [
            {
                "number": index,
                "description": line.description,
                "quantity": f"{abs(line.quantity):.2f}",
                "price": _amount(line.unit_price),
                "amount": _amount(line.amount),
            }
            for index, line in enumerate(lines, start=1)
        ],
        "total": _amount(invoice.total),
    }
    return render_to_string("money/invoice_cii.xml", context).encode("utf-8")


def invoice_pdf(invoice: Invoice) -> bytes:
    """The human-readable invoice with its structured twin inside (Factur-X, EN 16931)."""
    import facturx

    lines = invoice.lines.select_related("case").order_by("pk")
    pdf = render_to_pdf(
        "money/invoice_pdf.html",
        {"invoice": invoice, "lines": lines, "seller": seller(), "due_on": due_on(invoice)},
    )
    result: bytes = facturx.generate_from_binary(
        pdf, invoice_xml(invoice), flavor="factur-x", level="en16931", check_xsd=True
    )
    return result


def month_label(month: date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "F Y")
