"""Demo coaching (issue 14 §3-4): notes by the regional managers, a past and a coming regional
meeting per region and a past and a coming national study day with invitations, answers and
attendance, and a few coordinators whose VOG lapses soon or has lapsed (so the reminders,
the overview's warnings and matching's "VOG verlopen" have something to show).

Written after the cases, in bulk; the well-known demo coordinator keeps a valid VOG."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.conf import settings

from kring.accounts.models import Region, Role, User
from kring.coaching.models import (
    CoachingNote,
    Meeting,
    MeetingInvitation,
    MeetingKind,
    Reply,
)
from kring.coordinators.models import CoordinatorProfile, CoordinatorStatus

NOTES = [
    ("Eerste conferentie goed voorbereid; de kring werd flink groter.", False),
    ("Samen de vraagstelling doorgenomen: nog te gesloten, volgende keer opener.", False),
    ("Vraagt om intervisie over conferenties met drang.", False),
    ("Belasting in de gaten houden: twee trajecten tegelijk was veel.", True),
    ("Sterk in contact met professionals; let op het sturen tijdens de presentatie.", False),
    ("Overweegt te stoppen na de zomer, nog niet besproken met de coördinator.", True),
]
TOPICS = [
    "Intervisie: de kring vergroten",
    "Conferenties met drang en dwang",
    "Open vragen stellen",
    "Besloten tijd en de rol van de coördinator",
]
COACHED_PER_REGION = 6
WELL_KNOWN = "coordinator1@kring.example"


def seed_coaching(rng: random.Random, now: datetime) -> None:
    office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    pool = list(
        CoordinatorProfile.objects.exclude(
            status__in=[CoordinatorStatus.CANDIDATE, CoordinatorStatus.STOPPED]
        )
        .filter(user__is_active=True)
        .select_related("user")
        .prefetch_related("regions")
        .order_by("pk")
    )
    if office is None or not pool:
        return
    by_region: dict[int, list[CoordinatorProfile]] = {}
    for profile in pool:
        for region in profile.regions.all():
            by_region.setdefault(region.pk, []).append(profile)
    for region in Region.objects.order_by("pk"):
        manager = region.managers.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
        coached = by_region.get(region.pk, [])
        if manager is None or not coached:
            continue
        _notes(rng, manager, coached[:COACHED_PER_REGION], now)
        _meetings(rng, now, manager, coached, region)
    _meetings(rng, now, office, pool, None)
    _lapsing(pool, now.date())


def _notes(
    rng: random.Random, manager: User, coached: list[CoordinatorProfile], now: datetime
) -> None:
    CoachingNote.objects.bulk_create(
        CoachingNote(
            profile=profile,
            author=manager,
            text=text,
            internal=internal,
            written_at=now - timedelta(days=rng.randint(3, 300)),
        )
        for profile in coached
        for text, internal in rng.sample(NOTES, 2)
    )


def _meetings(
    rng: random.Random,
    now: datetime,
    planner: User,
    invited: list[CoordinatorProfile],
    region: Region | None,
) -> None:
    kind = MeetingKind.REGIONAL if region else MeetingKind.STUDY_DAY
    place = f"Regiokantoor {region}" if region else "Congrescentrum Amersfoort"
    past, coming = (
        Meeting.objects.create(
            kind=kind,
            region=region,
            starts_at=(now + timedelta(days=days)).replace(hour=14, minute=0, second=0),
            place=place,
            topic=rng.choice(TOPICS),
            planned_by=planner,
            planned_at=now - timedelta(days=abs(days) + 30),
        )
        for days in (-rng.randint(20, 70), rng.randint(10, 40))
    )
    # A study day for the whole pool would be thousands of rows in a national demo: a sample.
    guests = invited if region else rng.sample(invited, min(len(invited), 40))
    invitations = []
    for profile in guests:
        came = rng.random() < 0.7
        invitations.append(
            MeetingInvitation(
                meeting=past,
                profile=profile,
                invited_at=past.planned_at,
                reply=Reply.YES if came else rng.choice([Reply.NO, Reply.NONE]),
                replied_at=past.planned_at + timedelta(days=2),
                attended=came,
            )
        )
        reply = rng.choice([Reply.YES, Reply.NO, Reply.NONE, Reply.NONE])
        invitations.append(
            MeetingInvitation(
                meeting=coming,
                profile=profile,
                invited_at=coming.planned_at,
                reply=reply,
                replied_at=coming.planned_at + timedelta(days=1) if reply else None,
            )
        )
    MeetingInvitation.objects.bulk_create(invitations, batch_size=2000)


def _issued_for_lapse(lapses_on: date) -> date:
    """The issue date of a VOG that lapses on ``lapses_on`` (its last valid day before it)."""
    last_valid = lapses_on - timedelta(days=1)
    years = settings.KRING_VOG_VALID_YEARS
    try:
        return last_valid.replace(year=last_valid.year - years)
    except ValueError:  # 29 February
        return last_valid.replace(year=last_valid.year - years, day=28)


def _lapsing(pool: list[CoordinatorProfile], today: date) -> None:
    """Two coordinators whose VOG lapses within two months, one whose VOG lapsed last week,
    one whose declaration lapses within a month; never the well-known demo login."""
    others = [p for p in pool if p.user.email != WELL_KNOWN][:4]
    if len(others) < 4:
        return
    soon, sooner, lapsed, declaring = others
    for profile, days in ((soon, 45), (sooner, 20), (lapsed, -6)):
        profile.vog_issued_on = _issued_for_lapse(today + timedelta(days=days))
    declaring.independence_declared_on = today - timedelta(days=365 - 25)
    CoordinatorProfile.objects.bulk_update([soon, sooner, lapsed], ["vog_issued_on"])
    CoordinatorProfile.objects.bulk_update([declaring], ["independence_declared_on"])
