"""The reference data the demo draws from: regions, postcode areas and languages (read once)."""

from __future__ import annotations

import bisect
import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kring.accounts.models import Postcode, Region
from kring.coordinators.models import Language

# A place with many PC4 areas is a city: its areas are denser, so requests come from it more
# often than a PC4 count alone would say.
_CITY_AREAS = 8
_CITY_WEIGHT = 1.6


@dataclass(frozen=True)
class Area:
    pc4: str
    place: str
    region_id: int


@dataclass
class World:
    regions: list[Region]
    areas: list[Area]
    cum_weights: list[float]
    region_weights: dict[int, float]  # share of the requests per region
    places: dict[int, list[str]]  # per region, the biggest places first
    languages: frozenset[str]  # codes present in the Language table
    # Every language but Dutch and English, with its weight among people in the Netherlands.
    other_languages: tuple[list[str], list[float]] = ([], [])
    _by_region: dict[int | None, list[Area]] = field(default_factory=dict)

    def pick_area(self, rng: random.Random) -> Area:
        index = bisect.bisect_right(self.cum_weights, rng.random() * self.cum_weights[-1])
        return self.areas[min(index, len(self.areas) - 1)]

    def pick_region(self, rng: random.Random) -> Region:
        weights = [self.region_weights[region.pk] for region in self.regions]
        return rng.choices(self.regions, weights=weights)[0]

    def region(self, slug: str) -> Region | None:
        return next((region for region in self.regions if region.slug == slug), None)

    def slug(self, region_id: int | None) -> str:
        return next((r.slug for r in self.regions if r.pk == region_id), "")

    def areas_in(self, region_id: int | None) -> list[Area]:
        if region_id not in self._by_region:
            self._by_region[region_id] = [a for a in self.areas if a.region_id == region_id]
        return self._by_region[region_id]


def load_world() -> World:
    regions = list(Region.objects.order_by("slug"))
    rows = list(Postcode.objects.order_by("pc4").values_list("pc4", "place", "region_id"))
    if not regions or not rows:
        raise RuntimeError("Regions and postcodes are missing: run manage.py migrate first")
    areas = [Area(pc4, place, region_id) for pc4, place, region_id in rows]
    size = Counter(area.place for area in areas)
    weights = [_CITY_WEIGHT if size[a.place] >= _CITY_AREAS else 1.0 for a in areas]
    return World(
        regions=regions,
        areas=areas,
        cum_weights=list(itertools.accumulate(weights)),
        region_weights=_region_weights(areas, weights, regions),
        places=_places_by_size(areas),
        languages=frozenset(Language.objects.values_list("code", flat=True)),
        other_languages=_other_languages(),
    )


def _other_languages() -> tuple[list[str], list[float]]:
    rows = Language.objects.exclude(code__in=["nld", "eng"]).order_by("code")
    pairs = [(code, max(weight, 0.01)) for code, weight in rows.values_list("code", "weight")]
    return [code for code, _ in pairs], [weight for _, weight in pairs]


def _region_weights(
    areas: list[Area], weights: list[float], regions: list[Region]
) -> dict[int, float]:
    totals: dict[int, float] = defaultdict(float)
    for area, weight in zip(areas, weights, strict=True):
        totals[area.region_id] += weight
    # A region without postcodes still gets a little work, so its manager has an inbox.
    floored = {region.pk: max(totals[region.pk], 0.002 * sum(weights)) for region in regions}
    grand = sum(floored.values())
    return {pk: weight / grand for pk, weight in floored.items()}


def _places_by_size(areas: list[Area]) -> dict[int, list[str]]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for area in areas:
        counts[area.region_id][area.place] += 1
    return {
        region_id: [place for place, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]
        for region_id, c in counts.items()
    }
