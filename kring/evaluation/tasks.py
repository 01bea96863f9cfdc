"""The mail with the questionnaire's personal link, in the person's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from kring.evaluation.links import issue_link
from kring.evaluation.models import Questionnaire
from kring.lib.languages import subject_and_body_in


def first_name(name: str) -> str:
    """Only the first name: what a personal link and its mail may show of a person."""
    return name.split()[0] if name.strip() else ""


def render_mail(context: dict[str, Any], name: str = "questionnaire") -> tuple[str, str]:
    """The mail ``name`` (the first one, or ``questionnaire_reminder``): subject and body."""
    subject = render_to_string(f"evaluation/mail/{name}_subject.txt", context)
    body = render_to_string(f"evaluation/mail/{name}.txt", context)
    return " ".join(subject.split()), body


@task()
def send_questionnaire_mail(questionnaire_id: int) -> int:
    """Mail one person their link. The link is made here, so its token is only in this
    worker's memory and in the mail, never in the task queue; it is kept only if the mail
    went out (one transaction). Nothing is sent once the questionnaire was answered."""
    return _mail_link(questionnaire_id, reminder=False)


@task()
def send_questionnaire_reminder(questionnaire_id: int) -> int:
    """The one reminder to someone who did not answer, with a new link; the first mail's link
    keeps working beside it (they may have that mail open right now)."""
    return _mail_link(questionnaire_id, reminder=True)


def _mail_link(questionnaire_id: int, *, reminder: bool) -> int:
    questionnaire = Questionnaire.objects.select_related("case", "participant", "involvement").get(
        pk=questionnaire_id
    )
    email = questionnaire.email
    if questionnaire.answered_at is not None or not email:
        return 0
    name, channel = (
        ("questionnaire_reminder", "email_reminder") if reminder else ("questionnaire", "email")
    )
    with transaction.atomic():
        token = issue_link(questionnaire, by=None, channel=channel, keep_earlier=reminder)
        url = settings.SITE_URL.rstrip("/") + reverse("evaluation:answer", args=[token])
        context = {
            "first_name": first_name(questionnaire.person_name),
            "url": url,
            "expires_at": questionnaire.expires_at,
        }
        subject, body, _language = subject_and_body_in(
            questionnaire.language or None, lambda: render_mail(context, name)
        )
        return EmailMessage(subject, body, None, [email]).send()
