"""Mail about requests, sent by the task worker after the request is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kring.accounts.models import Role, User
from kring.intake.models import Request


@task()
def send_request_confirmation(request_id: int) -> bool:
    """Confirm receipt to the requester: the reference and what happens next, no case details."""
    request = Request.objects.get(pk=request_id)
    if not request.requester_email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"request": request}
        subject = render_to_string("intake/mail/confirmation_subject.txt", context).strip()
        body = render_to_string("intake/mail/confirmation.txt", context)
    send_mail(subject, body, None, [request.requester_email])
    return True


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
