"""A session moves to another date or place, or is called off, before it took place: each
through its own action, every invitee mailed, logged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.accounts.testing import VerifiedClient
from kring.audit.models import Action, AuditEvent, Outcome
from kring.training import domain
from kring.training.domain import TrainingRefused
from kring.training.models import Application, Invitation, SessionKind, TrainingSession
from kring.training.testing import apply, session

pytestmark = pytest.mark.django_db

LATER = timedelta(days=14)


def _calendar(message: Any) -> str:
    """The calendar entry attached to a mail, as text."""
    (name, content, kind), *_rest = message.attachments
    assert kind.startswith("text/calendar")
    return f"{name}\n{content}"


def _invited(utrecht: Any, trainer: Any, *emails: str) -> TrainingSession:
    group = session(SessionKind.INFO, trainer, on=timezone.localdate() + LATER)
    domain.invite(group, [apply(utrecht, email=email) for email in emails], by=trainer)
    return group


def test_the_invitation_carries_the_whole_days_for_the_calendar(
    utrecht, trainer, django_capture_on_commit_callbacks
):
    group = session(SessionKind.INFO, trainer, on=timezone.localdate() + LATER)
    person = apply(utrecht, email="a@voorbeeld.nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        domain.invite(group, [person], by=trainer)
    entry = _calendar(mail.outbox[0])
    assert entry.startswith("agenda.ics") and "SEQUENCE:0" in entry
    assert f"DTSTART;VALUE=DATE:{group.starts_on:%Y%m%d}" in entry
    assert f"DTEND;VALUE=DATE:{group.starts_on + timedelta(days=1):%Y%m%d}" in entry


def test_moving_tells_every_invitee_the_new_date_and_place(
    utrecht, trainer, django_capture_on_commit_callbacks
):
    group = _invited(utrecht, trainer, "a@voorbeeld.nl", "b@voorbeeld.nl")
    day = timezone.localdate() + LATER + timedelta(days=7)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = domain.move_session(
            group, starts_on=day, ends_on=day, place=" Utrecht, Buurthuis ", by=trainer
        )
    assert told == 2
    group.refresh_from_db()
    assert (group.starts_on, group.place) == (day, "Utrecht, Buurthuis")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@voorbeeld.nl", "b@voorbeeld.nl"]
    assert "Gewijzigd: Informatiebijeenkomst" in mail.outbox[0].subject
    assert "Utrecht, Buurthuis" in mail.outbox[0].body
    # The same calendar entry, replaced: a higher sequence, the new whole day.
    entry = _calendar(mail.outbox[0])
    assert f"UID:training-session-{group.pk}@kring" in entry and "SEQUENCE:1" in entry
    assert f"DTSTART;VALUE=DATE:{day:%Y%m%d}" in entry and "METHOD:REQUEST" in entry
    event = AuditEvent.objects.get(action=Action.TRAINING_SESSION_MOVED)
    assert event.detail["starts_on"] == day.isoformat()


def test_moving_refuses_the_past_a_backwards_end_and_no_change(utrecht, trainer):
    group = _invited(utrecht, trainer, "a@voorbeeld.nl")
    today = timezone.localdate()
    cases = [
        (today - timedelta(days=1), today, group.place, "starts_on"),
        (today + LATER, today, group.place, "ends_on"),
        (group.starts_on, group.ends_on, group.place, None),
    ]
    for starts, ends, place, field in cases:
        with pytest.raises(TrainingRefused) as refused:
            domain.move_session(group, starts_on=starts, ends_on=ends, place=place, by=trainer)
        assert refused.value.field == field
    assert TrainingSession.objects.get(pk=group.pk).starts_on == today + LATER
    refusals = AuditEvent.objects.filter(
        action=Action.TRAINING_SESSION_MOVED, outcome=Outcome.REFUSED
    )
    assert refusals.count() == 3


def test_calling_off_withdraws_the_invitations_and_tells_everyone(
    utrecht, trainer, django_capture_on_commit_callbacks
):
    group = _invited(utrecht, trainer, "a@voorbeeld.nl", "b@voorbeeld.nl")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = domain.cancel_session(group, reason=" Trainer ziek. ", by=trainer)
    assert told == 2
    group.refresh_from_db()
    assert group.cancelled_at is not None and group.cancel_reason == "Trainer ziek."
    assert not Invitation.objects.filter(session=group).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@voorbeeld.nl", "b@voorbeeld.nl"]
    assert "Gaat niet door" in mail.outbox[0].subject
    # The reason is for the trainers, not for the mail (nor the log).
    assert "ziek" not in mail.outbox[0].body
    entry = _calendar(mail.outbox[0])
    assert entry.startswith("afgelast.ics") and "METHOD:CANCEL" in entry
    assert f"UID:training-session-{group.pk}@kring" in entry and "STATUS:CANCELLED" in entry
    event = AuditEvent.objects.get(action=Action.TRAINING_SESSION_CANCELLED)
    assert event.detail == {"invitations_withdrawn": 2}
    # The invitees can be invited to another session of the kind.
    other = session(SessionKind.INFO, trainer, on=timezone.localdate() + LATER)
    people = Application.objects.filter(email__in=["a@voorbeeld.nl", "b@voorbeeld.nl"])
    assert domain.invite(other, people, by=trainer) == 2


def test_a_called_off_or_held_session_stays_as_it_is(utrecht, trainer):
    called_off = _invited(utrecht, trainer, "a@voorbeeld.nl")
    domain.cancel_session(called_off, reason="Te weinig aanmeldingen.", by=trainer)
    for attempt in (
        lambda: domain.cancel_session(called_off, reason="Nog eens.", by=trainer),
        lambda: domain.move_session(
            called_off,
            starts_on=called_off.starts_on + LATER,
            ends_on=called_off.starts_on + LATER,
            place="Elders",
            by=trainer,
        ),
        lambda: domain.invite(called_off, [apply(utrecht, email="c@voorbeeld.nl")], by=trainer),
        lambda: domain.record_attendance(called_off, [], by=trainer),
    ):
        with pytest.raises(TrainingRefused, match="afgelast"):
            attempt()
    held = session(SessionKind.INFO, trainer)
    domain.invite(held, [apply(utrecht, email="d@voorbeeld.nl")], by=trainer)
    domain.record_attendance(held, [], by=trainer)
    with pytest.raises(TrainingRefused, match="plaatsgevonden"):
        domain.cancel_session(held, reason="Te laat bedacht.", by=trainer)
    with pytest.raises(TrainingRefused) as empty:
        domain.cancel_session(session(SessionKind.EK1, trainer), reason=" ", by=trainer)
    assert empty.value.field == "reason"


def test_the_trainer_moves_and_calls_off_on_the_session_page(utrecht, trainer):
    group = _invited(utrecht, trainer, "a@voorbeeld.nl")
    client = VerifiedClient()
    client.force_login(trainer)
    page_url = reverse("training:session", args=[group.pk])
    page = client.get(page_url).content.decode()
    assert "Verplaatsen of afgelasten" in page
    assert f'value="{group.starts_on.isoformat()}"' in page
    assert 'data-testid="places"' in page

    move = reverse("training:session_move", args=[group.pk])
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    refused = client.post(move, {"starts_on": past, "ends_on": past, "place": "Elders"})
    assert refused.status_code == 400
    assert "Kies een datum vanaf vandaag." in refused.content.decode()
    assert 'value="Elders"' in refused.content.decode()
    same = {"starts_on": group.starts_on, "ends_on": group.ends_on, "place": group.place}
    unchanged = client.post(move, same)
    assert unchanged.status_code == 400
    assert "Dit zijn de datum en plaats die er al staan." in unchanged.content.decode()

    cancel = reverse("training:session_cancel", args=[group.pk])
    assert client.post(cancel, {"reason": ""}).status_code == 400
    done = client.post(cancel, {"reason": "Te weinig aanmeldingen."}, follow=True)
    text = done.content.decode()
    assert "Afgelast. 1 genodigde(n) krijgen bericht." in text
    assert "Te weinig aanmeldingen." in text and "aanmeldingen.." not in text
    assert "Verplaatsen of afgelasten" not in text and "Uitnodiging versturen" not in text
    assert 'data-testid="places"' not in text  # no free places to offer on a called-off one
    listed = client.get(reverse("training:sessions")).content.decode()
    assert "(afgelast)" in listed


def test_two_days_before_the_invitees_are_reminded_once_and_again_after_a_move(
    utrecht, trainer, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    soon = session(SessionKind.INFO, trainer, on=today + timedelta(days=2))
    domain.invite(soon, [apply(utrecht, email="a@voorbeeld.nl")], by=trainer)
    _invited(utrecht, trainer, "later@voorbeeld.nl")  # two weeks away: not yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert domain.send_session_reminders(today) == 1
        assert domain.send_session_reminders(today) == 0  # a second run: nothing again
    assert [m.to for m in mail.outbox] == [["a@voorbeeld.nl"]]
    assert mail.outbox[0].subject.startswith("Herinnering: Informatiebijeenkomst")
    assert _calendar(mail.outbox[0]).startswith("agenda.ics")
    # Moved to tomorrow: the new date is reminded of too.
    tomorrow = today + timedelta(days=1)
    domain.move_session(soon, starts_on=tomorrow, ends_on=tomorrow, place="Elders", by=trainer)
    assert domain.send_session_reminders(today) == 1
    # Called off: no reminder.
    domain.cancel_session(soon, reason="Ziek.", by=trainer)
    TrainingSession.objects.filter(pk=soon.pk).update(reminded_at=None)
    assert domain.send_session_reminders(today) == 0


def test_attendance_is_asked_for_from_the_first_day(utrecht, trainer):
    group = _invited(utrecht, trainer, "a@voorbeeld.nl")
    client = VerifiedClient()
    client.force_login(trainer)
    page = client.get(reverse("training:session", args=[group.pk])).content.decode()
    assert "De aanwezigheid leg je vast vanaf de eerste dag" in page
    assert reverse("training:session_attendance", args=[group.pk]) not in page
    today = session(SessionKind.INFO, trainer)
    domain.invite(today, [apply(utrecht, email="b@voorbeeld.nl")], by=trainer)
    page = client.get(reverse("training:session", args=[today.pk])).content.decode()
    assert reverse("training:session_attendance", args=[today.pk]) in page
