"""The office's page "Verzoeken van betrokkenen": requests for access (art. 15) and erasure
(art. 17), each with its one-month due date. Office only: 404 for every other role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.accounts.once import once_per_form
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.models import Case
from kring.lib.errors import refused
from kring.lib.http import AuthenticatedHttpRequest
from kring.privacy.access import answer_access_request, find_person
from kring.privacy.forms import ErasureForm, SubjectRequestForm
from kring.privacy.models import RequestKind, RequestStatus, SubjectRequest
from kring.privacy.purge import ErasureRefused, erase_case
from kring.privacy.retention import months_before

View = Callable[..., HttpResponse]


def office_only(view: View) -> View:
    """Anyone but the office finds nothing here (404), as for a case out of scope."""

    @wraps(view)
    @login_required
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role != Role.OFFICE:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@office_only
@once_per_form
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SubjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            subject_request = form.save(commit=False)
            subject_request.due_on = months_before(subject_request.received_on, -1)
            subject_request.entered_by = request.user
            subject_request.save()
            record(
                request.user,
                Action.SUBJECT_REQUEST_RECORDED,
                obj=subject_request,
                kind=subject_request.kind,
            )
        return redirect("privacy:request_detail", subject_request.pk)
    record(request.user, Action.SUBJECT_REQUESTS_VIEWED)
    open_requests = SubjectRequest.objects.filter(status=RequestStatus.NEW)
    context = {
        "form": form,
        "open_requests": open_requests,
        "done_requests": SubjectRequest.objects.exclude(status=RequestStatus.NEW).order_by(
            "-done_at"
        )[:50],
        "today": timezone.localdate(),
    }
    return render(request, "privacy/request_list.html", context, status=400 if form.errors else 200)


def _cases_of(subject_request: SubjectRequest) -> list[Case]:
    found = find_person(subject_request.subject_name, subject_request.subject_email)
    return list(Case.objects.filter(pk__in=found.case_ids).select_related("request"))


@office_only
def request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subject_request = get_object_or_404(SubjectRequest, pk=pk)
    record(request.user, Action.SUBJECT_REQUESTS_VIEWED, obj=subject_request)
    return _detail(request, subject_request)


def _detail(
    request: AuthenticatedHttpRequest,
    subject_request: SubjectRequest,
    erasure_form: ErasureForm | None = None,
    status: int = 200,
) -> HttpResponse:
    cases = _cases_of(subject_request) if subject_request.status == RequestStatus.NEW else []
    choices = [(case.pk, case.request.reference) for case in cases]
    context = {
        "subject_request": subject_request,
        "cases": cases,
        "erasure_form": erasure_form or ErasureForm(cases=choices),
        "today": timezone.localdate(),
    }
    return render(request, "privacy/request_detail.html", context, status=status)


@office_only
@require_POST
def request_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subject_request = get_object_or_404(SubjectRequest, pk=pk, kind=RequestKind.ACCESS)
    archive = answer_access_request(subject_request, by=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    filename = f"inzage-{subject_request.pk}-{timezone.localdate():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@office_only
@require_POST
def request_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subject_request = get_object_or_404(
        SubjectRequest, pk=pk, kind=RequestKind.ERASURE, status=RequestStatus.NEW
    )
    cases = _cases_of(subject_request)
    form = ErasureForm(request.POST, cases=[(c.pk, c.request.reference) for c in cases])
    if not form.is_valid():
        return _detail(request, subject_request, form, status=400)
    case = next(c for c in cases if c.pk == form.cleaned_data["case"])
    with refused(request, ErasureRefused) as refusal:
        erase_case(case, subject_request, by=request.user)
    if not refusal:
        messages.success(request, _("De gegevens van dit traject zijn verwijderd."))
    return redirect("privacy:request_detail", subject_request.pk)
