"""The office's money pages: rates and norms, running a month (statements and the payment
file), funders' contracts and their use, invoices and credit notes. Statements are also
opened by their own coordinator."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.accounts.once import once_per_form
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import access
from kring.lib.errors import refused
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.pdf import pdf_response
from kring.lib.ratelimits import limited
from kring.lib.spreadsheet import csv_download
from kring.money import documents, domain, invoicing
from kring.money.forms import (
    ContractForm,
    CreditForm,
    EndContractForm,
    MonthForm,
    NormForm,
    RateForm,
)
from kring.money.models import (
    Contract,
    Invoice,
    Norm,
    Rate,
    Statement,
    first_of_month,
    variant_choices,
)

OFFICE = (Role.OFFICE,)
PAST_MONTHS = 12


def past_months(count: int = PAST_MONTHS) -> list[date]:
    """The last ``count`` months that are over, newest first."""
    months, month = [], first_of_month(timezone.localdate())
    for _i in range(count):
        month = first_of_month(month - timedelta(days=1))
        months.append(month)
    return months


# ---------- Rates and norms ----------


@role_required(*OFFICE)
@once_per_form
def rates(
    request: AuthenticatedHttpRequest,
    rate_form: RateForm | None = None,
    norm_form: NormForm | None = None,
) -> HttpResponse:
    if request.method == "POST" and rate_form is None:
        rate_form = RateForm(request.POST)
        if rate_form.is_valid():
            with refused(rate_form, domain.MoneyRefused, field="starts_on") as refusal:
                domain.add_rate(by=request.user, **rate_form.cleaned_data)
            if not refusal:
                messages.success(request, _("Het nieuwe tarief is vastgelegd."))
                return redirect("money:rates")
    bad = bool((rate_form and rate_form.errors) or (norm_form and norm_form.errors))
    norms = dict(Norm.objects.values_list("variant", "hours"))
    context = {
        "rates": Rate.objects.all()[:50],
        "today": timezone.localdate(),
        "rate_form": rate_form or RateForm(),
        "norm_form": norm_form or NormForm(),
        "norms": [
            (label, norms.get(value, domain.DEFAULT_NORM_HOURS))
            for value, label in variant_choices()
        ],
    }
    return render(request, "money/rates.html", context, status=400 if bad else 200)


@role_required(*OFFICE)
@require_POST
def set_norm(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NormForm(request.POST)
    if not form.is_valid():
        return rates(request, rate_form=RateForm(), norm_form=form)
    domain.set_norm(form.cleaned_data["variant"], form.cleaned_data["hours"], by=request.user)
    messages.success(request, _("De norm is vastgelegd."))
    return redirect("money:rates")


# ---------- Running a month: statements and payments ----------


@role_required(*OFFICE)
def months(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MonthForm(request.POST or None, months=past_months())
    if request.method == "POST" and form.is_valid():
        with refused(form, domain.MoneyRefused, field="month") as refusal:
            made = domain.run_month(form.chosen(), by=request.user)
        if not refusal:
            messages.success(
                request, _("%(count)s maandoverzichten gemaakt.") % {"count": len(made)}
            )
            return redirect(f"{request.path}?maand={form.chosen():%Y-%m}")
    shown = _shown_month(request)
    statements = list(
        Statement.objects.filter(month=shown)
        .select_related("coordinator")
        .order_by("coordinator__last_name")
    )
    context = {
        "form": form,
        "shown": shown,
        "pick": MonthForm(initial={"month": f"{shown:%Y-%m}"}, months=past_months()),
        "statements": statements,
        "unpayable": documents.unpayable(statements),
        "total": sum((s.total for s in statements), domain.ZERO),
    }
    return render(request, "money/months.html", context, status=400 if form.errors else 200)


def _shown_month(request: AuthenticatedHttpRequest) -> date:
    """The month asked for in ?maand=, if it is one of the choices; else the last one."""
    pick = MonthForm({"month": request.GET.get("maand", "")}, months=past_months())
    return pick.chosen() if pick.is_valid() else past_months(1)[0]


@role_required(*OFFICE)
@limited("csv", "KRING_RATE_CSV")
def payments_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    month = _shown_month(request)
    statements = list(Statement.objects.filter(month=month).order_by("pk"))
    rows = list(documents.payment_rows(statements))
    domain.note_payments_exported(month, by=request.user, rows=len(rows) - 1)
    return csv_download(rows, f"kring-betalingen-{month:%Y-%m}.csv")


@role_required(Role.OFFICE, Role.COORDINATOR)
@limited("pdf", "KRING_RATE_PDF")
def statement_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statements = Statement.objects.select_related("coordinator")
    if request.user.is_coordinator:
        statement = access.own(request, statements, pk, owner="coordinator")
    else:
        statement = statements.filter(pk=pk).first() or access.deny(request, statement_id=pk)
    domain.note_statement_viewed(statement, by=request.user)
    return pdf_response(documents.statement_pdf(statement), f"{statement.reference}.pdf")


# ---------- Funders and contracts ----------


@role_required(*OFFICE)
@once_per_form
def contracts(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        funder, regions = data.pop("funder"), list(data.pop("regions"))
        invoicing.add_contract(funder, by=request.user, regions=regions, **data)
        messages.success(request, _("Het contract is vastgelegd."))
        return redirect("money:contracts")
    return _contracts_page(request, form)


def _contracts_page(
    request: AuthenticatedHttpRequest, form: ContractForm, bound: EndContractForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for contract in Contract.objects.select_related("funder").prefetch_related("regions"):
        prefix = f"e{contract.pk}"
        end_form = None
        if contract.ends_on >= today:  # a contract that is over is not ended again
            end_form = (
                bound
                if bound is not None and bound.prefix == prefix
                else EndContractForm(prefix=prefix)
            )
        rows.append((invoicing.contract_use(contract), end_form))
    context = {
        "form": form,
        "rows": rows,
        "without_funder": invoicing.funders_without_contract_cases().count(),
    }
    bad = bool(form.errors or (bound is not None and bound.errors))
    return render(request, "money/contracts.html", context, status=400 if bad else 200)


@role_required(*OFFICE)
@require_POST
def end_contract(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = Contract.objects.filter(pk=pk).first() or access.deny(request, contract_id=pk)
    form = EndContractForm(request.POST, prefix=f"e{contract.pk}")
    if form.is_valid():
        with refused(form, domain.MoneyRefused, field="ends_on") as refusal:
            invoicing.end_contract(contract, by=request.user, ends_on=form.cleaned_data["ends_on"])
        if not refusal:
            messages.success(
                request,
                _("Het contract met %(funder)s eindigt nu op %(date)s.")
                % {
                    "funder": contract.funder,
                    "date": date_format(form.cleaned_data["ends_on"], "j F Y"),
                },
            )
            return redirect("money:contracts")
    return _contracts_page(request, ContractForm(), form)


# ---------- Invoices ----------


def _get_invoice(request: AuthenticatedHttpRequest, pk: int) -> Invoice:
    invoices = Invoice.objects.select_related("contract__funder", "credits")
    return invoices.filter(pk=pk).first() or access.deny(request, invoice_id=pk)


@role_required(*OFFICE)
def invoices(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MonthForm(request.POST or None, months=past_months())
    if request.method == "POST" and form.is_valid():
        with refused(form, domain.MoneyRefused, field="month") as refusal:
            made = invoicing.issue_invoices(form.chosen(), by=request.user)
        if not refusal:
            messages.success(request, _("%(count)s facturen gemaakt.") % {"count": len(made)})
            return redirect("money:invoices")
    return _invoices_page(request, form)


def _invoices_page(
    request: AuthenticatedHttpRequest, form: MonthForm, bound: CreditForm | None = None
) -> HttpResponse:
    listed = Invoice.objects.select_related("contract__funder", "credits", "credit_note")[:100]
    rows = [
        (
            invoice,
            bound
            if bound is not None and bound.prefix == f"c{invoice.pk}"
            else CreditForm(prefix=f"c{invoice.pk}"),
        )
        for invoice in listed
    ]
    bad = bool(form.errors or (bound is not None and bound.errors))
    return render(
        request, "money/invoices.html", {"form": form, "rows": rows}, status=400 if bad else 200
    )


@role_required(*OFFICE)
@limited("pdf", "KRING_RATE_PDF")
def invoice_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice = _get_invoice(request, pk)
    record(request.user, Action.INVOICE_VIEWED, obj=invoice, number=invoice.number)
    return pdf_response(documents.invoice_pdf(invoice), f"factuur-{invoice.number}.pdf")


@role_required(*OFFICE)
@require_POST
def credit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice = _get_invoice(request, pk)
    form = CreditForm(request.POST, prefix=f"c{invoice.pk}")
    if not form.is_valid():
        return _invoices_page(request, MonthForm(months=past_months()), form)
    with refused(request, domain.MoneyRefused) as refusal:
        note = invoicing.credit_invoice(
            invoice, by=request.user, reason=form.cleaned_data["reason"]
        )
    if not refusal:
        messages.success(request, _("Creditnota %(number)s gemaakt.") % {"number": note.number})
    return redirect("money:invoices")
