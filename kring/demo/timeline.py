"""The course of a demo case: which outcome it is heading for and when each step happens.

Pure functions (no database). A course is drawn in full, as if the case had all the time it
needs; the snapshot at "now" keeps only the steps that already happened, so a young request is
naturally still in an early status and an old one is finished. Every step is a legal move of
``cases.models.TRANSITIONS`` (tests replay them).

Calibration (domain.md, "Published figures"): of the requests that are more than an informative
talk and not withdrawn, 70% reach a conference, 15% end with a plan without a conference and 15%
stop during preparation; 9 in 10 conferences produce a plan.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from kring.cases.models import Status

# Moments that are not a status but belong on the timeline.
FIRST_CONTACT = "first_contact"
FIRST_VISIT = "first_visit"
ROUTED = "routed"
MARKERS = frozenset({FIRST_CONTACT, FIRST_VISIT, ROUTED})
# Coordinators are freelancers: they call, visit and send the plan in the evening and at
# weekends too.
_COORDINATOR_MOMENTS = frozenset({FIRST_CONTACT, FIRST_VISIT, Status.PLAN_SENT})
_OPENS, _CLOSES = time(8, 30), time(17, 30)
_MORNING, _EVENING = time(9, 0), time(21, 0)

S = Status
# Where a course leaves the regular path, per outcome (weights).
_LEAVE_FROM: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    S.WITHDRAWN: ((S.NEW, S.MATCHING, S.ASSIGNED, S.PREPARATION, S.PLANNED), (3, 2, 1.5, 2.5, 1)),
    S.INFORMATIVE_ONLY: ((S.NEW, S.MATCHING), (6, 4)),
    S.PLAN_WITHOUT_CONFERENCE: ((S.PREPARATION, S.PLANNED), (3, 1)),
    S.STOPPED: ((S.PREPARATION, S.PLANNED), (4, 1)),
    S.NO_PLAN: ((S.HELD,), (1,)),
}


@dataclass(frozen=True)
class Step:
    name: str  # a Status value or one of MARKERS
    delay: float  # days after the previous step


def choose_outcome(rng: random.Random, informative_request: bool) -> str:
    """The final status this request is heading for."""
    if informative_request and rng.random() < 0.8:
        return S.INFORMATIVE_ONLY
    if rng.random() < 0.03:
        return S.WITHDRAWN
    draw = rng.random()
    if draw < 0.70:
        return S.NO_PLAN if rng.random() < 0.10 else S.CLOSED
    return S.PLAN_WITHOUT_CONFERENCE if draw < 0.85 else S.STOPPED


def plan_course(rng: random.Random, outcome: str) -> list[Step]:
    """Every step from NEW to ``outcome``, with realistic delays between them."""
    leave: str | None = None
    if outcome in _LEAVE_FROM:
        options, weights = _LEAVE_FROM[outcome]
        leave = rng.choices(options, weights=weights)[0]
    steps: list[Step] = []
    current: str = S.NEW
    for step in _regular_course(rng):
        # Leave before the next move, after what belongs to the current status (a first visit).
        if current == leave and step.name not in MARKERS:
            return steps + _exit(rng, current, outcome)
        steps.append(step)
        if step.name not in MARKERS:
            current = step.name
    return steps


def _regular_course(rng: random.Random) -> Iterable[Step]:
    """The course of a case that runs to a conference and closing, with its detours."""
    yield Step(S.MATCHING, expo(rng, 0.15, 6))  # the manager picks it up
    yield Step(S.ASSIGNED, expo(rng, 0.35, 10))
    if rng.random() < 0.04:  # the coordinator withdrew (illness, a conflict of interest)
        yield Step(S.MATCHING, rng.uniform(1, 6))
        yield Step(S.ASSIGNED, expo(rng, 1.0, 8))
    yield Step(FIRST_CONTACT, expo(rng, 0.6, 6))
    yield Step(S.PREPARATION, rng.uniform(0.2, 2.5))
    yield Step(FIRST_VISIT, expo(rng, 0.8, 12))  # with the main person, early in preparation
    yield Step(S.PLANNED, rng.uniform(10, 35))
    if rng.random() < 0.06:  # the conference was postponed
        yield Step(S.PREPARATION, rng.uniform(2, 10))
        yield Step(S.PLANNED, rng.uniform(5, 20))
    yield Step(S.HELD, rng.uniform(5, 18))
    # The plan goes out within two days of the conference (recorded as held the next working
    # day at the latest), a few take longer.
    yield Step(S.PLAN_SENT, rng.uniform(0.05, 1) if rng.random() < 0.85 else rng.uniform(2, 6))
    yield Step(S.FOLLOWED_UP, rng.uniform(24, 38))  # about four weeks after the conference
    yield Step(S.IMPLEMENTATION_REGISTERED, rng.uniform(60, 120))  # 3-5 months after it
    yield Step(S.CLOSED, rng.uniform(0, 14))


def _exit(rng: random.Random, current: str, outcome: str) -> list[Step]:
    if outcome == S.INFORMATIVE_ONLY:
        # The informative talk is the first contact.
        return [Step(FIRST_CONTACT, expo(rng, 1.5, 10)), Step(outcome, 0.01)]
    if outcome == S.NO_PLAN:
        return [Step(outcome, rng.uniform(0.2, 3))]
    if current == S.PREPARATION:
        return [Step(outcome, rng.uniform(5, 40))]
    return [Step(outcome, rng.uniform(0.5, 12))]


def expo(rng: random.Random, mean: float, cap: float) -> float:
    return min(rng.expovariate(1 / mean), cap)


def schedule(
    start: datetime, steps: list[Step], *, office_hours: bool = True
) -> list[tuple[str, datetime]]:
    """Absolute times of the steps, a few minutes apart at least.

    Managers move cases in office hours; coordinators are freelancers who also call and visit
    in the evening and at weekends, so their first contact and visit only fall in the daytime.
    """
    at, timed = start, []
    for step in steps:
        at = at + timedelta(days=max(step.delay, 0.003))
        if office_hours:
            at = next_daytime(at) if step.name in _COORDINATOR_MOMENTS else next_office_moment(at)
        timed.append((step.name, at))
    return timed


def next_daytime(at: datetime) -> datetime:
    """``at`` itself between 09:00 and 21:00, else the next morning."""
    clock = at.time()
    if _MORNING <= clock <= _EVENING:
        return at
    days = 1 if clock > _EVENING else 0
    minutes = (at.minute * 7 + at.hour * 13) % 120
    morning = at.replace(hour=9, minute=0, second=0, microsecond=0)
    return morning + timedelta(days=days, minutes=minutes)


def next_office_moment(at: datetime) -> datetime:
    """``at`` itself if on a weekday 08:30-17:30, else a morning moment of the next workday.

    The minutes after 09:00 derive from ``at`` itself, so no random draw depends on the date.
    """
    clock = at.time()
    weekday = at.weekday()
    if weekday < 5 and _OPENS <= clock <= _CLOSES:
        return at
    days = 1 if clock > _CLOSES else 0
    weekday = (weekday + days) % 7
    days += 7 - weekday if weekday >= 5 else 0
    minutes = (at.minute * 7 + at.hour * 13) % 150
    morning = at.replace(hour=9, minute=0, second=0, microsecond=0)
    return morning + timedelta(days=days, minutes=minutes)


def pin_offset(rng: random.Random, steps: list[Step], status: str) -> float:
    """How many days ago a course must have started to be in ``status`` now (no office hours)."""
    elapsed, entered, following = 0.0, None, None
    for step in steps:
        elapsed += max(step.delay, 0.003)
        if entered is not None and step.name not in MARKERS:
            following = elapsed
            break
        if step.name == status:
            entered = elapsed
    if entered is None:
        raise ValueError(f"the course never reaches {status}")
    following = following if following is not None else entered + 30
    return entered + rng.uniform(0.2, 0.8) * (following - entered)
