"""The demo's users and organisations: who logs in, who refers, who pays.

Existing rows with the same e-mail address or name are reused, never changed, so running the
demo on a database that already has an admin account does not fail.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from kring.accounts.models import Organisation, Role, User
from kring.demo import names
from kring.demo.world import World

PASSWORD = "kring-demo"
DOMAIN = "kring.example"
OFFICE_EMAIL = f"beheer@{DOMAIN}"
RESEARCHER_EMAIL = f"onderzoek@{DOMAIN}"
HOME_REGION = "utrecht"  # where coordinator1 and professional1 work (the README's logins)
DUO_REGIONS = ("groningen", "drenthe")  # one manager covers both, as in the former region Noord

Kind = Organisation.Kind
# Per region: youth protection, safe-at-home service and mental health care.
_REGIONAL = {
    "drenthe": ("Jeugdbescherming Noord", "Veilig Thuis Drenthe", "GGZ Drenthe"),
    "flevoland": ("Jeugdbescherming Flevoland", "Veilig Thuis Flevoland", "GGZ Centraal"),
    "fryslan": ("Jeugdbescherming Fryslân", "Veilig Thuis Fryslân", "GGZ Friesland"),
    "gelderland": ("Jeugdbescherming Gelderland", "Veilig Thuis Gelderland-Zuid", "Pro Persona"),
    "groningen": ("Jeugdbescherming Groningen", "Veilig Thuis Groningen", "Lentis"),
    "limburg": ("Jeugdbescherming Limburg", "Veilig Thuis Limburg-Noord", "Mondriaan"),
    "noord-brabant": ("Jeugdbescherming Brabant", "Veilig Thuis Brabant Zuidoost", "GGzE"),
    "noord-holland": (
        "Jeugdbescherming Regio Amsterdam",
        "Veilig Thuis Amsterdam-Amstelland",
        "Arkin",
    ),
    "overijssel": ("Jeugdbescherming Overijssel", "Veilig Thuis IJsselland", "Dimence"),
    "utrecht": ("Samen Veilig Midden-Nederland", "Veilig Thuis Utrecht", "Altrecht"),
    "zeeland": ("Jeugdbescherming Zeeland", "Veilig Thuis Zeeland", "Emergis"),
    "zuid-holland": ("Jeugdbescherming west", "Veilig Thuis Hollands Midden", "GGZ Rivierduinen"),
}
_QUARTERS = ("Noord", "Zuid", "Oost", "West", "Centrum")
# How often professionals work for each kind of organisation.
_PROFESSIONAL_KINDS = {
    Kind.MUNICIPALITY: 30,
    Kind.YOUTH_PROTECTION: 18,
    Kind.SAFE_HOME: 9,
    Kind.MENTAL_HEALTH: 10,
    Kind.YOUTH_CARE: 12,
    Kind.HOUSING: 7,
    Kind.SCHOOL: 7,
    Kind.JUSTICE: 5,
    Kind.OTHER: 2,
}


@dataclass
class Cast:
    office: User
    researcher: User
    managers: dict[int, list[User]] = field(default_factory=dict)  # region id -> managers
    coordinators: dict[int, list[User]] = field(default_factory=dict)
    professionals: dict[int, list[User]] = field(default_factory=dict)
    by_kind: dict[tuple[int, str], list[User]] = field(default_factory=dict)
    funders: dict[str, Organisation] = field(default_factory=dict)  # place -> its municipality
    organisations: dict[int, list[Organisation]] = field(default_factory=dict)  # per region


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool
    background: names.Background


@dataclass(frozen=True)
class UserSpec:
    email: str
    role: str
    person: Person
    regions: tuple[int, ...] = ()
    organisation: Organisation | None = None
    staff: bool = False


def create_cast(
    rng: random.Random, world: World, coordinators: int, professionals: int
) -> tuple[Cast, list[tuple[UserSpec, User]]]:
    """Create (or reuse) every demo organisation and user and group them by region.

    Also returns each coordinator with the spec it was made from, for their profiles.
    """
    orgs = _ensure_organisations(world)
    specs = [*_staff_specs(rng, world)]
    specs += _coordinator_specs(rng, world, coordinators)
    specs += _professional_specs(rng, world, orgs, professionals)
    users = _ensure_users(specs)
    made = [(spec, users[spec.email]) for spec in specs if spec.role == Role.COORDINATOR]
    return _group(specs, users, orgs), made


# --- organisations -------------------------------------------------------------------------


def _organisation_specs(world: World) -> dict[int, list[tuple[str, str]]]:
    """Per region: (name, kind) of the organisations working there."""
    specs: dict[int, list[tuple[str, str]]] = {}
    for region in world.regions:
        places = world.places.get(region.pk) or [region.name]
        youth, safe, ggz = _REGIONAL.get(
            region.slug,
            (
                f"Jeugdbescherming {region.name}",
                f"Veilig Thuis {region.name}",
                f"GGZ {region.name}",
            ),
        )
        city = places[0]
        specs[region.pk] = [
            (youth, Kind.YOUTH_PROTECTION),
            (safe, Kind.SAFE_HOME),
            (ggz, Kind.MENTAL_HEALTH),
            *((f"Gemeente {place}", Kind.MUNICIPALITY) for place in places[:6]),
            *((f"Wijkteam {q} {p}", Kind.MUNICIPALITY) for p in places[:2] for q in _QUARTERS[:3]),
            *((f"Woonstichting {place}", Kind.HOUSING) for place in places[:2]),
            (f"Jeugdhulp {city}", Kind.YOUTH_CARE),
            (f"Stichting Jeugd- en Gezinshulp {region.name}", Kind.YOUTH_CARE),
            (f"Samenwerkingsverband Passend Onderwijs {city}", Kind.SCHOOL),
            (f"{places[min(1, len(places) - 1)]} College", Kind.SCHOOL),
            (f"Raad voor de Kinderbescherming, regio {region.name}", Kind.JUSTICE),
            (f"Reclassering {region.name}", Kind.JUSTICE),
            (f"MEE {region.name}", Kind.OTHER),
        ]
    return specs


def _ensure_organisations(world: World) -> dict[int, list[Organisation]]:
    specs = _organisation_specs(world)
    wanted = {name: kind for region_specs in specs.values() for name, kind in region_specs}
    existing = {o.name: o for o in Organisation.objects.filter(name__in=wanted)}
    Organisation.objects.bulk_create(
        Organisation(name=name, kind=kind) for name, kind in wanted.items() if name not in existing
    )
    by_name = {o.name: o for o in Organisation.objects.filter(name__in=wanted)}
    # The first region listing a name owns it; a later one with the same place name skips it.
    seen: set[str] = set()
    result: dict[int, list[Organisation]] = {}
    for region_id, region_specs in specs.items():
        own = [name for name, _ in region_specs if name not in seen]
        seen.update(own)
        result[region_id] = [by_name[name] for name in dict.fromkeys(own)]
    return result


# --- users ---------------------------------------------------------------------------------


def _person(rng: random.Random, weights: tuple[float, ...] = names.BACKGROUND_WEIGHTS) -> Person:
    background = names.pick_background(rng, weights)
    female = rng.random() < 0.7  # most coordinators and care workers are women
    first = names.first_name(rng, background, female)
    return Person(first, names.surname(rng, background, female), female, background)


def _staff_specs(rng: random.Random, world: World) -> list[UserSpec]:
    specs = [
        UserSpec(OFFICE_EMAIL, Role.OFFICE, _person(rng), staff=True),
        UserSpec(RESEARCHER_EMAIL, Role.RESEARCHER, _person(rng)),
    ]
    for region in world.regions:
        email = f"manager.{region.slug}@{DOMAIN}"
        specs.append(UserSpec(email, Role.MANAGER, _person(rng), regions=(region.pk,)))
    duo = [r for r in (world.region(slug) for slug in DUO_REGIONS) if r] or world.regions[:2]
    slug = "-".join(region.slug for region in duo)
    regions = tuple(region.pk for region in duo)
    specs.append(UserSpec(f"manager.{slug}@{DOMAIN}", Role.MANAGER, _person(rng), regions))
    return specs


def _home_first(world: World, count: int) -> list[int]:
    """Region ids for ``count`` people: a minimum per region, the rest in proportion to the work.

    The home region comes first so that person number 1 works there.
    """
    minimum = min(2, count // len(world.regions))
    spare = count - minimum * len(world.regions)
    exact = {r.pk: spare * world.region_weights[r.pk] for r in world.regions}
    share = {pk: minimum + int(value) for pk, value in exact.items()}
    # Largest remainders first, so that the shares add up to exactly ``count``.
    by_remainder = sorted(exact, key=lambda pk: (int(exact[pk]) - exact[pk], pk))
    for pk in by_remainder[: count - sum(share.values())]:
        share[pk] += 1
    home = world.region(HOME_REGION) or world.regions[0]
    order = [home.pk] + [r.pk for r in world.regions if r.pk != home.pk]
    return [region_id for region_id in order for _ in range(share[region_id])]


def _coordinator_specs(rng: random.Random, world: World, count: int) -> list[UserSpec]:
    return [
        UserSpec(
            f"coordinator{n}@{DOMAIN}",
            Role.COORDINATOR,
            _person(rng, names.COORDINATOR_WEIGHTS),
            regions=(region_id,),
        )
        for n, region_id in enumerate(_home_first(world, count), start=1)
    ]


def _professional_specs(
    rng: random.Random, world: World, orgs: dict[int, list[Organisation]], count: int
) -> list[UserSpec]:
    specs = []
    for n, region_id in enumerate(_home_first(world, count), start=1):
        org = _pick_organisation(rng, orgs[region_id], first=n == 1)
        specs.append(
            UserSpec(
                f"professional{n}@{DOMAIN}",
                Role.PROFESSIONAL,
                _person(rng),
                regions=(region_id,),
                organisation=org,
            )
        )
    return specs


def _pick_organisation(rng: random.Random, orgs: list[Organisation], first: bool) -> Organisation:
    # Funders ("Gemeente ...") rarely refer; wijkteams, youth protection and care do.
    if first:  # professional1 works in a wijkteam: the most common referrer
        return next((o for o in orgs if o.name.startswith("Wijkteam")), orgs[0])
    kinds = list(_PROFESSIONAL_KINDS)
    kind = rng.choices(kinds, weights=[_PROFESSIONAL_KINDS[k] for k in kinds])[0]
    fitting = [o for o in orgs if o.kind == kind and not o.name.startswith("Gemeente")]
    return rng.choice(fitting or orgs)


def _ensure_users(specs: list[UserSpec]) -> dict[str, User]:
    existing = {u.email: u for u in User.objects.filter(email__in=[s.email for s in specs])}
    password = make_password(PASSWORD)  # hashed once: hashing per user would take minutes
    new = [_new_user(spec, password) for spec in specs if spec.email not in existing]
    User.objects.bulk_create(new, batch_size=2000)
    created = {u.email: u for u in new}
    Through = User.regions.through
    Through.objects.bulk_create(
        Through(user_id=created[s.email].pk, region_id=region_id)
        for s in specs
        if s.email in created and s.role == Role.MANAGER
        for region_id in s.regions
    )
    return {**created, **existing}


def _new_user(spec: UserSpec, password: str) -> User:
    return User(
        email=spec.email,
        role=spec.role,
        first_name=spec.person.first,
        last_name=spec.person.last,
        password=password,
        organisation=spec.organisation,
        is_staff=spec.staff,
        is_superuser=spec.staff,
    )


def _group(
    specs: list[UserSpec], users: dict[str, User], orgs: dict[int, list[Organisation]]
) -> Cast:
    cast = Cast(office=users[OFFICE_EMAIL], researcher=users[RESEARCHER_EMAIL])
    buckets: dict[str, dict[int, list[User]]] = defaultdict(lambda: defaultdict(list))
    for spec in specs:
        for region_id in spec.regions:
            buckets[spec.role][region_id].append(users[spec.email])
    cast.managers = dict(buckets[Role.MANAGER])
    cast.coordinators = dict(buckets[Role.COORDINATOR])
    cast.professionals = dict(buckets[Role.PROFESSIONAL])
    for region_id, people in cast.professionals.items():
        for person in people:
            kind = person.organisation.kind if person.organisation else Kind.OTHER
            cast.by_kind.setdefault((region_id, kind), []).append(person)
    cast.funders = _funders(orgs)
    cast.organisations = orgs
    return cast


def _funders(orgs: dict[int, list[Organisation]]) -> dict[str, Organisation]:
    prefix = "Gemeente "
    return {
        org.name.removeprefix(prefix): org
        for region_orgs in orgs.values()
        for org in region_orgs
        if org.name.startswith(prefix)
    }
