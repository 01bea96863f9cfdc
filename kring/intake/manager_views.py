"""The manager's intake pages: enter a taken request, correct a request, informative talks.
Managers of the region and the office only; anything outside their regions answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kring.accounts.models import Role
from kring.accounts.once import once_per_form
from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases import access
from kring.cases.models import Case
from kring.intake.domain import find_duplicate
from kring.intake.forms import main_person_formset
from kring.intake.manager import (
    IntakeError,
    change_request,
    check_entry_region,
    enter_request,
    record_talk,
    talks_for,
)
from kring.intake.manager_forms import RequestChangeForm, TakenRequestForm, TalkForm
from kring.intake.models import InformativeTalk, Request, TalkOutcome
from kring.lib.errors import refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.seen import SavedElsewhere, differences, typed_again

MANAGERS = (Role.MANAGER, Role.OFFICE)


def _talk_or_404(request: AuthenticatedHttpRequest, pk: str | None) -> InformativeTalk | None:
    """The talk a request is entered from (``?gesprek=``), only within the user's regions."""
    if not pk:
        return None
    talks = InformativeTalk.objects.select_related("region", "request__case", "recorded_by")
    return access.in_regions(request, talks, int(pk) if pk.isdigit() else 0)


def _taken_form(
    request: AuthenticatedHttpRequest, talk: InformativeTalk | None
) -> TakenRequestForm:
    initial = {}
    if talk is not None:
        initial = {"region": talk.region, "requester_name": talk.with_whom}
        initial["requester_email" if "@" in talk.contact else "requester_phone"] = talk.contact
    data = request.POST if request.method == "POST" else None  # an empty POST is bound too
    return TakenRequestForm(data, user=request.user, initial=initial)


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def request_enter(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A request taken by phone, mail or in person, entered for one of the user's regions."""
    talk = _talk_or_404(request, request.GET.get("gesprek"))
    form = _taken_form(request, talk)
    people = main_person_formset(request.POST if form.is_bound else None)
    if form.is_bound:
        valid = form.is_valid()  # cleans the token even when another field is wrong
        duplicate = find_duplicate(form.cleaned_data.get("submission_token"))
        if duplicate is not None and duplicate.entered_by_id == request.user.pk:
            return redirect("cases:detail", pk=duplicate.case.pk)  # a second click
        if valid and people.is_valid():
            persons, region = people.main_persons(), form.cleaned_data.get("region")
            try:
                check_entry_region(request.user, persons, region)
            except IntakeError as error:
                refuse_into(form, error, field="region")
            else:
                saved = enter_request(
                    form.request_fields(), persons, by=request.user, region=region, talk=talk
                )
                messages.success(
                    request,
                    _("De aanvraag is ingevoerd. Referentie: %(ref)s.") % {"ref": saved.reference},
                )
                return redirect("cases:detail", pk=saved.case.pk)
    context = {"form": form, "people": people, "talk": talk}
    return render(request, "intake/request_enter.html", context)


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def request_change(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Correct the variant, funder and compulsory framework of a case's request."""
    case = access.get_case(request, case_pk, reach=access.Reach.MANAGE)
    form = RequestChangeForm(request.POST or None, instance=case.request)
    saved_elsewhere = None
    if request.method == "POST" and form.is_valid():
        try:
            seen = form.cleaned_data["seen"]
            changes = change_request(case, form.values(), by=request.user, seen=seen)
        except SavedElsewhere:
            record(request.user, Action.REQUEST_CHANGED, case=case, outcome=Outcome.REFUSED)
            case = access.get_case(request, case_pk, reach=access.Reach.MANAGE)
            form, saved_elsewhere = _request_changed(request, case)
        except IntakeError as error:
            record(request.user, Action.REQUEST_CHANGED, case=case, outcome=Outcome.REFUSED)
            refuse_into(form, error)
        else:
            if changes:
                messages.success(request, _("De aanvraag is bijgewerkt."))
            else:
                messages.info(request, _("Er was niets veranderd."))
            return redirect("cases:detail", pk=case.pk)
    else:
        access.log_view(request, case, page="request_change")
    context = {"form": form, "case": case, "req": case.request, "saved_elsewhere": saved_elsewhere}
    status = 409 if saved_elsewhere is not None else 400 if request.method == "POST" else 200
    return render(request, "intake/request_change.html", context, status=status)


def _request_changed(
    request: AuthenticatedHttpRequest, case: Case
) -> tuple[RequestChangeForm, list[tuple[str, str]]]:
    """The refused form again with what was typed and the digest of the request as it is now
    (saving again goes through), and where the stored request differs from it."""
    stored = RequestChangeForm(instance=case.request)
    form = typed_again(
        lambda data: RequestChangeForm(data, instance=Request.objects.get(pk=case.request.pk)),
        request.POST,
        stored.initial["seen"],
        SavedElsewhere(),
    )
    return form, differences(stored, form)


@role_required(*MANAGERS)
def talk_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    talks = talks_for(request.user)
    page = Paginator(talks, 50).get_page(request.GET.get("pagina"))
    record(request.user, Action.INBOX_VIEWED, page="informative_talks")
    return render(request, "intake/talk_list.html", {"page": page, "outcomes": TalkOutcome})


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
@once_per_form
def talk_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Record an informative talk; from a case page it belongs to that case's request."""
    case = None
    if case_pk := request.GET.get("traject", ""):
        case = access.get_case(
            request, int(case_pk) if case_pk.isdigit() else 0, reach=access.Reach.MANAGE
        )
    form = TalkForm(request.POST or None, user=request.user)
    if case is not None and not form.is_bound:
        form.initial.update(region=case.region, with_whom=case.request.requester_name)
    if request.method == "POST" and form.is_valid():
        talk = form.save(commit=False)
        talk.request = case.request if case is not None else None
        record_talk(talk, by=request.user)
        messages.success(request, _("Het informatieve gesprek is vastgelegd."))
        if case is not None:
            return redirect("cases:detail", pk=case.pk)
        if talk.outcome == TalkOutcome.REQUEST:
            return redirect(f"{reverse('intake:request_enter')}?gesprek={talk.pk}")
        return redirect("intake:talk_list")
    status = 400 if form.is_bound else 200
    return render(request, "intake/talk_form.html", {"form": form, "case": case}, status=status)
