import pytest
from django.core.exceptions import PermissionDenied

from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.domain import IllegalTransition, move_case
from kring.cases.models import TRANSITIONS, Case, Status, StopReason
from kring.factories import make_case

pytestmark = pytest.mark.django_db

LEGAL = [(old, new) for old, moves in TRANSITIONS.items() for new in sorted(moves)]
ILLEGAL = [
    (old, new) for old in Status.values for new in Status.values if new not in TRANSITIONS[old]
]


def reason_for(status):
    return StopReason.OTHER if status == Status.STOPPED else ""


@pytest.mark.parametrize(("old", "new"), LEGAL)
def test_every_legal_transition_is_made_and_logged(manager, old, new):
    case = make_case(status=old)
    moved = move_case(case, new, by=manager, stop_reason=reason_for(new))
    assert Case.objects.get(pk=case.pk).status == new == moved.status
    event = AuditEvent.objects.get(case=case, action=Action.CASE_MOVED)
    assert event.detail["old"] == old
    assert event.detail["new"] == new
    assert event.actor == manager
    assert event.actor_role == "manager"


@pytest.mark.parametrize(("old", "new"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_clear_message(manager, old, new):
    case = make_case(status=old)
    with pytest.raises(IllegalTransition, match="kan niet naar"):
        move_case(case, new, by=manager, stop_reason=reason_for(new))
    assert Case.objects.get(pk=case.pk).status == old
    refusal = AuditEvent.objects.get(case=case, action=Action.CASE_MOVE_REFUSED)
    assert refusal.outcome == Outcome.REFUSED


def test_stopping_needs_a_reason_from_the_list(manager):
    case = make_case(status=Status.PREPARATION)
    with pytest.raises(IllegalTransition, match="reden"):
        move_case(case, Status.STOPPED, by=manager)
    with pytest.raises(IllegalTransition):
        move_case(case, Status.STOPPED, by=manager, stop_reason="verveeld")
    moved = move_case(case, Status.STOPPED, by=manager, stop_reason=StopReason.NOT_SAFE)
    assert moved.stop_reason == StopReason.NOT_SAFE
    assert moved.closed_at is not None


def test_starting_preparation_stops_the_start_clock(manager):
    case = make_case(status=Status.ASSIGNED)
    assert move_case(case, Status.PREPARATION, by=manager).started_at is not None


def test_a_manager_of_another_region_cannot_move_the_case(other_manager):
    case = make_case()
    with pytest.raises(PermissionDenied):
        move_case(case, Status.MATCHING, by=other_manager)
    assert Case.objects.get(pk=case.pk).status == Status.NEW


def test_professionals_and_coordinators_cannot_move_cases(professional, coordinator):
    case = make_case(referrer=professional, channel="referral")
    for user in (professional, coordinator):
        with pytest.raises(PermissionDenied):
            move_case(case, Status.MATCHING, by=user)


def test_a_stale_copy_cannot_move_a_case_twice(manager):
    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    move_case(case, Status.WITHDRAWN, by=manager)
    with pytest.raises(IllegalTransition):
        move_case(stale, Status.MATCHING, by=manager)
    assert Case.objects.get(pk=case.pk).status == Status.WITHDRAWN


def test_the_database_refuses_an_unknown_status():
    from django.db import IntegrityError

    case = make_case()
    with pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(status="lost")


def test_exit_states_are_final_and_the_course_ends_closed():
    finals = {status for status, moves in TRANSITIONS.items() if not moves}
    assert finals == {
        Status.CLOSED,
        Status.INFORMATIVE_ONLY,
        Status.PLAN_WITHOUT_CONFERENCE,
        Status.STOPPED,
        Status.NO_PLAN,
        Status.WITHDRAWN,
    }
