"""Follow-up from four weeks and the implementation from three months after the plan was
sent; earlier only with a recorded reason. Reminder at three months, escalation at five."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import Action, AuditEvent
from kring.cases import clocks
from kring.cases.models import Case, Status
from kring.factories import make_case
from kring.plans.aftercare.domain import send_implementation_reminders
from kring.plans.models import FollowUp
from kring.preparation.models import SentReminder

pytestmark = pytest.mark.django_db

FOLLOW_UP = {"spoken_with": "Moeder", "how_it_goes": "Het loopt goed."}


def _follow_up(client, case, **extra):
    return client.post(reverse("plans:follow_up", args=[case.pk]), {**FOLLOW_UP, **extra})


def test_an_early_follow_up_needs_a_reason(coordinator_client, coordinator):
    case = make_case(status=Status.PLAN_SENT, coordinator=coordinator)
    assert clocks.is_early(case.follow_up_due, timezone.now())
    page = coordinator_client.get(reverse("plans:follow_up", args=[case.pk])).content.decode()
    assert "Waarom nu al?" in page

    refused = _follow_up(coordinator_client, case)
    assert refused.status_code == 400
    assert "Schrijf op waarom het nu al moet." in refused.content.decode()
    assert 'value="Moeder"' in refused.content.decode()  # what was typed is kept
    assert not FollowUp.objects.filter(case=case).exists()

    done = _follow_up(coordinator_client, case, early_reason="De familie vraagt erom")
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.FOLLOWED_UP
    assert case.early_follow_up_reason == "De familie vraagt erom"
    event = AuditEvent.objects.get(case=case, action=Action.FOLLOW_UP_RECORDED)
    assert event.detail["early_reason"] is True


def test_a_follow_up_in_time_asks_no_reason(coordinator_client, coordinator):
    case = make_case(status=Status.PLAN_SENT, coordinator=coordinator)
    Case.objects.filter(pk=case.pk).update(follow_up_due=timezone.now() - timedelta(hours=1))
    page = coordinator_client.get(reverse("plans:follow_up", args=[case.pk])).content.decode()
    assert "Waarom nu al?" not in page
    assert _follow_up(coordinator_client, case).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.FOLLOWED_UP and case.early_follow_up_reason == ""
    event = AuditEvent.objects.get(case=case, action=Action.FOLLOW_UP_RECORDED)
    assert "early_reason" not in event.detail


def test_an_early_implementation_registration_needs_a_reason(client, manager, coordinator):
    case = make_case(status=Status.FOLLOWED_UP, coordinator=coordinator)
    url = reverse("plans:implementation", args=[case.pk])
    client.force_login(manager)
    data = {f"implementation_{a.pk}": "fully" for a in case.plan.agreements.all()}
    assert data
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Schrijf op waarom het nu al moet." in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.FOLLOWED_UP

    done = client.post(url, {**data, "early_reason": "Het gezin verhuist"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.early_implementation_reason == "Het gezin verhuist"
    event = AuditEvent.objects.get(case=case, action=Action.IMPLEMENTATION_REGISTERED)
    assert event.detail["early_reason"] is True


def test_implementation_reminder_at_three_months_escalation_at_five(
    manager, office, coordinator, django_capture_on_commit_callbacks
):
    case = make_case(status=Status.FOLLOWED_UP, coordinator=coordinator)
    now = timezone.now()

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return send_implementation_reminders(now)

    Case.objects.filter(pk=case.pk).update(implementation_due=now + timedelta(days=1))
    assert run() == 0
    Case.objects.filter(pk=case.pk).update(implementation_due=now - timedelta(days=1))
    assert run() == 1
    assert mail.outbox[-1].to == [manager.email]
    assert run() == 0
    # Two months later (five after sending) the office hears too.
    Case.objects.filter(pk=case.pk).update(implementation_due=now - timedelta(days=62))
    assert run() == 1
    assert set(mail.outbox[-1].to) == {manager.email, office.email}
    assert "vijf maanden" in mail.outbox[-1].body
    assert run() == 0
    kinds = set(SentReminder.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {"implementation", "implementation_escalated"}


def test_a_paused_case_gets_no_implementation_reminder(
    manager, coordinator, django_capture_on_commit_callbacks
):
    case = make_case(status=Status.FOLLOWED_UP, coordinator=coordinator)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        implementation_due=now - timedelta(days=100), paused_at=now, pause_reason="Opname"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_implementation_reminders(now) == 0
    assert mail.outbox == []
