"""Mail about requests, sent by the task worker after the request is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, send_mass_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kring.accounts.models import Role, User
from kring.intake.models import Request
from kring.lib.languages import subject_and_body_in


@task()
def send_request_confirmation(request_id: int) -> bool:
    """Confirm receipt to the requester: the reference and what happens next, no case details."""
    request = Request.objects.select_related("region").get(pk=request_id)
    if not request.requester_email:
        return False
    context = {"request": request}

    def render() -> tuple[str, str]:
        return (
            render_to_string("intake/mail/confirmation_subject.txt", context),
            render_to_string("intake/mail/confirmation.txt", context),
        )

    # In the language the form was filled in (kring/lib/languages.py).
    subject, body, _language = subject_and_body_in(request.requester_language or None, render)
    # "Antwoord op deze e-mail" reaches people, not the no-reply sender.
    reply_to = reply_address(request)
    EmailMessage(subject, body, None, [request.requester_email], reply_to=reply_to).send()
    return True


def reply_address(request: Request) -> list[str]:
    """Where a reply to the confirmation goes: the region's office address; without one the
    region's managers; a request in the national queue to the national office."""
    if request.region is not None and request.region.email:
        return [request.region.email]
    return [user.email for user in _managers_for(request) if user.email]


@task()
def notify_managers(request_id: int) -> int:
    """Tell the region's managers (or the national office) that a request is waiting."""
    request = Request.objects.select_related("region", "case").get(pk=request_id)
    recipients = _managers_for(request)
    url = settings.SITE_URL.rstrip("/") + reverse("cases:detail", args=[request.case.pk])
    with translation.override(settings.LANGUAGE_CODE):
        context = {"request": request, "url": url}
        subject = render_to_string("intake/mail/new_request_subject.txt", context).strip()
        body = render_to_string("intake/mail/new_request.txt", context)
    messages = [(subject, body, None, [user.email]) for user in recipients]
    return send_mass_mail(messages)


def _managers_for(request: Request) -> list[User]:
    active = User.objects.filter(is_active=True)
    if request.region_id is None:
        return list(active.filter(role=Role.OFFICE))
    return list(active.filter(role=Role.MANAGER, regions=request.region_id))
