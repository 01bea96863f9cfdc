"""Reminders after the plan: the coordinator's follow-up call, the managers' implementation
registration. The periodic tasks find what is due; the mail tasks send one reminder each."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kring.cases.models import Case, Status


def _send(kind: str, context: dict[str, Any], recipients: list[str]) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"plans/mail/aftercare_{kind}_subject.txt", context).strip()
        body = render_to_string(f"plans/mail/aftercare_{kind}.txt", context)
    return send_mail(subject, body, None, recipients)


def _url(name: str, case: Case) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[case.pk])


@task()
def send_follow_up_reminder_mail(case_id: int) -> int:
    """Ask the coordinator to make the follow-up call (about four weeks after)."""
    case = Case.objects.select_related("request", "coordinator").get(pk=case_id)
    coordinator = case.coordinator
    if case.status != Status.PLAN_SENT or coordinator is None or not coordinator.is_active:
        return 0  # recorded (or reassigned) between the check and this mail
    context = {
        "case": case,
        "reference": case.request.reference,
        "name": coordinator.first_name or coordinator,
        "due": case.follow_up_due,
        "url": _url("plans:follow_up", case),
    }
    return _send("follow_up", context, [coordinator.email])


@task()
def send_implementation_reminder_mail(
    case_id: int, recipients: list[str], escalated: bool = False
) -> int:
    """Ask the region's managers to register how the plan was carried out (at five months
    also the national office: ``escalated``)."""
    case = Case.objects.select_related("request").get(pk=case_id)
    if case.status != Status.FOLLOWED_UP or not recipients:
        return 0
    context = {
        "case": case,
        "reference": case.request.reference,
        "due": case.implementation_due,
        "escalated": escalated,
        "url": _url("plans:implementation", case),
    }
    return _send("implementation", context, recipients)
