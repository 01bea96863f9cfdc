"""The method's own clocks: from the request, working days, targets, signals and pauses."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from kring.cases import clocks
from kring.cases.domain import pause_case, resume_case
from kring.cases.models import Case, Status
from kring.factories import make_case
from kring.lib.workdays import add_working_days, is_working_day


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


# ---------- Working days ----------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 10), True),  # a Tuesday
        (date(2026, 3, 14), False),  # a Saturday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 27), False),  # King's Day
        (date(2026, 5, 14), False),  # Ascension Day
        (date(2026, 12, 25), False),  # Christmas
    ],
)
def test_working_days_skip_weekends_and_dutch_public_holidays(day, working):
    assert is_working_day(day) is working


def test_adding_working_days_steps_over_a_holiday_weekend():
    # Thursday before Easter: Good Friday, the weekend and Easter Monday are skipped.
    assert add_working_days(date(2026, 4, 2), 2) == date(2026, 4, 8)
    assert add_working_days(date(2026, 3, 13), 2) == date(2026, 3, 17)  # Friday → Tuesday


# ---------- The plan within two working days ----------


def test_the_plan_is_due_at_the_end_of_the_second_working_day():
    friday = date(2026, 3, 13)
    assert clocks.plan_send_due(friday) == clocks.end_of_day(date(2026, 3, 17))
    # Conference on Christmas Eve: 25 and 26 December and the weekend do not count.
    assert clocks.plan_send_due(date(2026, 12, 24)) == clocks.end_of_day(date(2026, 12, 29))


def test_the_manager_hears_a_working_day_after_the_coordinators_reminder():
    due = clocks.plan_send_due(date(2026, 3, 13))  # end of Tuesday 17 March
    # The coordinator is reminded from Wednesday; the manager on Thursday.
    assert clocks.plan_send_escalation(due) == aware(2026, 3, 19)
    # Due on a Friday: the coordinator keeps Monday, the manager hears on Tuesday.
    friday_due = clocks.end_of_day(date(2026, 3, 20))
    assert clocks.plan_send_escalation(friday_due) == aware(2026, 3, 24)


def test_plan_send_late_and_escalated_follow_the_clock(db, coordinator):
    case = make_case(status=Status.HELD, coordinator=coordinator)
    due = case.plan_send_due
    assert due is not None
    assert not clocks.plan_send_late(case, due - timedelta(minutes=1))
    assert clocks.plan_send_late(case, due + timedelta(minutes=1))
    escalation = clocks.plan_send_escalation(due)
    assert not clocks.plan_send_escalated(case, escalation - timedelta(minutes=1))
    assert clocks.plan_send_escalated(case, escalation)


# ---------- From the request, not from the assignment ----------


def test_first_contact_and_start_count_from_the_request_even_after_a_late_assignment(
    db, coordinator
):
    arrived = timezone.now() - timedelta(days=5)
    case = make_case(status=Status.ASSIGNED, submitted_at=arrived, coordinator=coordinator)
    assert case.first_contact_due == arrived + timedelta(days=3)
    assert case.start_due == arrived + timedelta(days=7)
    # The coordinator's own clock starts at the assignment and is only shown.
    assert case.assigned_at is not None and case.assigned_at > arrived + timedelta(days=4)
    assert clocks.days_since(case.assigned_at, case.assigned_at + timedelta(days=2)) == 2


def test_a_late_first_contact_stays_late_after_the_assignment(db, coordinator):
    case = make_case(
        status=Status.ASSIGNED,
        submitted_at=timezone.now() - timedelta(days=4),
        coordinator=coordinator,
    )
    assert case in Case.objects.overdue(timezone.now())


# ---------- No conference deadline ----------


def test_a_passed_conference_target_is_not_late_but_long_preparation_is_a_signal(
    db, coordinator, settings
):
    settings.KRING_LONG_PREPARATION_WEEKS = 8
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        first_contact_at=now, first_visit_at=now, conference_due=now - timedelta(days=3)
    )
    assert case not in Case.objects.overdue(now)
    assert case not in Case.objects.long_preparation(now)
    later = now + timedelta(weeks=9)
    Case.objects.filter(pk=case.pk).update(
        first_contact_at=later, first_visit_at=later, conference_due=later
    )
    assert case not in Case.objects.overdue(later)
    assert case in Case.objects.long_preparation(later)
    case.refresh_from_db()
    assert clocks.long_preparation(case, later)
    assert not clocks.long_preparation(case, now)


def test_a_held_conference_is_no_long_preparation(db, coordinator):
    case = make_case(status=Status.HELD, coordinator=coordinator)
    far = timezone.now() + timedelta(weeks=52)
    assert not clocks.long_preparation(case, far)
    assert case not in Case.objects.long_preparation(far)


# ---------- After the plan ----------


def test_follow_up_and_implementation_open_after_sending():
    sent = aware(2026, 3, 10, 14)
    dues = clocks.after_plan_sent(sent)
    assert dues["follow_up_due"] == sent + timedelta(days=28)
    assert dues["implementation_due"] == sent + timedelta(days=91)
    assert clocks.implementation_escalation(dues["implementation_due"]) == sent + timedelta(
        days=152
    )
    assert clocks.is_early(dues["follow_up_due"], sent + timedelta(days=27))
    assert not clocks.is_early(dues["follow_up_due"], sent + timedelta(days=28))
    assert not clocks.is_early(None, sent)


# ---------- Pausing shifts every clock ----------


def test_resuming_shifts_the_plan_and_aftercare_clocks_of_a_held_case(db, coordinator):
    case = make_case(status=Status.HELD, coordinator=coordinator)
    pause_case(case, by=coordinator, reason="Crisis in het gezin")
    Case.objects.filter(pk=case.pk).update(paused_at=timezone.now() - timedelta(days=6))
    before = Case.objects.get(pk=case.pk)
    after = resume_case(case, by=coordinator)
    for field in ("plan_send_due", "follow_up_due", "implementation_due"):
        shift = getattr(after, field) - getattr(before, field)
        assert timedelta(days=6) <= shift < timedelta(days=6, minutes=1), field


def test_shift_leaves_met_clocks_alone(db, coordinator):
    case = make_case(status=Status.PLAN_SENT, coordinator=coordinator)
    before = {f: getattr(case, f) for f in ("plan_send_due", "follow_up_due")}
    shifted = clocks.shift_running_clocks(case, timedelta(days=2))
    assert "plan_send_due" not in shifted and case.plan_send_due == before["plan_send_due"]
    assert "follow_up_due" in shifted
    assert case.follow_up_due == before["follow_up_due"] + timedelta(days=2)
