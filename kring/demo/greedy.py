"""First come, first served: the baseline the batch assignment is measured against.

Not used by the product (the manager's batch uses ``batch_assign``); the benchmark and the
matching tests compare against it, to show the batch serves at least as many families.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from kring.coordinators.matching import (
    FORBIDDEN,
    Assignment,
    CandidateArrays,
    MatchRequest,
    Pairs,
    Weights,
    assignment_of,
    score_matrix,
)


def greedy_assign(
    requests: Sequence[MatchRequest],
    arrays: CandidateArrays,
    today: date,
    weights: Weights | None = None,
    manager_can_support: bool = False,
    *,
    excluded: Pairs = (),
) -> list[Assignment]:
    """First come, first served: each request in turn takes its best remaining candidate."""
    matrix = score_matrix(requests, arrays, today, weights, manager_can_support, excluded=excluded)
    taken = np.zeros(len(arrays), dtype=np.bool_)
    result: list[Assignment] = []
    if len(arrays) == 0:
        return result
    for i in range(len(requests)):
        scores = np.where(taken, FORBIDDEN, matrix[i])
        j = int(np.argmax(scores))  # first maximum: equal scores go to the lowest id
        if scores[j] > FORBIDDEN / 2:
            taken[j] = True
            result.append(assignment_of(requests, arrays, matrix, i, j))
    return result
