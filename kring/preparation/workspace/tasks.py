"""Reminders about deadlines that passed: the periodic check, and the mail it sends."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kring.cases.models import INVOLVED_STATUSES, Case
from kring.preparation.workspace.deadlines import clock_reminders


@task()
def send_deadline_reminder_mail(case_id: int, kind: str, recipients: list[str]) -> int:
    """Tell the coordinator and/or the managers that a clock of a case has run out."""
    case = Case.objects.select_related("request", "coordinator").get(pk=case_id)
    late = next((d for d in clock_reminders(case, timezone.now()) if d.kind == kind), None)
    if late is None or case.paused_at is not None or not recipients:
        return 0  # met (or paused) between the check and this mail: nothing to remind of
    link = (
        reverse("preparation:workspace", args=[case.pk])
        if case.status in INVOLVED_STATUSES
        else reverse("cases:detail", args=[case.pk])
    )
    context = {
        "case": case,
        "reference": case.request.reference,
        "deadline": late,
        "days_late": late.days_late(timezone.now()),
        "url": settings.SITE_URL.rstrip("/") + link,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("preparation/mail/deadline_subject.txt", context).strip()
        body = render_to_string("preparation/mail/deadline_reminder.txt", context)
    return send_mail(subject, body, None, recipients)
