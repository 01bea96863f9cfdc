"""Realistic synthetic circles for the demo data: 6–25 people around the main person(s).

The circle grows the way it does in practice: the main person names the household, a few
relatives, friends and neighbours; oma names a tante, the tante a neef; a parent names the
juf. Statuses follow how far the case has come. Nothing here is saved:
``build_circle`` returns unsaved objects, ``save_circle`` stores them.

Saving: ``named_by`` points to other participants, so a participant can only be saved after
the one who named them. ``build_circle`` returns participants with everyone who named someone
before the people they named; save them in that order one by one, or use ``save_circle``,
which bulk-creates them generation by generation (and the notes after them).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kring.cases.models import Case, Status
from kring.coordinators.models import Language
from kring.demo import names
from kring.preparation.models import Category, ContactNote, InvitationStatus, Participant

MIN_SIZE = 6
MAX_SIZE = 25
Sex = bool | None  # True: female, False: male, None: either

_STARTED: dict[str, float] = {Status.NEW: 0.0, Status.MATCHING: 0.0, Status.ASSIGNED: 0.1}
_FINISHED = {
    Status.PLANNED,
    Status.HELD,
    Status.PLAN_SENT,
    Status.FOLLOWED_UP,
    Status.IMPLEMENTATION_REGISTERED,
    Status.CLOSED,
    Status.NO_PLAN,
}
_CONDITIONS = (
    "Komt alleen als haar zus er ook is.",
    "Komt als er oppas is voor de kleintjes.",
    "Wil niet naast zijn ex-partner zitten.",
    "Komt als de conferentie na vijf uur begint.",
    "Komt alleen als er een tolk is.",
    "Komt als iemand haar kan ophalen.",
)
_NOTES = {
    InvitationStatus.ASKED: (
        "Gebeld en uitleg gegeven; denkt erover na.",
        "Voicemail ingesproken, belt terug.",
        "Brief met uitleg gestuurd.",
        "Kort gesproken bij de hoofdpersoon thuis.",
    ),
    InvitationStatus.COMES: (
        "Gebeld: wil graag meedenken en komt.",
        "Op bezoek geweest, komt zeker.",
        "Appje gestuurd, komt en neemt iets te eten mee.",
        "Noemde nog twee mensen die kunnen meedenken.",
    ),
    InvitationStatus.DECLINES: (
        "Wil niet komen, wil wel op de hoogte blijven.",
        "Kan niet vanwege werk, denkt via de telefoon mee.",
        "Heeft liever geen contact met de familie.",
    ),
}
_SAFETY_REASONS = (
    "Contactverbod; de hoofdpersoon voelt zich niet veilig bij hem.",
    "Lopende aangifte; overleg met Veilig Thuis.",
)
_NEEDS_NOTES = ("rolstoel", "slechthorend", "kan slecht traplopen")


@dataclass
class _Slot:
    """Someone who may join the circle, and who would name them."""

    kind: str
    relation: str
    category: Category
    female: Sex
    namer: Participant | None
    weight: float = 1.0
    ages: tuple[int, int] | None = None
    same_surname: bool = False
    other_background: bool = False


@dataclass
class _Context:
    rng: random.Random
    background: names.Background
    surname: str
    postcode: str
    main: Participant
    main_is_child: bool
    safety: bool
    languages: dict[str, Language]
    used_first_names: set[str]


def _first(participant: Participant) -> str:
    return participant.name.split()[0]


def _split_name(full: str) -> tuple[str, str]:
    first, _space, rest = full.strip().partition(" ")
    return first, rest or first


def _background_of(full_name: str, wished: Sequence[str]) -> names.Background:
    """The background whose surnames hold the main person's surname; otherwise the one of
    the languages asked for; otherwise Dutch."""
    _first_name, last = _split_name(full_name)
    for background in names.BACKGROUNDS:
        for surname in background.surnames:
            options = surname if isinstance(surname, tuple) else (surname,)
            if last in options:
                return background
    for background in names.BACKGROUNDS:
        if background is not names.DUTCH and set(background.languages) & set(wished):
            return background
    return names.DUTCH


def _progress(case: Case, rng: random.Random) -> float:
    """How far the preparation has come, from 0 (nobody asked yet) to 1 (all decided)."""
    if case.status in _STARTED:
        return _STARTED[case.status]
    if case.status in _FINISHED or case.status == Status.PLAN_WITHOUT_CONFERENCE:
        return 1.0
    if case.status == Status.PREPARATION:
        return rng.uniform(0.45, 0.9) if case.first_visit_at else rng.uniform(0.15, 0.35)
    return rng.uniform(0.3, 0.6)  # stopped, withdrawn, informative only


def _initial_slots(ctx: _Context, main: Participant) -> list[_Slot]:
    rng = ctx.rng
    if ctx.main_is_child:
        slots = [
            _Slot("parent", "moeder", Category.HOUSEHOLD, True, main, 6, same_surname=True),
            _Slot("parent", "vader", Category.HOUSEHOLD, False, main, 3, same_surname=True),
            _Slot("sibling", "zus", Category.HOUSEHOLD, True, main, 2, (6, 20), True),
            _Slot("sibling", "broer", Category.HOUSEHOLD, False, main, 2, (6, 20), True),
            _Slot("teacher", "mentor", Category.SCHOOL_WORK, None, main, 2, other_background=True),
        ]
    else:
        slots = [
            _Slot("partner", "partner", Category.HOUSEHOLD, not _is_female(ctx), main, 3),
            _Slot("sibling", "zus", Category.FAMILY, True, main, 2, same_surname=True),
            _Slot("sibling", "broer", Category.FAMILY, False, main, 2, same_surname=True),
            _Slot("colleague", "collega", Category.SCHOOL_WORK, None, main, 0.6, None, False, True),
        ]
        for _ in range(rng.choice((0, 1, 2, 2, 3))):
            female = rng.random() < 0.5
            relation = "dochter" if female else "zoon"
            slots.append(
                _Slot("child", relation, Category.HOUSEHOLD, female, main, 8, (1, 17), True)
            )
    slots += [
        # The main person's parents: the children's oma and opa.
        _Slot("grandparent", _parent_word(ctx, True), Category.FAMILY, True, main, 4),
        _Slot("grandparent", _parent_word(ctx, False), Category.FAMILY, False, main, 2, None, True),
        _Slot("friend", "vriendin", Category.FRIENDS, True, main, 3, other_background=True),
        _Slot("friend", "vriend", Category.FRIENDS, False, main, 1.5, other_background=True),
        _Slot("neighbour", "buurvrouw", Category.COMMUNITY, True, main, 2, other_background=True),
        _Slot("neighbour", "buurman", Category.COMMUNITY, False, main, 1, other_background=True),
    ]
    if rng.random() < 0.3:
        relation = rng.choice(("wijkcoach", "maatschappelijk werker", "jeugdconsulent"))
        slots.append(_Slot("professional", relation, Category.PROFESSIONALS, None, main, 1.5))
    if ctx.safety and not ctx.main_is_child and rng.random() < 0.5:
        relation = "vader van de kinderen" if _is_female(ctx) else "ex-partner"
        slots.append(_Slot("ex", relation, Category.FAMILY, not _is_female(ctx), main, 3))
    return slots


def _parent_word(ctx: _Context, female: bool) -> str:
    if ctx.main_is_child:
        return "oma" if female else "opa"
    return "moeder" if female else "vader"


def _is_female(ctx: _Context) -> bool:
    return _split_name(ctx.main.name)[0] in ctx.background.female


def _unlocked(ctx: _Context, slot: _Slot, person: Participant) -> list[_Slot]:
    """Whom this new participant can name in turn."""
    first, main, kind = _first(person), ctx.main, slot.kind
    family, friends = Category.FAMILY, Category.FRIENDS
    if kind == "grandparent":
        return [
            _Slot("aunt", "tante", family, True, person, 3),
            _Slot("aunt", "oom", family, False, person, 2),
        ]
    if kind == "aunt":
        return [
            _Slot("cousin", "nicht", family, True, person, 1.5, (14, 35)),
            _Slot("cousin", "neef", family, False, person, 1.5, (14, 35)),
        ]
    if kind == "sibling" and not ctx.main_is_child:
        in_law = "zwager" if slot.female else "schoonzus"
        return [_Slot("in_law", in_law, family, not slot.female, person)]
    if kind == "parent":
        return [
            _Slot("aunt", f"tante (zus van {first})", family, True, person, 2),
            _Slot("friend", f"vriendin van {first}", friends, True, person, 1, None, False, True),
        ]
    if kind == "partner":
        return [
            _Slot("in_law", "schoonmoeder", family, True, person, 2),
            _Slot("friend", f"vriend van {first}", friends, False, person, 1, None, False, True),
        ]
    if kind == "child" and (person.age or 0) >= 4:
        school, community = Category.SCHOOL_WORK, Category.COMMUNITY
        return [
            _Slot("teacher", f"juf van {first}", school, True, main, 2, None, False, True),
            _Slot("coach", f"trainer van {first}", community, None, main, 0.8, None, False, True),
        ]
    if kind == "friend" and slot.namer is main:
        # A friend of the main person knows another friend; there the chain stops.
        return [_Slot("friend", "vriendin", friends, True, person, 0.6, None, False, True)]
    if kind == "neighbour":
        return [
            _Slot("community", ctx.rng.choice(_faith(ctx)), Category.COMMUNITY, None, person, 0.8)
        ]
    return []


def _faith(ctx: _Context) -> tuple[str, ...]:
    place = {"islamitisch": "de moskee", "christelijk": "de kerk", "katholiek": "de parochie"}
    where = place.get(ctx.background.religion)
    common = ("iemand van de buurtvereniging", "vrijwilliger van het buurthuis")
    return (f"iemand van {where}", *common) if where else common


def _person(ctx: _Context, slot: _Slot, case: Case) -> Participant:
    rng = ctx.rng
    female = slot.female if slot.female is not None else rng.random() < 0.55
    background = names.pick_background(rng) if slot.other_background else ctx.background
    first = names.first_name(rng, background, female)
    for _attempt in range(5):  # two Tjitskes in one family would confuse everyone
        if first not in ctx.used_first_names:
            break
        first = names.first_name(rng, background, female)
    ctx.used_first_names.add(first)
    last = ctx.surname if slot.same_surname else names.surname(rng, background, female)
    age = rng.randint(*slot.ages) if slot.ages else None
    return Participant(
        case=case,
        name=f"{first} {last}",
        relation=slot.relation,
        category=slot.category,
        age=age if age is not None and age < 18 else None,
        named_by=slot.namer,
    )


def _contact(ctx: _Context, person: Participant, slot: _Slot) -> None:
    rng = ctx.rng
    if person.age is not None and person.age < 12:
        return
    first, last = _split_name(person.name)
    older = slot.kind == "grandparent"
    if rng.random() < (0.4 if older else 0.75):
        person.email = (
            f"{names.email_local(first, last)}@{rng.choice(('example.com', 'example.org'))}"
        )
    if rng.random() < 0.85:
        person.phone = names.phone(rng)
    if not person.email and ctx.postcode:
        street = rng.choice(names.STREETS)
        person.address = f"{street} {rng.randint(1, 120)}, {names.full_postcode(rng, ctx.postcode)}"


def _needs_and_language(ctx: _Context, person: Participant, slot: _Slot) -> None:
    rng = ctx.rng
    if slot.kind == "grandparent":
        person.needs_transport = rng.random() < 0.3
        if rng.random() < 0.15:
            person.needs_accessibility = True
            person.needs_note = rng.choice(_NEEDS_NOTES)
    if person.age is not None and person.age < 6:
        person.needs_childcare = rng.random() < 0.6
    codes = [c for c in ctx.background.languages if c in ctx.languages]
    if ctx.background is names.DUTCH or not codes or slot.other_background:
        return
    chance = 0.6 if slot.kind in {"grandparent", "aunt", "in_law"} else 0.1
    if rng.random() < chance:
        person.language = ctx.languages[codes[0]]
        person.needs_interpreter = rng.random() < 0.5


def _status(ctx: _Context, person: Participant, slot: _Slot, progress: float) -> None:
    rng = ctx.rng
    if slot.kind == "ex" and ctx.safety and progress > 0.3:
        person.status = InvitationStatus.NOT_INVITED_SAFETY
        person.safety_reason = rng.choice(_SAFETY_REASONS)
        return
    if rng.random() >= progress:
        asked = rng.random() < progress + 0.3
        person.status = InvitationStatus.ASKED if asked else InvitationStatus.TO_ASK
        return
    roll = rng.random()
    if roll < 0.72:
        person.status = InvitationStatus.COMES
    elif roll < 0.83:
        person.status = InvitationStatus.CONDITIONAL
        person.condition = rng.choice(_CONDITIONS)
    else:
        person.status = InvitationStatus.DECLINES


def _notes(ctx: _Context, case: Case, person: Participant, today: date) -> list[ContactNote]:
    coordinator_id = case.coordinator_id
    status = person.status
    if coordinator_id is None or status in {
        InvitationStatus.TO_ASK,
        InvitationStatus.NOT_INVITED_SAFETY,
    }:
        return []
    begun = (case.started_at or case.opened_at).date()
    days = max((today - begun).days, 0)
    lines = _NOTES.get(InvitationStatus(status), _NOTES[InvitationStatus.COMES])
    if status == InvitationStatus.CONDITIONAL:
        lines = (f"Gebeld. {person.condition}",)
    count = ctx.rng.choice((1, 1, 2))
    return [
        ContactNote(
            participant=person,
            on=begun + timedelta(days=ctx.rng.randint(0, days)),
            line=ctx.rng.choice(lines),
            by_id=coordinator_id,
        )
        for _ in range(count)
    ]


def _main_persons(case: Case, rng: random.Random, today: date) -> list[Participant]:
    made = []
    for person in case.request.main_persons.all():
        age = today.year - person.birth_year if person.birth_year else None
        made.append(
            Participant(
                case=case,
                name=person.name,
                category=Category.HOUSEHOLD,
                is_main_person=True,
                age=age if age is not None and 0 <= age < 18 else None,
                status=InvitationStatus.COMES,
            )
        )
    if not made:
        background = names.pick_background(rng)
        female = rng.random() < 0.6
        made.append(
            Participant(
                case=case,
                name=f"{names.first_name(rng, background, female)} "
                f"{names.surname(rng, background, female)}",
                category=Category.HOUSEHOLD,
                is_main_person=True,
                status=InvitationStatus.COMES,
            )
        )
    return made


def build_circle(
    case: Case, rng: random.Random, today: date
) -> tuple[list[Participant], list[ContactNote]]:
    """A realistic, unsaved circle for ``case``: 6–25 participants (main persons included)
    and a few lines of contact log. Deterministic for a given ``rng`` seed.

    Participants come in an order where whoever named someone comes before them; see the
    module docstring (or ``save_circle``) for how to save them.
    """
    mains = _main_persons(case, rng, today)
    main = mains[0]
    wished = [language.code for language in case.request.wish_languages.all()]
    background = _background_of(main.name, wished)
    request = case.request
    ctx = _Context(
        rng=rng,
        background=background,
        surname=_split_name(main.name)[1],
        postcode=request.postcode[:4] if request.postcode else "",
        main=main,
        main_is_child=main.age is not None,
        safety=request.safety_at_stake,
        languages=Language.objects.in_bulk(background.languages),
        used_first_names={_split_name(p.name)[0] for p in mains},
    )
    progress = _progress(case, rng)
    final = round(rng.triangular(MIN_SIZE, MAX_SIZE, 11))
    # The circle grows during the preparation: early on fewer names are known.
    size = max(MIN_SIZE, min(MAX_SIZE, round(final * (0.6 + 0.4 * progress))))

    participants = list(mains)
    notes: list[ContactNote] = []
    slots = _initial_slots(ctx, main)
    while len(participants) < size and slots:
        slot = rng.choices(slots, weights=[s.weight for s in slots])[0]
        slots.remove(slot)
        person = _person(ctx, slot, case)
        _contact(ctx, person, slot)
        _needs_and_language(ctx, person, slot)
        _status(ctx, person, slot, progress)
        participants.append(person)
        notes += _notes(ctx, case, person, today)
        slots += _unlocked(ctx, slot, person)
        if not slots:  # a small family: friends of friends keep the circle growing
            slots.append(
                _Slot("friend", "kennis", Category.FRIENDS, None, main, 1, None, False, True)
            )
    for person in mains:
        _contact(ctx, person, _Slot("main", "", Category.HOUSEHOLD, None, None))
    return participants, notes


def save_circle(participants: list[Participant], notes: list[ContactNote]) -> None:
    """Save what ``build_circle`` made: participants generation by generation (so that each
    ``named_by`` is saved before the people it named), then the contact log."""
    saved: set[int] = set()
    remaining = list(participants)
    while remaining:
        ready = [p for p in remaining if p.named_by is None or id(p.named_by) in saved]
        if not ready:
            raise ValueError("named_by points outside the circle or in a loop")
        Participant.objects.bulk_create(ready)
        saved.update(id(p) for p in ready)
        remaining = [p for p in remaining if id(p) not in saved]
    ContactNote.objects.bulk_create(notes)
