"""Mail with the plan: the PDF to each recipient, and a main person's own link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kring.lib.languages import subject_and_body_in
from kring.plans.distribution.document import pdf_filename, render_plan_pdf
from kring.plans.models import Agreement, Distribution, Plan
from kring.preparation.logistics.mailing import first_name, mail_language
from kring.preparation.logistics.tasks import participant_message
from kring.preparation.models import Participant


def _render(kind: str, context: dict[str, Any]) -> tuple[str, str]:
    subject = render_to_string(f"plans/mail/document_{kind}_subject.txt", context)
    body = render_to_string(f"plans/mail/document_{kind}.txt", context)
    return " ".join(subject.split()), body


def _context(plan: Plan, participant: Participant) -> dict[str, Any]:
    coordinator = plan.case.coordinator
    return {
        "plan": plan,
        "participant": participant,
        "first_name": first_name(participant),
        "coordinator_name": coordinator.get_full_name() if coordinator else "",
        "coordinator_phone": coordinator.phone if coordinator else "",
    }


def participant_plan_message(
    plan: Plan, participant: Participant, kind: str, **extra: Any
) -> EmailMessage:
    """In the participant's language, or Dutch with English below (kring/lib/languages.py)."""
    context = {**_context(plan, participant), **extra}
    subject, body, _language = subject_and_body_in(
        mail_language(participant), lambda: _render(kind, context)
    )
    return participant_message(participant, subject, body)


@task()
def send_plan_mail(distribution_id: int) -> int:
    """The plan as a PDF to one recipient. Skipped when the plan changed before the
    worker got here: the new version is sent on its own."""
    distribution = Distribution.objects.select_related(
        "participant", "involvement", "referrer", "plan__case__coordinator", "plan__case__request"
    ).get(pk=distribution_id)
    plan = distribution.plan
    if plan.version != distribution.plan_version:
        return 0
    if distribution.participant is not None:
        if not distribution.participant.email:
            return 0
        message = participant_plan_message(plan, distribution.participant, "plan")
        pdf = render_plan_pdf(plan, mail_language(distribution.participant))
    else:
        message = _professional_message(plan, distribution)
        pdf = render_plan_pdf(plan)
    message.attach(pdf_filename(plan), pdf, "application/pdf")
    return message.send()


def _professional_message(plan: Plan, distribution: Distribution) -> EmailMessage:
    """To a professional who attended, or to the referrer the family chose to inform."""
    involvement, referrer = distribution.involvement, distribution.referrer
    email = involvement.email if involvement is not None else referrer.email if referrer else ""
    coordinator = plan.case.coordinator
    context = {
        "name": distribution.recipient_name,
        "attended": involvement is not None,
        "reference": plan.case.request.reference,
        "coordinator_name": coordinator.get_full_name() if coordinator else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _render("plan_professional", context)
    reply_to = [coordinator.email] if coordinator and coordinator.email else None
    return EmailMessage(subject, body, None, [email], reply_to=reply_to)


@task()
def notify_family_progress(agreement_id: int) -> int:
    """Tell the coordinator that the family noted progress on their own page (issue 15 §2):
    only that it happened and where to read it, never what was written. Nobody is told once
    the coordinator's involvement has ended; the managers read it at the implementation."""
    agreement = Agreement.objects.select_related("plan__case__coordinator", "plan__case__request")
    case = agreement.get(pk=agreement_id).plan.case
    coordinator = case.coordinator
    if coordinator is None or not coordinator.email or not case.coordinator_is_involved:
        return 0
    url = settings.SITE_URL.rstrip("/") + reverse("plans:plan_edit", args=[case.pk])
    context = {
        "name": coordinator.first_name or coordinator.get_full_name(),
        "reference": case.request.reference,
        "url": url + "#afspraken",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("plans/mail/family_progress_subject.txt", context)
        body = render_to_string("plans/mail/family_progress.txt", context)
    return EmailMessage(" ".join(subject.split()), body, None, [coordinator.email]).send()
