"""Synthetic coordinators and requests as the matching engine takes them, for benchmarks and tests.

Pure and seeded: the same `random.Random` seed gives the same pool on every machine, so a
benchmark figure or a demo screenshot can be reproduced. Coordinators live on real PC4
centroids and speak languages drawn by `speakers_nl_weight` from `data/languages.csv`; the
other proportions (statuses, capacity, VOG expiry, declared ties) are plausible guesses,
tuned so that roughly half of the pool is free for a family request on a given day.
"""

from __future__ import annotations

import csv
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from kring.coordinators.matching import Candidate, MatchRequest, Wishes, normalise_name

LANGUAGES_CSV: Final = (
    Path(__file__).resolve().parents[1] / "coordinators" / "data" / "languages.csv"
)
PC4_CSV: Final = Path(__file__).resolve().parents[1] / "accounts" / "data" / "pc4_nl.csv"


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name_nl: str
    name_en: str
    weight: float


@dataclass(frozen=True, slots=True)
class Place:
    pc4: str
    place: str
    province: str
    lat: float
    lon: float


def load_languages(path: Path = LANGUAGES_CSV) -> list[Language]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Language(r["code"], r["name_nl"], r["name_en"], float(r["speakers_nl_weight"]))
            for r in csv.DictReader(f)
        ]


def language_names_nl(languages: Sequence[Language]) -> dict[str, str]:
    """code → Dutch name, the `language_names` argument of matching.rank()."""
    return {lang.code: lang.name_nl for lang in languages}


def load_places(path: Path = PC4_CSV) -> list[Place]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Place(r["pc4"], r["place"], r["province"], float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(f)
        ]


# Cultural background most often going with a heritage language, to make culture wishes and
# language skills correlate as they do in real pools.
CULTURE_OF_LANGUAGE: Final = {
    "tur": "Turks", "ary": "Marokkaans", "rif": "Marokkaans", "tzm": "Marokkaans",
    "shi": "Marokkaans", "zgh": "Marokkaans", "pap": "Antilliaans", "srn": "Surinaams",
    "hns": "Hindoestaans", "jvn": "Javaans-Surinaams", "djk": "Surinaams", "srm": "Surinaams",
    "tir": "Eritrees", "tig": "Eritrees", "amh": "Ethiopisch", "orm": "Ethiopisch",
    "som": "Somalisch", "pol": "Pools", "arb": "Syrisch", "apc": "Syrisch", "acm": "Irakees",
    "kmr": "Koerdisch", "ckb": "Koerdisch", "pes": "Iraans", "prs": "Afghaans",
    "pus": "Afghaans", "haz": "Afghaans", "abs": "Moluks", "ind": "Indisch", "jav": "Indisch",
    "kea": "Kaapverdisch", "bul": "Bulgaars", "ron": "Roemeens", "ukr": "Oekraïens",
    "rus": "Russisch", "twi": "Ghanees", "cmn": "Chinees", "yue": "Chinees",
    "vie": "Vietnamees", "bos": "Bosnisch", "srp": "Servisch", "fry": "Fries",
}  # fmt: skip
MUSLIM_MAJORITY: Final = frozenset(
    {"Turks", "Marokkaans", "Somalisch", "Syrisch", "Irakees", "Koerdisch", "Iraans",
     "Afghaans", "Bosnisch"}
)  # fmt: skip
CHRISTIAN_MAJORITY: Final = frozenset(
    {"Eritrees", "Ethiopisch", "Pools", "Antilliaans", "Surinaams", "Moluks", "Kaapverdisch",
     "Roemeens", "Bulgaars", "Oekraïens", "Russisch", "Ghanees", "Servisch", "Fries"}
)  # fmt: skip
CULTURES: Final = tuple(sorted(set(CULTURE_OF_LANGUAGE.values())))
RELIGIONS: Final = ("christendom", "islam", "hindoeïsme", "jodendom", "boeddhisme", "humanisme")
STATUS_WEIGHTS: Final = {
    "candidate": 4, "ek1": 8, "certified": 38, "ek2": 38, "paused": 8, "stopped": 4,
}  # fmt: skip
VARIANT_WEIGHTS: Final = {"family": 80, "restorative": 8, "group": 8, "learning": 4}
TRAVEL_LIMITS: Final = (20.0, 30.0, 40.0, 50.0, 75.0, 100.0, None)
TRAVEL_WEIGHTS: Final = (1, 2, 3, 2, 2, 1, 1)
FIRST_NAMES: Final = (
    "Anna", "Fatima", "Mohamed", "Jan", "Sanne", "Yusuf", "Eva", "Daan", "Noor", "Ayşe",
    "Lars", "Priya", "Kofi", "Marisol", "Dewi", "Senait", "Ahmed", "Lotte", "Piotr", "Roshni",
    "Bram", "Chantal", "Hamza", "Iris", "Kevin", "Layla", "Milan", "Nadia", "Omar", "Petra",
)  # fmt: skip
LAST_NAMES: Final = (
    "de Vries", "Jansen", "El Amrani", "Yılmaz", "Bakker", "Visser", "Martina", "Pinas",
    "Tesfay", "Nowak", "Ramdin", "Mohamud", "de Jong", "Bouzid", "Kartosen", "Smit",
    "Mulder", "Haile", "Öztürk", "Sitaldin", "Wattimena", "Boateng", "van Dijk", "Meijer",
)  # fmt: skip
ORGANISATIONS: Final = 200  # organisation ids 1..200; low ids are the big, common ones
# Region ids 1..12, one per province as in the database's default regions.
PROVINCES: Final = (
    "Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg", "Noord-Brabant",
    "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
)  # fmt: skip


def region_of(place: Place) -> int:
    """The region id of a place's province; an unknown spelling falls back to region 1."""
    return PROVINCES.index(place.province) + 1 if place.province in PROVINCES else 1


@dataclass(frozen=True, slots=True)
class Urn[T]:
    """Weighted draws with the cumulative weights computed once (pools get large)."""

    options: tuple[T, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def of(cls, options: Sequence[T], weights: Sequence[float]) -> Urn[T]:
        return cls(tuple(options), tuple(itertools.accumulate(weights)))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.options, cum_weights=self.cum_weights, k=1)[0]

    def distinct(self, rng: random.Random, k: int) -> list[T]:
        """k different options (fewer if there are not enough)."""
        chosen: list[T] = []
        for _ in range(20 * k):
            if len(chosen) >= min(k, len(self.options)):
                break
            item = self.draw(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


STATUS: Final = Urn.of(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))
VARIANT: Final = Urn.of(list(VARIANT_WEIGHTS), list(VARIANT_WEIGHTS.values()))
TRAVEL: Final = Urn.of(TRAVEL_LIMITS, TRAVEL_WEIGHTS)
GENDER: Final = Urn.of(("female", "male", None), (72, 27, 1))
GENDER_WISH: Final = Urn.of(("female", "male", None), (22, 8, 70))
MAX_CASES: Final = Urn.of((1, 2, 3), (6, 3, 1))
EXTRA_LANGUAGES: Final = Urn.of((0, 1, 2, 3), (30, 40, 20, 10))
OTHER_RELIGION: Final = Urn.of(RELIGIONS, (30, 8, 2, 1, 1, 6))
ORGANISATION: Final = Urn.of(range(1, ORGANISATIONS + 1), [1 / i for i in range(1, 201)])


def _organisations(rng: random.Random, k: int) -> frozenset[int]:
    return frozenset(ORGANISATION.distinct(rng, k))


def _people(rng: random.Random, k: int) -> frozenset[str]:
    return frozenset(
        normalise_name(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}") for _ in range(k)
    )


def _religion(rng: random.Random, culture: str | None) -> str | None:
    if culture in MUSLIM_MAJORITY and rng.random() < 0.7:
        return "islam"
    if culture in CHRISTIAN_MAJORITY and rng.random() < 0.6:
        return "christendom"
    if culture == "Hindoestaans" and rng.random() < 0.7:
        return "hindoeïsme"
    if rng.random() < 0.45:
        return OTHER_RELIGION.draw(rng)
    return None


def spoken_language_urn(languages: Sequence[Language]) -> Urn[str]:
    """Languages besides Dutch that a coordinator speaks, drawn by how common they are here."""
    others = [lang for lang in languages if lang.code != "nld"]
    return Urn.of([lang.code for lang in others], [lang.weight for lang in others])


def wished_language_urn(languages: Sequence[Language]) -> Urn[str]:
    """Languages a family asks for: heritage languages. Hardly anyone asks for a language
    everyone learns at school, so those are damped."""
    damp = {"eng": 0.05, "deu": 0.2, "fra": 0.3, "spa": 0.5}
    others = [lang for lang in languages if lang.code != "nld"]
    weights = [lang.weight * damp.get(lang.code, 1.0) for lang in others]
    return Urn.of([lang.code for lang in others], weights)


def make_candidate(
    cid: int, rng: random.Random, places: Sequence[Place], spoken: Urn[str], today: date
) -> Candidate:
    status = STATUS.draw(rng)
    extra = spoken.distinct(rng, EXTRA_LANGUAGES.draw(rng))
    languages = frozenset(extra + (["nld"] if rng.random() < 0.98 else []))
    cultures = {CULTURE_OF_LANGUAGE[c] for c in extra[:1] if c in CULTURE_OF_LANGUAGE}
    if not cultures and "nld" in languages:
        cultures.add("Nederlands")
    max_cases = MAX_CASES.draw(rng)
    done = _conferences_done(rng, status)
    place = rng.choice(places)
    regions = {region_of(place)}
    if rng.random() < 0.10:  # living near a border, working in two regions
        regions.add(rng.randint(1, len(PROVINCES)))
    return Candidate(
        id=cid,
        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        lat=place.lat,
        lon=place.lon,
        status=status,
        vog_valid_until=today + timedelta(days=rng.randint(-90, 3 * 365)),
        # Renewed every year; about one in twelve has let it lapse.
        independence_valid_until=today + timedelta(days=rng.randint(-30, 334)),
        regions=frozenset(regions),
        birth_year=today.year - int(rng.triangular(24, 72, 52)),
        gender=GENDER.draw(rng),
        languages=languages,
        cultures=frozenset(cultures),
        religion=_religion(rng, next(iter(cultures), None)),
        active_cases=0 if rng.random() < 0.65 else rng.randint(1, max_cases),
        max_cases=max_cases,
        unavailable_next_7_days=rng.random() < 0.10,
        affiliations=_organisations(rng, rng.randint(1, 2)) if rng.random() < 0.12 else frozenset(),
        relationships=_people(rng, rng.randint(1, 3)) if rng.random() < 0.05 else frozenset(),
        max_travel_km=TRAVEL.draw(rng),
        days_since_last_case=None if done == 0 else int(rng.expovariate(1 / 60)),
        conferences_done=done,
    )


def _conferences_done(rng: random.Random, status: str) -> int:
    if status in ("candidate", "ek1"):
        return 0
    if status == "certified":
        return rng.randint(1, 20)
    if status == "ek2":
        return rng.randint(2, 120)
    return rng.randint(0, 50)


def make_candidates(
    n: int,
    rng: random.Random,
    *,
    today: date,
    places: Sequence[Place] | None = None,
    languages: Sequence[Language] | None = None,
    first_id: int = 1,
) -> list[Candidate]:
    places = places or load_places()
    spoken = spoken_language_urn(languages or load_languages())
    return [make_candidate(first_id + i, rng, places, spoken, today) for i in range(n)]


def make_wishes(rng: random.Random, wished: Urn[str]) -> Wishes:
    codes = wished.distinct(rng, 1 if rng.random() < 0.8 else 2) if rng.random() < 0.30 else []
    culture = None
    if rng.random() < 0.10:
        culture = CULTURE_OF_LANGUAGE.get(codes[0]) if codes else rng.choice(CULTURES)
    return Wishes(
        gender=GENDER_WISH.draw(rng),
        age_band=rng.choice(("under_35", "35_55", "over_55")) if rng.random() < 0.12 else None,
        languages=tuple(codes),
        required_language=bool(codes) and rng.random() < 0.4,
        culture=culture,
        religion=_religion(rng, culture) if rng.random() < 0.06 else None,
    )


def make_request(
    rid: int, rng: random.Random, places: Sequence[Place], wished: Urn[str]
) -> MatchRequest:
    place = rng.choice(places) if rng.random() < 0.98 else None
    return MatchRequest(
        id=rid,
        variant=VARIANT.draw(rng),
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        # Without a known place the office routed it by hand: some region.
        region_id=region_of(place) if place else rng.randint(1, len(PROVINCES)),
        wishes=make_wishes(rng, wished),
        involved_organisations=_organisations(rng, rng.randint(1, 3)),
        named_people=_people(rng, rng.randint(3, 8)),
    )


def make_requests(
    n: int,
    rng: random.Random,
    *,
    places: Sequence[Place] | None = None,
    languages: Sequence[Language] | None = None,
    first_id: int = 1,
) -> list[MatchRequest]:
    places = places or load_places()
    wished = wished_language_urn(languages or load_languages())
    return [make_request(first_id + i, rng, places, wished) for i in range(n)]
