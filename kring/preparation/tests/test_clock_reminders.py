"""Reminders that follow the method's clocks: the plan within two working days (coordinator,
then the manager), the conference target agreed with the family, and the manager's signals."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role
from kring.audit.models import Action, AuditEvent
from kring.cases import clocks
from kring.cases.models import Case, Status
from kring.factories import UserFactory, make_case
from kring.preparation.models import SentReminder
from kring.preparation.workspace.domain import send_deadline_reminders

pytestmark = pytest.mark.django_db


def _met_early_clocks(case):
    """First contact, visit and start done: only the clocks under test can remind."""
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(first_contact_at=now, first_visit_at=now, started_at=now)
    case.refresh_from_db()
    return case


def _send(now, capture):
    with capture(execute=True):
        return send_deadline_reminders(now)


# ---------- The plan: coordinator first, the manager a working day later ----------


def test_a_plan_not_sent_reminds_the_coordinator_then_escalates_to_the_manager(
    manager, coordinator, django_capture_on_commit_callbacks
):
    case = _met_early_clocks(make_case(status=Status.HELD, coordinator=coordinator))
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(plan_send_due=now + timedelta(minutes=5))
    assert _send(now, django_capture_on_commit_callbacks) == 0

    # Just late: the coordinator hears, the manager not yet.
    Case.objects.filter(pk=case.pk).update(plan_send_due=now - timedelta(minutes=5))
    assert _send(now, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert _send(now, django_capture_on_commit_callbacks) == 0  # once

    # A working day after the reminder the regional manager hears.
    Case.objects.filter(pk=case.pk).update(plan_send_due=now - timedelta(days=6))
    assert _send(timezone.now(), django_capture_on_commit_callbacks) == 1
    assert mail.outbox[-1].to == [manager.email]
    assert "nog niet verstuurd" in mail.outbox[-1].body
    assert _send(timezone.now(), django_capture_on_commit_callbacks) == 0
    kinds = set(SentReminder.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {"plan_send_overdue", "plan_send_escalated"}


def test_the_escalation_shows_in_the_managers_inbox_and_overdue_list(client, manager, coordinator):
    case = _met_early_clocks(make_case(status=Status.HELD, coordinator=coordinator))
    past = timezone.now() - timedelta(days=10)
    Case.objects.filter(pk=case.pk).update(plan_send_due=past)
    client.force_login(manager)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert "plan niet verstuurd" in inbox
    overdue = client.get(reverse("preparation:overdue")).content.decode()
    assert case.request.reference in overdue and "Plan versturen" in overdue


def test_a_plan_sent_in_time_is_not_late(manager, coordinator, django_capture_on_commit_callbacks):
    case = _met_early_clocks(make_case(status=Status.PLAN_SENT, coordinator=coordinator))
    far = case.plan_send_due + timedelta(days=30)
    assert case not in Case.objects.overdue(far)
    assert _send(far, django_capture_on_commit_callbacks) == 0


# ---------- The conference: a target, not a deadline ----------


def _target_url(case):
    return reverse("preparation:conference_target", args=[case.pk])


def test_the_coordinator_records_the_target_agreed_with_the_family(client, coordinator):
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)
    target = timezone.localdate() + timedelta(weeks=5)
    client.force_login(coordinator)
    response = client.post(_target_url(case), {"target": target.isoformat()}, follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert clocks.conference_target(case) == target
    event = AuditEvent.objects.get(action=Action.CONFERENCE_TARGET_SET, case=case)
    assert event.detail["new"] == target.isoformat()
    assert target.strftime("%Y") in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul de afgesproken datum in."),
        ("gisteren", "Vul een datum in"),
        ("9999-12-31", "Kies een datum binnen een jaar."),
        ("2001-01-01", "Deze datum is al voorbij"),
    ],
)
def test_a_bad_target_gets_a_dutch_error_next_to_the_field(client, coordinator, typed, message):
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    response = client.post(_target_url(case), {"target": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    case.refresh_from_db()
    assert case.conference_due is None
    assert not AuditEvent.objects.filter(action=Action.CONFERENCE_TARGET_SET).exists()


def test_another_coordinator_cannot_set_the_target(client, coordinator):
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)
    client.force_login(UserFactory(role=Role.COORDINATOR))
    target = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert client.post(_target_url(case), {"target": target}).status_code == 404
    case.refresh_from_db()
    assert case.conference_due is None


def test_a_passed_target_reminds_the_coordinator_once_per_agreed_date(
    manager, coordinator, django_capture_on_commit_callbacks
):
    case = _met_early_clocks(make_case(status=Status.PREPARATION, coordinator=coordinator))
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(conference_due=clocks.end_of_day(today))
    assert _send(timezone.now(), django_capture_on_commit_callbacks) == 0  # not yet

    first = today - timedelta(days=5)
    Case.objects.filter(pk=case.pk).update(conference_due=clocks.end_of_day(first))
    assert _send(timezone.now(), django_capture_on_commit_callbacks) == 1
    assert mail.outbox[-1].to == [coordinator.email]  # the manager is not told: not late
    assert "streefdatum" in mail.outbox[-1].body
    assert _send(timezone.now(), django_capture_on_commit_callbacks) == 0
    # Another date agreed with the family gets its own reminder when it passes.
    Case.objects.filter(pk=case.pk).update(conference_due=clocks.end_of_day(today - timedelta(1)))
    assert _send(timezone.now(), django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 2
    assert case not in Case.objects.overdue(timezone.now())


def test_long_preparation_is_a_separate_signal_on_the_managers_list(
    client, manager, coordinator, settings
):
    settings.KRING_LONG_PREPARATION_WEEKS = 1
    case = _met_early_clocks(make_case(status=Status.PREPARATION, coordinator=coordinator))
    Case.objects.filter(pk=case.pk).update(assigned_at=timezone.now() - timedelta(weeks=3))
    client.force_login(manager)
    page = client.get(reverse("preparation:overdue")).content.decode()
    assert 'data-testid="long-preparation"' in page and "lange voorbereiding" in page
    assert 'data-testid="overdue-case"' not in page  # not "te laat"
    assert "gekoppeld 21 dagen geleden" in page


def test_the_assignment_clock_shows_on_the_workspace_case_page_and_inbox(
    client, manager, coordinator
):
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)
    Case.objects.filter(pk=case.pk).update(assigned_at=timezone.now() - timedelta(days=2))
    client.force_login(coordinator)
    workspace = client.get(reverse("preparation:workspace", args=[case.pk])).content.decode()
    assert "gekoppeld 2 dagen geleden" in workspace
    client.force_login(manager)
    assert "gekoppeld 2 dagen geleden" in client.get(reverse("cases:inbox")).content.decode()
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "gekoppeld 2 dagen geleden" in detail


def test_the_workspace_suggests_a_target_some_weeks_after_the_assignment(client, coordinator):
    case = make_case(status=Status.ASSIGNED, coordinator=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("preparation:workspace", args=[case.pk])).content.decode()
    suggested = timezone.localdate(case.assigned_at) + timedelta(weeks=6)
    assert f'value="{suggested:%Y-%m-%d}"' in page
