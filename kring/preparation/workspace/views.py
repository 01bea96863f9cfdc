"""The coordinator's workspace, the question, the coordinator's cases and the overdue list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import access, clocks
from kring.cases.domain import (
    IllegalTransition,
    pause_case,
    record_first_contact,
    record_first_visit,
    resume_case,
)
from kring.cases.models import INVOLVED_STATUSES, Case, Status
from kring.intake.models import MainPerson
from kring.lib.errors import refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.seen import SavedElsewhere, digest, typed_again
from kring.preparation.models import Preparation
from kring.preparation.workspace.deadlines import LateDeadline, late_deadlines, next_deadline
from kring.preparation.workspace.domain import (
    QuestionSaved,
    checklist,
    closed_question_warning,
    good_question_examples,
    save_question,
    set_conference_target,
    set_task_done,
    start_preparation,
)
from kring.preparation.workspace.forms import (
    ConferenceTargetForm,
    PauseForm,
    QuestionForm,
    TaskForm,
)

PREPARING_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


def _workspace_context(
    case: Case,
    pause_form: PauseForm | None = None,
    target_form: ConferenceTargetForm | None = None,
) -> dict[str, object]:
    preparation = Preparation.objects.to_show(case)
    planned = case.status not in clocks.NO_DATE_YET
    return {
        "case": case,
        "preparation": preparation,
        "checklist": checklist(case, preparation),
        "main_persons": case.request.main_persons.all(),
        # The agreed target is reached once the conference is planned (or further along).
        "conference_done": case.status_changed_at if planned else None,
        "pause_form": pause_form or PauseForm(),
        "target_form": target_form or _target_form(case),
        "can_set_target": case.status in clocks.BEFORE_CONFERENCE,
        "can_start": case.status == Status.ASSIGNED,
    }


def _target_form(case: Case) -> ConferenceTargetForm:
    today = timezone.localdate()
    target = clocks.conference_target(case) or clocks.suggested_conference_target(case, today)
    return ConferenceTargetForm(initial={"target": target})


def _to_workspace(case: Case, anchor: str = "") -> HttpResponse:
    url = reverse("preparation:workspace", args=[case.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@role_required(*PREPARING_ROLES)
def workspace(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    return render(request, "preparation/workspace/workspace.html", _workspace_context(case))


@role_required(*PREPARING_ROLES)
@require_POST
def task_toggle(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        set_task_done(case, form.cleaned_data["code"], form.cleaned_data["done"], by=request.user)
    else:
        messages.error(
            request, _("Deze taak bestaat niet of kan niet met de hand worden afgevinkt.")
        )
    if request.headers.get("HX-Request"):
        return render(
            request, "preparation/workspace/workspace.html#checklist", _workspace_context(case)
        )
    return _to_workspace(case, "taken")


@role_required(*PREPARING_ROLES)
@require_POST
def first_contact(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    record_first_contact(case, by=request.user)
    messages.success(request, _("Eerste contact vastgelegd."))
    return _to_workspace(case)


@role_required(*PREPARING_ROLES)
@require_POST
def first_visit(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    record_first_visit(case, by=request.user)
    messages.success(request, _("Eerste bezoek vastgelegd."))
    return _to_workspace(case)


@role_required(*PREPARING_ROLES)
@require_POST
def start(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    try:
        start_preparation(case, by=request.user)
    except IllegalTransition as refusal:
        refuse_into(request, refusal, level=messages.INFO)
    else:
        messages.success(request, _("De voorbereiding is gestart."))
    return _to_workspace(case)


@role_required(*PREPARING_ROLES)
@require_POST
def pause(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    form = PauseForm(request.POST)
    if not form.is_valid():
        context = _workspace_context(case, pause_form=form)
        return render(request, "preparation/workspace/workspace.html", context, status=400)
    try:
        pause_case(case, by=request.user, reason=form.cleaned_data["reason"])
    except IllegalTransition as refusal:
        refuse_into(request, refusal, level=messages.INFO)
    else:
        messages.success(request, _("Het traject staat op pauze; de termijnen staan stil."))
    return _to_workspace(case)


@role_required(*PREPARING_ROLES)
@require_POST
def resume(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    try:
        resume_case(case, by=request.user)
    except IllegalTransition as refusal:
        refuse_into(request, refusal, level=messages.INFO)
    else:
        messages.success(
            request, _("Het traject is hervat; de open termijnen zijn opgeschoven met de pauze.")
        )
    return _to_workspace(case)


@role_required(*PREPARING_ROLES)
@require_POST
def conference_target(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    form = ConferenceTargetForm(request.POST)
    if not form.is_valid():
        context = _workspace_context(case, target_form=form)
        return render(request, "preparation/workspace/workspace.html", context, status=400)
    try:
        set_conference_target(case, form.cleaned_data["target"], by=request.user)
    except IllegalTransition as refusal:
        refuse_into(request, refusal, level=messages.INFO)
    else:
        messages.success(request, _("De afgesproken streefdatum is vastgelegd."))
    return _to_workspace(case, "termijnen")


@role_required(*PREPARING_ROLES)
def question(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    preparation = Preparation.objects.to_show(case)
    saved_elsewhere = None
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = save_question(
                    case,
                    data["question"],
                    agreed="agree" in request.POST,
                    by=request.user,
                    seen=data["seen"],
                )
            except SavedElsewhere as refusal:
                preparation = Preparation.objects.to_show(case)
                form = typed_again(
                    QuestionForm, request.POST, digest([preparation.question]), refusal
                )
                saved_elsewhere = [(str(form.fields["question"].label), preparation.question)]
            else:
                _say_question_saved(request, saved)
                return redirect("preparation:question", case_pk=case.pk)
    else:
        shown = {"question": preparation.question or case.request.question}
        form = QuestionForm(initial={**shown, "seen": digest([preparation.question])})
    context = {
        "case": case,
        "preparation": preparation,
        "form": form,
        "warning": closed_question_warning(preparation.question),
        "examples": good_question_examples(),
        "request_question": case.request.question,
        "saved_elsewhere": saved_elsewhere,
    }
    status = 409 if saved_elsewhere is not None else 200
    return render(request, "preparation/workspace/question.html", context, status=status)


def _say_question_saved(request: AuthenticatedHttpRequest, saved: QuestionSaved) -> None:
    if saved.agreement_cleared:
        messages.warning(
            request,
            _(
                "De tekst is veranderd, dus de vraag geldt niet meer als afgesproken. "
                "Spreek de nieuwe tekst opnieuw af met de aanvrager(s)."
            ),
        )
    elif saved.preparation.question_agreed_at and "agree" in request.POST:
        messages.success(request, _("De vraag is opgeslagen en afgesproken."))
    else:
        messages.success(request, _("De vraag is opgeslagen."))


@role_required(Role.COORDINATOR)
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coordinator's cases while involved, each with its next deadline."""
    persons = MainPerson.objects.only("id", "request_id", "name")
    cases = (
        access.cases_within(request.user)
        .select_related("request")
        .prefetch_related(Prefetch("request__main_persons", queryset=persons))
        .order_by("opened_at", "id")
    )
    rows = [(case, next_deadline(case)) for case in cases]
    record(request.user, Action.INBOX_VIEWED, page="my_cases")
    return render(request, "preparation/workspace/workspace_my_cases.html", {"rows": rows})


@dataclass(frozen=True)
class OverdueRow:
    case: Case
    late: list[LateDeadline]
    url: str

    @property
    def oldest(self) -> datetime:
        return min(deadline.due for deadline in self.late)


@role_required(Role.MANAGER, Role.OFFICE)
def overdue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Cases of the manager's regions with a deadline passed and not met, longest late first."""
    now = timezone.now()
    cases = (
        access.cases_within(request.user)
        .overdue(now)
        .select_related("request", "region", "coordinator")
    )
    rows = sorted(
        (
            OverdueRow(
                case,
                late_deadlines(case, now),
                reverse(
                    "preparation:workspace" if case.status in INVOLVED_STATUSES else "cases:detail",
                    args=[case.pk],
                ),
            )
            for case in cases
        ),
        key=lambda row: (row.oldest, row.case.pk),
    )
    long = (
        access.cases_within(request.user)
        .long_preparation(now)
        .select_related("request", "region", "coordinator")
        .order_by("assigned_at", "opened_at", "id")
    )
    record(request.user, Action.INBOX_VIEWED, page="overdue")
    context = {"rows": rows, "long_preparation": long, "now": now}
    return render(request, "preparation/workspace/overdue.html", context)
