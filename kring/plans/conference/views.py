"""Pages for recording the conference and for ending a course another way."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kring.accounts.models import Role
from kring.cases import access
from kring.cases.domain import IllegalTransition
from kring.cases.models import Case, Status
from kring.lib.errors import refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.plans.conference.domain import (
    ENDING_STATUSES,
    ConferenceError,
    attendance_participants,
    attendance_professionals,
    available_endings,
    conference_attendance,
    coordinator_leads_private_time,
    end_case,
    record_conference,
)
from kring.plans.conference.forms import ConferenceForm, EndingForm
from kring.plans.models import Conference, Phase
from kring.preparation.models import Preparation

PREPARERS = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


def _render_conference(
    request: AuthenticatedHttpRequest, case: Case, form: ConferenceForm, status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "form": form,
        "grid": form.grid(),
        "coordinator_leads": coordinator_leads_private_time(case),
    }
    return render(request, "plans/conference/conference.html", context, status=status)


def _render_summary(
    request: AuthenticatedHttpRequest, case: Case, conference: Conference
) -> HttpResponse:
    attendance = conference_attendance(conference)
    context = {
        "case": case,
        "conference": conference,
        "phases": [(phase.label, attendance[phase.value]) for phase in Phase],
    }
    return render(request, "plans/conference/conference_summary.html", context)


@role_required(*PREPARERS)
def conference_record(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Record the day: date, place, times, who was present in which phase. Once recorded,
    the page shows what was recorded."""
    case = access.case_to_prepare(request, case_pk)
    conference = Conference.objects.filter(case=case).first()
    if conference is not None:
        if request.method == "POST":  # a second submit: the first one counted
            messages.info(request, _("De conferentie was al vastgelegd."))
            return redirect("plans:conference_record", case_pk=case.pk)
        return _render_summary(request, case, conference)
    if case.status != Status.PLANNED:
        messages.error(
            request, _("Een conferentie vastleggen kan als er een datum voor de conferentie is.")
        )
        return redirect("preparation:workspace", case_pk=case.pk)
    form = ConferenceForm(
        request.POST or None,
        case=case,
        participants=attendance_participants(case),
        professionals=attendance_professionals(case),
        preparation=Preparation.objects.filter(case=case).first(),
    )
    if request.method != "POST":
        return _render_conference(request, case, form)
    if not form.is_valid():
        return _render_conference(request, case, form, status=400)
    try:
        record_conference(case, form.to_record(), by=request.user)
    except ConferenceError as refusal:
        refuse_into(form, refusal)
        return _render_conference(request, case, form, status=400)
    messages.success(request, _("De conferentie is vastgelegd."))
    return redirect("plans:conference_record", case_pk=case.pk)


def _after_ending(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """A coordinator's involvement ends with the case; a manager goes back to the case."""
    if request.user.is_coordinator:
        return redirect("preparation:my_cases")
    return redirect("cases:detail", pk=case_pk)


def _already_ended(request: AuthenticatedHttpRequest, case_pk: int) -> bool:
    """A double submit of the confirmation: the first one ended the case (and with it the
    coordinator's access), so the second finds it in the state it asked for."""
    to = request.POST.get("ending", "")
    if request.method != "POST" or to not in ENDING_STATUSES:
        return False
    if request.user.is_coordinator:
        own = access.cases_coordinated_by(request.user)
    else:
        own = access.cases_within(request.user)
    return own.filter(pk=case_pk, status=to).exists()


@role_required(*PREPARERS)
def case_ending(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """End the course another way: choose and explain, confirm, done (final)."""
    try:
        case = access.case_to_prepare(request, case_pk)
    except Http404:
        if _already_ended(request, case_pk):
            messages.info(request, _("Het traject was al beëindigd."))
            return _after_ending(request, case_pk)
        raise
    if not available_endings(case):
        messages.error(
            request, _("In deze fase van het traject kan het niet op deze manier eindigen.")
        )
        return redirect("preparation:workspace", case_pk=case.pk)
    form = EndingForm(request.POST or None, case=case)
    if request.method != "POST" or request.POST.get("stap") == "wijzigen":
        return render(request, "plans/conference/ending.html", {"case": case, "form": form})
    if not form.is_valid():
        return render(
            request, "plans/conference/ending.html", {"case": case, "form": form}, status=400
        )
    if request.POST.get("stap") != "bevestigen":
        return render(request, "plans/conference/ending_confirm.html", {"case": case, "form": form})
    data = form.cleaned_data
    try:
        ended = end_case(
            case,
            data["ending"],
            by=request.user,
            stop_reason=data.get("stop_reason", ""),
            note=data["note"],
        )
    except (ConferenceError, IllegalTransition) as refusal:
        refuse_into(form, refusal)
        return render(
            request, "plans/conference/ending.html", {"case": case, "form": form}, status=400
        )
    messages.success(
        request, _("Het traject is beëindigd: %(s)s.") % {"s": ended.get_status_display()}
    )
    return _after_ending(request, case.pk)
