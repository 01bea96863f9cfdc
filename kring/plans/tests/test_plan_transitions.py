"""The plan's one transition table: every status change of a plan goes through it."""

import pytest

from kring.plans.models import PLAN_TRANSITIONS, IllegalPlanMove, PlanStatus, move_plan

pytestmark = pytest.mark.django_db


def test_every_plan_status_is_in_the_table():
    assert set(PLAN_TRANSITIONS) == set(PlanStatus.values)


@pytest.mark.parametrize(
    ("old", "new"),
    [(o, n) for o in PlanStatus.values for n in PlanStatus.values if n not in PLAN_TRANSITIONS[o]],
)
def test_a_move_outside_the_table_is_refused(old, new):
    from kring.plans.models import Plan

    plan = Plan(status=old)
    with pytest.raises(IllegalPlanMove):
        move_plan(plan, new)
    assert plan.status == old


def test_a_final_plan_cannot_go_back_through_the_editor():
    from kring.factories import make_plan

    plan = make_plan(final=True)
    with pytest.raises(IllegalPlanMove):
        move_plan(plan, PlanStatus.DRAFT)
