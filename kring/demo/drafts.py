"""Drafting one demo request with its main persons, case and audit trail, in memory.

Nothing here touches the database: ``writer.write`` saves a batch of drafts at once. Rows are
plain dicts keyed by attribute name (``region_id``), because building 100,000 model instances
costs more than inserting them. Primary keys of requests and cases are handed out here, so the
main persons, the case and its log can point at them before anything is saved.

All randomness comes from one seeded ``random.Random``, drawn in a fixed order, so the same
seed gives the same requests (and, for the same "now", the same statuses).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kring.accounts.models import Organisation, User
from kring.cases.choices import (
    AgeBand,
    CompelledHelp,
    CompelledHelpKind,
    GenderWish,
    LifeDomain,
    RequesterKind,
)
from kring.cases.models import INVOLVED_STATUSES, Status, StopReason
from kring.demo import names, timeline
from kring.demo.coordinators import Seat, Workload
from kring.demo.course import Course, Deadlines, Log, new_case
from kring.demo.names import Background
from kring.demo.people import Cast
from kring.demo.texts import (
    COMPELLED_CHOICES,
    FUNDER_INSTITUTION_KINDS,
    SCENARIO_WEIGHTS,
    SCENARIOS,
    Scenario,
)
from kring.demo.timeline import Step
from kring.demo.world import Area, World
from kring.intake.models import _REFERENCE_ALPHABET, Channel

Row = dict[str, Any]

_DOMAIN_ORDER = {code: index for index, code in enumerate(LifeDomain.values)}
_STOP_REASONS = tuple(StopReason.values)
_STOP_WEIGHTS = (25, 20, 8, 12, 8, 12, 10, 5)  # same order as StopReason
_PUBLIC_KINDS = (
    RequesterKind.SELF,
    RequesterKind.FAMILY,
    RequesterKind.ACQUAINTANCE,
    RequesterKind.PROFESSIONAL,
)
_PUBLIC_WEIGHTS = (35, 45, 15, 5)
_MAIL_DOMAINS = ("example.com", "example.org", "example.net")
_REGIONAL_LANGUAGE = {"fryslan": "fry", "limburg": "lim", "groningen": "gos"}
_CHILD_AGES = {"child": (1, 17), "youth": (12, 22), "student": (5, 18)}


@dataclass(frozen=True)
class Pin:
    """A request placed on purpose: the inbox's fresh requests and the home region's showcase."""

    submitted: datetime
    steps: list[Step]
    region_id: int | None
    coordinator: User | None = None
    referrer: User | None = None
    # The conference's variant, where the coordinator may do only some (a candidate: family).
    variant: str | None = None


@dataclass
class Draft:
    request: Row  # intake.Request
    persons: list[Row]  # intake.MainPerson
    languages: list[str]  # codes of the languages wished for
    case: Row  # cases.Case
    events: list[Row]  # audit.AuditEvent
    # What the circle, the conference and the plan are made from (``fill``).
    scenario: Scenario | None = None
    family: Family | None = None
    course: list[tuple[str, datetime]] = field(default_factory=list)  # every step, also to come


@dataclass
class Family:
    """The main persons and the words the texts are filled with."""

    background: Background
    adult: tuple[str, str]  # first and last name of the parent or adult main person
    child: tuple[str, str]
    persons: list[tuple[str, int | None]] = field(default_factory=list)  # name, birth year
    context: dict[str, str] = field(default_factory=dict)
    adult_female: bool = True
    child_female: bool = False


class Drafter:
    def __init__(
        self,
        rng: random.Random,
        world: World,
        cast: Cast,
        workload: Workload,
        *,
        first_ids: tuple[int, int] = (1, 1),
        references: set[str] | None = None,
    ) -> None:
        self.rng, self.world, self.cast, self.workload = rng, world, cast, workload
        self.references = references if references is not None else set()
        self.slugs = {region.pk: region.slug for region in world.regions}
        self.request_ids = itertools.count(first_ids[0])
        self.case_ids = itertools.count(first_ids[1])
        self.due = Deadlines.from_settings()

    def draft(self, submitted: datetime, now: datetime, pin: Pin | None = None) -> Draft:
        area = self._area(pin)
        scenario = self.rng.choices(SCENARIOS, weights=SCENARIO_WEIGHTS)[0]
        if pin is not None and pin.variant and scenario.variant != pin.variant:
            scenario = self.rng.choice([s for s in SCENARIOS if s.variant == pin.variant])
        family = self._family(scenario, area, submitted.year)
        request, referrer = self._request(submitted, scenario, family, area, pin)
        persons = [
            {
                "request_id": request["id"],
                "name": n,
                "birth_year": y,
                "postcode": request["postcode"],
            }
            for n, y in family.persons
        ]
        languages = self._languages(request, family.background, area)
        case, events, course = self._case(request, referrer, now, pin)
        return Draft(request, persons, languages, case, events, scenario, family, course)

    # --- where and who ---------------------------------------------------------------------

    def _area(self, pin: Pin | None) -> Area | None:
        if pin is not None:
            in_region = self.world.areas_in(pin.region_id)
            return self.rng.choice(in_region) if in_region else None
        # About 1 in 100 requests has no (or no Dutch) postcode: the national queue.
        return None if self.rng.random() < 0.01 else self.world.pick_area(self.rng)

    def _family(self, scenario: Scenario, area: Area | None, year: int) -> Family:
        rng = self.rng
        background = names.pick_background(rng)
        base = rng.choice(background.surnames)
        parent_female, child_female = rng.random() < 0.75, rng.random() < 0.5
        family = Family(
            background,
            (names.first_name(rng, background, parent_female), names.gendered(base, parent_female)),
            (names.first_name(rng, background, child_female), names.gendered(base, child_female)),
            adult_female=parent_female,
            child_female=child_female,
        )
        family.context = {
            "hp": family.adult[0],
            "kind": family.child[0],
            "ouder": family.adult[0],
            "plaats": area.place if area else "de wijk",
            "straat": rng.choice(names.STREETS),
            "leeftijd": "",
        }
        self._persons(scenario.persons, family, year)
        return family

    def _persons(self, mode: str, family: Family, year: int) -> None:
        """The 1-2 main persons for the scenario's kind of situation, with birth years."""
        rng, parent, child = self.rng, family.adult, family.child
        if mode in _CHILD_AGES:
            age = rng.randint(*_CHILD_AGES[mode])
            family.context.update(hp=child[0], leeftijd=f"{age} jaar")
            kid = (" ".join(child), year - age)
            adult = (" ".join(parent), year - age - rng.randint(20, 40))
            draw = rng.random()
            family.persons = [kid] if draw < 0.55 else [adult, kid] if draw < 0.85 else [adult]
        elif mode == "group":
            group = (f"Bewoners {family.context['straat']}", None)
            contact = (" ".join(parent), year - rng.randint(30, 75))
            family.persons = [group] if rng.random() < 0.7 else [group, contact]
        else:
            age = rng.randint(*((72, 93) if mode == "elder" else (22, 64)))
            family.context["leeftijd"] = f"{age} jaar"
            family.persons = [(" ".join(parent), year - age)]
            if rng.random() < 0.22:  # a partner is a main person too
                partner = names.first_name(rng, family.background, rng.random() < 0.5)
                family.persons.append((f"{partner} {parent[1]}", year - age + rng.randint(-6, 6)))

    # --- the request -----------------------------------------------------------------------

    def _request(
        self,
        submitted: datetime,
        scenario: Scenario,
        family: Family,
        area: Area | None,
        pin: Pin | None,
    ) -> tuple[Row, User | None]:
        rng = self.rng
        referrer = self._referrer(scenario, area, pin)
        channel = Channel.REFERRAL if referrer else Channel.PUBLIC
        kind, name, email, phone = self._requester(family, referrer)
        request: Row = {
            "id": next(self.request_ids),
            "reference": self._reference(),
            "submitted_at": submitted,
            "consent_at": submitted,
            "channel": channel.value,
            "requester_kind": kind,
            "requester_name": name,
            "requester_email": email,
            "requester_phone": phone,
            "variant": scenario.variant,
            "situation": rng.choice(scenario.situations).format(**family.context),
            "question": self._question(scenario, family, channel),
            "life_domains": self._domains(scenario),
            "informative_only": rng.random() < 0.04,
            "referrer_id": referrer.pk if referrer else None,
            "referrer_organisation_id": referrer.organisation_id if referrer else None,
            "family_agrees": referrer is not None,
            "postcode": names.full_postcode(rng, area.pc4) if area else "",
            "region_id": area.region_id if area else None,
        }
        self._help(request, scenario)
        self._funder(request, area, referrer)
        self._wishes(request, family.background)
        return request, referrer

    def _reference(self) -> str:
        """Like ``intake.models.new_reference`` but from the seeded generator."""
        while True:
            chars = "".join(self.rng.choices(_REFERENCE_ALPHABET, k=8))
            reference = f"EK-{chars[:4]}-{chars[4:]}"
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def _referrer(self, scenario: Scenario, area: Area | None, pin: Pin | None) -> User | None:
        rng = self.rng
        if pin is not None and pin.referrer is not None:
            return pin.referrer
        if rng.random() >= 0.6:  # 6 in 10 requests come through a professional
            return None
        region_id = area.region_id if area else self.world.pick_region(rng).pk
        kind = rng.choice(scenario.referrers)
        fitting = self.cast.by_kind.get((region_id, kind)) or self.cast.professionals.get(region_id)
        return rng.choice(fitting) if fitting else None

    def _requester(self, family: Family, referrer: User | None) -> tuple[str, str, str, str]:
        """Who asks: the referrer, or the person, a relative or an acquaintance."""
        rng = self.rng
        if referrer is not None:
            phone = names.phone(rng) if rng.random() < 0.5 else ""
            return RequesterKind.PROFESSIONAL, referrer.get_full_name(), referrer.email, phone
        kind = rng.choices(_PUBLIC_KINDS, weights=_PUBLIC_WEIGHTS)[0]
        first, last = family.adult
        if kind == RequesterKind.FAMILY:
            first = names.first_name(rng, family.background, rng.random() < 0.7)
            if rng.random() < 0.4:  # a relative by marriage or from another branch
                last = names.surname(rng, family.background, True)
        elif kind != RequesterKind.SELF:
            other = names.pick_background(rng)
            female = rng.random() < 0.6
            first, last = names.first_name(rng, other, female), names.surname(rng, other, female)
        email = f"{names.email_local(first, last)}@{rng.choice(_MAIL_DOMAINS)}"
        email = email if rng.random() < 0.9 else ""
        phone = names.phone(rng) if rng.random() < 0.7 else ""
        return kind, f"{first} {last}", email, phone

    def _question(self, scenario: Scenario, family: Family, channel: str) -> str:
        # The first wording is optional on the public form; some leave it to the coordinator.
        if channel == Channel.PUBLIC and self.rng.random() < 0.12:
            return ""
        return self.rng.choice(scenario.questions).format(**family.context)

    def _domains(self, scenario: Scenario) -> list[str]:
        rng = self.rng
        total = rng.choices((1, 2, 3, 4), weights=(2, 4, 3, 1.5))[0]
        chosen = list(scenario.domains[:total])
        extra = min(total - len(chosen), len(scenario.extra_domains))
        chosen += rng.sample(scenario.extra_domains, extra)
        return sorted(chosen, key=_DOMAIN_ORDER.__getitem__)

    def _help(self, request: Row, scenario: Scenario) -> None:
        rng = self.rng
        safety = rng.random() < scenario.safety
        help_ = rng.choices(COMPELLED_CHOICES, weights=scenario.compelled)[0]
        request["compelled_help"] = help_.value
        if help_ in (CompelledHelp.PRESSURED, CompelledHelp.COMPULSORY):
            request["compelled_help_kind"] = rng.choice(
                scenario.compelled_kinds or (CompelledHelpKind.OTHER,)
            )
            # Under compulsion a professional sets safety conditions: safety is at stake.
            safety = safety or help_ == CompelledHelp.COMPULSORY
        request["safety_at_stake"] = safety

    def _funder(self, request: Row, area: Area | None, referrer: User | None) -> None:
        """Usually the municipality pays, sometimes the referring institution, else not yet."""
        draw = self.rng.random()
        org: Organisation | None = referrer.organisation if referrer else None
        if area is not None and draw < 0.65:
            funder = self.cast.funders.get(area.place)
            request["funder_name"] = f"Gemeente {area.place}"
            request["funder_id"] = funder.pk if funder else None
        elif org is not None and org.kind in FUNDER_INSTITUTION_KINDS and draw < 0.8:
            request["funder_name"], request["funder_id"] = org.name, org.pk

    def _wishes(self, request: Row, background: Background) -> None:
        rng = self.rng
        if rng.random() < 0.15:
            request["wish_gender"] = GenderWish.FEMALE if rng.random() < 0.7 else GenderWish.MALE
        if rng.random() < 0.05:
            request["wish_age_band"] = rng.choice(AgeBand.values)
        is_dutch = background is names.DUTCH
        if not is_dutch and rng.random() < 0.08:
            request["wish_culture"] = background.culture
        if rng.random() < (0.01 if is_dutch else 0.03):
            request["wish_religion"] = background.religion or "christelijk"

    def _languages(self, request: Row, background: Background, area: Area | None) -> list[str]:
        """Language wishes: common for families from abroad, rare (a dialect, NGT) otherwise."""
        rng = self.rng
        if rng.random() >= (0.02 if background is names.DUTCH else 0.3):
            return []
        options = list(background.languages)
        if background is names.DUTCH:
            regional = _REGIONAL_LANGUAGE.get(self.slugs.get(area.region_id, "")) if area else None
            options = [regional] if regional else ["dse", "eng"]
        options = [code for code in options if code in self.world.languages]
        if not options:
            return []
        request["language_required"] = rng.random() < 0.4
        return rng.sample(options, 2 if len(options) > 1 and rng.random() < 0.2 else 1)

    # --- the case and its history ----------------------------------------------------------

    def _case(
        self, request: Row, referrer: User | None, now: datetime, pin: Pin | None
    ) -> tuple[Row, list[Row], list[tuple[str, datetime]]]:
        rng = self.rng
        outcome = "" if pin else timeline.choose_outcome(rng, request["informative_only"])
        steps = pin.steps if pin else timeline.plan_course(rng, outcome)
        routed_to = self._route(request, pin)
        if routed_to is not None:
            steps = [Step(timeline.ROUTED, timeline.expo(rng, 0.5, 3)), *steps]
        region_id = routed_to or request["region_id"]
        manager = rng.choice(self.cast.managers.get(region_id or -1) or [self.cast.office])
        reason = rng.choices(_STOP_REASONS, _STOP_WEIGHTS)[0] if outcome == Status.STOPPED else ""
        timed = timeline.schedule(request["submitted_at"], steps, office_hours=pin is None)
        happened = [(name, at) for name, at in timed if at <= now]
        seats = self._coordinators(happened, region_id, request["variant"], pin)
        case = new_case(next(self.case_ids), request, self.due)
        course = Course(case, Log(case, self.cast.office, manager), self.workload, self.due)
        course.log.submitted(request, referrer)
        course.replay(happened, iter(seats), routed_to, reason)
        return case, course.log.rows, timed

    def _route(self, request: Row, pin: Pin | None) -> int | None:
        """A request from the national queue is sent on to a region by the office, soon."""
        if request["region_id"] is not None or pin is not None:
            return None
        return self.world.pick_region(self.rng).pk

    def _coordinators(
        self,
        happened: list[tuple[str, datetime]],
        region_id: int | None,
        variant: str,
        pin: Pin | None,
    ) -> list[Seat]:
        """A coordinator per assignment so far; the last one needs room if still involved."""
        moves = [name for name, _ in happened if name not in timeline.MARKERS]
        count = moves.count(Status.ASSIGNED)
        involved = bool(moves) and moves[-1] in INVOLVED_STATUSES
        seats = []
        for number in range(1, count + 1):
            current = involved and number == count
            if pin is not None and pin.coordinator is not None:
                seat = self.workload.by_user[pin.coordinator.pk]
                if current:
                    self.workload.take(seat)
            else:
                seat = self.workload.pick(self.rng, region_id, variant, involved_now=current)
            seats.append(seat)
        return seats
