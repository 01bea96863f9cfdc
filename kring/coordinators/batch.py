"""The batch proposal: one optimal coordinator per waiting case, for the manager to confirm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from kring.cases.models import Case
from kring.coordinators.matching import CandidatePool, Ranked, batch_assign, rank
from kring.coordinators.models import CoordinatorProfile
from kring.coordinators.pool import (
    asked_offers,
    build_pool,
    current_weights,
    language_names,
    match_requests_for,
)


@dataclass(frozen=True)
class BatchRow:
    case: Case
    profile: CoordinatorProfile | None
    ranked: Ranked | None


def _asked_pairs(cases: list[Case]) -> list[tuple[int, int]]:
    """(case id, profile id) of every coordinator already asked for one of these cases, in one
    query; the same offers the case page leaves out (see `asked_offers`)."""
    return list(asked_offers().filter(case__in=cases).values_list("case_id", "profile_id"))


def propose_batch(cases: list[Case], *, today: date | None = None) -> list[BatchRow]:
    """Maximise the summed score over all cases; each coordinator at most once, and never a
    coordinator who was already asked for that case (as on the case page)."""
    today = today or timezone.localdate()
    if not cases:
        return []
    pool, weights, names = build_pool(today), current_weights(), language_names()
    requests = match_requests_for(cases)
    # Asked pairs are forbidden before solving, not dropped afterwards: dropping would leave
    # the case without anyone although the optimum over the allowed pairs serves it.
    assignments = batch_assign(
        list(requests.values()), pool, today, weights, True, excluded=_asked_pairs(cases)
    )
    chosen = {a.request_id: a.candidate_id for a in assignments}
    profiles = CoordinatorProfile.objects.select_related("user", "home_postcode").in_bulk(
        chosen.values()
    )
    rows = []
    for case in cases:
        profile_id = chosen.get(case.pk)
        ranked = None
        if profile_id is not None:
            single = CandidatePool([pool.candidates[pool.row(profile_id)]])
            found = rank(requests[case.pk], single, today, weights, 1, True, names)
            ranked = found[0] if found else None
        rows.append(BatchRow(case, profiles.get(profile_id) if profile_id else None, ranked))
    return rows
