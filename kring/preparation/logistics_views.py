"""Practical arrangements, the date poll and the invitations (coordinator and manager), and
the personal poll page a participant opens without logging in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.cases.models import Case
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.pdf import render_to_pdf
from kring.preparation.access import get_case_for_preparation
from kring.preparation.logistics import (
    LOGISTICS_FIELDS,
    MAX_SLOTS,
    MIN_SLOTS,
    LogisticsError,
    StaleEdit,
    add_slot,
    attending,
    choose_slot,
    current_invitations,
    first_name,
    get_preparation,
    invitation_missing,
    letter_context,
    participant_for_token,
    poll_is_open,
    poll_table,
    remove_slot,
    save_logistics,
    save_poll_answers,
    send_invitations,
    send_poll_links,
)
from kring.preparation.logistics_forms import LogisticsForm, PollAnswerForm, SlotForm
from kring.preparation.models import Invitation, PollSlot, Preparation

PREPARERS = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


def _when(value: Any) -> str:
    return date_format(localtime(value), "l j F Y, H:i")


# ---------- Arrangements ----------


@role_required(*PREPARERS)
def logistics(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_preparation(request, case_pk)
    preparation = get_preparation(case)
    theirs: list[tuple[str, str]] = []
    if request.method == "POST":
        form = LogisticsForm(request.POST, instance=preparation)
        if form.is_valid():
            try:
                save_logistics(
                    case,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    data=form.cleaned_data,
                )
            except StaleEdit:
                form, theirs = _conflict(request, preparation.pk)
            else:
                messages.success(request, _("De praktische zaken zijn opgeslagen."))
                return redirect("preparation:logistics", case_pk=case.pk)
    else:
        form = LogisticsForm(instance=preparation, initial={"version": preparation.version})
    context = {"case": case, "preparation": preparation, "form": form, "theirs": theirs}
    return render(request, "preparation/logistics.html", context)


def _conflict(
    request: AuthenticatedHttpRequest, preparation_pk: int
) -> tuple[LogisticsForm, list[tuple[str, str]]]:
    """Keep the user's input, show what the other person saved, and take the new version, so
    saving again is a deliberate choice to overwrite."""
    current = Preparation.objects.get(pk=preparation_pk)
    theirs = [
        (str(LogisticsForm.base_fields[name].label), getattr(current, name))
        for name in LOGISTICS_FIELDS
    ]
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = LogisticsForm(data, instance=current)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Iemand anders heeft dit intussen gewijzigd. Je eigen invoer staat hieronder nog; "
            "vergelijk hem met wat nu is opgeslagen en sla opnieuw op om jouw versie te bewaren."
        ),
    )
    return form, theirs


# ---------- The date poll ----------


@role_required(*PREPARERS)
def poll(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_preparation(request, case_pk)
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slot = add_slot(case, form.cleaned_data["starts_at"], by=request.user)
        except LogisticsError as refusal:
            form.add_error("starts_at", str(refusal))
        else:
            messages.success(
                request, _("Datum toegevoegd: %(when)s.") % {"when": _when(slot.starts_at)}
            )
            return redirect("preparation:poll", case_pk=case.pk)
    return render(request, "preparation/poll.html", _poll_context(request, case, form))


def _poll_context(request: HttpRequest, case: Case, form: SlotForm) -> dict[str, Any]:
    table = poll_table(case)
    links = [
        (row.participant, request.build_absolute_uri(_answer_url(row.participant.poll_token)))
        for row in table.rows
    ]
    return {
        "case": case,
        "preparation": get_preparation(case),
        "form": form,
        "table": table,
        "links": links,
        "poll_open": poll_is_open(case),
        "can_add": len(table.tallies) < MAX_SLOTS,
        "too_few": len(table.tallies) < MIN_SLOTS,
        "max_slots": MAX_SLOTS,
    }


def _answer_url(token: str) -> str:
    return reverse("preparation:poll_answer", args=[token])


@role_required(*PREPARERS)
@require_POST
def poll_remove_slot(request: AuthenticatedHttpRequest, case_pk: int, slot_pk: int) -> HttpResponse:
    case = get_case_for_preparation(request, case_pk)
    if remove_slot(case, slot_pk, by=request.user):
        messages.success(request, _("De datum is uit de datumprikker gehaald."))
    return redirect("preparation:poll", case_pk=case.pk)


@role_required(*PREPARERS)
@require_POST
def poll_choose(request: AuthenticatedHttpRequest, case_pk: int, slot_pk: int) -> HttpResponse:
    case = get_case_for_preparation(request, case_pk)
    try:
        choose_slot(case, slot_pk, by=request.user)
    except LogisticsError as refusal:
        messages.error(request, str(refusal))
        return redirect("preparation:poll", case_pk=case.pk)
    except PermissionDenied:
        messages.error(request, _("Je mag de datum van deze conferentie niet vastleggen."))
        return redirect("preparation:poll", case_pk=case.pk)
    preparation = get_preparation(case)
    messages.success(
        request,
        _("De conferentie is gepland op %(when)s. Verstuur nu de uitnodigingen.")
        % {"when": _when(preparation.conference_at)},
    )
    return redirect("preparation:invitations", case_pk=case.pk)


@role_required(*PREPARERS)
@require_POST
def poll_send_links(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_preparation(request, case_pk)
    try:
        sent = send_poll_links(case, by=request.user)
    except LogisticsError as refusal:
        messages.error(request, str(refusal))
    else:
        if sent:
            messages.success(request, _("De links zijn gemaild aan %(n)s mensen.") % {"n": sent})
        else:
            messages.info(
                request,
                _(
                    "Niemand om te mailen: wie een e-mailadres heeft, kreeg de link voor deze "
                    "data al. Geef de anderen hun link zelf (kopieer hem hieronder)."
                ),
            )
    return redirect("preparation:poll", case_pk=case.pk)


@never_cache
def poll_answer(request: HttpRequest, token: str) -> HttpResponse:
    """A participant's personal poll page: their first name and the dates, nothing else."""
    participant = participant_for_token(token)
    if participant is None:
        raise Http404
    case = participant.case
    slots = list(PollSlot.objects.filter(case=case).order_by("starts_at"))
    given = dict(participant.poll_responses.values_list("slot_id", "answer"))
    is_open = poll_is_open(case)
    form = PollAnswerForm(request.POST or None, slots=slots, answers=given)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            save_poll_answers(participant, form.answers())
        except LogisticsError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Dank je wel! Je antwoord is opgeslagen."))
        return redirect("preparation:poll_answer", token=token)
    context = {
        "first_name": first_name(participant),
        "form": form,
        "slots": slots,
        "is_open": is_open,
        "answered": bool(given),
        "chosen": get_preparation(case).conference_at if not is_open else None,
    }
    return render(request, "preparation/poll_answer.html", context)


# ---------- Invitations ----------


@role_required(*PREPARERS)
def invitations(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_preparation(request, case_pk)
    preparation = get_preparation(case)
    sent = current_invitations(case, preparation.conference_at)
    rows = [(p, sent.get(p.pk)) for p in attending(case)]
    context = {
        "case": case,
        "preparation": preparation,
        "missing": invitation_missing(preparation),
        "rows": rows,
        "to_send": sum(invitation is None for _p, invitation in rows),
    }
    return render(request, "preparation/invitations.html", context)


@role_required(*PREPARERS)
@require_POST
def invitations_send(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_preparation(request, case_pk)
    try:
        sent = send_invitations(case, by=request.user)
    except LogisticsError as refusal:
        messages.error(request, str(refusal))
    except PermissionDenied:
        messages.error(request, _("Je mag voor deze conferentie geen uitnodigingen versturen."))
    else:
        by_mail = sum(i.channel == Invitation.Channel.EMAIL for i in sent)
        letters = len(sent) - by_mail
        if not sent:
            messages.info(request, _("Iedereen is al uitgenodigd voor deze datum."))
        else:
            messages.success(
                request,
                _("Uitnodigingen verstuurd: %(mail)s per e-mail, %(letters)s per brief.")
                % {"mail": by_mail, "letters": letters},
            )
        if letters:
            messages.info(request, _("Print de brieven hieronder en geef of stuur ze op tijd."))
    return redirect("preparation:invitations", case_pk=case.pk)


@role_required(*PREPARERS)
@never_cache
def invitation_letter(
    request: AuthenticatedHttpRequest, case_pk: int, participant_pk: int
) -> HttpResponse:
    """The printable letter (PDF) for someone without e-mail."""
    case = get_case_for_preparation(request, case_pk)
    participant = attending(case).filter(pk=participant_pk).first()
    if participant is None:
        raise Http404
    preparation = get_preparation(case)
    missing = invitation_missing(preparation)
    if missing:
        messages.error(request, " ".join(missing))
        return redirect("preparation:invitations", case_pk=case.pk)
    pdf = render_to_pdf(
        "preparation/invitation_letter.html", letter_context(case, preparation, participant)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="uitnodiging-{participant.pk}.pdf"'
    return response
