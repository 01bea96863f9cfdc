"""Mail of coaching: reminders about lapsing conditions, invitations to meetings. Tasks read
models only (never the domain), see docs/architecture.md."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kring.accounts.models import Role, User
from kring.coaching.models import LapseReminder, LapseStep, MeetingInvitation
from kring.coordinators.models import CoordinatorProfile
from kring.lib.calendar_file import Entry, attach_entry


def _link(name: str, *args: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _send(
    template: str, context: dict[str, Any], recipients: list[str], *, entry: Entry | None = None
) -> int:
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"coaching/mail/{template}_subject.txt", context)
        body = render_to_string(f"coaching/mail/{template}.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, None, recipients)
    if entry is not None:
        attach_entry(message, entry)
    return message.send()


def managers_of(profile: CoordinatorProfile) -> list[str]:
    """The e-mail of every active manager of the coordinator's regions; the office's when
    there is none (a lapse must reach someone who can act)."""
    staff = User.objects.filter(role=Role.MANAGER, is_active=True, regions__coordinators=profile)
    emails = list(staff.distinct().values_list("email", flat=True))
    if not emails:
        office = User.objects.filter(role=Role.OFFICE, is_active=True)
        emails = list(office.values_list("email", flat=True))
    return sorted(set(emails))


@task()
def send_lapse_reminder(reminder_id: int) -> int:
    """Before the lapse: the coordinator; on the lapse day: the managers."""
    reminder = LapseReminder.objects.select_related("profile__user").get(pk=reminder_id)
    profile = reminder.profile
    context: dict[str, Any] = {
        "reminder": reminder,
        "profile": profile,
        "last_day": reminder.lapses_on - timedelta(days=1),
    }
    if reminder.step == LapseStep.EXPIRED:
        context["url"] = _link("coaching:coordinator", profile.pk)
        return _send("lapse_expired", context, managers_of(profile))
    context["url"] = _link("coaching:my_overview")
    return _send("lapse_reminder", context, [profile.user.email])


def _to_invitee(template: str, invitation_id: int) -> int:
    """The mail about a meeting to one invitee, with the meeting for their calendar."""
    invitation = MeetingInvitation.objects.select_related("meeting", "profile__user").get(
        pk=invitation_id
    )
    meeting, user = invitation.meeting, invitation.profile.user
    context: dict[str, Any] = {"invitation": invitation, "meeting": meeting}
    context["url"] = _link("coaching:my_meetings")
    with translation.override(settings.LANGUAGE_CODE):
        summary = f"{meeting.get_kind_display()}: {meeting.topic}"
    entry = Entry(
        uid=f"meeting-{meeting.pk}@kring",
        summary=summary,
        location=meeting.place,
        start=meeting.starts_at,
        end=None,
        sequence=meeting.calendar_sequence,
        attendee_email=user.email,
        attendee_name=user.get_full_name(),
        cancelled=meeting.cancelled_at is not None,
    )
    return _send(template, context, [user.email], entry=entry)


@task()
def send_meeting_invitation(invitation_id: int) -> int:
    return _to_invitee("meeting_invitation", invitation_id)


@task()
def send_meeting_moved(invitation_id: int) -> int:
    return _to_invitee("meeting_moved", invitation_id)


@task()
def send_meeting_reminder(invitation_id: int) -> int:
    return _to_invitee("meeting_reminder", invitation_id)


@task()
def send_meeting_cancelled(invitation_id: int) -> int:
    return _to_invitee("meeting_cancelled", invitation_id)
