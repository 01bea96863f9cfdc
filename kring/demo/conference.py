"""The conference day, the family's plan with its agreements, the follow-up call and the
registered implementation of a demo case, as rows.

Calibration (domain.md, "Published figures"): about fifteen agreements per plan (8–25), one in
five calling on professional help; three to five months later ~40% of the plans were carried
out fully, ~50% partly and ~10% not. A plan's outcome is drawn first and its agreements follow
from it: fully, every agreement fully; partly, a mix with at least one carried out fully and one
not (or partly); not, every agreement not carried out. So the one definition of a plan's
outcome (``plans.implementation``) sorts the plans back into the three groups.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from kring.accounts.models import Organisation
from kring.cases.choices import LifeDomain
from kring.demo import plan_texts
from kring.demo.circle import Circle, Person
from kring.demo.drafts import Draft
from kring.demo.involvement import Involved
from kring.demo.plan_texts import Template
from kring.demo.rows import Extra
from kring.plans.aftercare.implementation import plan_implementation
from kring.plans.models import Cause, Implementation, Phase, PlanStatus
from kring.preparation.models import Category

OUTCOMES = (Implementation.FULLY, Implementation.PARTLY, Implementation.NOT)
OUTCOME_WEIGHTS = (40, 50, 10)
MIN_AGREEMENTS, MAX_AGREEMENTS = 8, 25
PROFESSIONAL_SHARE = 0.2
_DOMAIN_ORDER = {code: index for index, code in enumerate(LifeDomain.values)}
_DAY_PAIRS = tuple(
    (plan_texts.WEEKDAYS[i], plan_texts.WEEKDAYS[j]) for i in range(5) for j in range(i + 1, 5)
)
_DUE_DAYS = (14, 21, 30, 45)
_PHASES = (Phase.INFORMATION, Phase.PRIVATE, Phase.PRESENTATION)


def implementation_of(values: list[str]) -> str:
    """A plan's outcome from its agreements', as the figures count it."""
    counts = Counter(values)
    return plan_implementation(
        counts[Implementation.FULLY], counts[Implementation.PARTLY], counts[Implementation.NOT]
    )


@dataclass(frozen=True)
class Day:
    """When the conference was: the day and the start of each phase."""

    starts: datetime
    information: time
    private: time
    presentation: time
    ended: time

    @property
    def ends(self) -> datetime:
        return datetime.combine(self.starts.date(), self.ended, tzinfo=self.starts.tzinfo)


def conference_day(rng: random.Random, held_at: datetime) -> Day:
    """The conference that the coordinator recorded as held at ``held_at`` (in office hours):
    the evening or the day before, or that same morning."""
    same_day = held_at.hour >= 15 and rng.random() < 0.4
    day = held_at.date() if same_day else (held_at - timedelta(days=1)).date()
    if day.weekday() == 6:  # not on Sundays: the Saturday before
        day -= timedelta(days=1)
    if same_day:
        start = time(10, 0)
    elif day.weekday() == 5:
        start = rng.choice((time(10, 0), time(13, 0)))
    else:
        start = rng.choices((time(18, 30), time(13, 30), time(10, 0)), weights=(6, 2.5, 1.5))[0]
    starts = datetime.combine(day, start, tzinfo=held_at.tzinfo)
    private = starts + timedelta(minutes=rng.randint(40, 75))
    presentation = private + timedelta(minutes=rng.randint(70, 150))
    ended = presentation + timedelta(minutes=rng.randint(30, 60))
    return Day(starts, start, private.time(), presentation.time(), ended.time())


@dataclass
class Keys:
    conferences: Iterator[int]
    plans: Iterator[int]
    agreements: Iterator[int]


class PlanMaker:
    def __init__(
        self,
        rng: random.Random,
        organisations: dict[int, list[Organisation]],
        keys: Keys,
        *,
        dt: Callable[[datetime], Any],
        tm: Callable[[time], Any],
        json: Callable[[Any], Any],
    ) -> None:
        self.rng, self.keys, self.dt, self.tm, self.json = rng, keys, dt, tm, json
        self.organisations = organisations
        self.by_kind: dict[tuple[int, str], list[Organisation]] = {}
        for region_id, orgs in organisations.items():
            for org in orgs:
                self.by_kind.setdefault((region_id, org.kind), []).append(org)
        self.names = {org.pk: org.name for orgs in organisations.values() for org in orgs}
        self.kinds = {org.pk: org.kind for orgs in organisations.values() for org in orgs}
        self._templates: dict[tuple[str, bool, bool], list[Template]] = {}

    # --- the day -----------------------------------------------------------------------

    def conference(
        self,
        draft: Draft,
        day: Day,
        held_at: datetime,
        place: str,
        circle: Circle,
        involved: list[Involved],
        saved: bool,
        extra: Extra,
    ) -> int:
        case = draft.case
        key = next(self.keys.conferences)
        extra.conferences.append(
            (
                key,
                case["id"],
                day.starts.date(),
                place,
                self.tm(day.information),
                self.tm(day.private),
                self.tm(day.presentation),
                self.tm(day.ended),
                case["variant"] != "family",
                case["coordinator_id"],
                self.dt(held_at),
            )
        )
        if not saved:
            return key
        family_time = case["variant"] == "family"
        for person in circle.people:
            if not person.attends:
                continue
            for phase in _PHASES:
                # In the family's private time no professional is present, not even one of
                # their own circle.
                if (
                    phase == Phase.PRIVATE
                    and family_time
                    and person.category == Category.PROFESSIONALS
                ):
                    continue
                extra.attendance.append((key, phase, person.id, None))
        for professional in involved:
            extra.attendance.append((key, Phase.INFORMATION, None, professional.id))
            extra.attendance.append((key, Phase.PRESENTATION, None, professional.id))
        return key

    # --- the plan ------------------------------------------------------------------------

    def plan(
        self,
        draft: Draft,
        day: Day,
        circle: Circle,
        involved: list[Involved],
        words: dict[str, str],
        *,
        status: str,
        send_by: datetime,
        sent_at: datetime | None,
        followed_up_at: datetime | None,
        registered: bool,
        now: datetime,
        saved: bool,
        extra: Extra,
    ) -> str:
        """The plan, its agreements and first version; returns its outcome ("" if not yet
        registered)."""
        rng, case = self.rng, draft.case
        coordinator = case["coordinator_id"]
        key = next(self.keys.plans)
        held_on = day.starts.date()
        helpers = _helpers(circle)
        a, b = _two(rng, helpers, circle.adult)
        evaluation = held_on + timedelta(weeks=rng.choice((6, 8, 8, 10, 12)))
        text = {**words, "a": a.label, "b": b.label, "datum": _date_text(evaluation)}
        next_meeting = _sentences(rng.choice(plan_texts.NEXT_MEETING).format(**text))
        who_calls = _sentences(rng.choice(plan_texts.WHO_CALLS_TOGETHER).format(**text))
        emergency = ""
        if rng.random() < (0.85 if draft.request["safety_at_stake"] else 0.25):
            options = plan_texts.EMERGENCY if circle.child else plan_texts.EMERGENCY_ADULT
            emergency = _sentences(rng.choice(options).format(**text))
        final = status == PlanStatus.FINAL
        conditions = [c for person in involved for c in person.conditions]
        finalised = None
        if final:
            finalised = day.ends + timedelta(hours=rng.uniform(0.2, 20))
            finalised = min(finalised, sent_at) if sent_at else finalised
        elif conditions and rng.random() < 0.6:
            status = PlanStatus.AWAITING_ACCEPTANCE
        send_due = send_by
        extra.plans.append(
            (
                key,
                case["id"],
                status,
                1,
                next_meeting,
                who_calls,
                emergency,
                evaluation,
                self.dt(finalised) if finalised else None,
                self.dt(send_due),
                self.dt(sent_at) if sent_at else None,
                0,
            )
        )
        outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0] if registered else ""
        snapshot = self._agreements(
            draft, key, day, circle, involved, helpers, words, outcome, sent_at, now, saved, extra
        )
        extra.versions.append(
            (
                key,
                1,
                self.json(
                    {
                        "version": 1,
                        "status": status,
                        "next_meeting": next_meeting,
                        "who_calls_together": who_calls,
                        "emergency_plan": emergency,
                        "evaluation_on": evaluation.isoformat(),
                        "agreements": snapshot,
                    }
                ),
                "Plan vastgelegd op de conferentie",
                coordinator,
                self.dt(day.ends),
            )
        )
        if final and saved and finalised is not None:
            self._accepted(key, day, finalised, involved, extra)
        if saved and sent_at is not None:  # to everyone who took part, by mail or printed
            sent = self.dt(sent_at)
            extra.distributions.extend(
                (key, p.id, 1, "email" if p.email else "print", sent, coordinator)
                for p in circle.people
                if p.attends and not p.group
            )
        if followed_up_at is not None:
            self._follow_up(draft, circle, involved, a, b, words, outcome, followed_up_at, extra)
        return outcome

    def _agreements(
        self,
        draft: Draft,
        plan_id: int,
        day: Day,
        circle: Circle,
        involved: list[Involved],
        helpers: list[Person],
        words: dict[str, str],
        outcome: str,
        sent_at: datetime | None,
        now: datetime,
        saved: bool,
        extra: Extra,
    ) -> list[dict[str, Any]]:
        rng = self.rng
        domains = self._domains(draft)
        used: set[int] = set()
        child = circle.child is not None
        templates = [
            self._template(domain, rng.random() < PROFESSIONAL_SHARE, child, used)
            for domain in domains
        ]
        results = _implementations(rng, outcome, [bool(t.kinds) for t in templates])
        snapshot = []
        held_on = day.starts.date()
        text = dict(words)
        names, dt, agreements, links = self.names, self.dt, extra.agreements, extra.who
        progressing = saved and sent_at is not None and not outcome
        for position, (domain, template, (done, cause)) in enumerate(
            zip(domains, templates, results, strict=True), start=1
        ):
            who = self._who(template.who, circle, helpers)
            org = self._organisation(draft, template, involved) if template.kinds else None
            due = None
            if template.due is not None or "{datum}" in template.when:
                due = held_on + timedelta(days=template.due or rng.choice(_DUE_DAYS))
            text["dag"], text["dag2"] = rng.choice(_DAY_PAIRS)
            text["a"], text["b"] = who[-1].label, who[0].label
            if template.who == "ab":
                text["a"] = who[0].label
                text["b"] = who[-1].label if len(who) > 1 else circle.adult.label
            text["datum"] = _date_text(due) if due else ""
            text["org"] = names.get(org or 0, "")
            what = _sentence(template.what.format_map(text))
            when = template.when.format_map(text)[:200]
            progress, progress_at = "", None
            if progressing and rng.random() < 0.3:
                assert sent_at is not None
                progress = rng.choice(plan_texts.PROGRESS)
                progress_at = dt(sent_at + (now - sent_at) * rng.uniform(0.2, 1.0))
            key = next(self.keys.agreements)
            helped = bool(template.kinds)
            agreements.append(
                (
                    key,
                    plan_id,
                    position,
                    what,
                    org,
                    when,
                    due,
                    domain,
                    helped,
                    progress,
                    progress_at,
                    done,
                    cause,
                )
            )
            if saved:
                links.extend([(key, person.id) for person in who])
            # As ``plans.editor.snapshot`` keeps it.
            snapshot.append(
                {
                    "id": key,
                    "position": position,
                    "what": what,
                    "who": [{"id": p.id, "name": p.name} for p in who] if saved else [],
                    "organisation": {"id": org, "name": names.get(org, "")} if org else None,
                    "when": when,
                    "due_on": due.isoformat() if due else None,
                    "life_domain": domain,
                    "professional_help": helped,
                }
            )
        return snapshot

    def _domains(self, draft: Draft) -> list[str]:
        """The life domain of each agreement: every domain of the request, mostly those."""
        rng = self.rng
        count = max(MIN_AGREEMENTS, min(MAX_AGREEMENTS, round(rng.gauss(15, 3.8))))
        asked = list(draft.request["life_domains"]) or [LifeDomain.SOCIAL]
        scenario = draft.scenario
        related = [d for d in (scenario.extra_domains if scenario else ()) if d not in asked]
        if LifeDomain.SOCIAL not in asked and LifeDomain.SOCIAL not in related:
            related.append(LifeDomain.SOCIAL)
        options = asked + related
        weights = [3.0] * len(asked) + [0.6] * len(related)
        chosen = asked[:count] + rng.choices(options, weights=weights, k=count - len(asked))
        first = {domain: index for index, domain in reversed(list(enumerate(chosen)))}
        return sorted(chosen, key=lambda d: (d not in asked, first[d], _DOMAIN_ORDER[d]))

    def _template(self, domain: str, professional: bool, child: bool, used: set[int]) -> Template:
        key = (domain, professional, child)
        if key not in self._templates:
            source = plan_texts.PROFESSIONAL if professional else plan_texts.AGREEMENTS
            options = [
                t
                for t in source.get(domain, ())
                if child or ("{kind}" not in t.what + t.when and "kind" not in t.who)
            ]
            if not options:  # no template without a child: fall back to the family's own
                options = list(plan_texts.AGREEMENTS[LifeDomain.SOCIAL])
            self._templates[key] = options
        options = self._templates[key]
        template = self.rng.choice(options)
        for _attempt in range(3):  # the same agreement twice in one plan reads oddly
            if id(template) not in used:
                break
            template = self.rng.choice(options)
        used.add(id(template))
        return template

    def _who(self, code: str, circle: Circle, helpers: list[Person]) -> list[Person]:
        rng, hp = self.rng, circle.adult
        if code == "hp":
            return [hp]
        if code == "kind":
            return [circle.child or hp]
        other = rng.choice(helpers)
        if code == "hpa":
            return [hp, other] if other is not hp else [hp]
        if code == "kinda":
            kid = circle.child or hp
            return [kid, other] if other is not kid else [kid]
        if code == "ab":
            second = rng.choice(helpers)
            return [other, second] if second is not other else [other]
        return [other]

    def _organisation(self, draft: Draft, template: Template, involved: list[Involved]) -> int:
        """The organisation that gives the help: one already involved if it fits, else one of
        the region that does this kind of work."""
        rng = self.rng
        fitting = [
            p.organisation_id for p in involved if self._kind(p.organisation_id) in template.kinds
        ]
        if fitting:
            return rng.choice(fitting)
        region_id = draft.case["region_id"] or -1
        for kind in template.kinds:
            orgs = self.by_kind.get((region_id, kind))
            if orgs:
                return rng.choice(orgs).pk
        referrer = draft.request.get("referrer_organisation_id")
        if referrer:
            return int(referrer)
        orgs = self.organisations.get(region_id) or next(iter(self.organisations.values()))
        return rng.choice(orgs).pk

    def _kind(self, organisation_id: int) -> str:
        return self.kinds.get(organisation_id, "")

    # --- after the conference --------------------------------------------------------------

    def _accepted(
        self,
        plan_id: int,
        day: Day,
        finalised: datetime,
        involved: list[Involved],
        extra: Extra,
    ) -> None:
        """The professional who set the safety conditions checked the plan and accepted it."""
        for person in involved:
            if not person.conditions or person.user_id is None:
                continue
            at = day.ends + (finalised - day.ends) * self.rng.uniform(0.3, 0.9)
            for condition in person.conditions:
                extra.checks.append((plan_id, 1, condition, True, "", person.user_id, self.dt(at)))
            extra.acceptances.append((plan_id, 1, person.id, True, "", self.dt(at), False))

    def _follow_up(
        self,
        draft: Draft,
        circle: Circle,
        involved: list[Involved],
        a: Person,
        b: Person,
        words: dict[str, str],
        outcome: str,
        at: datetime,
        extra: Extra,
    ) -> None:
        rng = self.rng
        spoken = list(dict.fromkeys(p.label for p in (circle.hp, circle.adult, a, b)))
        if involved and rng.random() < 0.5:
            spoken.append(f"de {involved[0].role}")
        names = ", ".join(spoken[:-1]) + f" en {spoken[-1]}" if len(spoken) > 1 else spoken[0]
        mood = outcome or rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS)[0]
        how = _sentences(rng.choice(plan_texts.FOLLOW_UP[mood]).format(**{**words, "a": a.label}))
        case = draft.case
        extra.follow_ups.append((case["id"], names[:300], how, case["coordinator_id"], self.dt(at)))


def _helpers(circle: Circle) -> list[Person]:
    """Who can carry an agreement: adults of the circle who came, the main person aside."""
    helpers = [p for p in circle.people if p.helps and p not in (circle.hp, circle.adult)]
    return helpers or [p for p in circle.people if p.adult and not p.group] or [circle.adult]


def _two(rng: random.Random, helpers: list[Person], hp: Person) -> tuple[Person, Person]:
    if len(helpers) >= 2:
        a, b = rng.sample(helpers, 2)
        return a, b
    return helpers[0], hp


def _implementations(
    rng: random.Random, outcome: str, professional: list[bool]
) -> list[tuple[str, str]]:
    """Per agreement: carried out fully, partly or not, and where it stuck."""
    count = len(professional)
    if not outcome:
        return [("", "")] * count
    if outcome == Implementation.FULLY:
        return [(Implementation.FULLY, "")] * count
    if outcome == Implementation.NOT:
        values = [Implementation.NOT] * count
    else:
        values = rng.choices(OUTCOMES, weights=(55, 27, 18), k=count)
        if Implementation.FULLY not in values:
            values[rng.randrange(count)] = Implementation.FULLY
        if all(value == Implementation.FULLY for value in values):
            values[rng.randrange(count)] = rng.choice((Implementation.PARTLY, Implementation.NOT))
    result = []
    for value, helped in zip(values, professional, strict=True):
        cause = ""
        if value != Implementation.FULLY:
            family = rng.random() < (0.4 if helped else 0.85)
            cause = Cause.FAMILY if family else Cause.PROFESSIONALS
        result.append((str(value), str(cause)))
    return result


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def _sentences(text: str) -> str:
    """Every sentence with a capital: "… ophalen. opa Hans belt" → "… ophalen. Opa Hans belt"."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def _date_text(day: date) -> str:
    return f"{day.day} {plan_texts.MONTHS[day.month - 1]}"
