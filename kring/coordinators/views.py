"""Offers: the manager offers a case, the coordinator answers; the batch proposal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.cases import access
from kring.cases.models import Status
from kring.coordinators.batch import BATCH_LIMIT, propose_batch
from kring.coordinators.conflicts import offer_facts
from kring.coordinators.domain import (
    OfferRefused,
    accept_offer,
    assign_directly,
    decline_offer,
    make_offer,
)
from kring.coordinators.forms import BatchForm, DeclineForm
from kring.coordinators.models import CoordinatorProfile, Offer, OfferStatus
from kring.intake.models import MainPerson
from kring.lib.errors import refuse_into, refused
from kring.lib.http import AuthenticatedHttpRequest, role_required


def _own_offer(request: AuthenticatedHttpRequest, pk: int) -> Offer:
    offers = Offer.objects.select_related("case", "profile")
    return access.own(request, offers, pk, owner="profile__user")


@role_required(Role.COORDINATOR)
def my_offers(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open offers first; the coordinator sees only what deciding needs: no dossiers."""
    offers = list(
        Offer.objects.filter(profile__user=request.user)
        .select_related("case__request__region")
        .order_by("-offered_at")[:50]
    )
    # Enough to spot a conflict before saying yes: surnames, town, organisations.
    facts = offer_facts(offers)
    return render(
        request,
        "coordinators/my_offers.html",
        {
            "offers": [(offer, facts.get(offer.pk)) for offer in offers],
            "decline_form": DeclineForm(),
            "now": timezone.now(),
        },
    )


@role_required(Role.COORDINATOR)
@require_POST
def offer_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = _own_offer(request, pk)
    with refused(request, OfferRefused) as refusal:
        accept_offer(offer, by=request.user)
    if not refusal:
        messages.success(
            request, _("Je hebt het traject aangenomen. Neem binnen drie dagen contact op.")
        )
    return redirect("coordinators:offers")


@role_required(Role.COORDINATOR)
@require_POST
def offer_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = _own_offer(request, pk)
    form = DeclineForm(request.POST)
    valid = form.is_valid()
    reason = form.cleaned_data["reason"] if valid else ""
    knows_family = bool(valid and form.cleaned_data["knows_family"])
    with refused(request, OfferRefused) as refusal:
        decline_offer(offer, by=request.user, reason=reason, knows_family=knows_family)
    if not refusal:
        messages.success(
            request, _("Je hebt het aanbod afgewezen. Dank je voor je snelle antwoord.")
        )
    return redirect("coordinators:offers")


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def offer_make(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.get_case(request, case_pk, reach=access.Reach.MANAGE)
    profile_id = request.POST.get("profile", "")
    profile = (
        CoordinatorProfile.objects.filter(pk=profile_id).first() if profile_id.isdigit() else None
    )
    if profile is None:
        messages.error(request, _("Kies een coördinator."))
        return redirect("cases:detail", pk=case.pk)
    direct = request.POST.get("direct") == "1"
    try:
        # Direct: the manager has agreed it with the coordinator; the same rules apply.
        (assign_directly if direct else make_offer)(case, profile, by=request.user)
    except OfferRefused as refusal:
        refuse_into(request, refusal)
    except PermissionDenied:
        messages.error(request, _("U mag dit traject niet aanbieden."))
    else:
        done = (
            _("%(name)s is nu de coördinator.") if direct else _("Aanbod verstuurd aan %(name)s.")
        )
        messages.success(request, done % {"name": profile})
    if request.POST.get("from") == "batch":
        return redirect("coordinators:batch")
    return redirect("cases:detail", pk=case.pk)


@role_required(Role.MANAGER, Role.OFFICE)
def batch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One optimal proposal for all cases in matching of the chosen region(s)."""
    form = BatchForm(request.GET or None, user=request.user)
    cases = access.cases_within(request.user).filter(status=Status.MATCHING)
    if form.is_valid() and form.cleaned_data.get("region"):
        cases = cases.filter(region=form.cleaned_data["region"])
    awaiting_answer = cases.filter(offers__status=OfferStatus.OPEN).count()
    cases = (
        cases.exclude(offers__status=OfferStatus.OPEN)
        .select_related("request")
        .prefetch_related(
            Prefetch(
                "request__main_persons",
                queryset=MainPerson.objects.only("id", "request_id", "name"),
            )
        )
    )
    # The oldest first, and never silently: the page says how many wait beyond the limit.
    waiting = cases.count()
    proposal = propose_batch(list(cases[:BATCH_LIMIT]), over_limit=max(0, waiting - BATCH_LIMIT))
    context = {
        "form": form,
        "proposal": proposal,
        "rows": proposal.rows,
        "limit": BATCH_LIMIT,
        "awaiting_answer": awaiting_answer,
    }
    return render(request, "coordinators/batch.html", context)
