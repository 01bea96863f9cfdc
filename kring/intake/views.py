"""The public request form, the professional's referral, and their lists."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kring.accounts.models import Role
from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.choices import Variant
from kring.intake.domain import find_duplicate, submit_request
from kring.intake.forms import (
    PublicRequestForm,
    ReferralForm,
    main_person_formset,
    submitted_token,
)
from kring.intake.models import MainPerson, Request
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.ratelimits import count_intake, intake_limit_reached

_SESSION_KEY = "kring_last_reference"


def _received(request: HttpRequest, reference: str) -> HttpResponse:
    request.session[_SESSION_KEY] = reference
    return redirect("intake:received")


@require_http_methods(["GET", "POST"])
def public_request(request: HttpRequest) -> HttpResponse:
    form = PublicRequestForm(request.POST or None)
    people = main_person_formset(request.POST or None)
    if request.method == "POST":
        duplicate = find_duplicate(submitted_token(request.POST))
        if duplicate is not None:
            return _received(request, duplicate.reference)
        if intake_limit_reached(request):
            # The row holds neither the address nor anything typed, only that one was refused.
            record(None, Action.REQUEST_THROTTLED, outcome=Outcome.REFUSED)
            # 429 with the form and what was typed, so nothing has to be typed again later.
            form.add_error(
                None,
                _(
                    "Er zijn vanaf dit adres in het afgelopen uur te veel aanvragen gedaan. "
                    "Probeer het later opnieuw, of bel ons."
                ),
            )
            return _form_page(request, form, people, status=429)
        if form.is_valid() and people.is_valid():
            fields = {**form.request_fields(), "requester_language": get_language()}
            saved = submit_request(fields, people.main_persons())
            count_intake(request)
            return _received(request, saved.reference)
    return _form_page(request, form, people)


def _form_page(
    request: HttpRequest, form: PublicRequestForm, people: object, status: int = 200
) -> HttpResponse:
    context = {"form": form, "people": people, "variants": Variant}
    return render(request, "intake/public_request.html", context, status=status)


def received(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(_SESSION_KEY)
    if reference is None:
        return redirect("intake:public_request")
    return render(request, "intake/received.html", {"reference": reference})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/privacy.html")


@role_required(Role.PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReferralForm(request.POST or None)
    people = main_person_formset(request.POST or None)
    if request.method == "POST":
        duplicate = find_duplicate(submitted_token(request.POST))
        if duplicate is not None and duplicate.referrer_id == request.user.pk:
            return redirect("intake:my_referrals")
        if form.is_valid() and people.is_valid():
            saved = submit_request(
                form.referral_fields(request.user),
                people.main_persons(),
                by=request.user,
            )
            messages.success(
                request,
                _("De aanmelding is verstuurd. Referentie: %(ref)s.") % {"ref": saved.reference},
            )
            return redirect("intake:my_referrals")
    return render(request, "intake/referral_form.html", {"form": form, "people": people})


@role_required(Role.PROFESSIONAL)
def my_referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    referrals = (
        Request.objects.filter(referrer=request.user)
        .select_related("case", "region")
        .prefetch_related(
            Prefetch("main_persons", queryset=MainPerson.objects.only("request", "name"))
        )
        .order_by("-submitted_at")
    )
    page = Paginator(referrals, 25).get_page(request.GET.get("pagina"))
    return render(request, "intake/my_referrals.html", {"page": page})
