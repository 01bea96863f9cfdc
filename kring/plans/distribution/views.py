"""The plan document (PDF), sending it within two days, and the family's own link: the
coordinator's pages and the public pages a main person opens without logging in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kring.accounts.models import Role
from kring.audit import link_guard
from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases import access
from kring.cases.models import Case
from kring.lib.errors import refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.languages import speak_to
from kring.lib.pdf import pdf_response
from kring.lib.ratelimits import limited
from kring.plans.distribution.document import (
    group_by_domain,
    log_pdf_viewed,
    pdf_filename,
    plan_of,
    render_plan_pdf,
)
from kring.plans.distribution.domain import (
    DistributionRefused,
    distribution_log,
    recipients,
    record_referrer_consent,
    refusal,
    request_link_by_mail,
    send_plan,
)
from kring.plans.distribution.family_link import (
    LinkRefused,
    create_link,
    is_active,
    links_for_plan,
    log_use,
    main_persons,
    open_link,
    revoke_link,
    save_progress,
)
from kring.plans.distribution.forms import (
    FamilyLinkForm,
    ProgressForm,
    ReferrerConsentForm,
    SendPlanForm,
)
from kring.plans.models import Agreement, FamilyLink, Plan, PlanStatus
from kring.plans.writing.editor import agreements_of, may_record
from kring.preparation.professionals.domain import case_question

PREPARERS = (Role.COORDINATOR, Role.MANAGER, Role.OFFICE)


def _pdf_response(plan: Plan, pdf: bytes) -> HttpResponse:
    return pdf_response(pdf, pdf_filename(plan))


def _plan_or_404(case: Case) -> Plan:
    plan = plan_of(case)
    if plan is None:
        raise Http404
    return plan


# ---------- The PDF ----------


@role_required(*PREPARERS)
@never_cache
@require_GET
@limited("pdf", "KRING_RATE_PDF")
def plan_pdf(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The plan document. The coordinator while involved; managers also after that (a
    closed case's plan stays readable for them)."""
    if request.user.is_coordinator:
        case = access.case_to_prepare(request, case_pk)
    else:
        case = access.get_case(request, case_pk)
    plan = _plan_or_404(case)
    log_pdf_viewed(request.user, plan)
    return _pdf_response(plan, render_plan_pdf(plan))


# ---------- Distribution ----------


@role_required(*PREPARERS)
@require_http_methods(["GET", "POST"])
def plan_distribution(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    plan = plan_of(case)
    if request.method == "POST":
        form = SendPlanForm(request.POST)
        if plan is not None and form.is_valid():
            _send(request, plan, form.cleaned_data["version"])
        else:
            messages.error(request, refusal(plan) or _("Het versturen is niet gelukt."))
        return redirect("plans:plan_distribution", case_pk=case.pk)
    context = _distribution_context(case, plan)
    context["records"] = may_record(request.user, case)
    return render(request, "plans/distribution/distribution.html", context)


@role_required(*PREPARERS)
@require_POST
def referrer_consent(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The coordinator writes down whether the family agrees the referrer gets the plan."""
    case = access.case_to_prepare(request, case_pk)
    plan = _plan_or_404(case)
    form = ReferrerConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dat ging niet goed. Probeer het opnieuw."))
        return redirect("plans:plan_distribution", case_pk=case.pk)
    try:
        changed = record_referrer_consent(plan, given=form.consent(), by=request.user)
    except PermissionDenied:
        record(request.user, Action.CASE_ACCESS_DENIED, outcome=Outcome.DENIED, case=case)
        raise
    except DistributionRefused as refusal:
        refuse_into(request, refusal)
    else:
        if changed and form.consent():
            messages.success(request, _("Vastgelegd: de verwijzer krijgt het plan ook."))
        elif changed:
            messages.success(request, _("Vastgelegd: de verwijzer krijgt het plan niet."))
    return redirect("plans:plan_distribution", case_pk=case.pk)


def _send(request: AuthenticatedHttpRequest, plan: Plan, version: int) -> None:
    try:
        sent = send_plan(plan, by=request.user, version=version)
    except DistributionRefused as refusal:
        refuse_into(request, refusal)
    except PermissionDenied:
        messages.error(request, _("Je mag dit plan niet versturen."))
    else:
        if not sent:
            messages.info(request, _("Iedereen heeft deze versie van het plan al gekregen."))
            return
        by_mail = sum(d.channel == d.Channel.EMAIL for d in sent)
        messages.success(
            request,
            _("Het plan is verstuurd: %(mail)s per e-mail, %(print)s om te printen.")
            % {"mail": by_mail, "print": len(sent) - by_mail},
        )
        if len(sent) > by_mail:
            messages.info(
                request, _("Print het plan voor wie geen e-mail heeft en geef of stuur het.")
            )


def _distribution_context(case: Case, plan: Plan | None) -> dict[str, Any]:
    context: dict[str, Any] = {"case": case, "plan": plan, "refusal": refusal(plan)}
    if plan is not None:
        rows = recipients(plan)
        unsent = [row for row in rows if row.sent is None]
        links = list(links_for_plan(plan))
        context.update(
            recipients=rows,
            to_send=len(unsent),
            by_email=sum(row.by_email for row in unsent),
            by_print=sum(not row.by_email for row in unsent),
            log=distribution_log(plan),
            send_form=SendPlanForm(initial={"version": plan.version}),
            main_persons=main_persons(plan),
            referrer=case.request.referrer,
            links=[(link, is_active(link)) for link in links],
        )
    return context


# ---------- The family's link (coordinator side) ----------


@role_required(*PREPARERS)
@never_cache
@require_POST
def family_link_create(
    request: AuthenticatedHttpRequest, case_pk: int, participant_pk: int
) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    plan = _plan_or_404(case)
    participant = access.of_case(request, case, main_persons(plan), participant_pk)
    form = FamilyLinkForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        if form.cleaned_data["channel"] == "email":
            request_link_by_mail(plan, participant, by=request.user)
            messages.success(
                request,
                _(
                    "%(name)s krijgt een e-mail met een eigen link. "
                    "Een eerdere link werkt dan niet meer."
                )
                % {"name": participant.name},
            )
            return redirect("plans:plan_distribution", case_pk=case.pk)
        link, token = create_link(plan, participant, by=request.user)
    except LinkRefused as refusal:
        refuse_into(request, refusal)
        return redirect("plans:plan_distribution", case_pk=case.pk)
    # Shown once, in this (never cached) response: the token is not stored, so there is no
    # page to redirect to that could show it again.
    url = request.build_absolute_uri(reverse("plans:family_plan", args=[token]))
    context = {"case": case, "plan": plan, "participant": participant, "link": link, "url": url}
    return render(request, "plans/distribution/family_link_created.html", context)


@role_required(*PREPARERS)
@require_POST
def family_link_revoke(
    request: AuthenticatedHttpRequest, case_pk: int, link_pk: int
) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    plan = _plan_or_404(case)
    if revoke_link(plan, link_pk, by=request.user):
        messages.success(request, _("De link is ingetrokken. Hij werkt niet meer."))
    else:
        messages.info(request, _("Deze link was al ingetrokken."))
    return redirect("plans:plan_distribution", case_pk=case.pk)


# ---------- The family's own pages (no login) ----------


def _open(request: HttpRequest, token: str) -> FamilyLink | HttpResponse:
    """The link behind the token, or the refusal to answer with: a failed attempt counts
    against the address (kring/lib/link_guard.py); open_link itself logs a revoked or expired
    link with its case, so only an unknown token is logged here."""
    if link_guard.too_many_failures(request):
        return link_guard.throttled(request, "family")
    found = open_link(token)
    if not found.ok or found.link is None:
        return link_guard.refused(request, "family", found.reason, log=found.link is None)
    return found.link


def _family_context(
    link: FamilyLink, token: str, bound: ProgressForm | None = None
) -> dict[str, Any]:
    """The plan per domain, each agreement with its progress form (``bound``: the one just
    submitted, with its errors and the text as typed)."""
    plan = link.plan
    groups = [
        {
            "label": group.label,
            "entries": [(row, _progress_form(row.agreement, bound)) for row in group.rows],
        }
        for group in group_by_domain(agreements_of(plan))
    ]
    return {
        "plan": plan,
        "token": token,
        "participant": link.participant,
        "is_final": plan.status == PlanStatus.FINAL,
        "question": case_question(plan.case).strip(),
        "groups": groups,
    }


def _progress_form(agreement: Agreement, bound: ProgressForm | None) -> ProgressForm:
    if bound is not None and bound.prefix == f"a{agreement.pk}":
        return bound
    return ProgressForm(prefix=f"a{agreement.pk}", initial={"progress": agreement.progress})


@never_cache
@require_GET
def family_plan(request: HttpRequest, token: str) -> HttpResponse:
    """One plan: the link's own. Readable on a phone; progress per agreement."""
    link = _open(request, token)
    if isinstance(link, HttpResponse):
        return link
    speak_to(request, link.participant.language_id)
    log_use(link, "view")
    return render(request, "plans/distribution/family_plan.html", _family_context(link, token))


@never_cache
@require_GET
@limited("pdf", "KRING_RATE_PDF")
def family_plan_pdf(request: HttpRequest, token: str) -> HttpResponse:
    link = _open(request, token)
    if isinstance(link, HttpResponse):
        return link
    if link.plan.status != PlanStatus.FINAL:
        return redirect("plans:family_plan", token=token)  # which explains
    language = speak_to(request, link.participant.language_id)
    log_use(link, "pdf")
    return _pdf_response(link.plan, render_plan_pdf(link.plan, language))


@never_cache
@require_POST
def family_progress(request: HttpRequest, token: str, agreement_pk: int) -> HttpResponse:
    link = _open(request, token)
    if isinstance(link, HttpResponse):
        return link
    if not link.plan.agreements.filter(pk=agreement_pk).exists():
        raise Http404
    if link.plan.status != PlanStatus.FINAL:
        return redirect("plans:family_plan", token=token)
    speak_to(request, link.participant.language_id)
    form = ProgressForm(request.POST, prefix=f"a{agreement_pk}")
    if form.is_valid():
        save_progress(link, agreement_pk, form.cleaned_data["progress"])
        messages.success(request, _("Dank je wel! We hebben opgeschreven hoe het gaat."))
        url = reverse("plans:family_plan", args=[token])
        return redirect(f"{url}#afspraak-{agreement_pk}")
    log_use(link, "view")
    context = _family_context(link, token, form)
    return render(request, "plans/distribution/family_plan.html", context)
