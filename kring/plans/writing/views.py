"""The plan editor (the coordinator writes, managers and the office read), its history, and
the professionals' acceptance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from kring.cases import access
from kring.cases.models import Case
from kring.lib.errors import refuse_into, refused
from kring.lib.http import AuthenticatedHttpRequest
from kring.plans.models import Agreement, Conference, Plan, PlanStatus
from kring.plans.writing import acceptance, editor
from kring.plans.writing import rules as plan_rules
from kring.plans.writing.forms import (
    AcceptanceForm,
    AgreementForm,
    AnswersForm,
    ConferenceVerdictForm,
)
from kring.preparation.models import ProfessionalInvolvement

NOT_PRESENT = _lazy(
    "%(name)s staat niet als aanwezig op de conferentie. Leg eerst de aanwezigheid vast, of "
    "laat de professional zelf toetsen via de eigen link."
)


def _case_and_plan(
    request: AuthenticatedHttpRequest,
    case_pk: int,
    *,
    writes: bool = False,
    begins: bool = False,
) -> tuple[Case, Plan | None]:
    """The case (scoped, logged) and its plan; no plan before the conference. Opening a page
    never makes one: the coordinator's first POST on a page that ``begins`` it does. A page
    that ``writes`` refuses readers (403, logged) before anything is changed."""
    case = access.case_to_prepare(request, case_pk)
    if writes:
        access.require(
            request, case, plan_rules.RECORD_PLAN, reason="plan_is_recorded_by_the_coordinator"
        )
    if not editor.plan_possible(case):
        return case, None
    plan = editor.plan_for_case(case)
    if plan is None and begins and request.method == "POST":
        return case, editor.open_plan(case, by=request.user)
    if plan is not None:
        plan.case = case
    return case, plan


def _not_yet(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    """No plan to show: before the conference, or the coordinator has not begun it (the
    coordinator then gets the page with the button that begins it)."""
    records = editor.may_record(request.user, case)
    if records and editor.plan_possible(case):
        if request.method == "POST" or access.page_name(request) != "plan_edit":
            return redirect("plans:plan_edit", case_pk=case.pk)
        return render(request, "plans/writing/plan_begin.html", {"case": case})
    if records:
        messages.info(request, _("Het plan schrijft u op aan het eind van de conferentie."))
    else:
        messages.info(request, _("De coördinator heeft nog geen plan opgeschreven."))
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
    records = editor.may_record(request.user, plan.case)
    editable = records and editor.is_editable(plan)
    context.update(
        {
            "editable": editable,
            "records": records,
            "missing": editor.missing_for_final(plan, agreement_count=context["agreement_count"]),
            "overview": acceptance.acceptance_overview(plan),
            "present_ids": acceptance.present_ids(plan) if records else set(),
            "answers_form": answers_form or AnswersForm.for_plan(plan),
            "agreement_form": agreement_form or (AgreementForm(plan=plan) if editable else None),
            "lock_version": plan.lock_version,
        }
    )
    return render(request, "plans/writing/plan_edit.html", context)


@login_required
def plan_edit(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The plan page; the coordinator's POST saves the answers (next meeting, who calls
    together, ...). Managers and the office read it. Before the plan exists the coordinator
    sees a button that begins it (a POST without answers)."""
    posted = request.method == "POST"
    case, plan = _case_and_plan(request, case_pk, writes=posted, begins=posted)
    if plan is None:
        return _not_yet(request, case)
    if not posted:
        return _render_plan(request, plan)
    if "begin" in request.POST:
        return _to_plan(plan)
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
    except editor.PlanLocked as refusal:
        refuse_into(request, refusal)
    else:
        messages.success(request, _("Opgeslagen."))
    return _to_plan(plan, "hoe-verder")


def _render_agreement(
    request: AuthenticatedHttpRequest, plan: Plan, form: AgreementForm, agreement: Agreement | None
) -> HttpResponse:
    context = {"case": plan.case, "plan": plan, "form": form, "agreement": agreement}
    return render(request, "plans/writing/agreement_edit.html", context)


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
    except editor.PlanLocked as refusal:
        refuse_into(request, refusal)
        return _to_plan(plan)
    return _to_plan(plan, f"afspraak-{agreement.pk}")


@login_required
def agreement_add(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case, plan = _case_and_plan(request, case_pk, writes=True, begins=True)
    if plan is None:
        return _not_yet(request, case)
    if request.method == "POST":
        return _save_agreement(request, plan, None)
    if not editor.is_editable(plan):
        refuse_into(request, editor.PlanLocked())
        return _to_plan(plan)
    form = AgreementForm(plan=plan, initial={"life_domain": request.GET.get("domein", "")})
    return _render_agreement(request, plan, form, None)


def _agreement(request: AuthenticatedHttpRequest, plan: Plan, pk: int) -> Agreement:
    agreements = editor.agreements_of(plan).select_related("plan")
    return access.of_case(request, plan.case, agreements, pk, via="plan__case")


@login_required
def agreement_edit(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, plan = _case_and_plan(request, case_pk, writes=True)
    if plan is None:
        return _not_yet(request, case)
    agreement = _agreement(request, plan, pk)
    agreement.plan = plan
    if request.method == "POST":
        return _save_agreement(request, plan, agreement)
    if not editor.is_editable(plan):
        refuse_into(request, editor.PlanLocked())
        return _to_plan(plan)
    form = AgreementForm.for_agreement(agreement, plan)
    return _render_agreement(request, plan, form, agreement)


@login_required
@require_POST
def agreement_delete(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case, plan = _case_and_plan(request, case_pk, writes=True)
    if plan is None:
        return _not_yet(request, case)
    agreement = plan.agreements.filter(pk=pk).first()
    if agreement is None:  # a second click: the first one deleted it
        return _to_plan(plan, "afspraken")
    agreement.plan = plan
    with refused(request, editor.StalePlan, editor.PlanLocked) as refusal:
        editor.delete_agreement(agreement, lock_version=_lock(request), by=request.user)
    if not refusal:
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
    case, plan = _case_and_plan(request, case_pk, writes=True)
    if plan is None:
        return _not_yet(request, case)
    try:
        plan = acceptance.finalise(plan, lock_version=_lock(request), by=request.user)
    except (editor.CannotFinalise, editor.PlanLocked) as refusal:
        refuse_into(request, refusal)
    except editor.StalePlan as refusal:
        refuse_into(
            request,
            refusal,
            message=_(
                "Iemand anders heeft het plan intussen gewijzigd. Kijk het na en stel het dan vast."
            ),
        )
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
    return render(request, "plans/writing/plan_history.html", context)


# ---------- A verdict given at the conference, written down by the coordinator ----------


@login_required
def acceptance_at_conference(
    request: AuthenticatedHttpRequest, case_pk: int, involvement_pk: int
) -> HttpResponse:
    """The coordinator records the verdict a present professional gave aloud at the
    conference (their checks, the time, accepted or back to the circle)."""
    case, plan = _case_and_plan(request, case_pk, writes=True)
    if plan is None:
        return _not_yet(request, case)
    involvement = next(
        (i for i in acceptance.checking_involvements(plan) if i.pk == involvement_pk), None
    )
    conference = Conference.objects.filter(case=case).first()
    if involvement is None or conference is None:
        raise Http404
    involvement.case = case
    if not acceptance.was_present(involvement):
        messages.error(request, NOT_PRESENT % {"name": involvement.name})
        return _to_plan(plan, "toetsing")
    form = ConferenceVerdictForm(
        request.POST or None,
        conditions=list(involvement.conditions.all()),
        held_on=conference.held_on,
        initial={"version": plan.version},
    )
    if request.method == "POST" and form.is_valid():
        _record_verdict(request, plan, involvement, form)
        return _to_plan(plan, "toetsing")
    context = {"case": case, "plan": plan, "involvement": involvement, "form": form}
    context["decision"] = acceptance.decision_of(plan, involvement)
    context["can_decide"] = plan.status == PlanStatus.AWAITING_ACCEPTANCE
    return render(request, "plans/writing/acceptance_at_conference.html", context)


def _record_verdict(
    request: AuthenticatedHttpRequest,
    plan: Plan,
    involvement: ProfessionalInvolvement,
    form: ConferenceVerdictForm,
) -> None:
    try:
        acceptance.decide(
            plan,
            involvement,
            form.verdict(),
            version=form.cleaned_data["version"],
            by=request.user,
            stated_at=form.cleaned_data["stated_at"],
        )
    except (acceptance.NotAwaiting, acceptance.StaleVersion) as refusal:
        refuse_into(request, refusal)
    except acceptance.NotPresent as refusal:
        refuse_into(request, refusal, message=NOT_PRESENT % {"name": involvement.name})
    else:
        messages.success(
            request,
            _("Het oordeel van %(name)s is vastgelegd. %(name)s krijgt een mail ter controle.")
            % {"name": involvement.name},
        )


# ---------- The professional's acceptance ----------


def _own_involvement(request: AuthenticatedHttpRequest, pk: int) -> ProfessionalInvolvement:
    """The professional's own involvement, if they set conditions to check the plan against."""
    involvements = ProfessionalInvolvement.objects.filter(conditions__isnull=False).distinct()
    return access.own_part(
        request, involvements.select_related("case__request", "organisation"), pk
    )


@login_required
def plan_acceptance(request: AuthenticatedHttpRequest, involvement_pk: int) -> HttpResponse:
    """The professional who set conditions checks the plan against them. Read only: the
    plan's text is the family's."""
    involvement = _own_involvement(request, involvement_pk)
    plan = editor.plan_for_case(involvement.case)
    if plan is None:
        raise Http404
    plan.case = involvement.case
    access.log_view(request, plan.case, obj=plan, page="plan_acceptance")
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
        except acceptance.NotAwaiting as refusal:
            refuse_into(request, refusal, message=_("Het plan wacht niet (meer) op uw toetsing."))
        except acceptance.StaleVersion as refusal:
            refuse_into(request, refusal)
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
    return render(request, "plans/writing/acceptance.html", context)
