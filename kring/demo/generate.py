"""Generating a whole demo data set: people, then requests in the order they came in."""

from __future__ import annotations

import heapq
import itertools
import math
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from tqdm import tqdm

from kring.cases.models import OPEN_STATUSES, Status
from kring.demo import timeline
from kring.demo.api import seed_api
from kring.demo.coaching import seed_coaching
from kring.demo.coordinators import create_profiles
from kring.demo.drafts import Draft, Drafter, Pin
from kring.demo.endings import close_ended_courses
from kring.demo.evaluation import seed_evaluation
from kring.demo.fill import Filler
from kring.demo.money import seed_money
from kring.demo.parallel import InProcess, Worker, can_fork
from kring.demo.people import HOME_REGION, Cast, create_cast
from kring.demo.rows import Extra
from kring.demo.training import Path, save_seats
from kring.demo.world import World, load_world
from kring.demo.writer import (
    Adapt,
    Writer,
    indexes_built_afterwards,
    next_ids,
    reset_sequences,
    tune_connection,
)

CHUNK = 2500
PARALLEL_FROM = 10_000  # requests; below this a second process costs more than it saves
# Requests come in during the day, with a peak in office hours (7-23h; none at night).
_HOURS = tuple(range(7, 23))
_HOUR_WEIGHTS = (2, 5, 9, 10, 10, 9, 8, 9, 9, 8, 6, 4, 4, 5, 4, 2)
_COORDINATOR1 = frozenset(
    {Status.PREPARATION, Status.FOLLOWED_UP, Status.IMPLEMENTATION_REGISTERED}
)


@dataclass(frozen=True)
class Scale:
    requests: int
    years: int
    coordinators: int
    professionals: int
    fresh_per_region: tuple[int, int] = (3, 5)  # NEW requests of the last days per region
    # Circles (participants, contact log, professionals, attendance) for every case, or only
    # for the open ones and those opened in the last ``circle_days`` days. Preparations,
    # conferences, plans, agreements, follow-ups and implementations are always complete.
    circle_days: int | None = None


SCALES = {
    "small": Scale(requests=400, years=3, coordinators=60, professionals=20),
    "national": Scale(
        requests=100_000, years=8, coordinators=750, professionals=400, circle_days=90
    ),
    # For bench/dashboard.py on PostgreSQL: over 200,000 cases and 2,000,000 agreements.
    "bench": Scale(
        requests=240_000, years=10, coordinators=1500, professionals=800, circle_days=30
    ),
}


def generate(
    *,
    seed: int,
    scale: Scale,
    now: datetime,
    progress: bool = False,
    parallel: bool | None = None,
) -> int:
    """Create the demo data in one transaction; returns the number of requests.

    ``parallel``: fill the cases in a second process (by default for large scales, where a
    second core is there); the data are the same either way.
    """
    if parallel is None:
        parallel = scale.requests >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 and can_fork()
    rng = random.Random(seed)
    world = load_world()
    with transaction.atomic():
        cast, coordinators = create_cast(rng, world, scale.coordinators, scale.professionals)
        workload = create_profiles(rng, world, coordinators, now)
        # The coordinator's path (issue 14), from a generator of its own: everyone as far as
        # they get without a conference; the candidates' first conferences are requests
        # pinned to them, made below like all others (and counted in the scale).
        training = Path(random.Random(f"{seed}:training"), now)
        training.start()
        candidates = training.seats()
        workload.by_user.update((seat.user.pk, seat) for seat in candidates)
        drafter = Drafter(rng, world, cast, workload, first_ids=next_ids())
        pins = sorted(
            [*_pins(rng, world, cast, scale, now), *training.pins()],
            key=lambda pin: pin.submitted,
        )
        times = submission_times(rng, scale.requests - len(pins), scale.years, now)
        stream = heapq.merge(
            ((t, None) for t in times), ((p.submitted, p) for p in pins), key=lambda item: item[0]
        )
        writer = Writer()
        # The circles and plans draw from a generator of their own, so that adding to them
        # does not change the requests of a seed.
        filler = Filler(
            random.Random(f"{seed}:kring"),
            cast,
            now,
            circle_days=scale.circle_days,
            adapt=Adapt(),
        )
        tune_connection()
        # Started before the progress bar: fork before any thread runs.
        filling = Worker(filler) if parallel else InProcess(filler)
        try:
            with (
                indexes_built_afterwards(),
                tqdm(total=scale.requests, unit=" aanvragen", disable=not progress) as bar,
            ):
                # While batch n is filled, batch n + 1 is drafted; then batch n is written.
                waiting: list[Draft] | None = None
                for chunk in itertools.batched(stream, CHUNK):
                    drafts = [drafter.draft(submitted, now, pin) for submitted, pin in chunk]
                    filling.submit(drafts)
                    if waiting is not None:
                        _write(writer, waiting, filling.result())
                    waiting = drafts
                    bar.update(len(chunk))
                if waiting is not None:
                    _write(writer, waiting, filling.result())
        finally:
            filling.close()
        workload.save()
        save_seats(candidates)
        close_ended_courses()
        # The candidates walked on to their stage, with the conferences made for them.
        training.finish()
        # Hours, statements, contracts and invoices (issue 13), from their own generator.
        seed_money(random.Random(f"{seed}:money"), now)
        # Coaching, evaluation (issue 15) and the API's keys (issue 17), each from a generator
        # of its own, so that adding to one leaves the others' data unchanged.
        seed_coaching(random.Random(f"{seed}:coaching"), now)
        seed_evaluation(random.Random(f"{seed}:evaluation"), now)
        seed_api(random.Random(f"{seed}:api"), now)
        reset_sequences()
    return scale.requests


def _write(writer: Writer, drafts: list[Draft], extra: Extra) -> None:
    extra.set_dues([draft.case for draft in drafts])
    writer.write(drafts)
    writer.write_extra(extra)


def submission_times(rng: random.Random, count: int, years: int, now: datetime) -> list[datetime]:
    """Sorted moments over ``years`` up to ``now``; the number of requests doubles over time."""
    span, today = 365 * years, now.date()
    moments = []
    for _ in range(count):
        # Density proportional to 1 + x on [0, 1] (x = fraction of the span), by inversion.
        x = math.sqrt(1 + 3 * rng.random()) - 1
        day = today - timedelta(days=int((1 - x) * span))
        day = _fewer_in_weekends(rng, day)
        clock = time(rng.choices(_HOURS, weights=_HOUR_WEIGHTS)[0], rng.randrange(60))
        moment = datetime.combine(day, clock, tzinfo=now.tzinfo)
        moments.append(moment if moment < now else moment - timedelta(days=1))
    return sorted(moments)


def _fewer_in_weekends(rng: random.Random, day: date) -> date:
    # Always draw, so that the sequence of draws does not depend on the date of today.
    move, back = rng.random() < 0.7, rng.randrange(5)
    if day.weekday() >= 5 and move:
        return day - timedelta(days=day.weekday() - 4 + back)  # a weekday of the week before
    return day


def _pins(
    rng: random.Random, world: World, cast: Cast, scale: Scale, now: datetime
) -> Iterator[Pin]:
    """Requests placed on purpose, so every inbox has fresh work whatever the seed."""
    for region in world.regions:
        for _ in range(rng.randint(*scale.fresh_per_region)):
            # Up to four days old: the older ones have missed their first contact.
            yield Pin(now - timedelta(days=rng.uniform(0.05, 4.0)), [], region.pk)
    for _ in range(2):  # the national queue: no usable postcode
        yield Pin(now - timedelta(days=rng.uniform(0.1, 2)), [], None)
    yield from _showcase(rng, world, cast, now)


def _showcase(rng: random.Random, world: World, cast: Cast, now: datetime) -> Iterator[Pin]:
    """One case in every open status for the home region, referred by professional1.

    coordinator1 has one case in preparation and two that are past their involvement; the
    other involved cases go to colleagues, as coordinators take few cases at a time.
    """
    home = world.region(HOME_REGION) or world.regions[0]
    coordinator = next(iter(cast.coordinators.get(home.pk, [])), None)
    professional = next(iter(cast.professionals.get(home.pk, [])), None)
    for status in Status:
        if status not in OPEN_STATUSES or status == Status.NEW:
            continue
        steps = timeline.plan_course(rng, Status.CLOSED)
        offset = timeline.pin_offset(rng, steps, status)
        own = coordinator if status in _COORDINATOR1 else None
        yield Pin(now - timedelta(days=offset), steps, home.pk, own, professional)
