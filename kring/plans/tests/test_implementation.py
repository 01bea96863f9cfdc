"""The one definition of a plan's implementation as a whole, on a table of plans."""

from __future__ import annotations

from collections import Counter

import pytest

from kring.plans.aftercare.implementation import plan_implementation
from kring.plans.models import Implementation

F, P, N = Implementation.FULLY, Implementation.PARTLY, Implementation.NOT


@pytest.mark.parametrize(
    ("agreements", "outcome"),
    [
        ([], ""),  # nothing registered yet
        ([F], F),
        ([F] * 15, F),
        ([N], N),
        ([N] * 15, N),
        ([P], P),
        ([P] * 15, P),  # every agreement partly: partly, never "not"
        ([P, N, N, N], P),  # something was done
        ([F, N], P),
        ([F, P], P),
        ([F] * 14 + [N], P),  # one agreement short of fully
        ([N] * 14 + [F], P),
        ([N] * 14 + [P], P),  # one agreement short of not
        ([F, P, N], P),
    ],
)
def test_a_plan_is_fully_partly_or_not_carried_out(agreements: list[str], outcome: str) -> None:
    counts = Counter(agreements)
    assert plan_implementation(counts[F], counts[P], counts[N]) == outcome
