"""Matching takes an EK2 coordinator for family and the variants of their EK2 report only."""

from __future__ import annotations

import pytest

from kring.coordinators.matching import explain_blocks
from kring.coordinators.tests.test_matching import TODAY, cand, req


@pytest.mark.parametrize(
    ("chosen", "variant", "why"),
    [
        (frozenset({"restorative"}), "restorative", []),
        (frozenset({"restorative"}), "family", []),
        (frozenset({"restorative"}), "group", ["koos na EK2 niet voor groep, straat of buurt"]),
        (frozenset(), "learning", ["koos na EK2 niet voor leervragen"]),
        (None, "group", []),  # trained before Kring recorded the report: every variant
    ],
)
def test_ek2_variants_decide(chosen, variant, why):
    coordinator = cand(status="ek2", ek2_variants=chosen)
    assert explain_blocks(req(variant=variant), coordinator, TODAY) == why


def test_certified_without_ek2_takes_family_only():
    assert cand(status="certified").certified_variants == {"family"}
    assert explain_blocks(req(variant="restorative"), cand(status="certified"), TODAY) == [
        "niet gecertificeerd voor herstel (EK2 nodig)"
    ]
