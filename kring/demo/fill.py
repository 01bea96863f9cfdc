"""Filling a drafted case with what its status says has happened: the preparation and the
circle, the professionals, the conference, the plan, the follow-up and the implementation.

Every case from "coordinator assigned" on gets a ``Preparation`` (the question, and the date
and place once the conference is planned). Cases with a circle get their participants, contact
notes, professionals with their safety conditions, invitations, a date poll while the date is
being chosen, and the attendance at the conference. Every conference gets its ``Conference``
row; every conference that made a plan gets the plan with its agreements, the first version,
the follow-up and, 3–5 months on, the implementation of each agreement.

Which cases get a circle: all of them, unless the scale sets ``circle_days``: then the open
cases and the cases opened in that many days before "now" (the national scale has a hundred
thousand requests; circles for all of them would take minutes to insert). Older plans still
have every agreement, with the names in the text but no link to participants.

All of it is drawn from the filler's own seeded generator, in the order of the drafts, so the
same seed and "now" give the same rows (except the secret tokens of personal links).
"""

from __future__ import annotations

import itertools
import random
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings

from kring.cases.clocks import plan_send_due
from kring.cases.models import (
    CONFERENCE_HELD_STATUSES,
    OPEN_STATUSES,
    PLAN_SENT_STATUSES,
    Status,
)
from kring.coordinators.models import Language
from kring.demo import names, prep_texts
from kring.demo.circle import Circle, CircleMaker
from kring.demo.conference import Day, Keys, PlanMaker, conference_day
from kring.demo.drafts import Draft
from kring.demo.involvement import Involved, Professionals
from kring.demo.people import Cast
from kring.demo.rows import Extra
from kring.demo.writer import Adapt, first_free
from kring.plans.models import Agreement, Conference, Plan, PlanStatus
from kring.preparation.models import (
    InvitationStatus,
    Participant,
    PollAnswer,
    PollSlot,
    ProfessionalInvolvement,
    SafetyCondition,
)

S = Status
_STARTED = frozenset(
    {
        S.ASSIGNED,
        S.PREPARATION,
        S.PLANNED,
        S.HELD,
        S.PLAN_SENT,
        S.FOLLOWED_UP,
        S.IMPLEMENTATION_REGISTERED,
        S.CLOSED,
        S.NO_PLAN,
        S.PLAN_WITHOUT_CONFERENCE,
        S.STOPPED,
        S.WITHDRAWN,
    }
)
_FOLLOWED = frozenset({S.FOLLOWED_UP, S.IMPLEMENTATION_REGISTERED, S.CLOSED})
_REGISTERED = frozenset({S.IMPLEMENTATION_REGISTERED, S.CLOSED})
_DECIDED = CONFERENCE_HELD_STATUSES | {S.PLANNED, S.PLAN_WITHOUT_CONFERENCE}
_INVITED = frozenset({InvitationStatus.COMES, InvitationStatus.CONDITIONAL, InvitationStatus.ASKED})
ALL_TASKS = ("explain_method", "widen_circle", "conditions", "professionals")


class Story:
    """When each step of a case happened, and what is still to come, as seen at ``now``."""

    def __init__(self, draft: Draft, now: datetime) -> None:
        self.first: dict[str, datetime] = {}
        self.last: dict[str, datetime] = {}
        self.upcoming: dict[str, datetime] = {}
        for name, at in draft.course:
            if at <= now:
                self.first.setdefault(name, at)
                self.last[name] = at
            else:
                self.upcoming.setdefault(name, at)


class Filler:
    def __init__(
        self,
        rng: random.Random,
        cast: Cast,
        now: datetime,
        *,
        circle_days: int | None,
        adapt: Adapt,
    ) -> None:
        self.rng, self.now, self.adapt = rng, now, adapt
        self.since = now - timedelta(days=circle_days) if circle_days is not None else None
        self.languages = dict(Language.objects.values_list("code", "name_nl"))
        dt = adapt.datetime
        self.circles = CircleMaker(
            rng, frozenset(self.languages), itertools.count(first_free(Participant))
        )
        self.professionals = Professionals(
            rng,
            cast,
            itertools.count(first_free(ProfessionalInvolvement)),
            itertools.count(first_free(SafetyCondition)),
            dt,
        )
        keys = Keys(
            itertools.count(first_free(Conference)),
            itertools.count(first_free(Plan)),
            itertools.count(first_free(Agreement)),
        )
        self.plans = PlanMaker(rng, cast.organisations, keys, dt=dt, tm=adapt.time, json=adapt.json)
        self.slot_ids = itertools.count(first_free(PollSlot))
        self.task_lists: dict[tuple[str, ...], Any] = {}
        # Days from the conference day to the plan's deadlines (settings, read once).
        self.due_days = (
            settings.KRING_PLAN_SEND_DAYS,
            settings.KRING_FOLLOW_UP_DAYS,
            round(settings.KRING_IMPLEMENTATION_MONTHS * 91 / 3),
        )

    @staticmethod
    def wants(draft: Draft) -> bool:
        """Cases that a coordinator has worked on (or is working on) get filled."""
        return draft.case["coordinator_id"] is not None and draft.case["status"] in _STARTED

    def fill(self, drafts: list[Draft]) -> Extra:
        extra = Extra()
        for draft in drafts:
            if self.wants(draft):
                self._case(draft, extra)
        return extra

    def _case(self, draft: Draft, extra: Extra) -> None:
        now, case = self.now, draft.case
        status = case["status"]
        story = Story(draft, now)
        assigned: datetime = story.last.get(S.ASSIGNED) or case["opened_at"]
        start = max(story.first.get(S.PREPARATION) or assigned, assigned)
        planned = story.last.get(S.PLANNED)
        end = self._end(status, planned, case["closed_at"])
        end = max(end, start + timedelta(hours=1))
        progress = self._progress(status, story, start)
        saved = self.since is None or status in OPEN_STATUSES or case["opened_at"] >= self.since
        circle = self.circles.build(
            draft,
            progress,
            coordinator_id=case["coordinator_id"],
            start=start,
            end=min(end, now),
            first_visit=case["first_visit_at"],
            extra=extra if saved else None,
            dt=self.adapt.datetime,
        )
        words = _words(draft, circle)
        involved: list[Involved] = []
        if saved and status != S.ASSIGNED:
            involved = self.professionals.invite(
                draft,
                progress,
                coordinator_id=case["coordinator_id"],
                start=start,
                end=min(end, now),
                words=words,
                extra=extra,
            )
        day, held_at = self._day(status, story, planned)
        venue = self._preparation(draft, status, progress, circle, involved, day, start, end, extra)
        if saved and day is not None and planned is not None:
            self._invitations(circle, planned, day, extra)
        if saved and status in (S.PREPARATION, S.PLANNED) and progress >= 0.6:
            self._poll(draft, circle, day, start, extra)
        if status not in CONFERENCE_HELD_STATUSES or day is None or held_at is None:
            return
        self.plans.conference(draft, day, held_at, venue, circle, involved, saved, extra)
        if S.NO_PLAN in story.last or S.NO_PLAN in story.upcoming:
            return
        extra.case_dues[case["id"]] = self._dues(day)
        self.plans.plan(
            draft,
            day,
            circle,
            involved,
            words,
            status=PlanStatus.FINAL if status in PLAN_SENT_STATUSES else PlanStatus.DRAFT,
            send_by=extra.case_dues[case["id"]][0],
            sent_at=story.last.get(S.PLAN_SENT) if status in PLAN_SENT_STATUSES else None,
            followed_up_at=story.last.get(S.FOLLOWED_UP) if status in _FOLLOWED else None,
            registered=status in _REGISTERED,
            now=now,
            saved=saved,
            extra=extra,
        )

    def _dues(self, day: Day) -> tuple[datetime, datetime, datetime]:
        """As ``plans.conference.aftercare_deadlines``: the plan within two working days, the
        rest counted from the start of the day."""
        start = datetime.combine(day.starts.date(), time.min, tzinfo=day.starts.tzinfo)
        _send, follow_up, implementation = self.due_days
        return (
            plan_send_due(day.starts.date()),
            start + timedelta(days=follow_up),
            start + timedelta(days=implementation),
        )

    def _end(self, status: str, planned: datetime | None, closed: datetime | None) -> datetime:
        """When the preparation stopped: the conference was planned, or the case ended."""
        if status in _DECIDED and planned is not None:
            return planned
        return closed or self.now

    def _progress(self, status: str, story: Story, start: datetime) -> float:
        """How far the preparation came, from 0 (nobody asked yet) to 1 (everyone answered)."""
        if status == S.ASSIGNED:
            return 0.1
        if status in _DECIDED:
            return 1.0
        if status == S.PREPARATION:
            target = story.upcoming.get(S.PLANNED) or start + timedelta(days=30)
            elapsed = (self.now - start) / max(target - start, timedelta(hours=1))
            return 0.2 + 0.7 * min(max(elapsed, 0.0), 1.0)
        if S.PREPARATION not in story.first:
            return 0.1  # withdrawn before the preparation began
        return self.rng.uniform(0.3, 0.7)

    def _day(
        self, status: str, story: Story, planned: datetime | None
    ) -> tuple[Day | None, datetime | None]:
        """The conference: held, coming (planned), or planned once and then called off."""
        rng = self.rng
        held = status in CONFERENCE_HELD_STATUSES
        held_at = story.last.get(S.HELD) if held else story.upcoming.get(S.HELD)
        if held_at is not None and (held or status == S.PLANNED):
            return conference_day(rng, held_at), held_at
        if planned is not None and status not in (S.PREPARATION,):
            return conference_day(rng, planned + timedelta(days=rng.uniform(6, 18))), None
        return None, None

    # --- the preparation row -----------------------------------------------------------

    def _preparation(
        self,
        draft: Draft,
        status: str,
        progress: float,
        circle: Circle,
        involved: list[Involved],
        day: Day | None,
        start: datetime,
        end: datetime,
        extra: Extra,
    ) -> str:
        rng, request, scenario = self.rng, draft.request, draft.scenario
        assert scenario is not None and draft.family is not None
        context = draft.family.context
        first_wording = request["question"]
        agreed = status in _DECIDED or rng.random() < (
            progress - 0.2 if status == S.PREPARATION else 0.4 if status != S.ASSIGNED else 0
        )
        question = first_wording
        agreed_at = None
        if agreed:
            if not first_wording or rng.random() < 0.5:
                question = rng.choice(scenario.questions).format(**context)
            agreed_at = start + (min(end, self.now) - start) * rng.uniform(0.3, 0.95)
        venue = notes = food = interpreters = childcare = ""
        starts = ends = None
        if day is not None:
            helper = rng.choice([p for p in circle.people if p.helps] or circle.people)
            venue = _venue(rng, draft, helper.label)
            notes = rng.choice(prep_texts.VENUE_NOTES)
            food = rng.choice(prep_texts.FOOD).format(a=helper.label)
            starts, ends = day.starts, day.starts + timedelta(hours=3, minutes=30)
            if circle.interpreters:
                name, code = circle.interpreters[0]
                language = self.languages.get(code, code)
                interpreters = f"Tolk {language} voor {name}, via het tolkencentrum"
            if circle.childcare:
                childcare = rng.choice(prep_texts.CHILDCARE).format(a=helper.label)
        tasks = ALL_TASKS if status in _DECIDED else _tasks(progress, draft, involved)
        if tasks not in self.task_lists:  # few different lists: encode each once
            self.task_lists[tasks] = self.adapt.json(list(tasks))
        dt = self.adapt.datetime
        extra.preparations.append(
            (
                draft.case["id"],
                question,
                dt(agreed_at) if agreed_at else None,
                dt(starts) if starts else None,
                dt(ends) if ends else None,
                venue,
                notes,
                food,
                interpreters[:300],
                childcare,
                self.task_lists[tasks],
                0,  # lock_version
            )
        )
        return venue or _venue(rng, draft, circle.hp.label)

    # --- invitations and the date poll -------------------------------------------------

    def _invitations(self, circle: Circle, planned: datetime, day: Day, extra: Extra) -> None:
        rng, dt = self.rng, self.adapt.datetime
        latest = min(self.now, day.starts)
        for person in circle.people:
            if person.status not in _INVITED or person.group:
                continue
            sent = min(planned + timedelta(hours=rng.uniform(1, 72)), latest)
            channel = "email" if person.email else "letter"
            extra.invitations.append((person.id, channel, "nl", dt(sent), dt(day.starts)))

    def _poll(
        self, draft: Draft, circle: Circle, day: Day | None, start: datetime, extra: Extra
    ) -> None:
        """Two to four proposed dates; the ones who answered so far."""
        rng, dt, now = self.rng, self.adapt.datetime, self.now
        if day is not None:  # the date is chosen: it was one of the proposals
            base = day.starts
            moments = [base] + [base + timedelta(days=d) for d in rng.sample((-6, -3, 2, 5, 7), 2)]
        else:
            first = (now + timedelta(days=rng.randint(7, 14))).date()
            moments = [
                datetime.combine(first + timedelta(days=offset), _clock(rng), tzinfo=now.tzinfo)
                for offset in sorted(rng.sample(range(0, 21), rng.randint(2, 4)))
            ]
        voters = [p for p in circle.people if p.attends and not p.group]
        answered_from = max(start, now - timedelta(days=14))
        for index, moment in enumerate(dict.fromkeys(moments)):
            key = next(self.slot_ids)
            extra.slots.append((key, draft.case["id"], dt(moment)))
            for person in voters:
                if day is None and rng.random() < 0.5:
                    continue  # has not answered yet
                chosen = day is not None and index == 0
                weights = (8, 1, 1) if chosen else (4, 3, 3)
                answer = rng.choices(_ANSWERS, weights=weights)[0]
                at = answered_from + (now - answered_from) * rng.random()
                extra.responses.append((key, person.id, answer, dt(at)))


_ANSWERS = (PollAnswer.YES, PollAnswer.MAYBE, PollAnswer.NO)


def _clock(rng: random.Random) -> time:
    return rng.choice((time(18, 30), time(10, 0), time(13, 30)))


def _tasks(progress: float, draft: Draft, involved: list[Involved]) -> tuple[str, ...]:
    tasks = []
    if draft.case["first_visit_at"] is not None:
        tasks.append("explain_method")
    if progress >= 0.6:
        tasks.append("widen_circle")
    if progress >= 0.85:
        tasks.append("conditions")
    if involved and progress >= 0.7:
        tasks.append("professionals")
    return tuple(tasks)


def _words(draft: Draft, circle: Circle) -> dict[str, str]:
    family = draft.family
    assert family is not None
    context = family.context
    return {
        "hp": circle.adult.label,  # in a plan about a child, the parent
        "kind": circle.child.first if circle.child else family.child[0],
        "ouder": family.adult[0],
        "plaats": context.get("plaats", "de wijk"),
        "straat": context.get("straat", "de straat"),
    }


def _venue(rng: random.Random, draft: Draft, host: str) -> str:
    family = draft.family
    assert family is not None
    place = family.context.get("plaats", "de wijk")
    street = rng.choice(names.STREETS)
    number = rng.randint(1, 140)
    house = rng.choice(prep_texts.VENUE_NAMES)
    variant = draft.case["variant"]
    if variant == "learning":
        options = [f"Aula van het {place} College", f"Basisschool De Regenboog, {place}"]
    elif variant == "group":
        options = [
            f"Buurthuis {house}, {street} {number}, {place}",
            f"Gemeenschapsruimte van de flat aan de {family.context.get('straat', street)}",
        ]
    else:
        options = [
            f"Buurthuis {house}, {street} {number}, {place}",
            f"Bij {host} thuis, {street} {number}, {place}",
            f"Wijkcentrum {house}, {place}",
            f"Vergaderzaal van de bibliotheek in {place}",
        ]
    return rng.choice(options)[:300]
