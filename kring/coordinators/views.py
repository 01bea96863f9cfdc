"""Offers: the manager offers a case, the coordinator answers; the batch proposal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.cases.models import Case, Status
from kring.cases.views import get_case_for_user
from kring.coordinators.batch import propose_batch
from kring.coordinators.domain import OfferRefused, accept_offer, decline_offer, make_offer
from kring.coordinators.forms import BatchForm, DeclineForm
from kring.coordinators.models import CoordinatorProfile, Offer, OfferStatus
from kring.intake.models import MainPerson
from kring.lib.http import AuthenticatedHttpRequest, role_required


def _own_offer(request: AuthenticatedHttpRequest, pk: int) -> Offer:
    offer = (
        Offer.objects.select_related("case", "profile")
        .filter(pk=pk, profile__user=request.user)
        .first()
    )
    if offer is None:
        raise Http404
    return offer


@role_required(Role.COORDINATOR)
def my_offers(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open offers first; the coordinator sees only what deciding needs: no dossiers."""
    offers = (
        Offer.objects.filter(profile__user=request.user)
        .select_related("case__request__region")
        .order_by("-offered_at")[:50]
    )
    return render(
        request,
        "coordinators/my_offers.html",
        {
            "offers": offers,
            "decline_form": DeclineForm(),
            "now": timezone.now(),
        },
    )


@role_required(Role.COORDINATOR)
@require_POST
def offer_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = _own_offer(request, pk)
    try:
        accept_offer(offer, by=request.user)
    except OfferRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Je hebt het traject aangenomen. Neem binnen drie dagen contact op.")
        )
    return redirect("coordinators:offers")


@role_required(Role.COORDINATOR)
@require_POST
def offer_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = _own_offer(request, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        decline_offer(offer, by=request.user, reason=reason)
    except OfferRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Je hebt het aanbod afgewezen. Dank je voor je snelle antwoord.")
        )
    return redirect("coordinators:offers")


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def offer_make(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk)
    profile_id = request.POST.get("profile", "")
    profile = (
        CoordinatorProfile.objects.filter(pk=profile_id).first() if profile_id.isdigit() else None
    )
    if profile is None:
        messages.error(request, _("Kies een coördinator."))
        return redirect("cases:detail", pk=case.pk)
    try:
        make_offer(case, profile, by=request.user)
    except OfferRefused as refusal:
        messages.error(request, str(refusal))
    except PermissionDenied:
        messages.error(request, _("U mag dit traject niet aanbieden."))
    else:
        messages.success(request, _("Aanbod verstuurd aan %(name)s.") % {"name": profile})
    if request.POST.get("from") == "batch":
        return redirect("coordinators:batch")
    return redirect("cases:detail", pk=case.pk)


@role_required(Role.MANAGER, Role.OFFICE)
def batch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One optimal proposal for all cases in matching of the chosen region(s)."""
    form = BatchForm(request.GET or None, user=request.user)
    cases = Case.objects.visible_to(request.user).filter(status=Status.MATCHING)
    if form.is_valid() and form.cleaned_data.get("region"):
        cases = cases.filter(region=form.cleaned_data["region"])
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
    rows = propose_batch(list(cases[:500]))
    return render(request, "coordinators/batch.html", {"form": form, "rows": rows})
