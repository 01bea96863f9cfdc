"""Demo coaching: notes, meetings with attendance, and VOGs that lapse soon or did."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from kring.accounts.models import Role
from kring.cases.models import Status
from kring.coaching.lapses import lapse_day, send_lapse_reminders
from kring.coaching.models import CoachingNote, Condition, Meeting, MeetingInvitation, MeetingKind
from kring.coordinators.domain import propose
from kring.coordinators.tests.test_offers import make_profile
from kring.demo.coaching import seed_coaching
from kring.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def test_seed_coaching_gives_every_page_something_to_show(manager, office):
    UserFactory(role=Role.MANAGER, regions=["groningen"])
    pool = [make_profile() for _ in range(4)] + [make_profile(regions=("groningen",))]
    now = timezone.now()
    seed_coaching(random.Random(3), now)
    assert CoachingNote.objects.filter(internal=False).exists()
    assert CoachingNote.objects.filter(author=manager).count() == 2 * 4
    regional = Meeting.objects.filter(kind=MeetingKind.REGIONAL)
    assert regional.filter(starts_at__lt=now).count() == 2  # Utrecht and Groningen
    assert regional.filter(starts_at__gt=now).count() == 2
    assert Meeting.objects.filter(kind=MeetingKind.STUDY_DAY, region__isnull=True).count() == 2
    assert MeetingInvitation.objects.filter(meeting__starts_at__lt=now, attended=True).exists()
    assert not MeetingInvitation.objects.filter(
        meeting__starts_at__gt=now, attended__isnull=False
    ).exists()
    today = now.date()
    lapses = [lapse_day(type(p).objects.get(pk=p.pk), Condition.VOG) for p in pool[:3]]
    assert lapses == [today + timedelta(days=d) for d in (45, 20, -6)]
    # The lapsed one is out of matching; the reminders have steps to send.
    case = make_case(status=Status.MATCHING)
    proposed = {p.profile.pk for p in propose(case)}
    assert pool[2].pk not in proposed and pool[1].pk in proposed
    assert send_lapse_reminders(today) >= 3
