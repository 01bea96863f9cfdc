"""A regional meeting or study day moves or is called off before it starts, each through
its own action: every invited coordinator is mailed, and their list says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import Action, AuditEvent
from kring.coaching import domain
from kring.coaching.domain import CoachingRefused
from kring.coaching.models import Meeting, MeetingInvitation, Reply
from kring.coaching.tests.test_pages import _plan
from kring.coordinators.tests.test_offers import make_profile

pytestmark = pytest.mark.django_db


def test_moving_mails_every_invitee_the_new_moment(
    manager, utrecht, coached, django_capture_on_commit_callbacks
):
    meeting = _plan(manager, "Intervisie", region=utrecht)
    domain.invite(meeting, by=manager)
    later = (timezone.localtime() + timedelta(days=21)).replace(second=0, microsecond=0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = domain.move_meeting(meeting, starts_at=later, place=" Buurthuis ", by=manager)
    assert told == 1
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place) == (later, "Buurthuis")
    assert [m.to for m in mail.outbox] == [[coached.user.email]]
    assert mail.outbox[0].subject.startswith("Verplaatst: Regiobijeenkomst")
    assert "Buurthuis" in mail.outbox[0].body
    (name, entry, _kind), *_rest = mail.outbox[0].attachments
    assert name == "agenda.ics"
    assert f"UID:meeting-{meeting.pk}@kring" in entry and "SEQUENCE:1" in entry
    assert AuditEvent.objects.filter(action=Action.MEETING_MOVED).count() == 1


def test_calling_off_tells_everyone_and_closes_the_meeting(
    client, manager, utrecht, coached, django_capture_on_commit_callbacks
):
    meeting = _plan(manager, "Intervisie", region=utrecht)
    domain.invite(meeting, by=manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = domain.cancel_meeting(meeting, reason=" Zaal niet beschikbaar. ", by=manager)
    assert told == 1
    meeting.refresh_from_db()
    assert meeting.cancel_reason == "Zaal niet beschikbaar." and meeting.cancelled_at
    assert [m.to for m in mail.outbox] == [[coached.user.email]]
    assert "Gaat niet door" in mail.outbox[0].subject
    assert "Zaal" not in mail.outbox[0].body  # the reason stays with the meeting
    (name, entry, _kind), *_rest = mail.outbox[0].attachments
    assert name == "afgelast.ics" and "METHOD:CANCEL" in entry and "Zaal" not in entry
    invitation = MeetingInvitation.objects.get()
    for attempt in (
        lambda: domain.cancel_meeting(meeting, reason="Nog eens.", by=manager),
        lambda: domain.move_meeting(
            meeting, starts_at=meeting.starts_at + timedelta(days=1), place="X", by=manager
        ),
        lambda: domain.invite(meeting, by=manager),
        lambda: domain.answer(invitation, reply=Reply.YES, by=coached.user),
    ):
        with pytest.raises(CoachingRefused, match="afgelast"):
            attempt()
    # The coordinator's list says it does not go ahead, without the buttons to answer.
    client.force_login(coached.user)
    listing = client.get(reverse("coaching:my_meetings")).content.decode()
    assert "Gaat niet door." in listing and 'name="reply"' not in listing


def test_what_cannot_change_is_refused(manager, other_manager, utrecht, coached):
    meeting = _plan(manager, "Intervisie", region=utrecht)
    with pytest.raises(CoachingRefused) as past:
        domain.move_meeting(
            meeting, starts_at=timezone.now() - timedelta(hours=1), place="X", by=manager
        )
    assert past.value.field == "starts_at"
    with pytest.raises(CoachingRefused, match="al staan"):
        domain.move_meeting(meeting, starts_at=meeting.starts_at, place="Utrecht", by=manager)
    with pytest.raises(CoachingRefused) as empty:
        domain.cancel_meeting(meeting, reason="\t", by=manager)
    assert empty.value.field == "reason"
    with pytest.raises(CoachingRefused, match="beheert"):
        domain.cancel_meeting(meeting, reason="Niet van mij.", by=other_manager)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(CoachingRefused, match="begonnen"):
        domain.cancel_meeting(meeting, reason="Te laat.", by=manager)
    assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None


def test_the_manager_moves_and_calls_off_on_the_meeting_page(client, manager, utrecht, coached):
    meeting = _plan(manager, "Intervisie", region=utrecht)
    client.force_login(manager)
    page = client.get(reverse("coaching:meeting", args=[meeting.pk])).content.decode()
    assert "Verplaatsen of afgelasten" in page
    move = reverse("coaching:meeting_move", args=[meeting.pk])
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(move, {"starts_at": past, "place": "Elders"})
    assert refused.status_code == 400
    assert "Kies een moment in de toekomst." in refused.content.decode()
    assert 'value="Elders"' in refused.content.decode()
    cancel = reverse("coaching:meeting_cancel", args=[meeting.pk])
    assert client.post(cancel, {"reason": "x" * 501}).status_code == 400
    done = client.post(cancel, {"reason": "Zaal niet beschikbaar."}, follow=True)
    text = done.content.decode()
    assert "Afgelast. 0 coördinator(en) krijgen bericht." in text
    assert "Zaal niet beschikbaar." in text and "Verplaatsen of afgelasten" not in text
    listing = client.get(reverse("coaching:meetings")).content.decode()
    assert "(afgelast)" in listing


def test_who_did_not_say_no_is_reminded_once_two_days_before(
    manager, utrecht, coached, django_capture_on_commit_callbacks
):
    meeting = _plan(manager, "Intervisie", region=utrecht, days=1)
    domain.invite(meeting, by=manager)
    declined = make_profile(regions=("utrecht",))
    domain.invite(meeting, by=manager)
    domain.answer(meeting.invitations.get(profile=declined), reply=Reply.NO, by=declined.user)
    later = _plan(manager, "Later", region=utrecht, days=7)
    domain.invite(later, by=manager)
    now = timezone.now()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert domain.send_meeting_reminders(now) == 1
        assert domain.send_meeting_reminders(now) == 0
    assert [m.to for m in mail.outbox] == [[coached.user.email]]
    assert mail.outbox[0].subject.startswith("Herinnering: Regiobijeenkomst")
    # Moved within the two days: reminded again of the new moment; called off: not.
    domain.move_meeting(meeting, starts_at=now + timedelta(hours=30), place="X", by=manager)
    assert domain.send_meeting_reminders(now) == 1
    domain.cancel_meeting(later, reason="Zaal bezet.", by=manager)
    assert domain.send_meeting_reminders(now + timedelta(days=6)) == 0
