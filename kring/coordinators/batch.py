"""The batch proposal: one optimal coordinator per waiting case, for the manager to confirm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils import timezone

from kring.cases.models import Case
from kring.coordinators.matching import CandidateArrays, Ranked, batch_solve, rank
from kring.coordinators.matching_input import (
    asked_offers,
    current_weights,
    language_names,
    load_candidates,
    match_requests_for,
)
from kring.coordinators.models import CoordinatorProfile

# At most this many cases per proposal, the oldest first; the page says how many wait beyond.
BATCH_LIMIT = 500


class LeftOut(StrEnum):
    """Why a case in the proposal got nobody."""

    NO_ALLOWED = "no_allowed"  # no coordinator passes every hard rule for it
    CAPACITY = "capacity"  # those who may take it are proposed for other cases


@dataclass(frozen=True)
class BatchRow:
    case: Case
    profile: CoordinatorProfile | None
    ranked: Ranked | None
    left_out: LeftOut | None = None


@dataclass(frozen=True)
class BatchProposal:
    rows: list[BatchRow]
    over_limit: int  # waiting cases not in this proposal because of BATCH_LIMIT

    def count(self, why: LeftOut) -> int:
        return sum(1 for row in self.rows if row.left_out == why)

    @property
    def no_allowed(self) -> int:
        return self.count(LeftOut.NO_ALLOWED)

    @property
    def capacity(self) -> int:
        return self.count(LeftOut.CAPACITY)

    @property
    def left_out(self) -> int:
        return self.no_allowed + self.capacity + self.over_limit


def _asked_pairs(cases: list[Case]) -> list[tuple[int, int]]:
    """(case id, profile id) of every coordinator already asked for one of these cases, in one
    query; the same offers the case page leaves out (see `asked_offers`)."""
    return list(asked_offers().filter(case__in=cases).values_list("case_id", "profile_id"))


def propose_batch(
    cases: list[Case], *, over_limit: int = 0, today: date | None = None
) -> BatchProposal:
    """Serve as many cases as possible, then maximise the summed score; each coordinator at
    most once, and never a coordinator who was already asked for that case (as on the case
    page). Every case left without anyone says why."""
    today = today or timezone.localdate()
    if not cases:
        return BatchProposal([], over_limit)
    arrays, weights, names = load_candidates(today), current_weights(), language_names()
    requests = match_requests_for(cases)
    # Asked pairs are forbidden before solving, not dropped afterwards: dropping would leave
    # the case without anyone although the optimum over the allowed pairs serves it.
    result = batch_solve(
        list(requests.values()), arrays, today, weights, True, excluded=_asked_pairs(cases)
    )
    chosen = {a.request_id: a.candidate_id for a in result.assignments}
    nobody_may = set(result.without_allowed)
    profiles = CoordinatorProfile.objects.select_related("user", "home_postcode").in_bulk(
        chosen.values()
    )
    rows = []
    for case in cases:
        profile_id = chosen.get(case.pk)
        if profile_id is not None:
            single = CandidateArrays([arrays.candidates[arrays.row(profile_id)]])
            found = rank(requests[case.pk], single, today, weights, 1, True, names)
            ranked = found[0] if found else None
            rows.append(BatchRow(case, profiles.get(profile_id), ranked))
        else:
            why = LeftOut.NO_ALLOWED if case.pk in nobody_may else LeftOut.CAPACITY
            rows.append(BatchRow(case, None, None, why))
    return BatchProposal(rows, over_limit)
