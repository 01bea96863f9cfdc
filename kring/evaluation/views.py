"""The questionnaire behind a personal link (no login), and the results: the coordinator's
own, a case's (with the links to hand over to people without an e-mail address), and the
manager's regions. Results never show a name next to an answer."""

from __future__ import annotations

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kring.accounts.models import Role
from kring.audit import link_guard
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import access
from kring.cases.models import INVOLVED_STATUSES
from kring.evaluation.domain import (
    AlreadyAnswered,
    EvaluationRefused,
    hand_over_link,
    submit_answer,
)
from kring.evaluation.forms import AnswerForm
from kring.evaluation.links import open_link
from kring.evaluation.models import Questionnaire
from kring.evaluation.results import (
    case_results,
    coordinator_results,
    min_answers,
    region_results,
)
from kring.evaluation.tasks import first_name
from kring.lib.errors import refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.languages import speak_to

PREPARERS = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


# ---------- The results ----------


@role_required(Role.COORDINATOR)
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A coordinator's own results: per case from three answers on, and overall."""
    summary = coordinator_results(request.user)
    record(request.user, Action.EVALUATION_RESULTS_VIEWED, page="mine")
    context = {"summary": summary, "min_answers": min_answers()}
    return render(request, "evaluation/mine.html", context)


@role_required(Role.MANAGER, Role.OFFICE)
@require_GET
def regions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per coordinator of the manager's regions, and per case (the office: every region)."""
    results = region_results(request.user)
    record(request.user, Action.EVALUATION_RESULTS_VIEWED, page="regions")
    context = {"results": results, "min_answers": min_answers()}
    return render(request, "evaluation/regions.html", context)


def _without_address(case_pk: int) -> list[Questionnaire]:
    """The people whose link the coordinator hands over: no e-mail address to mail it to."""
    questionnaires = Questionnaire.objects.filter(case_id=case_pk).select_related(
        "participant", "involvement"
    )
    return [q for q in questionnaires if not q.email]


@role_required(*PREPARERS)
@require_GET
def case(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """A case's questionnaires: the coordinator while involved; the manager and the office
    also afterwards (the case page links here until the case is closed and after)."""
    if request.user.is_manager or request.user.is_office:
        page = access.page_name(request)
        found = access.get_case(request, case_pk, reach=access.Reach.MANAGE, viewed=True, page=page)
    else:
        found = access.case_to_prepare(request, case_pk)
    # Links are handed over while the case is still being worked on (hand_over's own reach).
    may_hand_over = found.status in INVOLVED_STATUSES
    context = {
        "case": found,
        "results": case_results(found),
        "by_hand": _without_address(found.pk) if may_hand_over else [],
        "may_hand_over": may_hand_over,
    }
    return render(request, "evaluation/case.html", context)


@never_cache
@role_required(*PREPARERS)
@require_POST
def hand_over(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """A link to print or pass on, shown once in this (never cached) response: the token is
    not stored, so no page can show it again."""
    found = access.case_to_prepare(request, case_pk)
    mine = access.of_case(request, found, Questionnaire.objects.all(), pk)
    questionnaire, token = hand_over_link(found, mine.pk, by=request.user)
    url = request.build_absolute_uri(reverse("evaluation:answer", args=[token]))
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    context = {"case": found, "questionnaire": questionnaire, "url": url, "qr": qr}
    return render(request, "evaluation/link.html", context)


# ---------- The questionnaire (no login) ----------


def _open(request: HttpRequest, token: str) -> Questionnaire | HttpResponse:
    """The questionnaire behind the token, or the refusal: a failed attempt counts against
    the address (kring/audit/link_guard.py); open_link logs an expired link with its case."""
    if link_guard.too_many_failures(request):
        return link_guard.throttled(request, "evaluation")
    found = open_link(token)
    if not found.ok or found.questionnaire is None:
        return link_guard.refused(
            request, "evaluation", found.reason, log=found.questionnaire is None
        )
    return found.questionnaire


def _page(
    request: HttpRequest, questionnaire: Questionnaire, form: AnswerForm | None, status: int = 200
) -> HttpResponse:
    context = {
        "first_name": first_name(questionnaire.person_name),
        "form": form,
        "answered": questionnaire.answered_at is not None,
    }
    return render(request, "evaluation/answer.html", context, status=status)


def _speak(request: HttpRequest, questionnaire: Questionnaire) -> None:
    participant = questionnaire.participant
    speak_to(request, participant.language_id if participant is not None else None)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    questionnaire = _open(request, token)
    if isinstance(questionnaire, HttpResponse):
        return questionnaire
    _speak(request, questionnaire)
    if request.method == "GET":
        record(None, Action.EVALUATION_OPENED, case=questionnaire.case, obj=questionnaire)
        return _page(request, questionnaire, None if questionnaire.answered_at else AnswerForm())
    if questionnaire.answered_at is not None:
        return _page(request, questionnaire, None)  # a double submit: the first one counts
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _page(request, questionnaire, form, status=400)
    try:
        submit_answer(questionnaire, form.data_for_domain())
    except AlreadyAnswered:
        return _page(request, questionnaire, None)
    except EvaluationRefused as refusal:
        refuse_into(form, refusal)
        return _page(request, questionnaire, form, status=400)
    return redirect("evaluation:answer", token=token)
