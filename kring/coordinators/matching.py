"""Matching: which coordinators fit a request, in what order, and why (not).

Pure functions over the plain dataclasses below: no Django, no database. The regional
manager's shortlist, the batch assignment, the benchmark and the tests all run this same code,
so the rules cannot drift apart between them.

Two kinds of rules:

- hard rules (training for the variant, region, VOG, a current independence declaration,
  capacity, availability, independence from the people and organisations involved, required
  language, travel limit): a candidate who breaks one is never proposed, whatever the score;
- soft scores (the citizen's wishes, travel distance, spreading the work, a new coordinator
  whom the manager can support): they only order the candidates who pass every hard rule.

`CandidateArrays` turns the coordinators into NumPy arrays once, so that a request is answered
with a handful of vector operations instead of a Python loop over hundreds of thousands of
objects; Python-level work (reasons, warnings) is done only for the few candidates returned.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

VARIANTS: Final = ("family", "restorative", "group", "learning")
STATUSES: Final = ("candidate", "ek1", "certified", "ek2", "paused", "stopped")
GENDERS: Final = ("female", "male")
AGE_BANDS: Final[dict[str, tuple[int, int]]] = {
    "under_35": (0, 34),
    "35_55": (35, 55),
    "over_55": (56, 200),
}

# Which variants each status may take. An applicant ("candidate") is not trained yet and is
# never proposed. EK1-trained coordinators do a family conference, the first one supported by
# the regional manager (the domain's "first conference, supported"); EK2 opens the others.
STATUS_VARIANTS: Final[dict[str, frozenset[str]]] = {
    "candidate": frozenset(),
    "ek1": frozenset({"family"}),
    "certified": frozenset({"family"}),
    "ek2": frozenset(VARIANTS),
    "paused": frozenset(),
    "stopped": frozenset(),
}
SUPPORTED_FIRST_STATUSES: Final = frozenset({"ek1"})

VOG_WARNING_DAYS: Final = 30
# The independence declaration is renewed every year; a month before it lapses the
# coordinator is reminded (tasks.py) and the shortlist warns.
INDEPENDENCE_WARNING_DAYS: Final = 30
FORBIDDEN: Final = -1e9  # score of a pair that breaks a hard rule in the batch matrices
NEW_COORDINATOR_MAX_DONE: Final = 2  # fewer conferences than this counts as new
_EARTH_KM: Final = 6371.0088

VARIANT_NL: Final = {
    "family": "individu en familie",
    "restorative": "herstel",
    "group": "groep, straat of buurt",
    "learning": "leervragen",
}
GENDER_NL: Final = {"female": "vrouw", "male": "man"}
AGE_BAND_NL: Final = {"under_35": "jonger dan 35", "35_55": "35 tot 55", "over_55": "ouder dan 55"}
_GENDER_CODE: Final = {"female": 1, "male": 2}


def normalise_name(name: str) -> str:
    """Compare names as people type them: no accents, case or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """Language codes, cultures and religions compare without case or extra spaces. Cached:
    a large pool repeats the same few hundred values hundreds of thousands of times."""
    return " ".join(text.casefold().split())


# ---------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True, kw_only=True)
class Wishes:
    """What the citizen asked for in a coordinator (all optional)."""

    gender: str | None = None
    age_band: str | None = None
    languages: tuple[str, ...] = ()
    required_language: bool = False  # then the coordinator must speak at least one of them
    culture: str | None = None
    religion: str | None = None

    def __post_init__(self) -> None:
        if self.gender is not None and self.gender not in GENDERS:
            raise ValueError(f"unknown gender wish {self.gender!r}")
        if self.age_band is not None and self.age_band not in AGE_BANDS:
            raise ValueError(f"unknown age band {self.age_band!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchRequest:
    id: int
    variant: str
    lat: float | None = None  # PC4 centroid of the request, WGS84 degrees
    lon: float | None = None
    wishes: Wishes = field(default_factory=Wishes)
    # The case's region; None (not routed yet) means no coordinator serves it.
    region_id: int | None = None
    involved_organisations: frozenset[int] = frozenset()  # referrer, funder, professionals
    named_people: frozenset[str] = frozenset()  # normalised names (see normalise_name)
    # Whether a manager of the case's region is free to support a first conference (decided
    # by matching_input: KRING_SUPPORT_MAX_FIRST_CONFERENCES); without one, coordinators in
    # SUPPORTED_FIRST_STATUSES are not proposed.
    first_conference_support: bool = True

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown variant {self.variant!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    id: int
    name: str
    lat: float | None  # PC4 centroid of the coordinator's address
    lon: float | None
    status: str
    vog_valid_until: date | None
    independence_valid_until: date | None = None  # None: never declared
    regions: frozenset[int] = frozenset()  # region ids the coordinator works in
    birth_year: int | None = None
    gender: str | None = None
    languages: frozenset[str] = frozenset()  # ISO 639-3 codes
    cultures: frozenset[str] = frozenset()
    religion: str | None = None
    active_cases: int = 0
    max_cases: int = 1
    unavailable_next_7_days: bool = False
    affiliations: frozenset[int] = frozenset()  # organisation ids
    relationships: frozenset[str] = frozenset()  # normalised names of people they know
    max_travel_km: float | None = None  # None: no limit given
    days_since_last_case: int | None = None  # None: never had one
    conferences_done: int = 0
    # What an EK2 coordinator chose in their EK2 report besides family; None: trained before
    # the report was recorded, so every variant.
    ek2_variants: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUS_VARIANTS:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def certified_variants(self) -> frozenset[str]:
        if self.status == "ek2" and self.ek2_variants is not None:
            return frozenset({"family"}) | (self.ek2_variants & frozenset(VARIANTS))
        return STATUS_VARIANTS[self.status]


@dataclass(frozen=True, slots=True)
class Weights:
    """Points for each soft criterion; the national office tunes them."""

    gender: float = 10.0
    age_band: float = 5.0
    language: float = 20.0
    culture: float = 5.0
    religion: float = 5.0
    distance: float = 20.0  # points at 0 km; half of it at distance_scale_km
    distance_scale_km: float = 25.0
    rotation: float = 10.0  # full points once rotation_cap_days have passed since the last case
    rotation_cap_days: float = 90.0
    new_coordinator: float = 5.0  # only when the manager can support a new coordinator

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {f.name} must be a finite number >= 0, not {value!r}")
        if self.distance_scale_km <= 0 or self.rotation_cap_days <= 0:
            raise ValueError("distance_scale_km and rotation_cap_days must be > 0")

    @classmethod
    def from_mapping(cls, values: Mapping[str, float | int | str]) -> Weights:
        """Defaults overridden by `values`; unknown names are an error, not ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in values.items() if k not in RETIRED_WEIGHTS}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown weights: {', '.join(unknown)}")
        return cls(**{name: float(value) for name, value in values.items()})

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Weights that no longer exist but may still be stored: the batch always serves as many
# requests as it can now, so a bonus per served request has nothing left to trade.
RETIRED_WEIGHTS: Final = frozenset({"batch_serve_bonus"})


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate_id: int
    score: float
    breakdown: dict[str, float]
    reasons: list[str]
    warnings: list[str]
    distance_km: float | None


class Assignment(NamedTuple):
    request_id: int
    candidate_id: int
    score: float


class BatchResult(NamedTuple):
    """The assignments, and the requests left without anyone because no coordinator may
    take them at all (every other unserved request lost its allowed coordinators to
    requests that had no one else)."""

    assignments: list[Assignment]
    without_allowed: list[int]  # request ids


# ----------------------------------------------------------------- the candidates as arrays

Rows = NDArray[np.intp]
Sel = slice | NDArray[np.intp]  # all rows, or some
Mask = NDArray[np.bool_]


class CandidateArrays:
    """The coordinators as column arrays, sorted by id so that row order breaks ties."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        cands = tuple(sorted(candidates, key=lambda c: c.id))
        ids = [c.id for c in cands]
        if len(set(ids)) != len(ids):
            raise ValueError("candidate ids must be unique")
        self.candidates = cands
        self.ids = np.array(ids, dtype=np.int64)
        self._row_of = {cid: row for row, cid in enumerate(ids)}
        self._build_location(cands)
        self._build_rules(cands)
        self._build_profile(cands)
        self._build_conflict_index(cands)

    def __len__(self) -> int:
        return len(self.candidates)

    def row(self, candidate_id: int) -> int:
        return self._row_of[candidate_id]

    def _build_location(self, cands: Sequence[Candidate]) -> None:
        lat = np.array([np.nan if c.lat is None else c.lat for c in cands], dtype=np.float64)
        lon = np.array([np.nan if c.lon is None else c.lon for c in cands], dtype=np.float64)
        self.lat_rad = np.radians(lat)
        self.lon_rad = np.radians(lon)
        self.cos_lat = np.cos(self.lat_rad)
        limits = [math.inf if c.max_travel_km is None else c.max_travel_km for c in cands]
        self.max_km = np.array(limits, dtype=np.float64)

    def _build_rules(self, cands: Sequence[Candidate]) -> None:
        self.variant_ok = np.array(
            [[v in c.certified_variants for v in VARIANTS] for c in cands], dtype=np.bool_
        ).reshape(len(cands), len(VARIANTS))
        # No VOG at all is stored as -1, which fails every "valid on today" comparison.
        self.vog = np.array([_ordinal(c.vog_valid_until) for c in cands], dtype=np.int64)
        self.declared = np.array(
            [_ordinal(c.independence_valid_until) for c in cands], dtype=np.int64
        )
        self.region_rows = _index_rows(cands, lambda c: c.regions)
        self.has_capacity = np.array([c.active_cases < c.max_cases for c in cands], np.bool_)
        self.available = np.array([not c.unavailable_next_7_days for c in cands], np.bool_)
        self.needs_support = np.array(
            [c.status in SUPPORTED_FIRST_STATUSES for c in cands], dtype=np.bool_
        )

    def _build_profile(self, cands: Sequence[Candidate]) -> None:
        self.gender = np.array([_GENDER_CODE.get(c.gender or "", 3) for c in cands], np.int8)
        self.birth_year = np.array([c.birth_year or 0 for c in cands], dtype=np.int64)
        days = [
            math.inf if c.days_since_last_case is None else c.days_since_last_case for c in cands
        ]
        self.days_idle = np.maximum(np.array(days, dtype=np.float64), 0.0)
        self.done = np.array([c.conferences_done for c in cands], dtype=np.int64)
        self._build_languages(cands)
        self.culture_rows = _index_rows(cands, lambda c: (_key(x) for x in c.cultures))
        religions = sorted({_key(c.religion) for c in cands if c.religion})
        self.religion_code = {name: code for code, name in enumerate(religions)}
        self.religion = np.array(
            [self.religion_code[_key(c.religion)] if c.religion else -1 for c in cands], np.int32
        )

    def _build_languages(self, cands: Sequence[Candidate]) -> None:
        spoken = [[_key(code) for code in c.languages] for c in cands]
        codes = sorted({code for row_codes in spoken for code in row_codes})
        self.language_col = {code: col for col, code in enumerate(codes)}
        # Column-major: a request asks about one or two languages, i.e. a few whole columns.
        self.speaks = np.zeros((len(cands), len(codes)), dtype=np.bool_, order="F")
        rows = [row for row, row_codes in enumerate(spoken) for _ in row_codes]
        cols = [self.language_col[code] for row_codes in spoken for code in row_codes]
        self.speaks[rows, cols] = True

    def _build_conflict_index(self, cands: Sequence[Candidate]) -> None:
        # Few coordinators declare ties, so a dictionary from organisation or name to the rows
        # that declared it answers "who is conflicted in this request" without a full scan.
        self.org_rows = _index_rows(cands, lambda c: c.affiliations)
        self.name_rows = _index_rows(cands, lambda c: (normalise_name(n) for n in c.relationships))

    # -- per-request helpers ----------------------------------------------------------------

    def language_cols(self, codes: Iterable[str]) -> list[int]:
        return [self.language_col[k] for k in map(_key, codes) if k in self.language_col]

    def speaks_any(self, sel: Sel, codes: Iterable[str]) -> NDArray[np.bool_]:
        cols = self.language_cols(codes)
        if not cols:
            return np.zeros(len(self.ids[sel]), dtype=np.bool_)
        return np.asarray(self.speaks[:, cols][sel].any(axis=1))

    def serves(self, region_id: int | None) -> NDArray[np.bool_]:
        mask = np.zeros(len(self), dtype=np.bool_)
        if region_id is not None:
            mask[self.region_rows.get(region_id, _NO_ROWS)] = True
        return mask

    def conflicted(self, request: MatchRequest) -> NDArray[np.bool_]:
        mask = np.zeros(len(self), dtype=np.bool_)
        for org in request.involved_organisations:
            mask[self.org_rows.get(org, _NO_ROWS)] = True
        for name in request.named_people:
            mask[self.name_rows.get(normalise_name(name), _NO_ROWS)] = True
        return mask

    def distances_km(self, sel: Sel, lat: float | None, lon: float | None) -> NDArray[np.float64]:
        """Great-circle km from the request to each selected candidate; NaN when unknown."""
        if lat is None or lon is None:
            return np.full(len(self.ids[sel]), np.nan)
        lat1, lon1 = math.radians(lat), math.radians(lon)
        dlat = self.lat_rad[sel] - lat1
        dlon = self.lon_rad[sel] - lon1
        a = np.sin(dlat / 2) ** 2 + math.cos(lat1) * self.cos_lat[sel] * np.sin(dlon / 2) ** 2
        return np.asarray(2 * _EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0))))


_NO_ROWS: Final[Rows] = np.zeros(0, dtype=np.intp)


def _ordinal(day: date | None) -> int:
    """A date as a day number; no date at all is -1, which fails every "valid on" test."""
    return -1 if day is None else day.toordinal()


def _index_rows(
    cands: Sequence[Candidate], keys_of: Callable[[Candidate], Iterable[object]]
) -> dict[object, Rows]:
    index: dict[object, list[int]] = {}
    for row, c in enumerate(cands):
        for k in set(keys_of(c)):
            index.setdefault(k, []).append(row)
    return {k: np.array(rows, dtype=np.intp) for k, rows in index.items()}


# ---------------------------------------------------------------------------- hard rules
# Each rule is a vectorised test (True = allowed) plus the Dutch sentence for a manager who
# asks "why not X?". rank() and explain_blocks() run the very same tests, so they cannot
# disagree about who is blocked.

RuleTest = Callable[[CandidateArrays, MatchRequest, date, Sel], NDArray[np.bool_]]
RuleText = Callable[[Candidate, MatchRequest, date, Mapping[str, str]], str]


def _ok_variant(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    return np.asarray(arrays.variant_ok[sel, VARIANTS.index(req.variant)])


def _ok_vog(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    return np.asarray(arrays.vog[sel] >= today.toordinal())


def _ok_region(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    return np.asarray(arrays.serves(req.region_id)[sel])


def _ok_declared(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    return np.asarray(arrays.declared[sel] >= today.toordinal())


def _ok_capacity(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    return np.asarray(arrays.has_capacity[sel])


def _ok_available(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    return np.asarray(arrays.available[sel])


def _ok_independent(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    if not (req.involved_organisations or req.named_people):
        return np.ones(len(arrays.ids[sel]), dtype=np.bool_)
    return np.asarray(~arrays.conflicted(req)[sel])


def _ok_language(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    if not (req.wishes.required_language and req.wishes.languages):
        return np.ones(len(arrays.ids[sel]), dtype=np.bool_)
    return arrays.speaks_any(sel, req.wishes.languages)


def _ok_support(arrays: CandidateArrays, req: MatchRequest, today: date, sel: Sel) -> Mask:
    if req.first_conference_support:
        return np.ones(len(arrays.ids[sel]), dtype=np.bool_)
    return np.asarray(~arrays.needs_support[sel])


def _ok_travel(arrays: CandidateArrays, sel: Sel, dist: NDArray[np.float64]) -> NDArray[np.bool_]:
    # An unknown distance (NaN) compares False, so a missing postcode does not block.
    return np.asarray(~(dist > arrays.max_km[sel]))


def _why_variant(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    if c.status == "paused":
        return "gepauzeerd"
    if c.status == "stopped":
        return "gestopt als coördinator"
    if c.status == "candidate":
        return "kandidaat: nog niet getraind"
    if c.status == "ek2":
        return f"koos na EK2 niet voor {VARIANT_NL[req.variant]}"
    return f"niet gecertificeerd voor {VARIANT_NL[req.variant]} (EK2 nodig)"


def _why_vog(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    if c.vog_valid_until is None:
        return "geen geldige VOG"
    return f"VOG verlopen op {c.vog_valid_until:%d-%m-%Y}"


def _why_region(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    if req.region_id is None:
        return "het traject heeft nog geen regio"
    return "werkt niet in de regio van dit traject"


def _why_declared(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    if c.independence_valid_until is None:
        return "geen onafhankelijkheidsverklaring"
    return f"onafhankelijkheidsverklaring verlopen op {c.independence_valid_until:%d-%m-%Y}"


def _why_capacity(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    return f"heeft al {_cases(c.active_cases)} (maximaal {c.max_cases})"


def _why_available(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    return "niet beschikbaar in de komende 7 dagen"


def _why_independent(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    parts = []
    if c.affiliations & req.involved_organisations:
        parts.append("verbonden aan een betrokken organisatie")
    known = {normalise_name(n) for n in c.relationships}
    people = sorted(n for n in req.named_people if normalise_name(n) in known)
    if people:
        parts.append(f"kent {', '.join(people)}")
    return "niet onafhankelijk: " + "; ".join(parts)


def _why_language(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    return f"spreekt geen {_language_list(req.wishes.languages, names)} (vereist)"


NO_SUPPORT_NL: Final = "geen regiomanager vrij voor begeleiding"


def _why_support(c: Candidate, req: MatchRequest, today: date, names: Mapping[str, str]) -> str:
    return f"eerste conferentie: {NO_SUPPORT_NL}"


HARD_RULES: Final[tuple[tuple[str, RuleTest, RuleText], ...]] = (
    ("variant", _ok_variant, _why_variant),
    ("region", _ok_region, _why_region),
    ("vog", _ok_vog, _why_vog),
    ("declared", _ok_declared, _why_declared),
    ("capacity", _ok_capacity, _why_capacity),
    ("available", _ok_available, _why_available),
    ("independent", _ok_independent, _why_independent),
    ("language", _ok_language, _why_language),
    ("support", _ok_support, _why_support),
)


def _language_list(codes: Iterable[str], names: Mapping[str, str]) -> str:
    return " of ".join(names.get(_key(c), c) for c in codes)


def explain_blocks(
    request: MatchRequest,
    candidate: Candidate,
    today: date,
    language_names: Mapping[str, str] | None = None,
) -> list[str]:
    """The hard rules this candidate breaks for this request, in Dutch; [] when none."""
    names = language_names or {}
    arrays = CandidateArrays([candidate])
    everyone = slice(None)
    blocks = [
        why(candidate, request, today, names)
        for _, test, why in HARD_RULES
        if not test(arrays, request, today, everyone)[0]
    ]
    dist = arrays.distances_km(everyone, request.lat, request.lon)
    if not _ok_travel(arrays, everyone, dist)[0]:
        blocks.append(
            f"{dist[0]:.0f} km, verder dan de maximale reisafstand van "
            f"{candidate.max_travel_km:.0f} km"
        )
    return blocks


# ---------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class _Scored:
    rows: Rows  # rows of the arrays that pass every hard rule, ascending (= by candidate id)
    dist: NDArray[np.float64]
    met: dict[str, NDArray[np.bool_]]  # which wishes each row meets
    parts: dict[str, NDArray[np.float64]]  # points per criterion
    total: NDArray[np.float64]


def _eligible(
    request: MatchRequest, arrays: CandidateArrays, today: date
) -> tuple[Rows, NDArray[np.float64]]:
    # Narrow the rows rule by rule so that later, dearer rules see fewer candidates.
    rows: Rows = np.arange(len(arrays), dtype=np.intp)
    for _, test, _ in HARD_RULES:
        rows = rows[test(arrays, request, today, rows)]
    dist = arrays.distances_km(rows, request.lat, request.lon)
    keep = _ok_travel(arrays, rows, dist)
    return rows[keep], dist[keep]


def _wishes_met(
    request: MatchRequest, arrays: CandidateArrays, rows: Rows, today: date
) -> dict[str, NDArray[np.bool_]]:
    w = request.wishes
    none = np.zeros(rows.size, dtype=np.bool_)
    met = dict.fromkeys(("gender", "age_band", "language", "culture", "religion"), none)
    if w.gender:
        met["gender"] = arrays.gender[rows] == _GENDER_CODE[w.gender]
    if w.age_band:
        low, high = AGE_BANDS[w.age_band]
        age = today.year - arrays.birth_year[rows]
        met["age_band"] = (arrays.birth_year[rows] > 0) & (age >= low) & (age <= high)
    if w.languages:
        met["language"] = arrays.speaks_any(rows, w.languages)
    if w.culture:
        met["culture"] = np.isin(rows, arrays.culture_rows.get(_key(w.culture), _NO_ROWS))
    if w.religion:
        met["religion"] = arrays.religion[rows] == arrays.religion_code.get(_key(w.religion), -2)
    return met


def _score(
    request: MatchRequest,
    arrays: CandidateArrays,
    today: date,
    weights: Weights,
    manager_can_support: bool,
) -> _Scored:
    rows, dist = _eligible(request, arrays, today)
    met = _wishes_met(request, arrays, rows, today)
    met["new_coordinator"] = (arrays.done[rows] < NEW_COORDINATOR_MAX_DONE) & manager_can_support
    parts = {name: getattr(weights, name) * mask.astype(np.float64) for name, mask in met.items()}
    closeness = weights.distance / (1.0 + dist / weights.distance_scale_km)
    parts["distance"] = np.nan_to_num(closeness, nan=0.0)
    idle = np.minimum(arrays.days_idle[rows], weights.rotation_cap_days)
    parts["rotation"] = weights.rotation * idle / weights.rotation_cap_days
    total = np.zeros(rows.size, dtype=np.float64)
    for points in parts.values():
        total += points
    return _Scored(rows, dist, met, parts, total)


def _top(total: NDArray[np.float64], limit: int) -> Rows:
    """Positions of the `limit` best scores, best first; equal scores by position (= id)."""
    if limit <= 0 or total.size == 0:
        return _NO_ROWS
    if limit < total.size:
        # Everything scoring at least the limit-th best, so ties at the edge stay in the race.
        threshold = -np.partition(-total, limit - 1)[limit - 1]
        candidates = np.flatnonzero(total >= threshold)
    else:
        candidates = np.arange(total.size, dtype=np.intp)
    order = np.lexsort((candidates, -total[candidates]))
    return np.asarray(candidates[order][:limit], dtype=np.intp)


def rank(
    request: MatchRequest,
    arrays: CandidateArrays,
    today: date,
    weights: Weights | None = None,
    limit: int = 10,
    manager_can_support: bool = False,
    language_names: Mapping[str, str] | None = None,
) -> list[Ranked]:
    """The best `limit` candidates who break no hard rule, best first, with their reasons."""
    scored = _score(request, arrays, today, weights or Weights(), manager_can_support)
    names = language_names or {}
    return [
        _explain(request, arrays, scored, int(pos), today, names)
        for pos in _top(scored.total, limit)
    ]


# ---------------------------------------------------------------------------- explanations


def _explain(
    request: MatchRequest,
    arrays: CandidateArrays,
    scored: _Scored,
    pos: int,
    today: date,
    names: Mapping[str, str],
) -> Ranked:
    row = int(scored.rows[pos])
    cand = arrays.candidates[row]
    dist = float(scored.dist[pos])
    met = {name: bool(mask[pos]) for name, mask in scored.met.items()}
    return Ranked(
        candidate_id=cand.id,
        score=float(scored.total[pos]),
        breakdown={name: float(points[pos]) for name, points in scored.parts.items()},
        reasons=_reasons(request, arrays, row, met, dist, names),
        warnings=_warnings(request, arrays, row, met, dist, today, names),
        distance_km=None if math.isnan(dist) else dist,
    )


def _reasons(
    request: MatchRequest,
    arrays: CandidateArrays,
    row: int,
    met: Mapping[str, bool],
    dist: float,
    names: Mapping[str, str],
) -> list[str]:
    w, cand = request.wishes, arrays.candidates[row]
    out = []
    if met["gender"] and w.gender:
        out.append(f"{GENDER_NL[w.gender]}, zoals gewenst")
    if met["age_band"] and w.age_band:
        out.append(f"leeftijd {AGE_BAND_NL[w.age_band]}, zoals gewenst")
    out += [
        f"spreekt {names.get(_key(code), code)}"
        for code in w.languages
        if arrays.speaks_any(np.array([row], dtype=np.intp), (code,))[0]
    ]
    if met["culture"]:
        out.append(f"culturele achtergrond {w.culture}, zoals gewenst")
    if met["religion"]:
        out.append(f"geloof {w.religion}, zoals gewenst")
    if not math.isnan(dist):
        out.append(f"{dist:.0f} km")
    out += _rotation_reason(cand.days_since_last_case)
    if met["new_coordinator"]:
        out.append("nieuwe coördinator, de regiomanager kan ondersteunen")
    # Nobody is shown without a reason: failing anything better, say what they fulfil.
    return out or [f"getraind voor {VARIANT_NL[request.variant]}, werkt in deze regio"]


def _cases(n: int) -> str:
    return "1 lopend traject" if n == 1 else f"{n} lopende trajecten"


def _rotation_reason(days: int | None) -> list[str]:
    if days is None:
        return ["nog nooit een traject gehad"]
    if days <= 0:
        return []
    return [f"al {days} {'dag' if days == 1 else 'dagen'} geen traject"]


def _warnings(
    request: MatchRequest,
    arrays: CandidateArrays,
    row: int,
    met: Mapping[str, bool],
    dist: float,
    today: date,
    names: Mapping[str, str],
) -> list[str]:
    w, cand = request.wishes, arrays.candidates[row]
    out = []
    if arrays.vog[row] - today.toordinal() < VOG_WARNING_DAYS:
        out.append(f"VOG verloopt binnen {VOG_WARNING_DAYS} dagen")
    if arrays.declared[row] - today.toordinal() < INDEPENDENCE_WARNING_DAYS:
        out.append(
            f"onafhankelijkheidsverklaring verloopt binnen {INDEPENDENCE_WARNING_DAYS} dagen"
        )
    if cand.status in SUPPORTED_FIRST_STATUSES:
        out.append("eerste conferentie, met steun van de regiomanager")
    elif cand.conferences_done == 0:
        out.append("eerste conferentie: begeleiding nodig")
    if cand.active_cases > 0:
        out.append(f"heeft al {_cases(cand.active_cases)}")
    if w.languages and not met["language"]:
        out.append(f"spreekt geen {_language_list(w.languages, names)} (gewenst)")
    out += _unmet_wishes(w, met)
    if math.isnan(dist):
        out.append("afstand onbekend")
    return out


def _unmet_wishes(w: Wishes, met: Mapping[str, bool]) -> list[str]:
    wished = {
        "gender": GENDER_NL.get(w.gender or ""),
        "age_band": w.age_band and f"leeftijd {AGE_BAND_NL[w.age_band]}",
        "culture": w.culture and f"culturele achtergrond {w.culture}",
        "religion": w.religion and f"geloof {w.religion}",
    }
    return [
        f"wens niet vervuld: {label}" for name, label in wished.items() if label and not met[name]
    ]


# ---------------------------------------------------------------------------- batches


Pairs = Iterable[tuple[int, int]]  # (request id, candidate id)


def score_matrix(
    requests: Sequence[MatchRequest],
    arrays: CandidateArrays,
    today: date,
    weights: Weights | None = None,
    manager_can_support: bool = False,
    *,
    excluded: Pairs = (),
) -> NDArray[np.float64]:
    """One row per request, one column per candidate row (= by candidate id): the rank() score,
    or FORBIDDEN where the pair breaks a hard rule or is one of the `excluded` pairs (for
    instance a coordinator who was already asked for that request)."""
    weights = weights or Weights()
    matrix = np.full((len(requests), len(arrays)), FORBIDDEN, dtype=np.float64)
    for i, request in enumerate(requests):
        scored = _score(request, arrays, today, weights, manager_can_support)
        matrix[i, scored.rows] = scored.total
    _forbid(matrix, requests, arrays, excluded)
    return matrix


def _forbid(
    matrix: NDArray[np.float64],
    requests: Sequence[MatchRequest],
    arrays: CandidateArrays,
    pairs: Pairs,
) -> None:
    """Mark (request id, candidate id) pairs FORBIDDEN in place. The pairs are looked up all
    at once; a pair whose request or candidate is not in this batch changes nothing."""
    wanted = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    if wanted.size == 0 or matrix.size == 0:
        return
    request_ids = np.array([r.id for r in requests], dtype=np.int64)
    if np.unique(request_ids).size != request_ids.size:
        raise ValueError("request ids must be unique to exclude pairs")
    rows, cols = _positions(request_ids, wanted[:, 0]), _positions(arrays.ids, wanted[:, 1])
    found = (rows >= 0) & (cols >= 0)
    matrix[rows[found], cols[found]] = FORBIDDEN


def _positions(ids: NDArray[np.int64], wanted: NDArray[np.int64]) -> Rows:
    """Where each wanted id sits in `ids` (unique, any order), or -1 when it is not there."""
    order = np.argsort(ids, kind="stable")
    at = np.minimum(np.searchsorted(ids, wanted, sorter=order), ids.size - 1)
    pos = order[at]
    return np.asarray(np.where(ids[pos] == wanted, pos, -1), dtype=np.intp)


def batch_assign(
    requests: Sequence[MatchRequest],
    arrays: CandidateArrays,
    today: date,
    weights: Weights | None = None,
    manager_can_support: bool = False,
    *,
    excluded: Pairs = (),
) -> list[Assignment]:
    """The assignments of `batch_solve`."""
    return batch_solve(
        requests, arrays, today, weights, manager_can_support, excluded=excluded
    ).assignments


def batch_solve(
    requests: Sequence[MatchRequest],
    arrays: CandidateArrays,
    today: date,
    weights: Weights | None = None,
    manager_can_support: bool = False,
    *,
    excluded: Pairs = (),
) -> BatchResult:
    """One coordinator per request and at most one request per coordinator, over allowed
    pairs only: first as many requests served as possible, then the highest summed score
    among those assignments. The `excluded` (request id, candidate id) pairs are not
    allowed: they are ruled out before solving, so such a request gets its best allowed
    coordinator instead."""
    # Imported here: scipy.optimize takes about a second to import, which web requests that
    # only rank() should not pay for.
    from scipy.optimize import linear_sum_assignment

    matrix = score_matrix(requests, arrays, today, weights, manager_can_support, excluded=excluded)
    allowed = matrix > FORBIDDEN / 2
    has_any = allowed.any(axis=1)
    without = [requests[int(i)].id for i in np.flatnonzero(~has_any)]
    req_idx, cand_idx = np.flatnonzero(has_any), np.flatnonzero(allowed.any(axis=0))
    if req_idx.size == 0:
        return BatchResult([], without)
    sub = matrix[np.ix_(req_idx, cand_idx)]
    ok = sub > FORBIDDEN / 2
    gain = np.where(ok, sub + _serve_bonus(sub[ok], min(sub.shape)), FORBIDDEN)
    # One "nobody" column per request, worth 0: leaving a request open is then always possible,
    # so no allowed pair is ever displaced to squeeze in a forbidden one.
    gain = np.hstack([gain, np.zeros((req_idx.size, req_idx.size))])
    rows, cols = linear_sum_assignment(gain, maximize=True)
    pairs = [
        (int(req_idx[r]), int(cand_idx[c]))
        for r, c in zip(rows, cols, strict=True)
        if c < cand_idx.size and ok[r, c]
    ]
    return BatchResult(
        [assignment_of(requests, arrays, matrix, i, j) for i, j in sorted(pairs)], without
    )


def _serve_bonus(scores: NDArray[np.float64], most_pairs: int) -> float:
    """Points per served request that outweigh any difference in summed score: one more
    request served gains the bonus and loses less than it in scores, so the solver serves
    as many requests as possible first and only then maximises the score (a request with a
    required language is never left open to give its speaker a better-scoring request)."""
    spread = float(scores.max() - min(float(scores.min()), 0.0)) if scores.size else 0.0
    return 1.0 + most_pairs * (spread + 1.0)


def assignment_of(
    requests: Sequence[MatchRequest],
    arrays: CandidateArrays,
    matrix: NDArray[np.float64],
    i: int,
    j: int,
) -> Assignment:
    return Assignment(requests[i].id, int(arrays.ids[j]), float(matrix[i, j]))
