"""Mail to the circle: poll links, invitations with an .ics, the reminder two days before."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone, translation

from kring.preparation.ics import CalendarInvite, build_ics
from kring.preparation.logistics import (
    conference_context,
    first_name,
    get_preparation,
    mail_language,
    send_conference_reminders,
)
from kring.preparation.models import Invitation, Participant


def render_mail(kind: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """Subject and body from ``preparation/mail/invitation[_kind]_{subject_}{lang}.txt``,
    in the participant's language where a template exists, Dutch otherwise."""
    base = "preparation/mail/invitation" + (f"_{kind}" if kind else "")
    with translation.override(language):
        subject = select_template([f"{base}_subject_{language}.txt", f"{base}_subject_nl.txt"])
        body = select_template([f"{base}_{language}.txt", f"{base}_nl.txt"])
        return subject.render(context).strip(), body.render(context)


def _mail_context(participant: Participant) -> dict[str, Any]:
    case = participant.case
    context = conference_context(case, get_preparation(case))
    return {**context, "participant": participant, "first_name": first_name(participant)}


def participant_message(participant: Participant, subject: str, body: str) -> EmailMessage:
    """Mail to a circle member; answers go to the case's coordinator."""
    coordinator = participant.case.coordinator
    return EmailMessage(
        subject,
        body,
        None,
        [participant.email],
        reply_to=[coordinator.email] if coordinator else None,
    )


def _participant(participant_id: int) -> Participant:
    return Participant.objects.select_related("case__coordinator").get(pk=participant_id)


@task()
def send_poll_link_mail(participant_id: int) -> int:
    """Ask one confirmed participant to fill in the date poll through their personal link."""
    participant = _participant(participant_id)
    link = reverse("preparation:poll_answer", args=[participant.poll_token])
    context = {**_mail_context(participant), "url": settings.SITE_URL.rstrip("/") + link}
    subject, body = render_mail("poll", mail_language(participant), context)
    return participant_message(participant, subject, body).send()


@task()
def send_invitation_mail(invitation_id: int) -> int:
    """The invitation itself, in the participant's language, with the calendar entry."""
    invitation = Invitation.objects.get(pk=invitation_id)
    participant = _participant(invitation.participant_id)
    preparation = get_preparation(participant.case)
    if preparation.conference_at != invitation.conference_at:
        return 0  # the date changed before the worker got here; the new date re-invites
    context = _mail_context(participant)
    subject, body = render_mail("", invitation.language, context)
    message = participant_message(participant, subject, body)
    message.attach(
        "uitnodiging.ics" if invitation.language == "nl" else "invitation.ics",
        _ics_for(participant, invitation, context),
        "text/calendar; method=REQUEST; charset=utf-8",
    )
    return message.send()


def _ics_for(participant: Participant, invitation: Invitation, context: dict[str, Any]) -> bytes:
    preparation = context["preparation"]
    earlier_dates = (
        participant.invitations.exclude(conference_at=invitation.conference_at)
        .values("conference_at")
        .distinct()
        .count()
    )
    return build_ics(
        CalendarInvite(
            case_pk=participant.case_id,
            starts_at=invitation.conference_at,
            ends_at=preparation.conference_ends_at or invitation.conference_at,
            location=preparation.venue,
            organizer_name=context["coordinator_name"],
            organizer_email=context["coordinator_email"],
            attendee_name=participant.name,
            attendee_email=participant.email,
            language=invitation.language,
            sequence=earlier_dates,
        )
    )


@task()
def send_conference_reminder_mail(participant_id: int) -> int:
    """A short reminder two days before: when, where, whom to call."""
    participant = _participant(participant_id)
    context = _mail_context(participant)
    subject, body = render_mail("reminder", mail_language(participant), context)
    return participant_message(participant, subject, body).send()


@task()
def send_due_conference_reminders() -> int:
    """Run by ``manage.py kring_periodic``: reminders for conferences within 48 hours."""
    return send_conference_reminders(timezone.now())
