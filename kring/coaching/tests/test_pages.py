"""Coaching pages: notes and who reads them, the VOG and the declaration, meetings with their
invitations and attendance, and ids of what is not one's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kring.accounts.models import Role
from kring.accounts.testing import once_on
from kring.audit.models import Action, AuditEvent
from kring.coaching.domain import invite, plan_meeting
from kring.coaching.models import CoachingNote, Meeting, MeetingInvitation, MeetingKind, Reply
from kring.coordinators.tests.test_offers import make_profile
from kring.factories import UserFactory

pytestmark = pytest.mark.django_db


def _note(client, profile, text, internal=False):
    data = {"text": text, **({"internal": "on"} if internal else {})}
    return client.post(reverse("coaching:note_add", args=[profile.pk]), data)


def test_notes_the_coordinator_reads_only_what_is_not_internal(client, manager, office, coached):
    client.force_login(manager)
    assert _note(client, coached, "Goed gesprek over de kring.").status_code == 302
    assert (
        _note(client, coached, "Let op: twijfel over belasting.", internal=True).status_code == 302
    )
    assert CoachingNote.objects.filter(profile=coached).count() == 2
    assert AuditEvent.objects.filter(action=Action.COACHING_NOTE_ADDED).count() == 2
    client.force_login(coached.user)
    own = client.get(reverse("coaching:my_overview")).content.decode()
    assert "Goed gesprek over de kring." in own
    assert "twijfel" not in own
    client.force_login(office)
    page = client.get(reverse("coaching:coordinator", args=[coached.pk])).content.decode()
    assert "Goed gesprek" in page and "twijfel" in page


def test_a_double_submit_of_a_note_or_a_meeting_saves_it_once(client, manager, coached):
    client.force_login(manager)
    page = client.get(reverse("coaching:coordinator", args=[coached.pk])).content
    data = {"text": "Goed gesprek.", "once": once_on(page)}
    url = reverse("coaching:note_add", args=[coached.pk])
    assert client.post(url, data).status_code == client.post(url, data).status_code == 302
    assert CoachingNote.objects.filter(profile=coached).count() == 1
    meetings = reverse("coaching:meetings")
    starts = (timezone.localtime() + timedelta(days=9)).replace(hour=19, minute=30)
    plan = {
        "kind": MeetingKind.REGIONAL,
        "region": coached.regions.first().pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "place": "Utrecht",
        "topic": "Intervisie",
        "once": once_on(client.get(meetings).content),
    }
    assert client.post(meetings, plan).status_code == 302
    assert client.post(meetings, plan).status_code == 302
    assert Meeting.objects.count() == 1


def test_a_manager_of_another_region_finds_nothing(client, other_manager, coached):
    client.force_login(other_manager)
    assert client.get(reverse("coaching:coordinator", args=[coached.pk])).status_code == 404
    assert _note(client, coached, "Niet de mijne").status_code == 404
    vog = client.post(
        reverse("coaching:vog_record", args=[coached.pk]), {"issued_on": "2026-01-01"}
    )
    assert vog.status_code == 404
    assert not CoachingNote.objects.exists()


def test_hostile_note_and_vog_input_gets_a_dutch_error_and_saves_nothing(client, manager, coached):
    client.force_login(manager)
    nul = _note(client, coached, "Tekst met \x00 erin")
    assert nul.status_code == 400
    for bad in ("9999-12-31", "0000-00-00", "2999-01-01"):
        answer = client.post(reverse("coaching:vog_record", args=[coached.pk]), {"issued_on": bad})
        assert answer.status_code == 400
        assert "utrecht-form-field-error-message" in answer.content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    answer = client.post(reverse("coaching:vog_record", args=[coached.pk]), {"issued_on": future})
    assert "toekomst" in answer.content.decode()
    assert not CoachingNote.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.VOG_RECORDED).exists()


def test_the_coordinator_renews_the_declaration_on_their_overview(client, coached):
    coached.independence_declared_on = timezone.localdate() - timedelta(days=400)
    coached.save()
    client.force_login(coached.user)
    url = reverse("coaching:declaration_renew")
    assert client.post(url, {}).status_code == 400  # the confirmation is required
    assert client.post(url, {"confirm": "on"}).status_code == 302
    coached.refresh_from_db()
    assert coached.independence_declared_on == timezone.localdate()
    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 400
    assert "vandaag al" in again.content.decode()


def _plan(by, topic, *, region=None, days=7):
    return plan_meeting(
        kind=MeetingKind.REGIONAL if region else MeetingKind.STUDY_DAY,
        region=region,
        starts_at=timezone.now() + timedelta(days=days),
        place="Utrecht",
        topic=topic,
        by=by,
    )


def _meeting_form(**fields):
    soon = timezone.localtime() + timedelta(days=14)
    return {
        "kind": MeetingKind.REGIONAL,
        "starts_at": soon.strftime("%Y-%m-%dT%H:%M"),
        "place": "Regiokantoor Utrecht",
        "topic": "Vragen stellen die openen",
        **fields,
    }


def test_a_manager_plans_for_their_own_region_only(client, manager, utrecht, groningen):
    client.force_login(manager)
    url = reverse("coaching:meetings")
    assert client.post(url, _meeting_form(region=groningen.pk)).status_code == 400
    study_day = _meeting_form(kind=MeetingKind.STUDY_DAY)
    assert client.post(url, study_day).status_code == 400  # the office plans those
    assert not Meeting.objects.exists()
    planned = client.post(url, _meeting_form(region=utrecht.pk))
    assert planned.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.region == utrecht and meeting.planned_by == manager


def test_invitations_go_to_the_regions_coordinators_once_and_they_answer(
    client, manager, utrecht, coached, theirs, django_capture_on_commit_callbacks
):
    meeting = _plan(manager, "Intervisie", region=utrecht)
    client.force_login(manager)
    page_url = reverse("coaching:meeting", args=[meeting.pk])
    assert "1 coördinator is nog niet uitgenodigd." in client.get(page_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coaching:meeting_invite", args=[meeting.pk]))
        client.post(reverse("coaching:meeting_invite", args=[meeting.pk]))  # a double click
    invitation = MeetingInvitation.objects.get()
    # Nobody left to invite: no button that can only be refused.
    page = client.get(page_url).content.decode()
    assert 'data-testid="all-invited"' in page and "uitnodigen per e-mail" not in page
    assert invitation.profile == coached
    assert [m.to for m in mail.outbox] == [[coached.user.email]]
    # With the meeting for the coordinator's calendar.
    (name, entry, kind), *_rest = mail.outbox[0].attachments
    assert name == "agenda.ics" and kind.startswith("text/calendar; method=REQUEST")
    assert f"UID:meeting-{meeting.pk}@kring" in entry and "SEQUENCE:0" in entry
    # The coordinator answers; someone else's invitation is not theirs to answer.
    client.force_login(theirs.user)
    answer = reverse("coaching:invitation_answer", args=[invitation.pk])
    assert client.post(answer, {"reply": Reply.YES}).status_code == 404
    client.force_login(coached.user)
    assert client.post(answer, {"reply": Reply.YES}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.reply == Reply.YES
    listing = client.get(reverse("coaching:my_meetings")).content.decode()
    assert "Intervisie" in listing


def test_attendance_after_the_meeting_shows_on_the_overview(
    client, manager, office, utrecht, coached
):
    other = make_profile(regions=("utrecht",))
    meeting = _plan(manager, "Terugblik", region=utrecht)
    invite(meeting, by=manager)
    study_day = _plan(office, "Landelijk", days=9)
    invite(study_day, by=office)
    client.force_login(manager)
    url = reverse("coaching:meeting_attendance", args=[meeting.pk])
    mine = meeting.invitations.get(profile=coached)
    assert client.post(url, {"present": [mine.pk]}).status_code == 400  # not begun yet
    # Time passes: the meeting is over (a meeting is only ever planned in the future).
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    foreign = study_day.invitations.get(profile=coached)
    assert client.post(url, {"present": [foreign.pk]}).status_code == 400  # not this meeting's
    assert not meeting.invitations.filter(attended__isnull=False).exists()
    assert client.post(url, {"present": [mine.pk]}).status_code == 302
    assert meeting.invitations.get(profile=coached).attended is True
    assert meeting.invitations.get(profile=other).attended is False
    page = client.get(reverse("coaching:coordinator", args=[coached.pk])).content.decode()
    assert "Terugblik" in page
    # A study day is the office's: a manager sees it listed but cannot open it.
    assert client.get(reverse("coaching:meeting", args=[study_day.pk])).status_code == 404


def test_the_overview_lists_only_the_managers_coordinators(client, manager, coached, theirs):
    client.force_login(manager)
    page = client.get(reverse("coaching:coordinators")).content.decode()
    # As the page writes them: a name such as Van 't Riet comes out escaped.
    assert escape(coached.user) in page
    assert escape(theirs.user) not in page
    professional = UserFactory(role=Role.PROFESSIONAL)
    client.force_login(professional)
    assert client.get(reverse("coaching:coordinators")).status_code == 403
