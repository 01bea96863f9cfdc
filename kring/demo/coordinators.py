"""The demo's coordinators: profiles that matching can work with, and who has room.

Every demo coordinator gets a ``CoordinatorProfile`` (home postcode, languages, cultures,
certification, VOG, capacity), so a manager can match the fresh requests in the inbox. While
the requests are drafted, ``Workload`` keeps count of each coordinator's current cases: a case
that is still in an involved status at "now" takes a place, and in the end ``load`` is saved and
``max_cases`` raised where the generated history needs it (the check constraint
``load <= max_cases`` must hold).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection

from kring.accounts.models import User
from kring.coordinators.models import (
    INDEPENDENCE_VALID_DAYS,
    CoordinatorProfile,
    CoordinatorStatus,
)
from kring.demo import names
from kring.demo.people import UserSpec
from kring.demo.world import World

CS = CoordinatorStatus
_STATUSES = (CS.EK2, CS.CERTIFIED, CS.EK1, CS.CANDIDATE, CS.PAUSED, CS.STOPPED)
_STATUS_WEIGHTS = (40, 35, 12, 6, 5, 2)
# Who did the cases of the past (paused and stopped coordinators did, candidates not yet),
# and who may take a case now (a candidate's first case is supported by the manager).
_HAD_CASES = frozenset({CS.EK1, CS.CERTIFIED, CS.EK2, CS.PAUSED, CS.STOPPED})
_TAKES_CASES = frozenset({CS.CANDIDATE, CS.EK1, CS.CERTIFIED, CS.EK2})
_EXTRA_LANGUAGES = ("eng", "deu", "fra", "spa")
_REGIONAL_LANGUAGE = {"fryslan": "fry", "limburg": "lim", "groningen": "gos", "drenthe": "drt"}
_RELIGIONS = ("christelijk", "katholiek", "humanistisch")


@dataclass
class Seat:
    """One coordinator during generation."""

    user: User
    profile: CoordinatorProfile
    region_id: int
    load: int = 0
    conferences: int = 0
    last_case_at: datetime | None = None

    def can_do(self, variant: str) -> bool:
        # Matching's rule: EK1 and certified coordinators do the family variant only.
        return variant == "family" or self.profile.status == CS.EK2

    def takes_cases(self, today: date) -> bool:
        vog = self.profile.vog_valid_until()
        return self.profile.status in _TAKES_CASES and vog is not None and vog >= today


class Workload:
    """Each demo coordinator's current cases while the history is generated."""

    def __init__(self, seats: list[Seat], today: date) -> None:
        self.seats, self.today = seats, today
        self.by_user = {seat.user.pk: seat for seat in seats}
        self._past: dict[tuple[int | None, bool], list[Seat]] = {}
        self._now: dict[tuple[int | None, bool], tuple[list[Seat], list[Seat]]] = {}
        # coordinator1 (a README login) only gets the showcase case, so it has room for an offer.
        self._available = [s for s in seats[1:] if s.takes_cases(today)] or seats

    def pick(
        self, rng: random.Random, region_id: int | None, variant: str, *, involved_now: bool
    ) -> Seat:
        """A coordinator for an assignment; one still involved today must have room."""
        if involved_now:
            return self._pick_now(rng, region_id, variant)
        return rng.choice(self._past_choices(region_id, variant))

    def _past_choices(self, region_id: int | None, variant: str) -> list[Seat]:
        key = (region_id, variant == "family")
        if key not in self._past:  # cached: static, and asked for a hundred thousand times
            able = [s for s in self.seats if s.profile.status in _HAD_CASES and s.can_do(variant)]
            local = [s for s in able if s.region_id == region_id]
            self._past[key] = local or able or self.seats
        return self._past[key]

    def _pick_now(self, rng: random.Random, region_id: int | None, variant: str) -> Seat:
        key = (region_id, variant == "family")
        if key not in self._now:
            able = [s for s in self._available if s.can_do(variant)] or self.seats
            self._now[key] = ([s for s in able if s.region_id == region_id], able)
        local, able = self._now[key]
        # Nobody nearby with room: another region helps out. If everyone is full (the national
        # scale has far more requests per coordinator than reality), the least busy local one
        # takes one more; their max_cases is raised when the workload is saved.
        roomy = _roomy(local) or _roomy(able)
        seat = rng.choice(roomy) if roomy else min(local or able, key=lambda s: s.load)
        self.take(seat)
        return seat

    def take(self, seat: Seat) -> None:
        seat.load += 1

    def assigned(self, seat: Seat, at: datetime) -> None:
        if seat.last_case_at is None or at > seat.last_case_at:
            seat.last_case_at = at

    def save(self) -> None:
        """Store each coordinator's load, capacity, conferences done and last case."""
        for seat in self.seats:
            profile = seat.profile
            profile.load = seat.load
            profile.max_cases = max(profile.max_cases, seat.load)
            profile.conferences_done = seat.conferences
            profile.last_case_at = seat.last_case_at
        # One UPDATE per row through executemany: bulk_update's CASE expressions over 750
        # rows took seconds to build.
        fields = ("load", "max_cases", "conferences_done", "last_case_at")
        meta, ops = CoordinatorProfile._meta, connection.ops
        column = {f.name: str(f.column) for f in meta.concrete_fields}
        names = [column[name] for name in fields]
        assert meta.pk is not None
        columns = ", ".join(f"{ops.quote_name(name)} = %s" for name in names)
        sql = (
            f"UPDATE {ops.quote_name(meta.db_table)} SET {columns} "
            f"WHERE {ops.quote_name(str(meta.pk.column))} = %s"
        )
        rows = [
            (
                s.profile.load,
                s.profile.max_cases,
                s.profile.conferences_done,
                ops.adapt_datetimefield_value(s.profile.last_case_at),
                s.profile.pk,
            )
            for s in self.seats
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _roomy(seats: list[Seat]) -> list[Seat]:
    return [seat for seat in seats if seat.load < seat.profile.max_cases]


def create_profiles(
    rng: random.Random, world: World, coordinators: list[tuple[UserSpec, User]], now: datetime
) -> Workload:
    """A profile for every demo coordinator (existing profiles are reused as they are)."""
    existing = {
        p.user_id: p
        for p in CoordinatorProfile.objects.filter(user__in=[user for _, user in coordinators])
    }
    drafts = [
        _profile(rng, world, spec, user, now, number)
        for number, (spec, user) in enumerate(coordinators, start=1)
    ]
    new = [draft for draft in drafts if draft[0].user_id not in existing]
    CoordinatorProfile.objects.bulk_create([profile for profile, _, _ in new], batch_size=500)
    _link(new)
    seats = [
        Seat(user, existing.get(user.pk, profile), spec.regions[0])
        for (spec, user), (profile, _, _) in zip(coordinators, drafts, strict=True)
    ]
    return Workload(seats, now.date())


def _link(new: list[tuple[CoordinatorProfile, list[int], list[str]]]) -> None:
    regions = CoordinatorProfile.regions.through
    languages = CoordinatorProfile.languages.through
    regions.objects.bulk_create(
        regions(coordinatorprofile_id=p.pk, region_id=r) for p, ids, _ in new for r in ids
    )
    languages.objects.bulk_create(
        languages(coordinatorprofile_id=p.pk, language_id=c) for p, _, codes in new for c in codes
    )


def _profile(
    rng: random.Random, world: World, spec: UserSpec, user: User, now: datetime, number: int
) -> tuple[CoordinatorProfile, list[int], list[str]]:
    """An unsaved profile with its region ids and language codes."""
    person, region_id = spec.person, spec.regions[0]
    status = CS.EK2 if number == 1 else rng.choices(_STATUSES, weights=_STATUS_WEIGHTS)[0]
    vog = _vog_date(rng, now.date(), status, number == 1)
    religion = ""
    if rng.random() < 0.12:
        religion = person.background.religion or rng.choice(_RELIGIONS)
    profile = CoordinatorProfile(
        user=user,
        home_postcode_id=_home(rng, world, region_id),
        birth_year=now.year - rng.randint(26, 70),
        gender="female" if person.female else "male",
        cultural_backgrounds=_cultures(rng, person.background),
        religion=religion,
        religion_consent_at=now - timedelta(days=rng.randint(30, 900)) if religion else None,
        max_travel_km=rng.choice((15, 25, 40, 40, 60)),
        evenings_weekends=rng.random() < 0.8,
        status=status,
        vog_issued_on=vog,
        independence_declared_on=_declared_on(rng, now.date(), vog),
        max_cases=2 if number == 1 else rng.choices((1, 2, 3), weights=(5, 3, 2))[0],
    )
    regions = [region_id]
    if rng.random() < 0.1:  # living near a border, working in two regions
        regions.append(world.pick_region(rng).pk)
    return profile, sorted(set(regions)), _languages(rng, world, person.background, region_id)


def _home(rng: random.Random, world: World, region_id: int) -> str | None:
    areas = world.areas_in(region_id)
    return rng.choice(areas).pc4 if areas else None


def _declared_on(rng: random.Random, today: date, vog: date | None) -> date | None:
    """The independence declaration, renewed every year on the anniversary of the VOG's
    signing: always current, so a handful lapse within the month and get their reminder."""
    if vog is None:
        return None
    first = vog + timedelta(days=rng.randint(0, 20))
    return today - timedelta(days=max(0, (today - first).days) % INDEPENDENCE_VALID_DAYS)


def _vog_date(rng: random.Random, today: date, status: str, fixed: bool) -> date | None:
    """A certificate of conduct (valid three years); a few have expired, candidates may lack one."""
    if status == CS.CANDIDATE and rng.random() < 0.5:
        return None
    expired = not fixed and rng.random() < 0.04
    days_ago = rng.randint(3 * 365 + 10, 5 * 365) if expired else rng.randint(20, 3 * 365 - 20)
    return today - timedelta(days=days_ago)


def _cultures(rng: random.Random, background: names.Background) -> str:
    if background is names.DUTCH:
        return "Nederlands"
    return f"{background.culture}, Nederlands" if rng.random() < 0.6 else background.culture


def _spread_languages(rng: random.Random, world: World, count: int) -> list[str]:
    """Languages drawn by how common they are in the Netherlands, flattened (square root) so
    that a national pool, like the real one, covers a hundred or more languages and dialects."""
    codes, weights = world.other_languages
    if not codes:
        return []
    return rng.choices(codes, weights=[w**0.5 for w in weights], k=count)


def _languages(
    rng: random.Random, world: World, background: names.Background, region_id: int
) -> list[str]:
    """Dutch, the family languages, often English, sometimes another or the regional one."""
    codes = ["nld"]
    if background is not names.DUTCH:
        own = list(background.languages)
        codes += rng.sample(own, rng.randint(1, len(own)))
    if rng.random() < 0.6:
        codes.append("eng")
    if rng.random() < 0.15:
        codes.append(rng.choice(_EXTRA_LANGUAGES))
    if rng.random() < 0.35:
        codes += _spread_languages(rng, world, rng.randint(1, 2))
    regional = _REGIONAL_LANGUAGE.get(world.slug(region_id))
    if regional and rng.random() < 0.4:
        codes.append(regional)
    return [code for code in dict.fromkeys(codes) if code in world.languages]
