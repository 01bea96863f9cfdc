"""Practical arrangements, the date poll and the invitations (coordinator and manager), and
the personal poll page a participant opens without logging in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.audit import link_guard
from kring.cases import access
from kring.cases.models import Case
from kring.lib.errors import DomainError, refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.languages import speak_to
from kring.lib.pdf import pdf_response
from kring.lib.ratelimits import limited
from kring.preparation.logistics.domain import (
    LOGISTICS_FIELDS,
    MAX_SLOTS,
    MIN_SLOTS,
    LogisticsError,
    StaleEdit,
    add_slot,
    attending,
    book_interpreter,
    choose_slot,
    confirm_letter_sent,
    current_invitations,
    invitation_missing,
    letter_pdf,
    participant_for_token,
    poll_is_open,
    poll_table,
    remove_slot,
    save_logistics,
    save_poll_answers,
    send_invitations,
    send_poll_links,
)
from kring.preparation.logistics.domain import (
    give_up_date as give_up_date_of,
)
from kring.preparation.logistics.forms import (
    GiveUpDateForm,
    InterpreterForm,
    LogisticsForm,
    PollAnswerForm,
    SlotForm,
)
from kring.preparation.logistics.mailing import first_name, issue_poll_link
from kring.preparation.models import InterpreterBooking, Invitation, PollSlot, Preparation

PREPARERS = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


def _when(value: Any) -> str:
    return date_format(localtime(value), "l j F Y, H:i")


# ---------- Arrangements ----------


@role_required(*PREPARERS)
def logistics(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    preparation = Preparation.objects.to_show(case)
    theirs: list[tuple[str, str]] = []
    if request.method == "POST":
        form = LogisticsForm(request.POST, instance=preparation)
        if form.is_valid():
            try:
                save_logistics(
                    case,
                    by=request.user,
                    lock_version=form.cleaned_data["lock_version"],
                    data=form.cleaned_data,
                )
            except StaleEdit as refusal:
                form, theirs = _conflict(request, case, refusal)
            else:
                messages.success(request, _("De praktische zaken zijn opgeslagen."))
                return redirect("preparation:logistics", case_pk=case.pk)
    else:
        form = LogisticsForm(
            instance=preparation, initial={"lock_version": preparation.lock_version}
        )
    return _logistics_page(request, case, form=form, theirs=theirs)


@role_required(*PREPARERS)
@require_POST
def interpreter_book(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Book an interpreter: named in the invitations, its cost an expense of the case."""
    case = access.case_to_prepare(request, case_pk)
    form = InterpreterForm(request.POST)
    if form.is_valid():
        try:
            book_interpreter(case, by=request.user, **form.cleaned_data)
        except DomainError as refusal:
            refuse_into(form, refusal)
        else:
            messages.success(
                request, _("De tolk is geboekt; de kosten staan bij de onkosten van dit traject.")
            )
            return redirect("preparation:logistics", case_pk=case.pk)
    return _logistics_page(request, case, interpreter_form=form, status=400)


def _logistics_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    form: LogisticsForm | None = None,
    theirs: list[tuple[str, str]] | None = None,
    give_up_form: GiveUpDateForm | None = None,
    interpreter_form: InterpreterForm | None = None,
    status: int = 200,
) -> HttpResponse:
    preparation = Preparation.objects.to_show(case)
    context = {
        "interpreter_form": interpreter_form or InterpreterForm(),
        "interpreters": InterpreterBooking.objects.filter(case=case).select_related("language"),
        "case": case,
        "preparation": preparation,
        "form": form
        or LogisticsForm(instance=preparation, initial={"lock_version": preparation.lock_version}),
        "theirs": theirs or [],
        "give_up_form": give_up_form or GiveUpDateForm(),
    }
    return render(request, "preparation/logistics/logistics.html", context, status=status)


def _conflict(
    request: AuthenticatedHttpRequest, case: Case, refusal: StaleEdit
) -> tuple[LogisticsForm, list[tuple[str, str]]]:
    """Keep the user's input, show what the other person saved, and take the new lock version, so
    saving again is a deliberate choice to overwrite."""
    current = Preparation.objects.get(case=case)
    theirs = [
        (str(LogisticsForm.base_fields[name].label), getattr(current, name))
        for name in LOGISTICS_FIELDS
    ]
    data = request.POST.copy()
    data["lock_version"] = str(current.lock_version)
    form = LogisticsForm(data, instance=current)
    form.is_valid()
    refuse_into(form, refusal)
    return form, theirs


# ---------- The date poll ----------


@role_required(*PREPARERS)
def poll(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slot = add_slot(case, form.cleaned_data["starts_at"], by=request.user)
        except LogisticsError as refusal:
            refuse_into(form, refusal, field="starts_at")
        else:
            messages.success(
                request, _("Datum toegevoegd: %(when)s.") % {"when": _when(slot.starts_at)}
            )
            return redirect("preparation:poll", case_pk=case.pk)
    return render(request, "preparation/logistics/poll.html", _poll_context(request, case, form))


def _poll_context(request: HttpRequest, case: Case, form: SlotForm) -> dict[str, Any]:
    table = poll_table(case)
    links = [row.participant for row in table.rows]
    return {
        "case": case,
        "preparation": Preparation.objects.to_show(case),
        "form": form,
        "table": table,
        "links": links,
        "poll_open": poll_is_open(case),
        "can_add": len(table.tallies) < MAX_SLOTS,
        "too_few": len(table.tallies) < MIN_SLOTS,
        "max_slots": MAX_SLOTS,
    }


@role_required(*PREPARERS)
@require_POST
@never_cache
def poll_link(request: AuthenticatedHttpRequest, case_pk: int, participant_pk: int) -> HttpResponse:
    """A new personal link to hand over by hand (sms, WhatsApp). Shown once, in this response:
    only its hash is kept, so no page can show it again; the person's previous link stops."""
    case = access.case_to_prepare(request, case_pk)
    participant = access.of_case(request, case, attending(case), participant_pk)
    if not poll_is_open(case):
        messages.error(request, _("De datum is al gekozen; de datumprikker is gesloten."))
        return redirect("preparation:poll", case_pk=case.pk)
    token = issue_poll_link(participant, by=request.user, channel="screen")
    url = request.build_absolute_uri(reverse("preparation:poll_answer", args=[token]))
    context = {"case": case, "participant": participant, "url": url}
    return render(request, "preparation/logistics/poll_link_created.html", context)


@role_required(*PREPARERS)
@require_POST
def poll_remove_slot(request: AuthenticatedHttpRequest, case_pk: int, slot_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    if remove_slot(case, slot_pk, by=request.user):
        messages.success(request, _("De datum is uit de datumprikker gehaald."))
    return redirect("preparation:poll", case_pk=case.pk)


@role_required(*PREPARERS)
@require_POST
def poll_choose(request: AuthenticatedHttpRequest, case_pk: int, slot_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    try:
        choose_slot(case, slot_pk, by=request.user)
    except LogisticsError as refusal:
        refuse_into(request, refusal)
        return redirect("preparation:poll", case_pk=case.pk)
    except PermissionDenied:
        messages.error(request, _("Je mag de datum van deze conferentie niet vastleggen."))
        return redirect("preparation:poll", case_pk=case.pk)
    preparation = Preparation.objects.to_show(case)
    messages.success(
        request,
        _("De conferentie is gepland op %(when)s. Verstuur nu de uitnodigingen.")
        % {"when": _when(preparation.conference_at)},
    )
    return redirect("preparation:invitations", case_pk=case.pk)


@role_required(*PREPARERS)
@require_POST
def give_up_date(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The planned date does not go on: back to preparation, to find a new date."""
    case = access.case_to_prepare(request, case_pk)
    form = GiveUpDateForm(request.POST)
    if not form.is_valid():  # empty, too long, or a NUL: next to the field, text kept
        return _logistics_page(request, case, give_up_form=form, status=400)
    try:
        give_up_date_of(case, by=request.user, reason=form.cleaned_data["reason"])
    except LogisticsError as refusal:  # the date was given up already (a stale page)
        refuse_into(request, refusal)
        return redirect("preparation:logistics", case_pk=case.pk)
    messages.success(
        request,
        _(
            "De datum gaat niet door. De uitnodigingen voor die datum zijn vervallen; zoek met "
            "de datumprikker een nieuwe datum en laat het de kring weten."
        ),
    )
    return redirect("preparation:poll", case_pk=case.pk)


@role_required(*PREPARERS)
@require_POST
def poll_send_links(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    try:
        sent = send_poll_links(case, by=request.user)
    except LogisticsError as refusal:
        refuse_into(request, refusal)
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
    if link_guard.too_many_failures(request):
        return link_guard.throttled(request, "poll")
    found = participant_for_token(token)
    participant = found.participant
    if participant is None:
        return link_guard.refused(request, "poll", found.reason, case=found.case)
    case = participant.case
    speak_to(request, participant.language_id)
    slots = list(PollSlot.objects.filter(case=case).order_by("starts_at"))
    given = dict(participant.poll_responses.values_list("slot_id", "answer"))
    is_open = poll_is_open(case)
    form = PollAnswerForm(request.POST or None, slots=slots, answers=given)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            save_poll_answers(participant, form.answers())
        except LogisticsError as refusal:
            refuse_into(request, refusal)
        else:
            messages.success(request, _("Dank je wel! Je antwoord is opgeslagen."))
        return redirect("preparation:poll_answer", token=token)
    access.log_view(request, case, obj=participant, page="poll_answer")  # type: ignore[arg-type]
    context = {
        "first_name": first_name(participant),
        "form": form,
        "slots": slots,
        "is_open": is_open,
        "answered": bool(given),
        "chosen": Preparation.objects.to_show(case).conference_at if not is_open else None,
    }
    return render(request, "preparation/logistics/poll_answer.html", context)


# ---------- Invitations ----------


@role_required(*PREPARERS)
def invitations(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    preparation = Preparation.objects.to_show(case)
    sent = current_invitations(case, preparation.conference_at)
    rows = [(p, sent.get(p.pk)) for p in attending(case)]
    context = {
        "case": case,
        "preparation": preparation,
        "missing": invitation_missing(preparation),
        "rows": rows,
        "to_send": sum(invitation is None for _p, invitation in rows),
    }
    return render(request, "preparation/logistics/invitations.html", context)


@role_required(*PREPARERS)
@require_POST
def invitations_send(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    try:
        sent = send_invitations(case, by=request.user)
    except LogisticsError as refusal:
        refuse_into(request, refusal)
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
@require_POST
def invitation_letter_sent(
    request: AuthenticatedHttpRequest, case_pk: int, participant_pk: int
) -> HttpResponse:
    """The coordinator says the printed letter was posted or handed over."""
    case = access.case_to_prepare(request, case_pk)
    participant = access.of_case(request, case, attending(case), participant_pk)
    try:
        confirm_letter_sent(case, participant, by=request.user)
    except LogisticsError as refusal:
        refuse_into(request, refusal)
    else:
        messages.success(
            request, _("De brief aan %(name)s staat als verstuurd.") % {"name": participant.name}
        )
    return redirect("preparation:invitations", case_pk=case.pk)


@role_required(*PREPARERS)
@never_cache
@limited("pdf", "KRING_RATE_PDF")
def invitation_letter(
    request: AuthenticatedHttpRequest, case_pk: int, participant_pk: int
) -> HttpResponse:
    """The printable letter (PDF) for someone without e-mail."""
    case = access.case_to_prepare(request, case_pk)
    participant = access.of_case(request, case, attending(case), participant_pk)
    preparation = Preparation.objects.to_show(case)
    missing = invitation_missing(preparation)
    if missing:
        messages.error(request, " ".join(missing))
        return redirect("preparation:invitations", case_pk=case.pk)
    pdf = letter_pdf(case, preparation, participant)
    return pdf_response(pdf, f"uitnodiging-{participant.pk}.pdf")
