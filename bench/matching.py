"""Benchmark of coordinator matching on synthetic, realistic pools.

    cd /work/main && .venv/bin/python bench/matching.py

Prints readable lines, then as its last line one JSON object with the figures (times in ms):
rank_750_ms (median over the requests), rank_100k_ms, batch_500x750_ms, batch_total_score,
greedy_total_score, required_language_met. Targets: rank_750_ms <= 5, rank_100k_ms <= 250,
batch_500x750_ms <= 1000; the batch serves at least as many requests as greedy (it serves as
many as possible first) and, serving as many, scores at least as high. Needs no Django.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kring.coordinators.matching import (
    Assignment,
    CandidateArrays,
    MatchRequest,
    Weights,
    batch_assign,
    rank,
)
from kring.demo import synthetic_matching as synthetic
from kring.demo.greedy import greedy_assign

TODAY = date(2026, 3, 2)
SEED = 20260302


def timed_ms[T](fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def median_rank_ms(
    arrays: CandidateArrays, requests: Sequence[MatchRequest], names: dict[str, str]
) -> float:
    weights = Weights()
    rank(requests[0], arrays, TODAY, weights, language_names=names)  # warm caches
    times = [
        timed_ms(partial(rank, r, arrays, TODAY, weights, language_names=names))[0]
        for r in requests
    ]
    return statistics.median(times)


def required_language_met(
    requests: Sequence[MatchRequest], arrays: CandidateArrays, assigned: Sequence[Assignment]
) -> float:
    """Share of requests with a required language that got a coordinator who speaks one."""
    by_request = {a.request_id: a.candidate_id for a in assigned}
    needing = [r for r in requests if r.wishes.required_language and r.wishes.languages]
    met = 0
    for r in needing:
        cid = by_request.get(r.id)
        speaks = cid is not None and arrays.candidates[arrays.row(cid)].languages
        met += bool(speaks and set(r.wishes.languages) & speaks)
    return met / len(needing) if needing else 1.0


def main() -> dict[str, float]:
    rng = random.Random(SEED)
    places, languages = synthetic.load_places(), synthetic.load_languages()
    names = synthetic.language_names_nl(languages)

    def arrays_of(n: int) -> CandidateArrays:
        cands = synthetic.make_candidates(n, rng, today=TODAY, places=places, languages=languages)
        return CandidateArrays(cands)

    arrays750 = arrays_of(750)
    requests = synthetic.make_requests(500, rng, places=places, languages=languages)
    rank_750 = median_rank_ms(arrays750, requests[:100], names)
    print(f"rank, 750 candidates: median {rank_750:.2f} ms over 100 requests")

    build_ms, arrays100k = timed_ms(lambda: arrays_of(100_000))
    rank_100k = median_rank_ms(arrays100k, requests[:20], names)
    print(f"rank, 100,000 candidates: median {rank_100k:.1f} ms over 20 requests")
    print(f"  (generating and indexing that pool took {build_ms / 1000:.1f} s)")

    # Warm up: matching imports scipy.optimize lazily (it takes seconds), which is not the cost
    # of a batch.
    batch_assign(requests[:5], arrays750, TODAY)
    batch_ms, batch = timed_ms(lambda: batch_assign(requests, arrays750, TODAY))
    greedy_ms, greedy = timed_ms(lambda: greedy_assign(requests, arrays750, TODAY))
    batch_score = sum(a.score for a in batch)
    greedy_score = sum(a.score for a in greedy)
    print(
        f"batch, 500 requests x 750 candidates: {batch_ms:.0f} ms, {len(batch)} assigned, "
        f"total score {batch_score:.1f}"
    )
    print(
        f"greedy, same: {greedy_ms:.0f} ms, {len(greedy)} assigned, total score {greedy_score:.1f}"
    )
    met = required_language_met(requests, arrays750, batch)
    print(f"requests with a required language that got a speaker (batch): {met:.1%}")
    return {
        "rank_750_ms": round(rank_750, 3),
        "rank_100k_ms": round(rank_100k, 2),
        "batch_500x750_ms": round(batch_ms, 1),
        "batch_total_score": round(batch_score, 3),
        "greedy_total_score": round(greedy_score, 3),
        "required_language_met": round(met, 4),
    }


if __name__ == "__main__":
    print(json.dumps(main()))
