"""The plan editor (coordinator, manager), its history, and the professionals' acceptance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.models import Case
from kring.lib.http import AuthenticatedHttpRequest
from kring.plans import acceptance, editor
from kring.plans.models import Agreement, Plan, PlanStatus
from kring.plans.plan_forms import LOCKED, AcceptanceForm, AgreementForm, AnswersForm
from kring.preparation.access import get_case_for_preparation
from kring.preparation.models import ProfessionalInvolvement
from kring.preparation.professionals import involvement_for_professional


def _case_and_plan(request: AuthenticatedHttpRequest, case_pk: int) -> tuple[Case, Plan | None]:
    """The case (scoped, logged) and its plan, created on the first visit after the
    conference; no plan before the conference."""
    case = get_case_for_preparation(request, case_pk)
    if not editor.plan_possible(case):
        return case, None
    return case, editor.open_plan(case, by=request.user)


def _not_yet(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    messages.info(request, _("Het plan schrijft u op aan het eind van de conferentie."))
    return redirect("preparation:workspace", case_pk=case.pk)


def _to_plan(plan: Plan, anchor: str = "") -> HttpResponse:
    url = reverse("plans:plan_edit", args=[plan.case_id])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _render_plan(
    request: AuthenticatedHttpRequest,
    plan: Plan,
    *,
    answers_form: AnswersForm | None = None,
    agreement_form: AgreementForm | None = None,
) -> HttpResponse:
    context = editor.plan_context(plan)
    editable = editor.is_editable(plan)
    context.update(
        {
            "editable": editable,
            "missing": editor.missing_for_final(plan, agreement_count=context["agreement_count"]),
            "overview": acceptance.acceptance_overview(plan),
            "answers_form": answers_form or AnswersForm.for_plan(plan),
            "agreement_form": agreement_form or (AgreementForm(plan=plan) if editable else None),
            "lock_version": plan.lock_version,
        }
    )
    return render(request, "plans/plan_edit.html", context)


@login_required
def plan_edit(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The plan page; a POST saves the answers (next meeting, who calls together, ...)."""
    case, plan = _case_and_plan(request, case_pk)
    if plan is None:
        return _not_yet(request, case)
    if request.method != "POST":
        return _render_plan(request, plan)
    form = AnswersForm(request.POST)
    if not form.is_valid():
        return _render_plan(request, plan, answers_form=form)
    try:
        editor.save_answers(
            plan, form.answers(), lock_version=form.cleaned_data["lock_version"], by=request.user
        )
    except editor.StalePlan:
        plan.refresh_from_db()
        form.refuse_as_stale(plan)
        return _render_plan(request, plan, answers_form=form)
    except editor.PlanLocked:
        messages.error(request, LOCKED)
    else:
        messages.success(request, _("Opgeslagen."))
    return _to_plan(plan, "hoe-verder")


def _render_agreement(
    request: AuthenticatedHttpRequest, plan: Plan, form: AgreementForm, agreement: Agreement | None
) -> HttpResponse:
    context = {"case": plan.case, "plan": plan, "form": form, "agreement": agreement}
    return render(request, "plans/agreement_edit.html", context)


def _save_agreement(
    request: AuthenticatedHttpRequest, plan: Plan, agreement: Agreement | None
) -> HttpResponse:
    form = AgreementForm(request.POST, plan=plan)
    if not form.is_valid():
        return _render_agreement(request, plan, form, agreement)
    lock = form.cleaned_data["lock_version"]
    try:
        if agreement is None:
            agreement = editor.add_agreement(
                plan, form.agreement_data(), lock_version=lock, by=request.user
            )
            messages.success(request, _("De afspraak is toegevoegd."))
        elif editor.update_agreement(
            agreement, form.agreement_data(), lock_version=lock, by=request.user
        ):
            messages.success(request, _("De afspraak is opgeslagen."))
    except editor.StalePlan:
        plan.refresh_from_db()
        form.refuse_as_stale(plan)
        return _render_agreement(request, plan, form, agreement)
    except editor.PlanLocked:
        messages.error(request, LOCKED)
        return _to_plan(plan)
    return _to_plan(plan, f"afspraak-{agreement.pk}")


@login_required
def agreement_add(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case, plan = _case_and_plan(request, case_pk)
    if plan is None:
        return _not_yet(request, case)
    if request.method == "POST":
        return _save_agreement(request, plan, None)
    if not editor.is_editable(plan):
        messages.error(request, LOCKED)
        return _to_plan(plan)
    form = AgreementForm(plan=plan, initial={"life_domain": request.GET.get("domein", "")})
    return _render_agreement(request, plan, form, None)


def _agreement(plan: Plan, pk: int) -> Agreement:
    return get_object_or_404(editor.agreements_of(plan).select_related("plan"), pk=pk)


@login_required
def agreement_edit(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, plan = _case_and_plan(request, case_pk)
    if plan is None:
        return _not_yet(request, case)
    agreement = _agreement(plan, pk)
    agreement.plan = plan
    if request.method == "POST":
        return _save_agreement(request, plan, agreement)
    if not editor.is_editable(plan):
        messages.error(request, LOCKED)
        return _to_plan(plan)
    form = AgreementForm.for_agreement(agreement, plan)
    return _render_agreement(request, plan, form, agreement)


@login_required
@require_POST
def agreement_delete(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, plan = _case_and_plan(request, case_pk)
    if plan is None:
        return _not_yet(request, case)
    agreement = plan.agreements.filter(pk=pk).first()
    if agreement is None:  # a second click: the first one deleted it
        return _to_plan(plan, "afspraken")
    agreement.plan = plan
    try:
        editor.delete_agreement(agreement, lock_version=_lock(request), by=request.user)
    except editor.StalePlan:
        messages.error(request, _("Iemand anders heeft het plan intussen gewijzigd. Kijk het na."))
    except editor.PlanLocked:
        messages.error(request, LOCKED)
    else:
        messages.success(request, _("De afspraak is verwijderd."))
    return _to_plan(plan, "afspraken")


def _lock(request: AuthenticatedHttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return -1


@login_required
@require_POST
def plan_finalise(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The circle says the plan is done: final now, or to the professionals for acceptance."""
    case, plan = _case_and_plan(request, case_pk)
    if plan is None:
        return _not_yet(request, case)
    try:
        plan = editor.finalise(plan, lock_version=_lock(request), by=request.user)
    except editor.CannotFinalise as refusal:
        messages.error(
            request,
            _("Het plan kan nog niet worden vastgesteld. %(missing)s")
            % {"missing": " ".join(refusal.missing)},
        )
    except editor.StalePlan:
        messages.error(
            request,
            _("Iemand anders heeft het plan intussen gewijzigd. Kijk het na en stel het dan vast."),
        )
    except editor.PlanLocked:
        messages.error(request, LOCKED)
    else:
        if plan.status == PlanStatus.FINAL:
            messages.success(request, _("Het plan is vastgesteld en definitief."))
        else:
            messages.success(
                request,
                _(
                    "Het plan is ter toetsing aangeboden aan de professionals die voorwaarden "
                    "stelden. Zij hebben een mail gekregen."
                ),
            )
    return _to_plan(plan)


@login_required
def plan_history(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case, plan = _case_and_plan(request, case_pk)
    if plan is None:
        return _not_yet(request, case)
    checks = acceptance.checks_by_version(plan)
    verdicts = acceptance.acceptances_by_version(plan)
    rows = [
        (changes, verdicts.get(changes.version.number, []), checks.get(changes.version.number, []))
        for changes in editor.plan_history(plan)
    ]
    context = {"case": case, "plan": plan, "rows": rows}
    return render(request, "plans/plan_history.html", context)


# ---------- The professional's acceptance ----------


def _own_involvement(request: AuthenticatedHttpRequest, pk: int) -> ProfessionalInvolvement:
    involvement = involvement_for_professional(request.user, pk)
    if involvement is None or not involvement.conditions.exists():
        record(request.user, Action.CASE_ACCESS_DENIED, outcome=Outcome.DENIED, involvement_id=pk)
        raise Http404
    return involvement


@login_required
def plan_acceptance(request: AuthenticatedHttpRequest, involvement_pk: int) -> HttpResponse:
    """The professional who set conditions checks the plan against them. Read only: the
    plan's text is the family's."""
    involvement = _own_involvement(request, involvement_pk)
    plan = editor.plan_for_case(involvement.case)
    if plan is None:
        raise Http404
    plan.case = involvement.case
    record(request.user, Action.CASE_VIEWED, case=plan.case, obj=plan, page="plan_acceptance")
    conditions = list(involvement.conditions.order_by("id"))
    form = AcceptanceForm(
        request.POST or None, conditions=conditions, initial={"version": plan.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            acceptance.decide(
                plan,
                involvement,
                form.verdict(),
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except acceptance.NotAwaiting:
            messages.error(request, _("Het plan wacht niet (meer) op uw toetsing."))
        except acceptance.StaleVersion:
            messages.error(request, _("Het plan is intussen gewijzigd. Bekijk het opnieuw."))
        else:
            messages.success(request, _("Uw toetsing is opgeslagen. Dank u wel."))
        return redirect("plans:plan_acceptance", involvement_pk=involvement.pk)
    return _render_acceptance(request, plan, involvement, form)


def _render_acceptance(
    request: AuthenticatedHttpRequest,
    plan: Plan,
    involvement: ProfessionalInvolvement,
    form: AcceptanceForm,
) -> HttpResponse:
    decision = acceptance.decision_of(plan, involvement)
    context: dict[str, Any] = editor.plan_context(plan)
    context.update(
        {
            "involvement": involvement,
            "decision": decision,
            "can_decide": plan.status == PlanStatus.AWAITING_ACCEPTANCE and decision is None,
            "show_plan": plan.status != PlanStatus.DRAFT,
            "form": form,
            "own_conditions": form.conditions,
        }
    )
    return render(request, "plans/acceptance.html", context)
