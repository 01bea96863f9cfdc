"""Mail with the plan: the PDF to each participant, and a main person's own link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from kring.accounts.models import User
from kring.plans.document import pdf_filename, render_plan_pdf
from kring.plans.family import create_link
from kring.plans.models import Distribution, Plan
from kring.preparation.logistics import first_name
from kring.preparation.logistics_tasks import participant_message
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


def _message(plan: Plan, participant: Participant, kind: str, **extra: Any) -> EmailMessage:
    subject, body = _render(kind, {**_context(plan, participant), **extra})
    return participant_message(participant, subject, body)


@task()
def send_plan_mail(distribution_id: int) -> int:
    """The plan as a PDF to one participant. Skipped when the plan changed before the
    worker got here: the new version is sent on its own."""
    distribution = Distribution.objects.select_related(
        "participant", "plan__case__coordinator", "plan__case__request"
    ).get(pk=distribution_id)
    plan = distribution.plan
    if plan.version != distribution.plan_version or not distribution.participant.email:
        return 0
    message = _message(plan, distribution.participant, "plan")
    message.attach(pdf_filename(plan), render_plan_pdf(plan), "application/pdf")
    return message.send()


@task()
def create_and_mail_family_link(plan_id: int, participant_id: int, by_id: int) -> int:
    """Make a main person's link here and mail it: the token never enters the task queue.
    The link is saved only if the mail went out (one transaction)."""
    plan = Plan.objects.select_related("case__coordinator", "case__request").get(pk=plan_id)
    participant = Participant.objects.get(pk=participant_id, case=plan.case)
    by = User.objects.get(pk=by_id)
    with transaction.atomic():
        link, token = create_link(plan, participant, by=by, channel="email")
        url = settings.SITE_URL.rstrip("/") + reverse("plans:family_plan", args=[token])
        return _message(plan, participant, "family_link", url=url, link=link).send()
