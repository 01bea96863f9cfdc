from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kring.accounts.models import Role
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, Status
from kring.factories import UserFactory, a_case
from kring.periodic.jobs import send_due_deadline_reminders
from kring.preparation.models import SentReminder
from kring.preparation.workspace.deadlines import late_deadlines
from kring.preparation.workspace.domain import send_deadline_reminders

pytestmark = pytest.mark.django_db


def late_case(days=10, coordinator=None, status=None, **clocks):
    """A case whose request came in ``days`` ago and nothing has happened since: still in
    matching, or assigned to ``coordinator`` who has not started. ``clocks`` set the
    deadlines and what was met directly (the course's steps are walked)."""
    status = status or (Status.ASSIGNED if coordinator else Status.MATCHING)
    submitted = timezone.now() - timedelta(days=days)
    case = a_case(at=status, submitted_at=submitted, coordinator=coordinator)
    if clocks:
        Case.objects.filter(pk=case.pk).update(**clocks)
    case.refresh_from_db()
    return case


# ---------- Which deadlines are late ----------


def test_late_deadlines_name_each_missed_clock_and_the_days(coordinator):
    now = timezone.now()
    case = late_case(
        coordinator=coordinator,
        first_contact_at=now - timedelta(days=8),
        started_at=now - timedelta(days=8),
        conference_due=now - timedelta(days=2),
    )
    late = {d.kind: d.days_late(now) for d in late_deadlines(case, now)}
    # contact and start were met; the first visit (7 days) was not. The conference's target
    # date is no deadline (it reminds the coordinator only).
    assert late == {"first_visit_overdue": 3}


def test_a_planned_conference_is_not_late():
    now = timezone.now()
    case = late_case(status=Status.PLANNED, conference_due=now - timedelta(days=1))
    assert "conference_overdue" not in {d.kind for d in late_deadlines(case, now)}


# ---------- The manager's overdue list ----------


def overdue_page(client):
    return client.get(reverse("preparation:overdue"))


def test_the_manager_sees_overdue_cases_of_the_region_with_what_is_late(
    client, manager, coordinator
):
    case = late_case(coordinator=coordinator)
    on_time = a_case(at=Status.PREPARATION)
    paused = late_case(paused_at=timezone.now(), pause_reason="Ziekte")
    client.force_login(manager)
    response = overdue_page(client)
    content = response.content.decode()
    assert case.request.reference in content
    assert on_time.request.reference not in content
    assert paused.request.reference not in content
    assert "Eerste contact" in content and "7 dagen te laat" in content
    assert escape(str(coordinator)) in content
    assert reverse("preparation:workspace", args=[case.pk]) in content
    assert AuditEvent.objects.filter(action=Action.INBOX_VIEWED, actor=manager).exists()


def test_a_case_not_yet_with_a_coordinator_links_to_the_case_page(client, manager):
    case = late_case(status=Status.MATCHING)
    client.force_login(manager)
    content = overdue_page(client).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in content
    assert reverse("preparation:workspace", args=[case.pk]) not in content


def test_another_regions_overdue_cases_are_not_shown(client, other_manager):
    case = late_case()
    client.force_login(other_manager)
    content = overdue_page(client).content.decode()
    assert case.request.reference not in content
    assert 'data-testid="none-overdue"' in content


def test_the_overdue_list_is_for_managers_and_the_office(client, office, coordinator):
    late_case()
    client.force_login(office)
    assert overdue_page(client).status_code == 200
    client.force_login(coordinator)
    assert overdue_page(client).status_code == 403


def test_the_overdue_list_uses_a_constant_number_of_queries(client, manager):
    late_case(coordinator=UserFactory(role=Role.COORDINATOR))
    client.force_login(manager)
    overdue_page(client)
    with CaptureQueriesContext(connection) as one:
        overdue_page(client)
    for _ in range(4):
        late_case(coordinator=UserFactory(role=Role.COORDINATOR))
    with CaptureQueriesContext(connection) as five:
        response = overdue_page(client)
    assert response.content.decode().count('data-testid="overdue-case"') == 5
    assert len(one) == len(five)


# ---------- Reminders ----------


def test_reminders_go_out_once_even_when_the_task_runs_twice(
    manager, coordinator, django_capture_on_commit_callbacks
):
    case = late_case(coordinator=coordinator, first_contact_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        first = send_deadline_reminders(timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        second = send_deadline_reminders(timezone.now())
    # Start and first visit (7 days) are late; first contact was made.
    assert (first, second) == (2, 0)
    assert len(mail.outbox) == 2
    assert set(SentReminder.objects.filter(case=case).values_list("kind", flat=True)) == {
        "start_overdue",
        "first_visit_overdue",
    }
    message = mail.outbox[0]
    assert set(message.to) == {coordinator.email, manager.email}
    assert case.request.reference in message.subject
    assert reverse("preparation:workspace", args=[case.pk]) in message.body
    assert AuditEvent.objects.filter(action=Action.REMINDER_SENT, case=case).count() == 2


def test_the_periodic_task_sends_the_reminders(manager, django_capture_on_commit_callbacks):
    late_case()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_deadline_reminders.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_deadline_reminders.enqueue()
    # No coordinator yet: the region's manager hears about contact, start and first visit.
    assert len(mail.outbox) == 3
    assert all(message.to == [manager.email] for message in mail.outbox)


def test_a_paused_case_gets_no_reminders(manager, coordinator, django_capture_on_commit_callbacks):
    late_case(coordinator=coordinator, paused_at=timezone.now(), pause_reason="Opname")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(timezone.now()) == 0
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


def test_an_other_regions_manager_is_not_mailed(
    manager, other_manager, django_capture_on_commit_callbacks
):
    late_case()
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(timezone.now())
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {manager.email}


def test_a_deadline_met_before_the_mail_goes_out_is_not_mailed(
    manager, coordinator, django_capture_on_commit_callbacks
):
    case = late_case(coordinator=coordinator, first_contact_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_deadline_reminders(timezone.now())
    Case.objects.filter(pk=case.pk).update(started_at=timezone.now(), first_visit_at=timezone.now())
    for callback in callbacks:
        callback()
    assert mail.outbox == []
