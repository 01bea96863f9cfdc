"""The VOG and the independence declaration lapse: reminders once per step, out of matching
from the lapse day on, back in once renewed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.coaching.domain import CoachingRefused, record_vog, renew_declaration
from kring.coaching.lapses import lapse_day, send_lapse_reminders, step_due
from kring.coaching.models import Condition, LapseReminder, LapseStep
from kring.coordinators.domain import propose
from kring.coordinators.tests.test_offers import make_profile
from kring.factories import make_case

pytestmark = pytest.mark.django_db

LAPSE = date(2026, 9, 1)


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def test_the_steps_and_their_boundary_days():
    assert step_due(LAPSE, LAPSE - timedelta(days=62)) is None
    assert step_due(LAPSE, LAPSE - timedelta(days=61)) == LapseStep.TWO_MONTHS
    assert step_due(LAPSE, LAPSE - timedelta(days=31)) == LapseStep.TWO_MONTHS
    assert step_due(LAPSE, LAPSE - timedelta(days=30)) == LapseStep.ONE_MONTH
    assert step_due(LAPSE, LAPSE - timedelta(days=1)) == LapseStep.ONE_MONTH
    assert step_due(LAPSE, LAPSE) == LapseStep.EXPIRED
    assert step_due(LAPSE, LAPSE + timedelta(days=29)) == LapseStep.EXPIRED
    assert step_due(LAPSE, LAPSE + timedelta(days=30)) is None  # long gone: not reported


def test_the_lapse_day_is_the_day_after_the_last_valid_one(settings):
    settings.KRING_VOG_VALID_YEARS = 3
    profile = make_profile(vog_issued_on=date(2023, 9, 1), independence_declared_on=LAPSE)
    assert profile.vog_valid_until() == date(2026, 9, 1)
    assert lapse_day(profile, Condition.VOG) == date(2026, 9, 2)
    assert lapse_day(profile, Condition.INDEPENDENCE) == LAPSE + timedelta(days=365)


def _proposed(case, profile, today: date) -> bool:
    return profile.pk in [p.profile.pk for p in propose(case, today=today)]


def test_an_expired_vog_takes_the_coordinator_out_of_matching_on_the_lapse_day(manager):
    case = make_case(status=Status.MATCHING)
    last_valid = LAPSE - timedelta(days=1)
    profile = make_profile(
        vog_issued_on=_years_before(last_valid, 3),
        independence_declared_on=LAPSE - timedelta(days=100),
    )
    assert lapse_day(profile, Condition.VOG) == LAPSE
    assert _proposed(case, profile, last_valid)
    assert not _proposed(case, profile, LAPSE)
    # A new VOG, recorded by the manager, brings them back the same day.
    record_vog(profile, issued_on=LAPSE, by=manager, today=LAPSE)
    assert _proposed(case, profile, LAPSE)
    event = AuditEvent.objects.get(action=Action.VOG_RECORDED)
    assert event.detail["issued_on"] == LAPSE.isoformat()


def test_a_lapsed_declaration_takes_the_coordinator_out_until_signed_again():
    case = make_case(status=Status.MATCHING)
    profile = make_profile(
        vog_issued_on=LAPSE - timedelta(days=100),
        independence_declared_on=LAPSE - timedelta(days=365),
    )
    assert lapse_day(profile, Condition.INDEPENDENCE) == LAPSE
    assert _proposed(case, profile, LAPSE - timedelta(days=1))
    assert not _proposed(case, profile, LAPSE)
    renew_declaration(profile, by=profile.user, today=LAPSE)
    assert _proposed(case, profile, LAPSE)
    assert AuditEvent.objects.filter(action=Action.INDEPENDENCE_RENEWED).count() == 1
    with pytest.raises(CoachingRefused):  # a double submit changes and logs nothing
        renew_declaration(profile, by=profile.user, today=LAPSE)
    assert AuditEvent.objects.filter(action=Action.INDEPENDENCE_RENEWED).count() == 1


def test_a_vog_cannot_be_dated_in_the_future_already_lapsed_or_before_the_current(manager):
    profile = make_profile(vog_issued_on=LAPSE - timedelta(days=100))
    for bad in (LAPSE + timedelta(days=1), _years_before(LAPSE, 4), LAPSE - timedelta(days=200)):
        with pytest.raises(CoachingRefused):
            record_vog(profile, issued_on=bad, by=manager, today=LAPSE)
    profile.refresh_from_db()
    assert profile.vog_issued_on == LAPSE - timedelta(days=100)


def test_a_manager_of_another_region_cannot_record_a_vog(other_manager):
    profile = make_profile(vog_issued_on=LAPSE - timedelta(days=100))
    with pytest.raises(CoachingRefused):
        record_vog(profile, issued_on=LAPSE, by=other_manager, today=LAPSE)


def test_each_reminder_step_goes_once_to_the_right_people(
    manager, other_manager, django_capture_on_commit_callbacks
):
    profile = make_profile(
        vog_issued_on=_years_before(LAPSE - timedelta(days=1), 3),
        independence_declared_on=LAPSE - timedelta(days=10),
    )
    make_profile(vog_issued_on=_years_before(LAPSE, 3), status="stopped")  # never reminded
    days = {
        LapseStep.TWO_MONTHS: LAPSE - timedelta(days=61),
        LapseStep.ONE_MONTH: LAPSE - timedelta(days=30),
        LapseStep.EXPIRED: LAPSE,
    }
    for step, today in days.items():
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert send_lapse_reminders(today) == 1
            assert send_lapse_reminders(today) == 0  # a second run finds the claim
        [sent] = mail.outbox
        if step == LapseStep.EXPIRED:
            assert sent.to == [manager.email]  # the managers of the coordinator's region
            assert "verlopen" in sent.subject
        else:
            assert sent.to == [profile.user.email]
            assert "VOG" in sent.subject
    assert list(
        LapseReminder.objects.filter(profile=profile).values_list("step", flat=True).order_by("pk")
    ) == [LapseStep.TWO_MONTHS, LapseStep.ONE_MONTH, LapseStep.EXPIRED]
    assert AuditEvent.objects.filter(action=Action.REMINDER_SENT).count() == 3


def test_a_renewed_vog_starts_its_own_steps(manager, django_capture_on_commit_callbacks):
    profile = make_profile(
        vog_issued_on=_years_before(LAPSE - timedelta(days=1), 3),
        independence_declared_on=LAPSE - timedelta(days=10),
    )
    today = LAPSE - timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_lapse_reminders(today) == 1
    record_vog(profile, issued_on=today, by=manager, today=today)
    assert send_lapse_reminders(today) == 0  # nothing lapses soon any more
    later = lapse_day(type(profile).objects.get(pk=profile.pk), Condition.VOG)
    assert later is not None
    assert send_lapse_reminders(later - timedelta(days=30)) == 1


def test_the_periodic_job_sends_the_lapse_reminders(db):
    from kring.periodic.jobs import PERIODIC_TASKS, send_due_independence_reminders

    assert send_due_independence_reminders in PERIODIC_TASKS
