"""Mail to the circle: poll links, invitations with an .ics, the reminder two days before."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kring.lib.languages import render_in, subject_and_body_in
from kring.preparation.logistics.ics import CalendarInvite, build_ics
from kring.preparation.logistics.mailing import (
    conference_context,
    first_name,
    get_preparation,
    issue_poll_link,
    mail_language,
)
from kring.preparation.models import Invitation, Participant


def render_mail(kind: str, language: str | None, context: dict[str, Any]) -> tuple[str, str]:
    """Subject and body from ``preparation/mail/invitation[_kind][_subject].txt`` in the
    person's language, or Dutch with English below by the rule of kring/lib/languages.py."""
    base = "preparation/mail/invitation" + (f"_{kind}" if kind else "")

    def render() -> tuple[str, str]:
        return render_to_string(f"{base}_subject.txt", context), render_to_string(
            f"{base}.txt", context
        )

    subject, body, _language = subject_and_body_in(language, render)
    return subject, body


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
    """Ask one confirmed participant to fill in the date poll through their personal link.
    The link is made here, so its token is only in this worker's memory and in the mail,
    never in the task queue; it is kept only if the mail went out (one transaction)."""
    participant = _participant(participant_id)
    with transaction.atomic():
        token = issue_poll_link(participant, by=None, channel="email")
        link = reverse("preparation:poll_answer", args=[token])
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
    subject, body = render_mail("", mail_language(participant), context)
    message = participant_message(participant, subject, body)
    # The calendar entry in the mail's (first) language.
    ics = render_in(mail_language(participant), lambda: _ics_for(participant, invitation, context))
    message.attach(
        "uitnodiging.ics" if ics.language == "nl" else "invitation.ics",
        ics.parts[0],
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
            language=translation.get_language(),
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
