"""What the first sending of a plan sets going, registered by the parts above the plans.

The evaluation of every conference (``kring.evaluation``) sits above the plans in the
layers, so ``send_plan`` cannot import it; it registers a listener in its
``AppConfig.ready`` instead. Listeners run inside the transaction that sends the plan, so
the sending and what it starts land together (or not at all).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.plans.models import Plan

# Called once per plan, when it is sent for the first time: (the locked plan, who sent it, when).
PlanSent = Callable[["Plan", "User", datetime], object]
_plan_sent: list[PlanSent] = []


def register_plan_sent(listener: PlanSent) -> None:
    if listener not in _plan_sent:
        _plan_sent.append(listener)


def plan_sent(plan: Plan, by: User, now: datetime) -> None:
    """Run every registered listener, inside the sending's transaction."""
    for listener in _plan_sent:
        listener(plan, by, now)
