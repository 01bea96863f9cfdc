"""The one transition table and its doors: every move only through the action that owns it."""

import pytest
from django.core.exceptions import PermissionDenied

from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.domain import IllegalTransition, advance, decide
from kring.cases.models import TRANSITIONS, Case, Door, Status, StopReason, note_required
from kring.factories import make_case

pytestmark = pytest.mark.django_db

DECISIONS = [
    (old, new)
    for old, moves in TRANSITIONS.items()
    for new, door in moves.items()
    if door == Door.DECISION
]
OWNED = [
    (old, new, door)
    for old, moves in TRANSITIONS.items()
    for new, door in moves.items()
    if door != Door.DECISION and old != Status.IMPLEMENTATION_REGISTERED
]
# Registering the implementation closes the case in the same action, so no case rests in
# IMPLEMENTATION_REGISTERED: the walk through the actions cannot leave one there.
RESTING = [status for status in Status.values if status != Status.IMPLEMENTATION_REGISTERED]
# One case per starting status, every move the table does not allow from it.
ILLEGAL_FROM = {
    old: [new for new in Status.values if new not in TRANSITIONS[old]] for old in RESTING
}


def reasons_for(old, new):
    return {
        "stop_reason": StopReason.OTHER if new == Status.STOPPED else "",
        "note": "Besproken met de familie." if note_required(old, new) else "",
    }


@pytest.mark.parametrize(("old", "new"), DECISIONS)
def test_every_decision_is_made_and_logged(manager, old, new):
    case = make_case(status=old)
    moved = decide(case, new, by=manager, **reasons_for(old, new))
    assert Case.objects.get(pk=case.pk).status == new == moved.status
    event = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED).latest("id")
    assert (event.detail["old"], event.detail["new"]) == (old, new)
    assert event.actor == manager
    assert event.actor_role == "manager"


@pytest.mark.parametrize(("old", "new", "door"), OWNED)
def test_a_move_with_its_own_action_is_refused_as_a_decision(manager, old, new, door):
    case = make_case(status=old)
    with pytest.raises(IllegalTransition, match="eigen stap"):
        decide(case, new, by=manager)
    assert Case.objects.get(pk=case.pk).status == old
    wrong_door = Door.DECISION if door != Door.DECISION else Door.START
    with pytest.raises(IllegalTransition):
        advance(case, new, by=manager, door=wrong_door)
    assert Case.objects.get(pk=case.pk).status == old


@pytest.mark.parametrize("old", RESTING)
def test_every_illegal_move_is_refused_with_a_clear_message(manager, old):
    case = make_case(status=old)
    for new in ILLEGAL_FROM[old]:
        with pytest.raises(IllegalTransition, match="kan niet naar"):
            decide(case, new, by=manager, **reasons_for(old, new))
    assert Case.objects.get(pk=case.pk).status == old
    refusals = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVE_REFUSED)
    assert refusals.count() == len(ILLEGAL_FROM[old])
    assert {event.outcome for event in refusals} <= {Outcome.REFUSED}


def test_stopping_needs_a_reason_from_the_list(manager):
    case = make_case(status=Status.PREPARATION)
    with pytest.raises(IllegalTransition, match="reden"):
        decide(case, Status.STOPPED, by=manager)
    with pytest.raises(IllegalTransition):
        decide(case, Status.STOPPED, by=manager, stop_reason="verveeld")
    moved = decide(case, Status.STOPPED, by=manager, stop_reason=StopReason.NOT_SAFE)
    assert moved.stop_reason == StopReason.NOT_SAFE
    assert moved.closed_at is not None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (Status.NEW, Status.REJECTED),
        (Status.MATCHING, Status.WITHDRAWN),
        (Status.ASSIGNED, Status.MATCHING),
        (Status.HELD, Status.NO_PLAN),
    ],
)
def test_rejecting_withdrawing_and_sending_back_need_a_written_reason(manager, old, new):
    case = make_case(status=old)
    with pytest.raises(IllegalTransition, match="waarom"):
        decide(case, new, by=manager, note="   ")
    assert Case.objects.get(pk=case.pk).status == old
    decide(case, new, by=manager, note="De familie ziet ervan af.")
    event = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED).latest("id")
    # The text stays out of the append-only log (a purge could not remove it); an ending keeps
    # it on the case.
    assert event.detail["note"] is True
    if not TRANSITIONS[new]:
        assert Case.objects.get(pk=case.pk).exit_note == "De familie ziet ervan af."


def test_sending_a_case_back_to_matching_frees_the_coordinator(manager, coordinator):
    case = make_case(status=Status.ASSIGNED, coordinator=coordinator)
    profile = coordinator.coordinator_profile
    profile.refresh_from_db()
    assert profile.load == 1
    moved = decide(case, Status.MATCHING, by=manager, note="Coördinator is ziek.")
    profile.refresh_from_db()
    assert moved.coordinator is None
    assert profile.load == 0


def test_starting_preparation_stops_the_start_clock():
    case = make_case(status=Status.PREPARATION)
    assert case.started_at is not None


def test_a_manager_of_another_region_cannot_decide(other_manager):
    case = make_case()
    with pytest.raises(PermissionDenied):
        decide(case, Status.MATCHING, by=other_manager)
    assert Case.objects.get(pk=case.pk).status == Status.NEW


def test_professionals_and_coordinators_cannot_make_a_managers_decision(professional, coordinator):
    case = make_case(referrer=professional, channel="referral")
    for user in (professional, coordinator):
        with pytest.raises(PermissionDenied):
            decide(case, Status.MATCHING, by=user)


def test_the_coordinator_may_stop_their_own_case_but_not_withdraw_it(coordinator):
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)
    with pytest.raises(PermissionDenied):
        decide(case, Status.WITHDRAWN, by=coordinator, note="Weg.")
    decide(case, Status.STOPPED, by=coordinator, stop_reason=StopReason.SOLVED)
    assert Case.objects.get(pk=case.pk).status == Status.STOPPED


def test_a_stale_copy_cannot_move_a_case_twice(manager):
    case = make_case()
    stale = Case.objects.get(pk=case.pk)
    decide(case, Status.WITHDRAWN, by=manager, note="Aanvrager belde af.")
    with pytest.raises(IllegalTransition):
        decide(stale, Status.MATCHING, by=manager)
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
        Status.REJECTED,
    }


def test_every_status_is_in_the_table_and_every_move_has_one_door():
    assert set(TRANSITIONS) == set(Status.values)
    for moves in TRANSITIONS.values():
        assert set(moves) <= set(Status.values)
        assert all(isinstance(door, Door) for door in moves.values())


def test_the_walk_takes_a_planned_case_back_to_preparation_through_its_door():
    from kring.factories import walk_to

    case = make_case(status=Status.PLANNED)
    walk_to(case, Status.PREPARATION)
    moved = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED).latest("id")
    assert (moved.detail["old"], moved.detail["new"]) == (Status.PLANNED, Status.PREPARATION)
