"""The manager's inbox and the case (request) page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Region, Role
from kring.audit.log import record
from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.domain import IllegalTransition, move_case, record_first_contact, route_case
from kring.cases.forms import NATIONAL_QUEUE, InboxFilterForm, MoveForm, RouteForm
from kring.cases.models import INVOLVED_STATUSES, OPEN_STATUSES, Case, Status
from kring.intake.models import MainPerson
from kring.lib.http import AuthenticatedHttpRequest, role_required

INBOX_PAGE_SIZE = 50


def get_case_for_user(request: AuthenticatedHttpRequest, pk: int) -> Case:
    """The one way views fetch a case: 404 for anything the user may not see (and logged)."""
    case = (
        Case.objects.visible_to(request.user)
        .select_related(
            "request__region", "request__referrer_organisation", "region", "coordinator"
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        record(request.user, Action.CASE_ACCESS_DENIED, outcome=Outcome.DENIED, case_id=pk)
        raise Http404
    return case


def _inbox_regions(user: object) -> QuerySet[Region]:
    if getattr(user, "is_office", False):
        return Region.objects.all()
    return user.regions.all()  # type: ignore[attr-defined]


def _filtered_inbox(request: AuthenticatedHttpRequest, form: InboxFilterForm) -> QuerySet[Case]:
    cases = Case.objects.visible_to(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    status, variant, region = data.get("status"), data.get("variant"), data.get("region")
    cases = cases.filter(status=status) if status else cases.filter(status__in=OPEN_STATUSES)
    if variant:
        cases = cases.filter(variant=variant)
    if region == NATIONAL_QUEUE:
        cases = cases.filter(region__isnull=True)
    elif region:
        cases = cases.filter(region_id=region)
    persons = MainPerson.objects.only("id", "request_id", "name")
    return (
        cases.select_related("request", "region")
        .prefetch_related(Prefetch("request__main_persons", queryset=persons))
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


def _timeline(case: Case) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")


@role_required(Role.MANAGER, Role.OFFICE, Role.PROFESSIONAL)
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    record(request.user, Action.CASE_VIEWED, case=case, obj=case)
    can_manage = request.user.has_perm("cases.manage_case", case)
    context = {
        "case": case,
        "req": case.request,
        "main_persons": case.request.main_persons.all(),
        "languages": case.request.wish_languages.all(),
        "can_manage": can_manage,
        # Wishes about religion and culture are special-category data: matching only.
        "show_special_wishes": can_manage,
        "timeline": _timeline(case) if can_manage else None,
        "move_form": MoveForm(case=case) if can_manage else None,
        "route_form": RouteForm() if can_manage and request.user.is_office else None,
        **_matching_context(case, can_manage),
        "Status": Status,
        "involved_statuses": INVOLVED_STATUSES,
    }
    return render(request, "cases/case_detail.html", context)


def _matching_context(case: Case, can_manage: bool) -> dict[str, object]:
    """Proposed coordinators and the offers made, for the manager of a case in matching."""
    if not can_manage:
        return {}
    from kring.coordinators.domain import propose

    offers = case.offers.select_related("profile__user").order_by("-offered_at")
    return {
        "offers": offers,
        "proposals": propose(case) if case.status == Status.MATCHING else None,
    }


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def case_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    form = MoveForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("cases:detail", pk=case.pk)
    try:
        moved = move_case(
            case,
            form.cleaned_data["to"],
            by=request.user,
            stop_reason=form.cleaned_data["stop_reason"],
        )
    except IllegalTransition as refusal:
        messages.error(request, str(refusal))
    except PermissionDenied:
        messages.error(request, _("U mag de status van dit traject niet wijzigen."))
    else:
        messages.success(
            request, _("Status gewijzigd in ‘%(s)s’.") % {"s": moved.get_status_display()}
        )
    return redirect("cases:detail", pk=case.pk)


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def case_first_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    record_first_contact(case, by=request.user)
    messages.success(request, _("Eerste contact vastgelegd."))
    return redirect("cases:detail", pk=case.pk)


@role_required(Role.OFFICE)
@require_POST
def case_route(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
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
