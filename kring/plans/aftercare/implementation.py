"""A plan's implementation as a whole, from how its agreements were carried out.

This is the one definition the figures use (the summary rows, hence the dashboard, its CSV and
the research export) and the demo draws its data by. The published split (~40% fully, ~50%
partly, ~10% not) counts a plan as "not carried out" only when nothing in it was done.
"""

from __future__ import annotations

from kring.plans.models import Implementation


def plan_implementation(fully: int, partly: int, not_done: int) -> str:
    """Fully when every agreement was carried out fully; not when every agreement was not
    carried out at all; partly for everything in between. Empty while nothing is registered."""
    if fully + partly + not_done == 0:
        return ""
    if partly == not_done == 0:
        return Implementation.FULLY
    if fully == partly == 0:
        return Implementation.NOT
    return Implementation.PARTLY
