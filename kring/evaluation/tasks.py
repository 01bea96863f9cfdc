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


def render_mail(context: dict[str, Any]) -> tuple[str, str]:
    subject = render_to_string("evaluation/mail/questionnaire_subject.txt", context)
    body = render_to_string("evaluation/mail/questionnaire.txt", context)
    return " ".join(subject.split()), body


@task()
def send_questionnaire_mail(questionnaire_id: int) -> int:
    """Mail one person their link. The link is made here, so its token is only in this
    worker's memory and in the mail, never in the task queue; it is kept only if the mail
    went out (one transaction). Nothing is sent once the questionnaire was answered."""
    questionnaire = Questionnaire.objects.select_related("case", "participant", "involvement").get(
        pk=questionnaire_id
    )
    email = questionnaire.email
    if questionnaire.answered_at is not None or not email:
        return 0
    with transaction.atomic():
        token = issue_link(questionnaire, by=None, channel="email")
        url = settings.SITE_URL.rstrip("/") + reverse("evaluation:answer", args=[token])
        context = {
            "first_name": first_name(questionnaire.person_name),
            "url": url,
            "expires_at": questionnaire.expires_at,
        }
        subject, body, _language = subject_and_body_in(
            questionnaire.language or None, lambda: render_mail(context)
        )
        return EmailMessage(subject, body, None, [email]).send()
