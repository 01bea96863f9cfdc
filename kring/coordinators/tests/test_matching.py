"""Matching engine: hard rules, reasons, ordering, batch assignment. Pure: no database.

Runs without Django: `pytest kring/coordinators/tests/test_matching.py -p no:django`.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.coordinators.matching import (
    FORBIDDEN,
    Candidate,
    CandidateArrays,
    MatchRequest,
    Weights,
    Wishes,
    batch_assign,
    batch_solve,
    explain_blocks,
    normalise_name,
    rank,
    score_matrix,
)
from kring.demo.greedy import greedy_assign

TODAY = date(2026, 3, 2)
UTRECHT = (52.0907, 5.1214)
AMERSFOORT = (52.1561, 5.3878)  # about 20 km from Utrecht
UTRECHT_REGION, GELDERLAND_REGION = 11, 5
NAMES = {"nld": "Nederlands", "tir": "Tigrinya", "som": "Somalisch", "ary": "Marokkaans Arabisch"}
FAST = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def cand(**changes: Any) -> Candidate:
    base = Candidate(
        id=1,
        name="Senait Tesfay",
        lat=UTRECHT[0],
        lon=UTRECHT[1],
        status="ek2",
        vog_valid_until=TODAY + timedelta(days=365),
        independence_valid_until=TODAY + timedelta(days=200),
        regions=frozenset({UTRECHT_REGION}),
        birth_year=1980,
        gender="female",
        languages=frozenset({"nld", "tir"}),
        cultures=frozenset({"Eritrees"}),
        religion="christendom",
        max_travel_km=50,
        days_since_last_case=40,
        conferences_done=10,
    )
    return dataclasses.replace(base, **changes)


def req(**changes: Any) -> MatchRequest:
    base = MatchRequest(
        id=100,
        variant="family",
        lat=AMERSFOORT[0],
        lon=AMERSFOORT[1],
        region_id=UTRECHT_REGION,
        involved_organisations=frozenset({7}),
        named_people=frozenset({"jan jansen"}),
    )
    return dataclasses.replace(base, **changes)


def ranked_ids(request: MatchRequest, candidates: list[Candidate], **kw: Any) -> list[int]:
    return [r.candidate_id for r in rank(request, CandidateArrays(candidates), TODAY, **kw)]


# ---------------------------------------------------------------------------- hard rules


def test_base_candidate_passes_every_rule() -> None:
    assert explain_blocks(req(), cand(), TODAY) == []
    assert ranked_ids(req(), [cand()]) == [1]


HARD_RULE_CASES = [
    ("paused", {"status": "paused"}, {}, "gepauzeerd"),
    ("stopped", {"status": "stopped"}, {}, "gestopt als coördinator"),
    ("candidate", {"status": "candidate"}, {}, "kandidaat: nog niet getraind"),
    ("region", {"regions": frozenset({GELDERLAND_REGION})}, {}, "werkt niet in de regio"),
    ("no-region", {}, {"region_id": None}, "het traject heeft nog geen regio"),
    (
        "declaration-lapsed",
        {"independence_valid_until": TODAY - timedelta(days=1)},
        {},
        "onafhankelijkheidsverklaring verlopen op",
    ),
    (
        "declaration-missing",
        {"independence_valid_until": None},
        {},
        "geen onafhankelijkheidsverklaring",
    ),
    ("variant", {"status": "certified"}, {"variant": "restorative"}, "niet gecertificeerd"),
    ("variant-ek1", {"status": "ek1"}, {"variant": "group"}, "niet gecertificeerd"),
    ("vog-expired", {"vog_valid_until": TODAY - timedelta(days=1)}, {}, "VOG verlopen op"),
    ("vog-missing", {"vog_valid_until": None}, {}, "geen geldige VOG"),
    ("capacity", {"active_cases": 1, "max_cases": 1}, {}, "heeft al 1 lopend traject"),
    ("unavailable", {"unavailable_next_7_days": True}, {}, "niet beschikbaar"),
    ("organisation", {"affiliations": frozenset({7})}, {}, "betrokken organisatie"),
    ("relationship", {"relationships": frozenset({"Ján  JANSEN"})}, {}, "kent jan jansen"),
    (
        "language",
        {},
        {"wishes": Wishes(languages=("som",), required_language=True)},
        "spreekt geen Somalisch (vereist)",
    ),
    ("travel", {"max_travel_km": 10}, {}, "verder dan de maximale reisafstand van 10 km"),
]


@pytest.mark.parametrize(
    ("candidate_changes", "request_changes", "message"),
    [case[1:] for case in HARD_RULE_CASES],
    ids=[case[0] for case in HARD_RULE_CASES],
)
def test_each_hard_rule_blocks_on_its_own(
    candidate_changes: dict[str, Any], request_changes: dict[str, Any], message: str
) -> None:
    candidate, request = cand(**candidate_changes), req(**request_changes)
    blocks = explain_blocks(request, candidate, TODAY, NAMES)
    assert len(blocks) == 1
    assert message in blocks[0]
    assert ranked_ids(request, [candidate], limit=50) == []
    assert batch_assign([request], CandidateArrays([candidate]), TODAY) == []


def test_vog_valid_on_the_day_itself() -> None:
    assert explain_blocks(req(), cand(vog_valid_until=TODAY), TODAY) == []


def test_required_language_met_by_any_of_the_wished() -> None:
    request = req(wishes=Wishes(languages=("som", "tir"), required_language=True))
    assert explain_blocks(request, cand(), TODAY) == []


def test_language_not_required_does_not_block() -> None:
    request = req(wishes=Wishes(languages=("som",)))
    [ranked] = rank(request, CandidateArrays([cand()]), TODAY, language_names=NAMES)
    assert "spreekt geen Somalisch (gewenst)" in ranked.warnings


def test_unknown_location_does_not_block_travel() -> None:
    [ranked] = rank(req(lat=None, lon=None), CandidateArrays([cand(max_travel_km=1)]), TODAY)
    assert ranked.distance_km is None
    assert "afstand onbekend" in ranked.warnings
    assert ranked.breakdown["distance"] == 0


@pytest.mark.parametrize("variant", ["family", "restorative", "group", "learning"])
def test_ek2_takes_every_variant(variant: str) -> None:
    assert explain_blocks(req(variant=variant), cand(status="ek2"), TODAY) == []


def test_new_coordinator_only_as_supported_first_family_conference() -> None:
    newcomer = cand(status="ek1", conferences_done=0, days_since_last_case=None)
    [ranked] = rank(req(), CandidateArrays([newcomer]), TODAY)
    assert "eerste conferentie, met steun van de regiomanager" in ranked.warnings
    assert explain_blocks(req(variant="restorative"), newcomer, TODAY)


@pytest.mark.parametrize("variant", ["family", "restorative", "group", "learning"])
def test_an_untrained_applicant_is_never_proposed(variant: str) -> None:
    applicant = cand(status="candidate", conferences_done=0)
    assert ranked_ids(req(variant=variant), [applicant]) == []
    assert batch_assign([req(variant=variant)], CandidateArrays([applicant]), TODAY) == []


def test_a_coordinator_working_in_several_regions_is_proposed_in_each() -> None:
    both = cand(regions=frozenset({UTRECHT_REGION, GELDERLAND_REGION}))
    for region in (UTRECHT_REGION, GELDERLAND_REGION):
        assert ranked_ids(req(region_id=region), [both]) == [1]
    assert ranked_ids(req(region_id=3), [both]) == []


def test_the_declaration_holds_on_its_last_day_and_warns_a_month_before() -> None:
    last_day = cand(independence_valid_until=TODAY)
    assert explain_blocks(req(), last_day, TODAY) == []
    [ranked] = rank(req(), CandidateArrays([last_day]), TODAY)
    assert "onafhankelijkheidsverklaring verloopt binnen 30 dagen" in ranked.warnings
    [fresh] = rank(req(), CandidateArrays([cand()]), TODAY)
    assert not any("onafhankelijkheidsverklaring" in w for w in fresh.warnings)


def test_a_proposed_candidate_without_any_other_reason_still_gets_one() -> None:
    # No location, no wishes, a case just yesterday (nothing to say about rotation): before,
    # such a candidate was shown without a single reason.
    plain = cand(lat=None, lon=None, days_since_last_case=0)
    [ranked] = rank(req(lat=None, lon=None), CandidateArrays([plain]), TODAY)
    assert ranked.reasons == ["getraind voor individu en familie, werkt in deze regio"]


# ---------------------------------------------------------------------------- reasons & scores


def test_each_satisfied_wish_gives_its_reason_and_points() -> None:
    wishes = Wishes(
        gender="female",
        age_band="35_55",
        languages=("tir",),
        culture="eritrees",
        religion="Christendom",
    )
    [ranked] = rank(req(wishes=wishes), CandidateArrays([cand()]), TODAY, language_names=NAMES)
    w = Weights()
    assert "vrouw, zoals gewenst" in ranked.reasons
    assert "leeftijd 35 tot 55, zoals gewenst" in ranked.reasons
    assert "spreekt Tigrinya" in ranked.reasons
    assert "culturele achtergrond eritrees, zoals gewenst" in ranked.reasons
    assert "geloof Christendom, zoals gewenst" in ranked.reasons
    assert "al 40 dagen geen traject" in ranked.reasons
    assert ranked.distance_km is not None and 15 < ranked.distance_km < 25
    assert f"{ranked.distance_km:.0f} km" in ranked.reasons
    for name in ("gender", "age_band", "language", "culture", "religion"):
        assert ranked.breakdown[name] == getattr(w, name)
    assert ranked.score == pytest.approx(sum(ranked.breakdown.values()))
    assert not any(x.startswith("wens niet vervuld") for x in ranked.warnings)


def test_unmet_wish_gives_no_points_and_a_warning() -> None:
    wishes = Wishes(gender="male", age_band="over_55")
    [ranked] = rank(req(wishes=wishes), CandidateArrays([cand()]), TODAY)
    assert ranked.breakdown["gender"] == 0 and ranked.breakdown["age_band"] == 0
    assert "wens niet vervuld: man" in ranked.warnings
    assert "wens niet vervuld: leeftijd ouder dan 55" in ranked.warnings


def test_language_reason_falls_back_to_code() -> None:
    [ranked] = rank(req(wishes=Wishes(languages=("tir",))), CandidateArrays([cand()]), TODAY)
    assert "spreekt tir" in ranked.reasons


def test_closer_ranks_higher() -> None:
    near = cand(id=2, lat=AMERSFOORT[0], lon=AMERSFOORT[1])
    assert ranked_ids(req(), [cand(id=1), near]) == [2, 1]


def test_longer_idle_ranks_higher_and_never_counts_as_longest() -> None:
    busy = cand(id=1, days_since_last_case=5)
    idle = cand(id=2, days_since_last_case=80)
    never = cand(id=3, days_since_last_case=None)
    assert ranked_ids(req(), [busy, idle, never]) == [3, 2, 1]
    [top] = rank(req(), CandidateArrays([never]), TODAY)
    assert "nog nooit een traject gehad" in top.reasons


def test_ties_broken_by_candidate_id_whatever_the_input_order() -> None:
    twins = [cand(id=i) for i in (9, 3, 5)]
    assert ranked_ids(req(), twins) == [3, 5, 9]
    assert ranked_ids(req(), twins, limit=2) == [3, 5]


def test_new_coordinator_bonus_only_when_manager_can_support() -> None:
    newish = CandidateArrays([cand(conferences_done=1)])
    [without] = rank(req(), newish, TODAY)
    [with_support] = rank(req(), newish, TODAY, manager_can_support=True)
    assert without.breakdown["new_coordinator"] == 0
    assert with_support.breakdown["new_coordinator"] == Weights().new_coordinator
    assert with_support.score > without.score


def test_warnings_for_expiring_vog_and_first_conference() -> None:
    soon = cand(vog_valid_until=TODAY + timedelta(days=10), conferences_done=0)
    [ranked] = rank(req(), CandidateArrays([soon]), TODAY)
    assert "VOG verloopt binnen 30 dagen" in ranked.warnings
    assert "eerste conferentie: begeleiding nodig" in ranked.warnings


def test_limit() -> None:
    candidates = [cand(id=i, days_since_last_case=i) for i in range(1, 6)]
    assert ranked_ids(req(), candidates, limit=2) == [5, 4]
    assert ranked_ids(req(), candidates, limit=0) == []


def test_weights_from_mapping() -> None:
    w = Weights.from_mapping({"gender": 30, "distance_scale_km": "10"})
    assert w.gender == 30 and w.distance_scale_km == 10 and w.language == Weights().language
    with pytest.raises(ValueError, match="unknown weights: genre"):
        Weights.from_mapping({"genre": 1})
    with pytest.raises(ValueError):
        Weights.from_mapping({"gender": -1})
    assert Weights.from_mapping(Weights().as_dict()) == Weights()


def test_weights_change_the_order() -> None:
    woman_far = cand(id=1)
    man_near = cand(id=2, gender="male", lat=AMERSFOORT[0], lon=AMERSFOORT[1])
    request = req(wishes=Wishes(gender="female"))
    assert ranked_ids(request, [woman_far, man_near])[0] == 1
    no_gender = Weights.from_mapping({"gender": 0})
    assert ranked_ids(request, [woman_far, man_near], weights=no_gender)[0] == 2


def test_invalid_values_rejected() -> None:
    with pytest.raises(ValueError):
        req(variant="school")
    with pytest.raises(ValueError):
        Wishes(gender="v")
    with pytest.raises(ValueError):
        cand(status="retired")
    with pytest.raises(ValueError):
        CandidateArrays([cand(id=1), cand(id=1)])


def test_normalise_name() -> None:
    assert normalise_name("  Ayşe   ÖZTÜRK ") == "ayse ozturk"


# ---------------------------------------------------------------------------- properties

# Strategies are built once: constructing them inside a composite costs more than the test.
LANGS = ["nld", "tir", "ary", "tur", "som"]
COORDS = st.one_of(st.none(), st.tuples(st.floats(50.75, 53.5), st.floats(3.4, 7.2)))
NAMED = st.frozensets(st.sampled_from(["jan jansen", "fatima bouzid", "piet"]), max_size=2)
ORGS = st.frozensets(st.integers(1, 6), max_size=2)
GENDER = st.sampled_from(["female", "male", None])

CANDIDATE = st.builds(
    Candidate,
    id=st.just(0),
    name=st.just("c"),
    lat=st.none(),
    lon=st.none(),
    status=st.sampled_from(["candidate", "ek1", "certified", "ek2", "paused", "stopped"]),
    vog_valid_until=st.none() | st.dates(TODAY - timedelta(60), TODAY + timedelta(60)),
    independence_valid_until=st.none() | st.dates(TODAY - timedelta(60), TODAY + timedelta(60)),
    regions=st.frozensets(st.sampled_from([UTRECHT_REGION, GELDERLAND_REGION]), max_size=2),
    birth_year=st.none() | st.integers(1950, 2002),
    gender=GENDER,
    languages=st.frozensets(st.sampled_from(LANGS), max_size=3),
    cultures=st.frozensets(st.sampled_from(["Eritrees", "Turks", "Nederlands"])),
    religion=st.sampled_from(["islam", "christendom", None]),
    active_cases=st.integers(0, 2),
    max_cases=st.integers(1, 2),
    unavailable_next_7_days=st.booleans(),
    affiliations=ORGS,
    relationships=NAMED,
    max_travel_km=st.none() | st.floats(0, 150),
    days_since_last_case=st.none() | st.integers(0, 200),
    conferences_done=st.integers(0, 4),
)
WISHES = st.builds(
    Wishes,
    gender=GENDER,
    age_band=st.sampled_from(["under_35", "35_55", "over_55", None]),
    languages=st.lists(st.sampled_from(LANGS), max_size=2, unique=True).map(tuple),
    required_language=st.booleans(),
    culture=st.sampled_from(["Eritrees", "turks", None]),
    religion=st.sampled_from(["Islam", None]),
)
REQUEST = st.builds(
    MatchRequest,
    id=st.just(0),
    variant=st.sampled_from(["family", "family", "restorative", "group", "learning"]),
    region_id=st.sampled_from([UTRECHT_REGION, UTRECHT_REGION, GELDERLAND_REGION, None]),
    wishes=WISHES,
    involved_organisations=ORGS,
    named_people=NAMED,
)


def placed[T](items: list[T], where: list[tuple[float, float] | None]) -> list[T]:
    """Give the i-th item id i+1 and the i-th location (ids must be unique)."""
    return [
        dataclasses.replace(  # type: ignore[type-var]
            item, id=i + 1, lat=loc[0] if loc else None, lon=loc[1] if loc else None
        )
        for i, (item, loc) in enumerate(zip(items, where, strict=False))
    ]


def located(
    strategy: st.SearchStrategy[Any], max_size: int, min_size: int = 0
) -> st.SearchStrategy[list[Any]]:
    items = st.lists(st.tuples(strategy, COORDS), min_size=min_size, max_size=max_size)
    return items.map(lambda pairs: placed([p[0] for p in pairs], [p[1] for p in pairs]))


def candidate_lists(max_size: int = 15) -> st.SearchStrategy[list[Candidate]]:
    return located(CANDIDATE, max_size)


def one_request() -> st.SearchStrategy[MatchRequest]:
    return located(REQUEST, 1, min_size=1).map(lambda rs: rs[0])


@FAST
@given(request=one_request(), cands=candidate_lists(), support=st.booleans())
def test_ranked_are_exactly_those_breaking_no_hard_rule(
    request: MatchRequest, cands: list[Candidate], support: bool
) -> None:
    ranked = rank(request, CandidateArrays(cands), TODAY, limit=len(cands),
                  manager_can_support=support)  # fmt: skip
    allowed = {c.id for c in cands if not explain_blocks(request, c, TODAY)}
    assert {r.candidate_id for r in ranked} == allowed
    for r in ranked:
        assert r.score == pytest.approx(sum(r.breakdown.values()))
        assert r.reasons, "nobody is proposed without a reason"
        if r.distance_km is not None:
            assert any(re.fullmatch(r"\d+ km", reason) for reason in r.reasons)


@FAST
@given(
    request=one_request(),
    cands=candidate_lists(),
    seed=st.integers(0, 1000),
    limit=st.integers(1, 8),
)
def test_ranking_is_deterministic_and_order_independent(
    request: MatchRequest, cands: list[Candidate], seed: int, limit: int
) -> None:
    shuffled = cands[:]
    random.Random(seed).shuffle(shuffled)
    first = rank(request, CandidateArrays(cands), TODAY, limit=limit)
    assert first == rank(request, CandidateArrays(cands), TODAY, limit=limit)
    assert first == rank(request, CandidateArrays(shuffled), TODAY, limit=limit)
    keys = [(-r.score, r.candidate_id) for r in first]
    assert keys == sorted(keys)
    everyone = rank(request, CandidateArrays(cands), TODAY, limit=len(cands))
    assert first == everyone[:limit]  # the top-k shortcut agrees with a full sort


class RandomInstance:
    """Requests and candidates from small value sets, so that every rule bites now and then.
    Plain `random` rather than strategies: drawing whole instances through Hypothesis costs
    ten times more than matching them."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def where(self) -> tuple[float | None, float | None]:
        if self.rng.random() < 0.1:
            return None, None
        return self.rng.uniform(51, 53), self.rng.uniform(4, 6.5)

    def some(self, options: list[Any], k: int) -> frozenset[Any]:
        return frozenset(self.rng.sample(options, self.rng.randint(0, k)))

    def candidate(self, cid: int) -> Candidate:
        rng, (lat, lon) = self.rng, self.where()
        return Candidate(
            id=cid,
            name=f"c{cid}",
            lat=lat,
            lon=lon,
            status=rng.choice(["candidate", "ek1", "certified", "ek2", "ek2", "paused"]),
            vog_valid_until=TODAY + timedelta(days=rng.randint(-20, 200)),
            independence_valid_until=TODAY + timedelta(days=rng.randint(-10, 300)),
            regions=self.some([UTRECHT_REGION, GELDERLAND_REGION], 2),
            birth_year=rng.randint(1950, 2000),
            gender=rng.choice(["female", "male"]),
            languages=self.some(LANGS, 3),
            cultures=self.some(["Eritrees", "Turks"], 1),
            active_cases=rng.choice([0, 0, 0, 1]),
            unavailable_next_7_days=rng.random() < 0.1,
            affiliations=self.some(list(range(1, 10)), 1),
            relationships=self.some(["jan jansen", "piet"], 1),
            max_travel_km=rng.choice([None, 40.0, 80.0, 150.0]),
            days_since_last_case=rng.choice([None, rng.randint(0, 200)]),
            conferences_done=rng.randint(0, 4),
        )

    def request(self, rid: int) -> MatchRequest:
        rng, (lat, lon) = self.rng, self.where()
        return MatchRequest(
            id=rid,
            variant=rng.choice(["family", "family", "restorative", "group"]),
            lat=lat,
            lon=lon,
            region_id=rng.choice([UTRECHT_REGION, UTRECHT_REGION, GELDERLAND_REGION]),
            wishes=Wishes(
                gender=rng.choice(["female", "male", None]),
                languages=tuple(sorted(self.some(LANGS, 2))),
                required_language=rng.random() < 0.5,
                culture=rng.choice(["Eritrees", None]),
            ),
            involved_organisations=self.some(list(range(1, 10)), 2),
            named_people=self.some(["jan jansen", "piet", "anna"], 2),
        )


def random_instance(
    seed: int, n_requests: int, n_candidates: int
) -> tuple[list[MatchRequest], list[Candidate]]:
    make = RandomInstance(seed)
    cands = [make.candidate(cid) for cid in range(1, n_candidates + 1)]
    return [make.request(rid) for rid in range(1, n_requests + 1)], cands


def check_assignment(
    reqs: list[MatchRequest], arrays: CandidateArrays, assigned: list[Any]
) -> None:
    by_id = {r.id: r for r in reqs}
    assert len({a.request_id for a in assigned}) == len(assigned)
    assert len({a.candidate_id for a in assigned}) == len(assigned)
    for a in assigned:
        candidate = arrays.candidates[arrays.row(a.candidate_id)]
        assert explain_blocks(by_id[a.request_id], candidate, TODAY) == []


@FAST
@given(seed=st.integers(0, 2**32), n_requests=st.integers(1, 12), n_cands=st.integers(0, 20))
def test_batch_is_valid_and_at_least_as_good_as_greedy(
    seed: int, n_requests: int, n_cands: int
) -> None:
    reqs, cands = random_instance(seed, n_requests, n_cands)
    arrays = CandidateArrays(cands)
    batch, greedy = batch_assign(reqs, arrays, TODAY), greedy_assign(reqs, arrays, TODAY)
    check_assignment(reqs, arrays, batch)
    check_assignment(reqs, arrays, greedy)
    assert served_then_score(batch) >= served_then_score(greedy, slack=-1e-6)


def served_then_score(assigned: list[Any], slack: float = 0.0) -> tuple[int, float]:
    """What the batch maximises, in order: requests served, then the summed score."""
    return len(assigned), sum(a.score for a in assigned) + slack


def best_possible(matrix: Any, allowed: Any, n_cands: int) -> tuple[int, float]:
    """By brute force: every way to give each request one distinct allowed candidate or
    nobody (None), the most served and then the highest score."""
    n_requests = matrix.shape[0]
    options = [*range(n_cands), *([None] * n_requests)]
    return max(
        (sum(j is not None for j in choice), sum(matrix[i, j] for i, j in enumerate(choice)
                                                  if j is not None))
        for choice in itertools.permutations(options, n_requests)
        if all(j is None or allowed[i, j] for i, j in enumerate(choice))
    )  # fmt: skip


@FAST
@given(seed=st.integers(0, 2**32), n_requests=st.integers(1, 3), n_cands=st.integers(0, 5))
def test_batch_is_optimal_on_small_instances(seed: int, n_requests: int, n_cands: int) -> None:
    reqs, cands = random_instance(seed, n_requests, n_cands)
    arrays = CandidateArrays(cands)
    matrix = score_matrix(reqs, arrays, TODAY)
    served, score = best_possible(matrix, matrix > FORBIDDEN / 2, len(cands))
    chosen = batch_assign(reqs, arrays, TODAY)
    assert len(chosen) == served
    assert sum(a.score for a in chosen) == pytest.approx(score)


def test_batch_beats_greedy_where_first_come_is_wrong() -> None:
    # Request 1 would grab the only coordinator who speaks Tigrinya, whom request 2 needs.
    speaker = cand(id=1, lat=AMERSFOORT[0], lon=AMERSFOORT[1])
    other = cand(id=2, languages=frozenset({"nld"}))
    first = req(id=1)
    second = req(id=2, wishes=Wishes(languages=("tir",), required_language=True))
    arrays = CandidateArrays([speaker, other])
    greedy = greedy_assign([first, second], arrays, TODAY)
    batch = batch_assign([first, second], arrays, TODAY)
    assert [(a.request_id, a.candidate_id) for a in greedy] == [(1, 1)]
    assert [(a.request_id, a.candidate_id) for a in batch] == [(1, 2), (2, 1)]


def test_batch_on_synthetic_candidates() -> None:
    from kring.demo import synthetic_matching as synthetic

    rng = random.Random(7)
    languages = synthetic.load_languages()
    places = synthetic.load_places()[::20]
    cands = synthetic.make_candidates(120, rng, today=TODAY, places=places, languages=languages)
    reqs = synthetic.make_requests(60, rng, places=places, languages=languages)
    arrays = CandidateArrays(cands)
    batch, greedy = batch_assign(reqs, arrays, TODAY), greedy_assign(reqs, arrays, TODAY)
    check_assignment(reqs, arrays, batch)
    assert batch and served_then_score(batch) >= served_then_score(greedy)


def test_the_batch_serves_as_many_requests_as_possible_before_the_score() -> None:
    # Request 1 fits coordinator 1 very well and coordinator 2 poorly; request 2 may only have
    # coordinator 1. Pure fit would give 1→1 and leave 2 open; the batch serves both.
    good = cand(id=1, lat=AMERSFOORT[0], lon=AMERSFOORT[1], max_travel_km=None)
    poor = cand(id=2, gender="male", languages=frozenset({"nld"}), lat=50.8514, lon=5.6910,
                max_travel_km=None, affiliations=frozenset({9}))  # fmt: skip
    first = req(id=1, wishes=Wishes(gender="female", languages=("tir",)))
    second = req(id=2, lat=53.2194, lon=6.5665, involved_organisations=frozenset({9}))
    arrays = CandidateArrays([good, poor])
    matrix = score_matrix([first, second], arrays, TODAY)
    assert matrix[0, 0] > matrix[0, 1] + matrix[1, 0]  # the better-scoring plan serves one
    covering = batch_assign([first, second], arrays, TODAY)
    assert [(a.request_id, a.candidate_id) for a in covering] == [(1, 2), (2, 1)]


def test_a_required_language_is_not_left_unserved_for_a_better_score() -> None:
    # The only Tigrinya speaker scores far better for the request without a language need,
    # but the other coordinator can take that one: both are served.
    speaker = cand(id=1, lat=AMERSFOORT[0], lon=AMERSFOORT[1], days_since_last_case=None)
    other = cand(id=2, languages=frozenset({"nld"}), gender="male", lat=52.37, lon=4.90,
                 max_travel_km=None, days_since_last_case=0)  # fmt: skip
    plain = req(id=1, wishes=Wishes(gender="female"))
    needs = req(
        id=2, lat=52.09, lon=5.12, wishes=Wishes(languages=("tir",), required_language=True)
    )
    result = batch_solve([plain, needs], CandidateArrays([speaker, other]), TODAY)
    assert [(a.request_id, a.candidate_id) for a in result.assignments] == [(1, 2), (2, 1)]
    assert result.without_allowed == []


def test_the_batch_names_the_requests_nobody_may_take() -> None:
    arrays = CandidateArrays([cand(id=1)])
    result = batch_solve([req(id=1), req(id=2, region_id=None), req(id=3)], arrays, TODAY)
    assert [a.request_id for a in result.assignments] == [1]
    assert result.without_allowed == [2]  # request 3 lost its only coordinator to request 1


def test_a_retired_weight_in_stored_values_is_ignored() -> None:
    assert Weights.from_mapping({"batch_serve_bonus": 50, "gender": 3}) == Weights(gender=3)


@FAST
@given(seed=st.integers(0, 2**32), n_requests=st.integers(1, 4), n_cands=st.integers(0, 5))
def test_batch_serves_the_most_requests_any_assignment_could(
    seed: int, n_requests: int, n_cands: int
) -> None:
    reqs, cands = random_instance(seed, n_requests, n_cands)
    arrays = CandidateArrays(cands)
    matrix = score_matrix(reqs, arrays, TODAY)
    served, _score = best_possible(matrix, matrix > FORBIDDEN / 2, len(cands))
    assert len(batch_assign(reqs, arrays, TODAY)) == served


def test_an_excluded_pair_is_ruled_out_before_the_assignment() -> None:
    # Candidate 1 (in Amersfoort, like the request) fits best; they were already asked for
    # request 1, so request 1 gets candidate 2 (in Utrecht, 20 km away) instead of nobody.
    near = cand(id=1, lat=AMERSFOORT[0], lon=AMERSFOORT[1])
    farther = cand(id=2)
    arrays = CandidateArrays([near, farther])
    first = req(id=1)
    assert [a.candidate_id for a in batch_assign([first], arrays, TODAY)] == [1]
    for assign in (batch_assign, greedy_assign):
        chosen = assign([first], arrays, TODAY, excluded=[(1, 1)])
        assert [(a.request_id, a.candidate_id) for a in chosen] == [(1, 2)]
    matrix = score_matrix([first], arrays, TODAY, excluded=[(1, 1)])
    assert matrix[0, 0] == FORBIDDEN and matrix[0, 1] > FORBIDDEN / 2


def test_a_request_whose_every_fitting_candidate_is_excluded_gets_nobody() -> None:
    arrays = CandidateArrays([cand(id=1, lat=AMERSFOORT[0], lon=AMERSFOORT[1]), cand(id=2)])
    first, second = req(id=10), req(id=20)
    chosen = batch_assign([first, second], arrays, TODAY, excluded=[(10, 1), (10, 2)])
    # The other request is not hurt by it and takes the best candidate.
    assert [(a.request_id, a.candidate_id) for a in chosen] == [(20, 1)]


def test_excluded_pairs_outside_the_batch_change_nothing() -> None:
    arrays = CandidateArrays([cand(id=1, lat=AMERSFOORT[0], lon=AMERSFOORT[1]), cand(id=2)])
    reqs = [req(id=5), req(id=3)]
    plain = score_matrix(reqs, arrays, TODAY)
    # Unknown request 4, unknown candidate 7; order of the requests does not matter.
    masked = score_matrix(reqs, arrays, TODAY, excluded=[(4, 1), (5, 7), (3, 2)])
    expected = plain.copy()
    expected[1, 1] = FORBIDDEN
    assert (masked == expected).all()
    assert (score_matrix(reqs, CandidateArrays([]), TODAY, excluded=[(5, 1)]).shape) == (2, 0)
    with pytest.raises(ValueError, match="unique"):
        score_matrix([req(id=5), req(id=5)], arrays, TODAY, excluded=[(5, 1)])


@FAST
@given(seed=st.integers(0, 2**32), n_requests=st.integers(1, 3), n_cands=st.integers(0, 5),
       data=st.data())  # fmt: skip
def test_batch_with_excluded_pairs_is_optimal_over_the_allowed_pairs(
    seed: int, n_requests: int, n_cands: int, data: st.DataObject
) -> None:
    reqs, cands = random_instance(seed, n_requests, n_cands)
    all_pairs = [(r.id, c.id) for r in reqs for c in cands]
    excluded = data.draw(st.lists(st.sampled_from(all_pairs)) if all_pairs else st.just([]))
    arrays = CandidateArrays(cands)
    matrix = score_matrix(reqs, arrays, TODAY)
    allowed = matrix > FORBIDDEN / 2
    for r, c in excluded:
        allowed[[q.id for q in reqs].index(r), arrays.row(c)] = False
    served, score = best_possible(matrix, allowed, len(cands))
    chosen = batch_assign(reqs, arrays, TODAY, excluded=excluded)
    assert not {(a.request_id, a.candidate_id) for a in chosen} & set(excluded)
    check_assignment(reqs, arrays, chosen)
    assert len(chosen) == served
    assert sum(a.score for a in chosen) == pytest.approx(score)
