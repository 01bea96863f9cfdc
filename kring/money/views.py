"""The coordinator's hours and expenses, the manager's review. Office pages (rates, months,
funders, invoices) are in ``office_views``.

Views fetch cases and lines through ``kring.cases.access``: anything out of scope answers 404
(and is logged), so a coordinator never learns that another coordinator's line exists.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Count, QuerySet, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.accounts.once import once_per_form
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import access
from kring.cases.models import Case, CaseQuerySet
from kring.lib.errors import refuse_into, refused
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.ratelimits import limited
from kring.lib.seen import SavedElsewhere, differences, digest, typed_again
from kring.money import domain
from kring.money.forms import (
    BankAccountForm,
    ExpenseForm,
    HoursForm,
    MonthForm,
    ReviewForm,
)
from kring.money.models import (
    EDITABLE_STATUSES,
    BankAccount,
    Line,
    LineStatus,
    Norm,
    Statement,
)

COORDINATOR = (Role.COORDINATOR,)
REVIEWERS = (Role.MANAGER, Role.OFFICE)
MONEY_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


# ---------- Reaching cases and lines, through cases.access: 404 for anything out of scope ----


def _recorded_on(user: Any) -> QuerySet[Case]:
    """Besides the cases ``access`` gives (a manager their regions', the office all, a
    coordinator theirs while involved): a coordinator's cases they still record on, and
    those they have lines on."""
    own = Line.objects.filter(coordinator=user).values("case_id")
    return domain.recordable_cases(user) | Case.objects.filter(pk__in=own)


def money_cases(user: Any) -> CaseQuerySet:
    """The cases whose money a user may see: a coordinator the ones they record on or have
    lines on; a manager their regions'; the office all."""
    return access.cases_within(user, also=_recorded_on(user))


def get_money_case(request: AuthenticatedHttpRequest, pk: int, *, viewed: bool = False) -> Case:
    """The case if its money is the user's to see, else 404 (logged); ``viewed`` logs the read."""
    page = access.page_name(request) if viewed else None
    return access.get_case(request, pk, also=_recorded_on(request.user), viewed=viewed, page=page)


def get_line(request: AuthenticatedHttpRequest, pk: int) -> Line:
    """A coordinator's own line; for a manager one of their regions' cases, the office any."""
    lines = Line.objects.select_related("case__request")
    if request.user.is_coordinator:
        return access.own(request, lines, pk, owner="coordinator")
    return access.in_regions(request, lines, pk, region="case__region")


def _case_lines(request: AuthenticatedHttpRequest, case: Case) -> QuerySet[Line]:
    """A coordinator sees only their own lines, even on a case another coordinator had."""
    lines = Line.objects.visible_to(request.user).filter(case=case)
    return lines.select_related("receipt", "reviewed_by").order_by("-worked_on", "-pk")


# ---------- The coordinator's workspace ----------


def _norms() -> dict[str, Decimal]:
    return dict(Norm.objects.values_list("variant", "hours"))


def _case_rows(user: Any) -> list[dict[str, Any]]:
    """Each case with its running total against its norm, in two queries."""
    cases = list(money_cases(user).select_related("request").order_by("-opened_at"))
    sums = (
        Line.objects.filter(coordinator=user, case__in=[c.pk for c in cases])
        .exclude(status=LineStatus.RETURNED)
        .values("case_id")
        .annotate(hours=Sum("hours"), amount=Sum("amount"))
    )
    by_case: dict[int, dict[str, Any]] = {row["case_id"]: dict(row) for row in sums}
    norms = _norms()
    rows = []
    for case in cases:
        row = by_case.get(case.pk, {})
        totals = domain.Totals(
            hours=domain.exact(row.get("hours")),
            amount=domain.exact(row.get("amount")),
            norm=norms.get(case.variant, domain.DEFAULT_NORM_HOURS),
        )
        rows.append({"case": case, "totals": totals})
    return rows


def _editable_months(user: Any) -> list[date]:
    months = (
        Line.objects.filter(coordinator=user, status__in=EDITABLE_STATUSES)
        .values_list("month", flat=True)
        .distinct()
        .order_by("month")
    )
    return list(months)


def _month_rows(user: Any) -> list[dict[str, Any]]:
    rows = (
        Line.objects.filter(coordinator=user)
        .values("month", "status")
        .annotate(lines=Count("pk"), hours=Sum("hours"), amount=Sum("amount"))
        .order_by("-month", "status")
    )
    months: dict[date, dict[str, Any]] = defaultdict(lambda: {"statuses": []})
    for row in rows:
        entry = months[row["month"]]
        entry["month"] = row["month"]
        entry["statuses"].append(
            {
                **row,
                "hours": domain.exact(row["hours"]),
                "amount": domain.exact(row["amount"]),
                "label": LineStatus(row["status"]).label,
            }
        )
    return list(months.values())[:12]


@role_required(*COORDINATOR)
def mine(request: AuthenticatedHttpRequest, submit_form: MonthForm | None = None) -> HttpResponse:
    user = request.user
    form = submit_form or MonthForm(months=_editable_months(user))
    context = {
        "case_rows": _case_rows(user),
        "month_rows": _month_rows(user),
        "returned": Line.objects.filter(
            coordinator=user, status=LineStatus.RETURNED
        ).select_related("case__request"),
        "submit_form": form,
        "statements": Statement.objects.filter(coordinator=user)[:24],
        "bank_account": BankAccount.objects.filter(user=user).first(),
    }
    return render(request, "money/mine.html", context, status=400 if form.errors else 200)


@role_required(*COORDINATOR)
@require_POST
def submit_month(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MonthForm(request.POST, months=_editable_months(request.user))
    if not form.is_valid():
        return mine(request, submit_form=form)
    with refused(form, domain.MoneyRefused, field="month") as refusal:
        count = domain.submit_month(form.chosen(), by=request.user)
    if refusal:
        return mine(request, submit_form=form)
    messages.success(
        request, _("%(count)s regels zijn ingediend bij uw regiomanager.") % {"count": count}
    )
    return redirect("money:mine")


@role_required(*COORDINATOR)
def bank_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _bank_account_form(request, request.POST or None)
    saved_elsewhere = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.save_bank_account(
                by=request.user, iban=data["iban"], holder=data["holder"], seen=data["seen"]
            )
        except SavedElsewhere as refusal:
            stored = _bank_account_form(request)
            form = typed_again(
                lambda data: _bank_account_form(request, data),
                request.POST,
                stored.initial["seen"],
                refusal,
            )
            saved_elsewhere = differences(stored, form)
        else:
            messages.success(request, _("Uw rekeningnummer is opgeslagen."))
            return redirect("money:mine")
    status = 409 if saved_elsewhere is not None else 400 if form.errors else 200
    context = {"form": form, "saved_elsewhere": saved_elsewhere}
    return render(request, "money/bank_account.html", context, status=status)


def _bank_account_form(request: AuthenticatedHttpRequest, data: Any = None) -> BankAccountForm:
    account = BankAccount.objects.filter(user=request.user).first()
    shown = domain.bank_account_shown(account)
    initial = {"iban": shown[0], "holder": shown[1], "seen": digest(shown)}
    return BankAccountForm(data, initial=initial)


# ---------- A case's hours and expenses ----------


def _case_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    hours_form: HoursForm | None = None,
    expense_form: ExpenseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lines = _case_lines(request, case)
    may_record = domain.recordable_cases(request.user).filter(pk=case.pk).exists()
    context = {
        "case": case,
        "lines": lines,
        "totals": domain.case_totals(case, lines),
        "may_record": may_record,
        "hours_form": (hours_form or HoursForm()) if may_record else None,
        "expense_form": (expense_form or ExpenseForm()) if may_record else None,
    }
    return render(request, "money/case.html", context, status=status)


@role_required(*MONEY_ROLES)
def case_money(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_money_case(request, case_pk, viewed=True)
    return _case_page(request, case)


@role_required(*COORDINATOR)
@require_POST
@once_per_form
def add_hours(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_money_case(request, case_pk)
    form = HoursForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, hours_form=form, status=400)
    try:
        domain.record_hours(case, by=request.user, **form.cleaned_data)
    except domain.MoneyRefused as refusal:
        refuse_into(form, refusal, field=refusal.field_on(form))
        return _case_page(request, case, hours_form=form, status=400)
    _warn_about_norm(request, case)
    return redirect("money:case", case_pk=case.pk)


def _warn_about_norm(request: AuthenticatedHttpRequest, case: Case) -> None:
    totals = domain.case_totals(case, Line.objects.filter(coordinator=request.user))
    if totals.over_norm:
        messages.warning(
            request,
            _(
                "Let op: met %(hours)s uur gaat dit traject over de norm van %(norm)s uur. "
                "Overleg met uw regiomanager."
            )
            % {"hours": totals.hours, "norm": totals.norm},
        )
    elif totals.near_norm:
        messages.warning(
            request,
            _("Let op: %(hours)s van de %(norm)s uur van de norm zijn gebruikt.")
            % {"hours": totals.hours, "norm": totals.norm},
        )
    else:
        messages.success(request, _("De uren zijn vastgelegd."))


@role_required(*COORDINATOR)
@require_POST
@once_per_form
def add_expense(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_money_case(request, case_pk)
    form = ExpenseForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, expense_form=form, status=400)
    upload = form.cleaned_data["receipt"]
    receipt = domain.ReceiptFile(
        filename=(upload.name or "bon")[-100:],
        content_type=upload.kring_content_type,
        content=upload.read(),
    )
    data = {k: v for k, v in form.cleaned_data.items() if k != "receipt"}
    try:
        domain.record_expense(
            case,
            by=request.user,
            worked_on=data["worked_on"],
            expense_kind=data["expense_kind"],
            amount=data["amount"],
            note=data["note"],
            receipt=receipt,
        )
    except domain.MoneyRefused as refusal:
        refuse_into(form, refusal, field=refusal.field_on(form))
        return _case_page(request, case, expense_form=form, status=400)
    messages.success(request, _("De onkosten zijn vastgelegd."))
    return redirect("money:case", case_pk=case.pk)


@role_required(*COORDINATOR)
@require_POST
def delete_line(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    line = get_line(request, pk)
    with refused(request, domain.MoneyRefused) as refusal:
        domain.delete_line(line, by=request.user)
    if not refusal:
        messages.success(request, _("De regel is verwijderd."))
    return redirect("money:case", case_pk=line.case_id)


@role_required(*MONEY_ROLES)
@limited("pdf", "KRING_RATE_PDF")
def receipt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    line = get_line(request, pk)
    found = getattr(line, "receipt", None)
    if found is None:
        raise Http404
    record(request.user, Action.MONEY_RECEIPT_VIEWED, case=line.case, obj=line)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f'inline; filename="bon-{line.pk}"'
    return response


# ---------- The manager reviews ----------


def _review_page(
    request: AuthenticatedHttpRequest, bound: ReviewForm | None = None, bound_pk: int | None = None
) -> HttpResponse:
    lines = (
        Line.objects.visible_to(request.user)
        .filter(status=LineStatus.SUBMITTED)
        .select_related("case__request", "coordinator", "receipt")
        .order_by("coordinator__last_name", "coordinator_id", "month", "worked_on", "pk")[:300]
    )
    groups: dict[tuple[int, date], dict[str, Any]] = {}
    for line in lines:
        group = groups.setdefault(
            (line.coordinator_id, line.month),
            {"coordinator": line.coordinator, "month": line.month, "rows": [], "total": Decimal(0)},
        )
        form = (
            bound if bound is not None and bound_pk == line.pk else ReviewForm(prefix=f"r{line.pk}")
        )
        group["rows"].append({"line": line, "form": form})
        group["total"] += line.amount
    context = {"groups": list(groups.values())}
    return render(request, "money/review.html", context, status=400 if bound is not None else 200)


@role_required(*REVIEWERS)
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _review_page(request)


@role_required(*REVIEWERS)
@require_POST
def review_line(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    line = get_line(request, pk)
    form = ReviewForm(request.POST, prefix=f"r{line.pk}")
    if not form.is_valid():
        return _review_page(request, form, line.pk)
    approve = form.cleaned_data["decision"] == "approve"
    with refused(request, domain.MoneyRefused) as refusal:
        domain.review_line(
            line, by=request.user, approve=approve, comment=form.cleaned_data["comment"]
        )
    if refusal:
        return redirect("money:review")
    messages.success(
        request,
        _("Regel goedgekeurd.") if approve else _("Regel teruggestuurd naar de coördinator."),
    )
    return redirect("money:review")
