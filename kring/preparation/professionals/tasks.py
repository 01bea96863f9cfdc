"""Mail to professionals, sent by the task worker after the invitation is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kring.preparation.models import ProfessionalInvolvement
from kring.preparation.professionals.links import issue_invitation_link


@task()
def send_professional_invitation(involvement_id: int) -> int:
    """The personal link; the mail itself names no main person and says nothing of the case.
    The link is made here, so its token is only in this worker's memory and in the mail,
    never in the task queue; it is kept only if the mail went out (one transaction)."""
    involvement = ProfessionalInvolvement.objects.select_related("invited_by", "case__request").get(
        pk=involvement_id
    )
    with transaction.atomic():
        token = issue_invitation_link(involvement)
        link = reverse("preparation:professional_join", args=[token])
        context = {
            "involvement": involvement,
            "reference": involvement.case.request.reference,
            "url": settings.SITE_URL.rstrip("/") + link,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(
                "preparation/mail/professional_invitation_subject.txt", context
            )
            body = render_to_string("preparation/mail/professional_invitation.txt", context)
        return send_mail(subject.strip(), body, None, [involvement.email])
