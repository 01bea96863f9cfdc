"""The manager's inbox and the case (request) page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Region, Role
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import access, hooks
from kring.cases.domain import IllegalTransition, decide, record_first_contact, route_case
from kring.cases.forms import NATIONAL_QUEUE, DecisionForm, InboxFilterForm, RouteForm
from kring.cases.models import (
    INVOLVED_STATUSES,
    OPEN_STATUSES,
    PLAN_SENT_STATUSES,
    Case,
    Status,
)
from kring.cases.trail import case_timeline
from kring.lib.errors import refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required

INBOX_PAGE_SIZE = 50


def _inbox_regions(user: object) -> QuerySet[Region]:
    if getattr(user, "is_office", False):
        return Region.objects.all()
    return user.regions.all()  # type: ignore[attr-defined]


def _filtered_inbox(request: AuthenticatedHttpRequest, form: InboxFilterForm) -> QuerySet[Case]:
    cases = access.cases_within(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    status, variant, region = data.get("status"), data.get("variant"), data.get("region")
    cases = cases.filter(status=status) if status else cases.filter(status__in=OPEN_STATUSES)
    if variant:
        cases = cases.filter(variant=variant)
    if region == NATIONAL_QUEUE:
        cases = cases.filter(region__isnull=True)
    elif region:
        cases = cases.filter(region_id=region)
    if data.get("without_funder"):
        cases = cases.filter(request__funder__isnull=True)
    return (
        cases.select_related("request", "region")
        .prefetch_related("request__main_persons")
        .order_by("opened_at", "id")
    )


@role_required(Role.MANAGER, Role.OFFICE)
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Requests of the manager's regions (office: all, and the national queue), oldest first."""
    regions = list(_inbox_regions(request.user))
    form = InboxFilterForm(request.GET or None, regions=regions, national=request.user.is_office)
    page = Paginator(_filtered_inbox(request, form), INBOX_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    record(request.user, Action.INBOX_VIEWED, filters=request.GET.dict())
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "cases/inbox.html", context)


@role_required(Role.MANAGER, Role.OFFICE, Role.PROFESSIONAL)
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, access.get_case(request, pk, viewed=True))


def _decision_forms(case: Case, bound: DecisionForm | None = None) -> list[DecisionForm]:
    """A form per decision the table allows from here, the one just posted kept as typed."""
    return [
        bound if bound is not None and bound.to == to else DecisionForm(case=case, to=to)
        for to in case.decisions()
    ]


def _case_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    bound: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = request.user.has_perm("cases.manage_case", case)
    context = {
        "case": case,
        "req": case.request,
        "main_persons": case.request.main_persons.all(),
        "languages": case.request.wish_languages.all(),
        "can_manage": can_manage,
        # Wishes about religion and culture are special-category data: matching only.
        "show_special_wishes": can_manage,
        "timeline": case_timeline(case, request.GET.get("pagina")) if can_manage else None,
        # The reasons typed for steps that did not end the course: one query, for managers.
        "remarks": list(case.remarks.select_related("by")) if can_manage else [],
        "decision_forms": _decision_forms(case, bound) if can_manage else [],
        "route_form": RouteForm() if can_manage and request.user.is_office else None,
        **_matching_context(case, can_manage),
        "Status": Status,
        "involved_statuses": INVOLVED_STATUSES,
        "plan_sent_statuses": PLAN_SENT_STATUSES,
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _matching_context(case: Case, can_manage: bool) -> dict[str, object]:
    """Proposed coordinators and the offers made, for the manager of a case in matching."""
    if not can_manage:
        return {}
    offers = case.offers.select_related("profile__user").order_by("-offered_at")
    return {
        "offers": offers,
        "proposals": hooks.proposals(case) if case.status == Status.MATCHING else None,
    }


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def case_decide(request: AuthenticatedHttpRequest, pk: int, to: str) -> HttpResponse:
    """One decision on the course, with its reason; a refusal is shown next to the button."""
    case = access.get_case(request, pk)
    if to not in case.decisions():
        messages.error(request, _("Deze stap past niet (meer) bij de fase van het traject."))
        return redirect("cases:detail", pk=case.pk)
    form = DecisionForm(request.POST, case=case, to=to)
    if not form.is_valid():
        return _case_page(request, case, bound=form, status=400)
    try:
        moved = decide(
            case,
            to,
            by=request.user,
            stop_reason=form.cleaned_data.get("stop_reason", ""),
            note=form.cleaned_data.get("note", ""),
        )
    except IllegalTransition as refusal:
        refuse_into(form, refusal)
        return _case_page(request, case, bound=form, status=400)
    except PermissionDenied:
        messages.error(request, _("U mag dit besluit voor dit traject niet nemen."))
        return redirect("cases:detail", pk=case.pk)
    messages.success(
        request, _("Het traject staat nu op ‘%(s)s’.") % {"s": moved.get_status_display()}
    )
    return redirect("cases:detail", pk=case.pk)


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def case_first_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case(request, pk)
    record_first_contact(case, by=request.user)
    messages.success(request, _("Eerste contact vastgelegd."))
    return redirect("cases:detail", pk=case.pk)


@role_required(Role.OFFICE)
@require_POST
def case_route(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case(request, pk)
    form = RouteForm(request.POST)
    if form.is_valid():
        route_case(case, form.cleaned_data["region"], by=request.user)
        messages.success(
            request,
            _("Het traject is naar regio %(r)s gestuurd.") % {"r": form.cleaned_data["region"]},
        )
    else:
        messages.error(request, _("Kies een regio."))
    return redirect("cases:detail", pk=case.pk)
