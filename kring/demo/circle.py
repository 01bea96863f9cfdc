"""The circle (kring) of a demo case: 6–25 people around the main person(s), as rows.

The circle grows the way it does in practice: the main person names the household, a few
relatives, friends and neighbours; oma names a tante, the tante a neef; a parent names the
juf. Statuses follow how far the preparation has come: early on most people are still to be
asked, once the conference is planned nearly everyone has answered and most come.

This is the fast twin of ``kring.demo.synthetic_circle`` (same ideas, same kind of people):
that one builds model instances for one case at a time; this one writes tuples for a hundred
thousand cases without touching the database.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kring.demo import names, prep_texts
from kring.demo.drafts import Draft, Family
from kring.demo.rows import Extra
from kring.demo.tokens import Tokens
from kring.preparation.models import Category, InvitationStatus

MIN_SIZE = 6
MAX_SIZE = 25
S = InvitationStatus
C = Category
CHILD_MODES = frozenset({"child", "youth", "student"})
# Relations that a plan puts before the first name: "oma Ria", "tante Els".
_TITLES = frozenset({"oma", "opa", "tante", "oom"})
_KIN = frozenset({"oma", "opa", "tante", "oom", "neef", "nicht", "zus", "broer", "vader", "moeder"})
_OLDER = frozenset({"grandparent", "aunt", "in_law", "parent_of_adult"})
_MAIL = ("example.com", "example.org", "example.net")
# Names repeat a lot across a hundred thousand circles: make each mailbox name once.
_mailbox = functools.lru_cache(maxsize=1 << 16)(names.email_local)


@dataclass(slots=True, eq=False)
class Person:
    """Someone in the circle, as the conference and the plan need them."""

    id: int  # 0 when the circle is not saved (only its names are used)
    first: str
    label: str  # how the plan names them: "oma Ria", "Jeroen"
    relation: str
    main: bool = False
    age: int | None = None  # children only
    category: str = C.FAMILY
    status: str = S.COMES
    email: str = ""
    group: bool = False  # "Bewoners Lindelaan": the main person of a group conference
    name: str = ""  # the full name, in a saved circle

    @property
    def attends(self) -> bool:
        return self.status in (S.COMES, S.CONDITIONAL)

    @property
    def adult(self) -> bool:
        return self.age is None

    @property
    def helps(self) -> bool:
        """Can carry an agreement of the plan: an adult who came, not a professional."""
        return self.attends and self.adult and not self.group and self.category != C.PROFESSIONALS


@dataclass(slots=True)
class _Slot:
    """Someone who may join the circle, and who would name them."""

    kind: str
    relation: str
    category: str
    female: bool | None
    namer: int  # index in the circle of who names them
    weight: float = 1.0
    ages: tuple[int, int] | None = None
    surname: str = "own"  # "same": the family name; "own": of the family; "other": anyone
    repeat: bool = False


@dataclass
class Circle:
    people: list[Person]
    child: Person | None  # the child the conference is about, if any
    hp: Person  # the person the conference is about (the request's {hp})
    adult: Person  # who plans call "{hp}": the parent when the conference is about a child
    interpreters: list[tuple[str, str]] = field(default_factory=list)  # (name, language code)
    childcare: bool = False


class CircleMaker:
    def __init__(self, rng: random.Random, languages: frozenset[str], ids: Iterator[int]) -> None:
        self.rng, self.languages, self.ids = rng, languages, ids
        self.tokens = Tokens()

    def build(
        self,
        draft: Draft,
        progress: float,
        *,
        coordinator_id: int | None,
        start: datetime,
        end: datetime,
        first_visit: datetime | None,
        extra: Extra | None,
        dt: Callable[[datetime], Any],
    ) -> Circle:
        """The circle of ``draft``'s case; its rows go to ``extra`` unless that is None.

        ``start``-``end`` is when the preparation ran (names were added, people called).
        """
        family, scenario = draft.family, draft.scenario
        assert family is not None and scenario is not None
        if extra is None:
            return self._names_only(family, scenario.persons)
        state = _State(self, draft, family, scenario.persons, progress)
        state.grow(scenario.variant, draft.request["safety_at_stake"])
        hp = family.context.get("hp", "")
        main = next((p for p in state.people if p.first == hp), state.people[0])
        circle = Circle(state.people, state.child, main, state.parent or main)
        self._rows(state, circle, coordinator_id, start, end, first_visit, extra, dt)
        return circle

    def _names_only(self, family: Family, mode: str) -> Circle:
        """The few people an old plan names, without a circle to save: the main person, the
        child, a parent and three to six relatives, friends or neighbours who came."""
        rng = self.rng
        hp_name = family.context.get("hp", family.adult[0])
        if mode in CHILD_MODES:
            age = _child_age(_age_of(family.context.get("leeftijd", "")))
            child = Person(0, family.child[0], family.child[0], "", True, age)
            parent = "moeder" if family.adult_female else "vader"
            people = [child, Person(0, family.adult[0], family.adult[0], parent)]
            hp = child if hp_name == child.first else people[1]
        else:
            child = None
            hp = Person(0, hp_name, hp_name, "", True)
            people = [hp]
        used = {p.first for p in people}
        for relation, female, own in rng.sample(_LIGHT[mode], rng.randint(3, 6)):
            background = family.background if own else names.pick_background(rng)
            girl = female if female is not None else rng.random() < 0.55
            first = names.first_name(rng, background, girl)
            if first in used:
                continue
            used.add(first)
            category = C.COMMUNITY if relation.startswith(("bewoner", "buur")) else C.FAMILY
            people.append(Person(0, first, _label(relation, first), relation, category=category))
        return Circle(people, child, hp, people[1] if child is not None else hp)

    def _rows(
        self,
        state: _State,
        circle: Circle,
        coordinator_id: int | None,
        start: datetime,
        end: datetime,
        first_visit: datetime | None,
        extra: Extra,
        dt: Callable[[datetime], Any],
    ) -> None:
        rng = self.rng
        case_id = state.draft.case["id"]
        span = max((end - start).total_seconds(), 60.0)
        count = len(state.people)
        moments = sorted(rng.random() for _ in range(count))
        postcode = state.draft.request["postcode"][:4]
        for index, (person, info) in enumerate(zip(state.people, state.info, strict=True)):
            person.id = next(self.ids)
            added = start if person.main else start + timedelta(seconds=span * moments[index])
            email, phone, address = self._contact(person, info, postcode)
            person.email = email
            namer = state.people[info.namer].id if info.namer >= 0 else None
            if info.interpreter and info.language:
                circle.interpreters.append((person.first, info.language))
            circle.childcare = circle.childcare or info.childcare
            extra.participants.append(
                (
                    person.id,
                    case_id,
                    info.name,
                    person.relation,
                    info.category,
                    person.main,
                    person.age,
                    info.language,
                    info.interpreter,
                    email,
                    phone,
                    address,
                    namer,
                    person.status,
                    info.condition,
                    info.safety_reason,
                    info.childcare,
                    info.transport,
                    bool(info.needs_note),
                    info.needs_note,
                    next(self.tokens),
                    dt(added),
                )
            )
            if coordinator_id is None:
                continue
            if person.main and first_visit is not None and index == 0:
                line = rng.choice(prep_texts.FIRST_VISIT)
                extra.notes.append((person.id, first_visit.date(), line, coordinator_id))
            lines = prep_texts.NOTES.get(person.status)
            if lines is None or person.main:
                continue
            for _ in range(rng.choice((1, 1, 2))):
                on = added + timedelta(seconds=rng.random() * max(span * 0.3, 60.0))
                on = min(on, end)
                line = rng.choice(lines).format(condition=info.condition)
                extra.notes.append((person.id, on.date(), line[:200], coordinator_id))

    def _contact(self, person: Person, info: _Info, postcode: str) -> tuple[str, str, str]:
        rng = self.rng
        if info.group or (person.age is not None and person.age < 12):
            return "", "", ""
        first, _space, last = info.name.partition(" ")
        email = ""
        if rng.random() < (0.4 if info.kind in _OLDER else 0.75):
            email = f"{_mailbox(first, last)}@{rng.choice(_MAIL)}"
        phone = names.phone(rng) if rng.random() < 0.85 else ""
        address = ""
        if not email and postcode:
            street = rng.choice(names.STREETS)
            address = f"{street} {rng.randint(1, 120)}, {names.full_postcode(rng, postcode)}"
        return email, phone, address


_FAMILY_ROUND = (
    ("buurvrouw", True, False),
    ("vriendin", True, False),
    ("vriend", False, False),
)
# Who an old plan names, per kind of main person: relation, female (None: either), own family.
_LIGHT: dict[str, tuple[tuple[str, bool | None, bool], ...]] = {
    "child": (
        ("oma", True, True),
        ("opa", False, True),
        ("tante", True, True),
        ("oom", False, True),
        *_FAMILY_ROUND,
    ),
    "adult": (
        ("zus", True, True),
        ("broer", False, True),
        ("moeder", True, True),
        ("vader", False, True),
        *_FAMILY_ROUND,
    ),
    "elder": (
        ("dochter", True, True),
        ("zoon", False, True),
        ("schoondochter", True, False),
        ("kleindochter", True, True),
        *_FAMILY_ROUND,
    ),
    "group": (
        ("bewoner", None, False),
        ("bewoner", None, False),
        ("bewoner", None, False),
        ("voorzitter bewonerscommissie", None, False),
        ("buurvrouw", True, False),
        ("buurman", False, False),
    ),
}
_LIGHT["youth"] = _LIGHT["student"] = _LIGHT["child"]


@dataclass(slots=True)
class _Info:
    """What only the participant row needs."""

    name: str
    kind: str
    category: str
    namer: int
    group: bool = False
    language: str | None = None
    interpreter: bool = False
    condition: str = ""
    safety_reason: str = ""
    childcare: bool = False
    transport: bool = False
    needs_note: str = ""


class _State:
    """One circle while it grows."""

    def __init__(
        self, maker: CircleMaker, draft: Draft, family: Family, mode: str, progress: float
    ) -> None:
        self.maker, self.rng, self.draft, self.family = maker, maker.rng, draft, family
        self.mode, self.progress = mode, progress
        self.background = family.background
        self.people: list[Person] = []
        self.info: list[_Info] = []
        self.used: set[str] = set()
        self.child: Person | None = None
        self.child_is_main = False
        self.parent: Person | None = None
        rng = self.rng
        final = round(rng.triangular(MIN_SIZE, MAX_SIZE, 11))
        # The circle grows during the preparation: early on fewer names are known.
        self.size = max(MIN_SIZE, min(MAX_SIZE, round(final * (0.6 + 0.4 * progress))))
        self._mains()

    # --- who is in it from the start ---------------------------------------------------

    def _mains(self) -> None:
        family, draft = self.family, self.draft
        year = draft.request["submitted_at"].year
        child_name = " ".join(family.child)
        for name, birth_year in ((p["name"], p["birth_year"]) for p in draft.persons):
            age = year - birth_year if birth_year is not None else None
            group = birth_year is None and self.mode == "group"
            person = Person(0, name.split()[0], name.split()[0], "", True, _child_age(age))
            if group:
                person.label = name
            self._add(person, _Info(name, "main", C.COMMUNITY if group else C.HOUSEHOLD, -1, group))
            if name == child_name and self.mode in CHILD_MODES:
                self.child, self.child_is_main = person, True
            elif self.mode in CHILD_MODES and name == " ".join(family.adult):
                self.parent = person
        if self.mode not in CHILD_MODES:
            return
        adult_name = " ".join(family.adult)
        if all(p["name"] != adult_name for p in draft.persons):
            relation = "moeder" if family.adult_female else "vader"
            self.parent = self._known(adult_name, self._rel(relation), C.HOUSEHOLD, "parent", None)
        if self.child is None:
            age = _age_of(family.context.get("leeftijd", ""))
            relation = "dochter" if family.child_female else "zoon"
            self.child = self._known(child_name, relation, C.HOUSEHOLD, "child", age)

    def _known(self, name: str, relation: str, category: str, kind: str, age: int | None) -> Person:
        """Someone the request already names: in the circle from the first visit."""
        first = name.split()[0]
        person = Person(0, first, _label(relation, first), relation, age=_child_age(age))
        self._status(person, kind, certain=True)
        self._add(person, _Info(name, kind, category, 0))
        return person

    def _add(self, person: Person, info: _Info) -> int:
        person.category, person.group, person.name = info.category, info.group, info.name
        self.people.append(person)
        self.info.append(info)
        self.used.add(person.first)
        return len(self.people) - 1

    def _rel(self, relation: str) -> str:
        """Relations are said from the child's side; "oma van Sara" if Sara is not the main."""
        if self.child is not None and not self.child_is_main and relation in _KIN:
            return f"{relation} van {self.child.first}"
        if self.child is None and self.mode in CHILD_MODES and relation in _KIN:
            return f"{relation} van {self.family.child[0]}"
        return relation

    # --- growing -------------------------------------------------------------------------

    def grow(self, variant: str, safety: bool) -> None:
        rng = self.rng
        slots = self._initial(variant, safety)
        while len(self.people) < self.size:
            if not slots:  # a small family: acquaintances keep the circle growing
                slots.append(_Slot("friend", "kennis", C.FRIENDS, None, 0, 1, surname="other"))
            slot = rng.choices(slots, weights=[s.weight for s in slots])[0]
            if not slot.repeat:
                slots.remove(slot)
            index = self._person(slot)
            slots += self._unlocked(slot, index)

    def _initial(self, variant: str, safety: bool) -> list[_Slot]:
        rng, mode = self.rng, self.mode
        if mode == "group":
            return self._group()
        if mode in CHILD_MODES:
            slots = self._child_slots(variant, safety)
        elif mode == "elder":
            slots = self._elder_slots()
        else:
            slots = self._adult_slots(variant, safety)
        if rng.random() < 0.3:
            relation = rng.choice(("wijkcoach", "maatschappelijk werker", "jeugdconsulent"))
            slots.append(
                _Slot("professional", relation, C.PROFESSIONALS, None, 0, 1.5, None, "other")
            )
        return slots

    def _child_slots(self, variant: str, safety: bool) -> list[_Slot]:
        family, rel = self.family, self._rel
        parent = next((i for i, info in enumerate(self.info) if info.kind == "parent"), 0)
        other = "vader" if family.adult_female else "moeder"
        kid = self.child.first if self.child else family.child[0]
        slots = [
            _Slot("parent2", rel(other), C.HOUSEHOLD, not family.adult_female, 0, 3, None, "same"),
            _Slot("sibling", rel("zus"), C.HOUSEHOLD, True, 0, 2.5, (2, 20), "same"),
            _Slot("sibling", rel("broer"), C.HOUSEHOLD, False, 0, 2.5, (2, 20), "same"),
            _Slot("sibling", rel("zus"), C.HOUSEHOLD, True, 0, 1, (2, 20), "same"),
            _Slot("grandparent", rel("oma"), C.FAMILY, True, parent, 4),
            _Slot("grandparent", rel("opa"), C.FAMILY, False, parent, 2.5, None, "same"),
            _Slot("aunt", rel("tante"), C.FAMILY, True, parent, 2),
            _Slot("aunt", rel("oom"), C.FAMILY, False, parent, 1.5),
            _Slot(
                "friend",
                f"vriendin van {family.adult[0]}",
                C.FRIENDS,
                True,
                parent,
                2.5,
                None,
                "other",
            ),
            _Slot(
                "friend",
                f"vriend van {family.adult[0]}",
                C.FRIENDS,
                False,
                parent,
                1,
                None,
                "other",
            ),
            _Slot("neighbour", "buurvrouw", C.COMMUNITY, True, parent, 2, None, "other"),
            _Slot("neighbour", "buurman", C.COMMUNITY, False, parent, 1, None, "other"),
            _Slot("teacher", f"mentor van {kid}", C.SCHOOL_WORK, None, parent, 1.5, None, "other"),
            _Slot("coach", f"trainer van {kid}", C.COMMUNITY, None, 0, 0.8, None, "other"),
        ]
        if self.mode == "student" or variant == "learning":
            slots.append(
                _Slot("teacher", f"juf van {kid}", C.SCHOOL_WORK, True, parent, 3, None, "other")
            )
            slots.append(
                _Slot("teacher", "intern begeleider", C.SCHOOL_WORK, None, parent, 2, None, "other")
            )
        if self.mode == "youth":
            slots.append(
                _Slot("peer", f"vriend van {kid}", C.FRIENDS, False, 0, 2, (13, 20), "other")
            )
            slots.append(
                _Slot("peer", f"vriendin van {kid}", C.FRIENDS, True, 0, 1.5, (13, 20), "other")
            )
        if variant == "restorative":
            slots += self._other_party()
        if safety and self.rng.random() < 0.5:
            slots[0] = _Slot(
                "ex", rel(other), C.FAMILY, not family.adult_female, 0, 4, None, "same"
            )
        return slots

    def _adult_slots(self, variant: str, safety: bool) -> list[_Slot]:
        rng, female = self.rng, self.family.adult_female
        slots = [
            _Slot("sibling", "zus", C.FAMILY, True, 0, 2, None, "same"),
            _Slot("sibling", "broer", C.FAMILY, False, 0, 2, None, "same"),
            _Slot("parent_of_adult", "moeder", C.FAMILY, True, 0, 3),
            _Slot("parent_of_adult", "vader", C.FAMILY, False, 0, 2, None, "same"),
            _Slot("friend", "vriendin", C.FRIENDS, True, 0, 3, None, "other", True),
            _Slot("friend", "vriend", C.FRIENDS, False, 0, 2, None, "other"),
            _Slot("neighbour", "buurvrouw", C.COMMUNITY, True, 0, 2, None, "other"),
            _Slot("neighbour", "buurman", C.COMMUNITY, False, 0, 1, None, "other"),
            _Slot("colleague", "collega", C.SCHOOL_WORK, None, 0, 1, None, "other"),
        ]
        if len(self.people) == 1:
            slots.append(_Slot("partner", "partner", C.HOUSEHOLD, not female, 0, 3))
        for _ in range(rng.choice((0, 1, 2, 2, 3))):
            girl = rng.random() < 0.5
            relation = "dochter" if girl else "zoon"
            slots.append(_Slot("child", relation, C.HOUSEHOLD, girl, 0, 8, (1, 17), "same"))
        if variant == "restorative":
            slots += self._other_party()
        if safety and rng.random() < 0.5:
            slots.append(_Slot("ex", "ex-partner", C.FAMILY, not female, 0, 3))
        return slots

    def _elder_slots(self) -> list[_Slot]:
        slots = [
            _Slot("grown_child", "dochter", C.FAMILY, True, 0, 6, None, "same"),
            _Slot("grown_child", "dochter", C.FAMILY, True, 0, 3, None, "same"),
            _Slot("grown_child", "zoon", C.FAMILY, False, 0, 5, None, "same"),
            _Slot("grown_child", "zoon", C.FAMILY, False, 0, 2, None, "same"),
            _Slot("sibling", "zus", C.FAMILY, True, 0, 1.5),
            _Slot("sibling", "broer", C.FAMILY, False, 0, 1),
            _Slot("neighbour", "buurvrouw", C.COMMUNITY, True, 0, 3, None, "other"),
            _Slot("neighbour", "buurman", C.COMMUNITY, False, 0, 1.5, None, "other"),
            _Slot("friend", "vriendin", C.FRIENDS, True, 0, 2, None, "other"),
            _Slot("community", self.rng.choice(self._faith()), C.COMMUNITY, None, 0, 1.5),
        ]
        if len(self.people) == 1 and self.rng.random() < 0.4:
            slots.append(
                _Slot("partner", "partner", C.HOUSEHOLD, not self.family.adult_female, 0, 3)
            )
        return slots

    def _group(self) -> list[_Slot]:
        street = self.family.context.get("straat", "de straat")
        if self.draft.scenario is not None and self.draft.scenario.key == "organisation":
            return [
                _Slot(
                    "member",
                    "vrijwilliger van het buurthuis",
                    C.COMMUNITY,
                    None,
                    0,
                    8,
                    None,
                    "other",
                    True,
                ),
                _Slot(
                    "member",
                    "coördinator van het buurthuis",
                    C.SCHOOL_WORK,
                    None,
                    0,
                    2,
                    None,
                    "other",
                ),
                _Slot("member", "bestuurslid", C.COMMUNITY, None, 0, 2, None, "other"),
                _Slot(
                    "resident", "bewoner uit de wijk", C.COMMUNITY, None, 0, 3, None, "other", True
                ),
            ]
        return [
            _Slot("resident", f"bewoner {street}", C.COMMUNITY, None, 0, 8, None, "other", True),
            _Slot(
                "resident", "voorzitter bewonerscommissie", C.COMMUNITY, None, 0, 2, None, "other"
            ),
            _Slot(
                "youth", "jongere uit de buurt", C.COMMUNITY, None, 0, 3, (13, 19), "other", True
            ),
            _Slot("professional", "jongerenwerker", C.PROFESSIONALS, None, 0, 2, None, "other"),
            _Slot("professional", "wijkagent", C.PROFESSIONALS, None, 0, 2, None, "other"),
            _Slot("professional", "huismeester", C.PROFESSIONALS, None, 0, 1.5, None, "other"),
            _Slot("shop", "eigenaar van de buurtsuper", C.COMMUNITY, None, 0, 1, None, "other"),
        ]

    def _other_party(self) -> list[_Slot]:
        return [
            _Slot("victim", "slachtoffer", C.COMMUNITY, None, 0, 6, None, "other"),
            _Slot("professional", "wijkagent", C.PROFESSIONALS, None, 0, 3, None, "other"),
        ]

    def _faith(self) -> tuple[str, ...]:
        place = {"islamitisch": "de moskee", "christelijk": "de kerk", "katholiek": "de parochie"}
        where = place.get(self.background.religion)
        common = ("iemand van de buurtvereniging", "vrijwilliger van het buurthuis")
        return (f"iemand van {where}", *common) if where else common

    def _unlocked(self, slot: _Slot, index: int) -> list[_Slot]:
        """Whom this new participant can name in turn."""
        first, kind, rel = self.people[index].first, slot.kind, self._rel
        if kind == "grandparent":
            return [
                _Slot("aunt", rel("tante"), C.FAMILY, True, index, 3),
                _Slot("aunt", rel("oom"), C.FAMILY, False, index, 2),
            ]
        if kind == "aunt":
            return [
                _Slot("cousin", rel("nicht"), C.FAMILY, True, index, 1.5, (14, 35)),
                _Slot("cousin", rel("neef"), C.FAMILY, False, index, 1.5, (14, 35)),
            ]
        if kind in ("sibling", "grown_child") and self.mode not in CHILD_MODES:
            in_law = "zwager" if slot.female else "schoonzus"
            if kind == "grown_child":
                in_law = "schoonzoon" if slot.female else "schoondochter"
            found = [_Slot("in_law", in_law, C.FAMILY, not slot.female, index, 1.5, None, "other")]
            if kind == "grown_child":
                found.append(
                    _Slot("grandchild", "kleindochter", C.FAMILY, True, index, 1.5, (8, 30), "same")
                )
                found.append(
                    _Slot("grandchild", "kleinzoon", C.FAMILY, False, index, 1.2, (8, 30), "same")
                )
            return found
        if kind in ("parent", "parent2"):
            return [_Slot("aunt", rel("tante") + f" (zus van {first})", C.FAMILY, True, index, 2)]
        if kind == "partner":
            return [
                _Slot("in_law", "schoonmoeder", C.FAMILY, True, index, 2),
                _Slot("friend", f"vriend van {first}", C.FRIENDS, False, index, 1, None, "other"),
            ]
        if kind == "child" and (self.people[index].age or 0) >= 4:
            return [
                _Slot("teacher", f"juf van {first}", C.SCHOOL_WORK, True, index, 2, None, "other")
            ]
        if kind == "friend" and slot.namer == 0:
            return [_Slot("friend", "vriendin", C.FRIENDS, True, index, 0.6, None, "other")]
        if kind == "neighbour":
            return [
                _Slot("community", self.rng.choice(self._faith()), C.COMMUNITY, None, index, 0.8)
            ]
        if kind == "victim":
            return [
                _Slot(
                    "victim_family",
                    "partner van het slachtoffer",
                    C.COMMUNITY,
                    None,
                    index,
                    2,
                    None,
                    "other",
                ),
                _Slot(
                    "victim_family",
                    "moeder van het slachtoffer",
                    C.COMMUNITY,
                    True,
                    index,
                    1.5,
                    None,
                    "other",
                ),
            ]
        if kind == "resident":
            return [
                _Slot(
                    "resident",
                    "buurvrouw van de overkant",
                    C.COMMUNITY,
                    True,
                    index,
                    1,
                    None,
                    "other",
                )
            ]
        return []

    # --- one person ------------------------------------------------------------------------

    def _person(self, slot: _Slot) -> int:
        rng = self.rng
        female = slot.female if slot.female is not None else rng.random() < 0.55
        background = names.pick_background(rng) if slot.surname == "other" else self.background
        first = names.first_name(rng, background, female)
        for _attempt in range(4):  # two Tjitskes in one family would confuse everyone
            if first not in self.used:
                break
            first = names.first_name(rng, background, female)
        if slot.surname == "same":
            last = self.family.adult[1] if slot.kind != "parent2" else self.family.child[1]
        else:
            last = names.surname(rng, background, female)
        age = _child_age(rng.randint(*slot.ages)) if slot.ages else None
        relation = slot.relation
        person = Person(0, first, _label(relation, first), relation, age=age)
        info = _Info(f"{first} {last}", slot.kind, slot.category, slot.namer)
        self._status(person, slot.kind, info=info)
        self._needs(person, slot, info, background)
        return self._add(person, info)

    def _status(
        self, person: Person, kind: str, *, certain: bool = False, info: _Info | None = None
    ) -> None:
        rng, progress = self.rng, self.progress
        if kind == "ex" and progress > 0.3 and self.draft.request["safety_at_stake"]:
            person.status = S.NOT_INVITED_SAFETY
            if info is not None:
                info.safety_reason = rng.choice(prep_texts.SAFETY_REASONS)
            return
        if not certain and rng.random() >= progress:
            person.status = S.ASKED if rng.random() < progress + 0.3 else S.TO_ASK
            return
        if certain and rng.random() >= progress + 0.4:
            person.status = S.ASKED
            return
        roll = rng.random()
        if roll < 0.74 or certain:
            person.status = S.COMES
        elif roll < 0.85:
            person.status = S.CONDITIONAL
            if info is not None:
                info.condition = rng.choice(prep_texts.CONDITIONS)
        else:
            person.status = S.DECLINES

    def _needs(
        self, person: Person, slot: _Slot, info: _Info, background: names.Background
    ) -> None:
        rng = self.rng
        if slot.kind == "grandparent" or slot.kind == "parent_of_adult":
            info.transport = rng.random() < 0.3
            if rng.random() < 0.15:
                info.needs_note = rng.choice(prep_texts.NEEDS_NOTES)
        if person.age is not None and person.age < 6:
            info.childcare = rng.random() < 0.6
        if background is names.DUTCH or slot.surname == "other":
            return
        codes = [c for c in background.languages if c in self.maker.languages]
        if codes and rng.random() < (0.6 if slot.kind in _OLDER else 0.1):
            info.language = codes[0]
            info.interpreter = rng.random() < 0.5


def _label(relation: str, first: str) -> str:
    title = relation.split(" ", 1)[0]
    return f"{title} {first}" if title in _TITLES else first


def _child_age(age: int | None) -> int | None:
    return age if age is not None and 0 <= age < 18 else None


def _age_of(text: str) -> int | None:
    head = text.split(" ", 1)[0]
    return int(head) if head.isdigit() else None
