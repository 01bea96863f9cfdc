"""Pages after the plan: the follow-up call, the implementation registration, and the list
of registrations due."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Role
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import access
from kring.cases.models import Case, Status
from kring.lib.errors import refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.plans.aftercare.domain import (
    AftercareError,
    agreements_to_register,
    follow_up_recorded_by,
    implementation_due_cases,
    is_early,
    record_follow_up,
    register_implementation,
)
from kring.plans.aftercare.forms import FollowUpForm, ImplementationForm

PREPARERS = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


def _after_follow_up(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    if request.user.is_coordinator:
        return redirect("preparation:my_cases")
    return redirect("cases:detail", pk=case_pk)


def _render_follow_up(
    request: AuthenticatedHttpRequest, case: Case, form: FollowUpForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "plans/aftercare/follow_up.html", {"case": case, "form": form}, status=status
    )


@role_required(*PREPARERS)
def follow_up(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """About four weeks after the conference: whom the coordinator spoke and how it goes.
    Saving ends the coordinator's involvement and their access to the case."""
    try:
        case = access.case_to_prepare(request, case_pk)
    except Http404:
        # A double submit: the first one recorded it and ended this coordinator's access.
        if request.method == "POST" and follow_up_recorded_by(case_pk, request.user):
            messages.info(request, _("De nazorg was al vastgelegd."))
            return _after_follow_up(request, case_pk)
        raise
    if case.status != Status.PLAN_SENT:
        messages.error(request, _("Nazorg vastleggen kan als het plan verstuurd is."))
        return redirect("preparation:workspace", case_pk=case.pk)
    form = FollowUpForm(request.POST or None, early=is_early(case, "follow_up"))
    if request.method != "POST":
        return _render_follow_up(request, case, form)
    if not form.is_valid():
        return _render_follow_up(request, case, form, status=400)
    try:
        record_follow_up(
            case,
            by=request.user,
            spoken_with=form.cleaned_data["spoken_with"],
            how_it_goes=form.cleaned_data["how_it_goes"],
            early_reason=form.cleaned_data.get("early_reason", ""),
        )
    except AftercareError as refusal:
        refuse_into(form, refusal)
        return _render_follow_up(request, case, form, status=400)
    if request.user.is_coordinator:
        messages.success(
            request,
            _("De nazorg is vastgelegd. Daarmee is uw taak in dit traject klaar: bedankt!"),
        )
    else:
        messages.success(request, _("De nazorg is vastgelegd."))
    return _after_follow_up(request, case.pk)


@role_required(Role.MANAGER, Role.OFFICE)
def implementation(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Three to five months after the conference: how each agreement was carried out."""
    case = access.get_case(
        request, case_pk, reach=access.Reach.MANAGE, viewed=True, page="implementation"
    )
    if case.status != Status.FOLLOWED_UP:
        if case.status in (Status.IMPLEMENTATION_REGISTERED, Status.CLOSED):
            messages.info(request, _("De uitvoering van dit plan is al geregistreerd."))
        else:
            messages.error(request, _("De uitvoering registreren kan na de nazorg."))
        return redirect("cases:detail", pk=case.pk)
    agreements = list(agreements_to_register(case))
    early = is_early(case, "implementation")
    form = ImplementationForm(request.POST or None, agreements=agreements, early=early)
    context = {"case": case, "form": form}
    if request.method != "POST":
        return render(request, "plans/aftercare/implementation.html", context)
    if not form.is_valid():
        return render(request, "plans/aftercare/implementation.html", context, status=400)
    try:
        early_reason = form.cleaned_data.get("early_reason", "")
        register_implementation(case, form.results(), by=request.user, early_reason=early_reason)
    except AftercareError as refusal:
        refuse_into(form, refusal)
        return render(request, "plans/aftercare/implementation.html", context, status=400)
    messages.success(request, _("De uitvoering is geregistreerd en het traject is afgesloten."))
    return redirect("cases:detail", pk=case.pk)


@role_required(Role.MANAGER, Role.OFFICE)
def implementation_due_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Cases of the manager's regions whose implementation is to be registered, oldest first."""
    cases = list(implementation_due_cases(request.user))
    record(request.user, Action.INBOX_VIEWED, page="implementation_due")
    context = {"cases": cases, "now": timezone.now()}
    return render(request, "plans/aftercare/implementation_due_list.html", context)
