"""Pages of the circle (kring): the participants, the contact log, the diagram."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.cases.models import Case
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.preparation.access import get_case_for_preparation
from kring.preparation.circle import (
    RemovalBlocker,
    RemovalRefused,
    add_note,
    add_participant,
    add_separation,
    can_see_safety_reason,
    case_separations,
    circle_counts,
    circle_participants,
    ensure_main_persons,
    group_by_category,
    removal_blockers,
    removal_impact,
    remove_participant,
    update_participant,
)
from kring.preparation.circle_forms import (
    NoteForm,
    ParticipantEditForm,
    ParticipantForm,
    SeparationForm,
)
from kring.preparation.diagram import describe_circle, render_circle_svg
from kring.preparation.models import Participant

PREPARERS = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


def _main_names(participants: list[Participant], case: Case) -> list[str]:
    names = [p.name for p in participants if p.is_main_person]
    return names or [person.name for person in case.request.main_persons.all()]


def _render_circle(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    add_form: ParticipantForm | None = None,
    separation_form: SeparationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    participants = list(circle_participants(case))
    in_case = Participant.objects.filter(case=case)
    context: dict[str, Any] = {
        "case": case,
        "groups": group_by_category(participants),
        "counts": circle_counts(participants),
        "diagram_alt": describe_circle(participants, _main_names(participants, case)),
        "separations": case_separations(case),
        "show_safety_reason": can_see_safety_reason(request.user),
        "add_form": add_form or ParticipantForm(case_participants=in_case),
        "separation_form": separation_form or SeparationForm(case_participants=in_case),
    }
    return render(request, "preparation/circle.html", context, status=status)


@role_required(*PREPARERS)
def circle(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The circle, grouped by category, with its diagram; POST adds a participant."""
    case = get_case_for_preparation(request, case_pk)
    ensure_main_persons(case, by=request.user)
    if request.method != "POST":
        return _render_circle(request, case)
    form = ParticipantForm(request.POST, case_participants=Participant.objects.filter(case=case))
    if not form.is_valid():
        return _render_circle(request, case, add_form=form, status=400)
    participant = add_participant(case, form.save(commit=False), by=request.user)
    messages.success(request, _("%(name)s staat in de kring.") % {"name": participant.name})
    return redirect("preparation:circle", case_pk=case.pk)


def _participant(case: Case, pk: int) -> Participant:
    participant = (
        Participant.objects.filter(case=case, pk=pk).select_related("named_by", "language").first()
    )
    if participant is None:
        raise Http404
    participant.case = case
    return participant


def _render_participant(
    request: AuthenticatedHttpRequest,
    participant: Participant,
    *,
    form: ParticipantEditForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_see_safety = can_see_safety_reason(request.user)
    context = {
        "case": participant.case,
        "participant": participant,
        "form": form
        or ParticipantEditForm(
            instance=participant,
            case_participants=Participant.objects.filter(case=participant.case),
            can_see_safety=can_see_safety,
        ),
        "note_form": note_form or NoteForm(),
        "notes": participant.notes.select_related("by"),
        "show_safety_reason": can_see_safety,
    }
    return render(request, "preparation/participant_edit.html", context, status=status)


@role_required(*PREPARERS)
def participant_edit(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case = get_case_for_preparation(request, case_pk)
    participant = _participant(case, pk)
    if request.method != "POST":
        return _render_participant(request, participant)
    form = ParticipantEditForm(
        request.POST,
        instance=participant,
        case_participants=Participant.objects.filter(case=case),
        can_see_safety=can_see_safety_reason(request.user),
    )
    if not form.is_valid():
        # The instance was changed by the failed validation; show the stored one.
        return _render_participant(request, _participant(case, pk), form=form, status=400)
    update_participant(form.save(commit=False), form.changed_data, by=request.user)
    messages.success(
        request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": participant.name}
    )
    return redirect("preparation:circle", case_pk=case.pk)


@role_required(*PREPARERS)
@require_POST
def participant_note(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """One line in the contact log: a date and what happened, in a sentence."""
    case = get_case_for_preparation(request, case_pk)
    participant = _participant(case, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_participant(request, participant, note_form=form, status=400)
    add_note(participant, form.cleaned_data["on"], form.cleaned_data["line"], by=request.user)
    messages.success(request, _("Contactmoment vastgelegd."))
    url = reverse("preparation:participant_edit", args=[case.pk, participant.pk])
    return redirect(f"{url}#contact")


@role_required(*PREPARERS)
@require_POST
def separation_add(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Two people who cannot meet without arrangements, and what is arranged."""
    case = get_case_for_preparation(request, case_pk)
    form = SeparationForm(request.POST, case_participants=Participant.objects.filter(case=case))
    if not form.is_valid():
        return _render_circle(request, case, separation_form=form, status=400)
    data = form.cleaned_data
    add_separation(case, data["first"], data["second"], data["arrangement"], by=request.user)
    messages.success(request, _("De afspraak is vastgelegd."))
    return redirect("preparation:circle", case_pk=case.pk)


def _not_in_circle(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    messages.info(request, _("Deze persoon staat niet (meer) in de kring."))
    return redirect("preparation:circle", case_pk=case.pk)


def _render_remove(
    request: AuthenticatedHttpRequest,
    participant: Participant,
    blockers: list[RemovalBlocker],
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "case": participant.case,
        "participant": participant,
        "blockers": [blocker.label for blocker in blockers],
        "impact": None if blockers else removal_impact(participant),
    }
    return render(request, "preparation/participant_remove.html", context, status=status)


@role_required(*PREPARERS)
def participant_remove(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Remove someone added by mistake: GET says who goes and what goes with them (or why
    they cannot go); only the POST of that page removes them."""
    case = get_case_for_preparation(request, case_pk)
    participant = Participant.objects.filter(case=case, pk=pk).select_related("named_by").first()
    if participant is None:
        return _not_in_circle(request, case)
    participant.case = case
    if request.method != "POST":
        return _render_remove(request, participant, removal_blockers(participant))
    try:
        removal = remove_participant(case, pk, by=request.user)
    except RemovalRefused as refusal:
        return _render_remove(request, participant, refusal.blockers, status=409)
    if removal is None:
        return _not_in_circle(request, case)
    messages.success(request, _("%(name)s staat niet meer in de kring.") % {"name": removal.name})
    return redirect("preparation:circle", case_pk=case.pk)


@role_required(*PREPARERS)
def diagram(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The circle diagram as an SVG image."""
    case = get_case_for_preparation(request, case_pk)
    participants = list(Participant.objects.filter(case=case))
    svg = render_circle_svg(
        participants,
        _main_names(participants, case),
        title=_("Kring van %(ref)s") % {"ref": case.request.reference},
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # Personal data: never in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
