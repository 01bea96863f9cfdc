"""Mail on the coordinator's path, sent by the task worker after the step is committed."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kring.accounts.models import User
from kring.audit.log import record
from kring.audit.models import Action
from kring.lib.calendar_file import Entry, attach_entry
from kring.lib.tokens import issue_token
from kring.training.models import Application, Invitation, Stage, TrainingSession


def _send(
    template: str, context: Mapping[str, object], to: str, *, entry: Entry | None = None
) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"training/mail/{template}_subject.txt", dict(context))
        body = render_to_string(f"training/mail/{template}.txt", dict(context))
        message = EmailMessage("".join(subject.splitlines()), body, None, [to])
        if entry is not None:
            attach_entry(message, entry)
    return message.send()


def _entry(session: TrainingSession, application: Application) -> Entry:
    """The session in the invitee's calendar: whole days, from the first to the last."""
    return Entry(
        uid=f"training-session-{session.pk}@kring",
        summary=str(session.get_kind_display()),
        location=session.place,
        start=session.starts_on,
        end=session.ends_on,
        sequence=session.calendar_sequence,
        attendee_email=application.email,
        attendee_name=str(application),
        cancelled=session.cancelled_at is not None,
    )


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_application_confirmation(application_id: int) -> int:
    application = Application.objects.get(pk=application_id)
    return _send("confirmation", {"application": application}, application.email)


def _to_invitee(template: str, invitation_id: int) -> int:
    """A mail about the session to one invitee, with the session for their calendar; nothing
    when the invitation is gone by now (the session was called off meanwhile)."""
    invitation = (
        Invitation.objects.select_related("session", "application").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.session.cancelled_at is not None:
        return 0
    context = {"invitation": invitation, "session": invitation.session}
    entry = _entry(invitation.session, invitation.application)
    return _send(template, context, invitation.application.email, entry=entry)


@task()
def send_session_invitation(invitation_id: int) -> int:
    return _to_invitee("invitation", invitation_id)


@task()
def send_session_moved(invitation_id: int) -> int:
    """The new date and place."""
    return _to_invitee("session_moved", invitation_id)


@task()
def send_session_reminder(invitation_id: int) -> int:
    """Two days before: when and where, with the entry for the calendar once more."""
    return _to_invitee("session_reminder", invitation_id)


@task()
def send_session_cancelled(session_id: int, application_id: int) -> int:
    session = TrainingSession.objects.get(pk=session_id)
    application = Application.objects.get(pk=application_id)
    context = {"application": application, "session": session}
    entry = _entry(session, application)
    return _send("session_cancelled", context, application.email, entry=entry)


@task()
def send_report_link(application_id: int) -> int:
    """The personal link to write the self-report is made here, in the worker, so the raw
    token is never stored (not even in the task table); only its hash is."""
    application = Application.objects.get(pk=application_id)
    if application.stage != Stage.EK1_ATTENDED:
        return 0
    token, token_hash = issue_token()
    application.report_token_hash = token_hash
    application.save(update_fields=["report_token_hash"])
    record(None, Action.TRAINING_REPORT_LINK_ISSUED, obj=application)
    url = _site(reverse("training:self_report", args=[token]))
    return _send("report_link", {"application": application, "url": url}, application.email)


@task()
def send_welcome(user_id: int) -> int:
    """The new coordinator chooses a password through Django's own reset link (the account
    has no usable password until then)."""
    user = User.objects.get(pk=user_id)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    site = urlsplit(settings.SITE_URL)
    path = reverse("accounts:password_reset_confirm", args=[uid, token])
    url = f"{site.scheme or 'https'}://{site.netloc}{path}"
    return _send("welcome", {"user": user, "url": url}, user.email)
