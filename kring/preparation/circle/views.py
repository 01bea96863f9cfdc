"""Pages of the circle (kring): the participants, the contact log, the diagram."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.cases import access
from kring.cases.models import Case
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.seen import changed_fields, model_digest, typed_again
from kring.preparation.circle.diagram import describe_circle, render_circle_svg
from kring.preparation.circle.domain import (
    ParticipantChanged,
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
    independence_warning,
    removal_blockers,
    removal_impact,
    remove_participant,
    set_statuses,
    update_participant,
)
from kring.preparation.circle.forms import (
    NoteForm,
    ParticipantEditForm,
    ParticipantForm,
    SeparationForm,
    StatusTableForm,
)
from kring.preparation.models import Participant

PREPARERS = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


def _main_names(participants: list[Participant], case: Case) -> list[str]:
    names = [p.name for p in participants if p.is_main_person]
    return names or [person.name for person in case.request.main_persons.all()]


def _render_circle(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    separation_form: SeparationForm | None = None,
    status_form: StatusTableForm | None = None,
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
        # Before the first change the request's main persons are not in the circle yet: a
        # button puts them there (opening the page writes nothing).
        "main_persons_waiting": not any(p.is_main_person for p in participants)
        and case.request.main_persons.exists(),
        "separation_form": separation_form or SeparationForm(case_participants=in_case),
        "status_form": status_form or StatusTableForm(participants=participants),
    }
    return render(request, "preparation/circle/circle.html", context, status=status)


@role_required(*PREPARERS)
def circle(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The circle, grouped by category, with its diagram and the invitations in one table.
    The request's main persons join the circle with its first change (or their own
    button). Adding someone is a page of its own (``participant_add``)."""
    case = access.case_to_prepare(request, case_pk)
    if request.method != "POST":
        return _render_circle(request, case)
    if "main_persons" in request.POST:
        if ensure_main_persons(case, by=request.user):
            messages.success(request, _("De hoofdpersonen uit de aanvraag staan in de kring."))
        return redirect("preparation:circle", case_pk=case.pk)
    if "statuses" in request.POST:
        return _save_statuses(request, case)
    # No form of this page posts anything else (an add form from before adding had a page
    # of its own, or a tampered one): nothing is written, and the way to add is named.
    messages.error(
        request, _("Niets opgeslagen. Iemand toevoegen doet u met de knop ‘Iemand toevoegen’.")
    )
    return _render_circle(request, case, status=400)


@role_required(*PREPARERS)
def participant_add(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Someone new in the circle: a short page of its own, so the circle page stays a quick
    overview on a phone (and quick to serve, issue 17). "Toevoegen en nog iemand" comes back
    here for the next name."""
    case = access.case_to_prepare(request, case_pk)
    in_case = Participant.objects.filter(case=case)
    if request.method != "POST":
        form = ParticipantForm(case_participants=in_case)
        return _render_add(request, case, form)
    form = ParticipantForm(request.POST, case_participants=in_case)
    if not form.is_valid():
        return _render_add(request, case, form, status=400)
    participant = form.repeated
    if participant is None:
        ensure_main_persons(case, by=request.user)
        participant = add_participant(case, form.save(commit=False), by=request.user)
        _warn_independence(request, case, participant)
    messages.success(request, _("%(name)s staat in de kring.") % {"name": participant.name})
    if "another" in request.POST:
        return redirect("preparation:participant_add", case_pk=case.pk)
    url = reverse("preparation:circle", args=[case.pk])
    return redirect(f"{url}#deelnemer-{participant.pk}")


def _render_add(
    request: AuthenticatedHttpRequest, case: Case, form: ParticipantForm, *, status: int = 200
) -> HttpResponse:
    context = {"case": case, "form": form}
    return render(request, "preparation/circle/participant_add.html", context, status=status)


def _save_statuses(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    """The status table: everyone's invitation status in one form."""
    status_form = StatusTableForm(request.POST, participants=list(circle_participants(case)))
    if not status_form.is_valid():
        return _render_circle(request, case, status_form=status_form, status=400)
    changed = set_statuses(case, status_form.changes(), by=request.user)
    messages.success(
        request,
        _("Uitnodigingsstatus opgeslagen (%(count)s gewijzigd).") % {"count": len(changed)},
    )
    return redirect(reverse("preparation:circle", args=[case.pk]) + "#status-titel")


def _warn_independence(
    request: AuthenticatedHttpRequest, case: Case, participant: Participant
) -> None:
    warning = independence_warning(case, participant)
    if warning:
        messages.warning(request, warning)


def _participant(request: AuthenticatedHttpRequest, case: Case, pk: int) -> Participant:
    participants = Participant.objects.select_related("named_by", "language")
    return access.of_case(request, case, participants, pk)


def _render_participant(
    request: AuthenticatedHttpRequest,
    participant: Participant,
    *,
    form: ParticipantEditForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
    saved_elsewhere: bool = False,
) -> HttpResponse:
    context = {
        "case": participant.case,
        "participant": participant,
        "form": form or _edit_form(request, participant),
        "note_form": note_form or NoteForm(),
        "notes": participant.notes.select_related("by"),
        "show_safety_reason": can_see_safety_reason(request.user),
        "saved_elsewhere": saved_elsewhere,
    }
    return render(request, "preparation/circle/participant_edit.html", context, status=status)


def _edit_form(
    request: AuthenticatedHttpRequest, participant: Participant, data: Any = None
) -> ParticipantEditForm:
    return ParticipantEditForm(
        data,
        instance=participant,
        case_participants=Participant.objects.filter(case=participant.case),
        can_see_safety=can_see_safety_reason(request.user),
    )


def _participant_changed(
    request: AuthenticatedHttpRequest, case: Case, pk: int, refusal: ParticipantChanged
) -> HttpResponse:
    """The form again with what was typed, the stored details above it, and the digest of
    the stored details: saving again keeps what the coordinator chose."""
    stored = _participant(request, case, pk)
    # Validation writes the typed values into the form's instance: the form gets a copy.
    form = typed_again(
        lambda data: _edit_form(request, _participant(request, case, pk), data=data),
        request.POST,
        model_digest(stored, _edit_form(request, stored).edited_fields()),
        refusal,
    )
    return _render_participant(request, stored, form=form, status=409, saved_elsewhere=True)


@role_required(*PREPARERS)
def participant_edit(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    participant = _participant(request, case, pk)
    if request.method != "POST":
        return _render_participant(request, participant)
    form = _edit_form(request, participant, data=request.POST)
    if not form.is_valid():
        # The instance was changed by the failed validation; show the stored one.
        return _render_participant(request, _participant(request, case, pk), form=form, status=400)
    edited = form.edited_fields()
    changed = changed_fields(form)
    try:
        update_participant(
            form.save(commit=False),
            changed,
            by=request.user,
            seen=form.cleaned_data["seen"],
            fields=edited,
        )
    except ParticipantChanged as refusal:
        return _participant_changed(request, case, pk, refusal)
    messages.success(
        request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": participant.name}
    )
    if "name" in form.changed_data:
        _warn_independence(request, case, participant)
    return redirect("preparation:circle", case_pk=case.pk)


@role_required(*PREPARERS)
@require_POST
def participant_note(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """One line in the contact log: a date and what happened, in a sentence."""
    case = access.case_to_prepare(request, case_pk)
    participant = _participant(request, case, pk)
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
    case = access.case_to_prepare(request, case_pk)
    form = SeparationForm(request.POST, case_participants=Participant.objects.filter(case=case))
    if not form.is_valid():
        return _render_circle(request, case, separation_form=form, status=400)
    ensure_main_persons(case, by=request.user)
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
    return render(request, "preparation/circle/participant_remove.html", context, status=status)


@role_required(*PREPARERS)
def participant_remove(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Remove someone added by mistake: GET says who goes and what goes with them (or why
    they cannot go); only the POST of that page removes them."""
    case = access.case_to_prepare(request, case_pk)
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
    case = access.case_to_prepare(request, case_pk)
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
