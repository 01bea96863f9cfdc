"""Sending the final plan to everyone within two days: mail with the PDF, print for the rest,
once per participant per version, and the case moves on to 'plan sent'."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.factories import UserFactory
from kring.plans.distribution.domain import DistributionRefused, recipients, send_plan
from kring.plans.distribution.family_link import create_link
from kring.plans.models import Attendance, Conference, Distribution, Phase, Plan, PlanStatus
from kring.plans.tests.test_document import PlanSetup, make_plan, pdf_text, person

pytestmark = pytest.mark.django_db


def plan_mails() -> list[Any]:
    """The mails with the plan: sending it also mails the evaluation's questionnaires."""
    return [message for message in mail.outbox if "/evaluatie/" not in message.body]


@pytest.fixture
def setup(coordinator: User) -> PlanSetup:
    return make_plan(coordinator)


def url(setup: PlanSetup) -> str:
    return reverse("plans:plan_distribution", args=[setup.case.pk])


def post_send(client: Any, setup: PlanSetup, capture: Any, version: int | None = None) -> Any:
    with capture(execute=True):
        return client.post(url(setup), {"version": version or setup.plan.version})


def test_final_plan_goes_to_main_persons_and_attendees_with_the_pdf(
    coordinator_client: Any, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    response = post_send(coordinator_client, setup, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert sorted(m.to[0] for m in plan_mails()) == ["fatima@voorbeeld.nl", "riet@voorbeeld.nl"]
    for message in plan_mails():
        assert message.reply_to == [setup.case.coordinator.email]
        filename, content, mimetype = message.attachments[0]
        assert mimetype == "application/pdf"
        assert filename.endswith(".pdf")
        assert setup.agreements[0].what in pdf_text(content)
    rows = {d.participant_id: d.channel for d in Distribution.objects.filter(plan=setup.plan)}
    assert rows == {
        setup.main.pk: Distribution.Channel.EMAIL,
        setup.grandma.pk: Distribution.Channel.EMAIL,
        setup.neighbour.pk: Distribution.Channel.PRINT,
    }
    setup.plan.refresh_from_db()
    setup.case.refresh_from_db()
    assert setup.plan.sent_at is not None
    assert setup.case.status == Status.PLAN_SENT
    event = AuditEvent.objects.get(action=Action.PLAN_SENT, case=setup.case)
    assert event.detail == {"version": 1, "email": 2, "print": 1}
    assert AuditEvent.objects.filter(
        action=Action.CASE_MOVED, case=setup.case, detail__new=Status.PLAN_SENT
    ).exists()


def test_a_double_submit_sends_nothing_twice(
    coordinator_client: Any, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    post_send(coordinator_client, setup, django_capture_on_commit_callbacks)
    post_send(coordinator_client, setup, django_capture_on_commit_callbacks)

    assert len(plan_mails()) == 2
    assert Distribution.objects.filter(plan=setup.plan).count() == 3
    assert AuditEvent.objects.filter(action=Action.PLAN_SENT).count() == 1


def test_a_plan_that_is_not_final_cannot_be_sent(
    coordinator: User, coordinator_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for status in [PlanStatus.DRAFT, PlanStatus.AWAITING_ACCEPTANCE]:
        setup = make_plan(coordinator, status=status)
        response = post_send(coordinator_client, setup, django_capture_on_commit_callbacks)

        assert response.status_code == 302
        setup.case.refresh_from_db()
        assert setup.case.status == Status.HELD
        with pytest.raises(DistributionRefused):
            send_plan(setup.plan, by=coordinator)
    assert plan_mails() == []
    assert not Distribution.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.PLAN_SENT).exists()


def test_page_of_a_draft_explains_and_offers_no_button(
    coordinator: User, coordinator_client: Any
) -> None:
    setup = make_plan(coordinator, status=PlanStatus.DRAFT)
    response = coordinator_client.get(url(setup))

    assert response.status_code == 200
    assert "Pas een definitief plan kan worden verstuurd" in response.content.decode()
    assert b'data-testid="send-plan"' not in response.content


def test_a_plan_changed_since_the_page_was_opened_is_not_sent(
    coordinator: User, setup: PlanSetup
) -> None:
    Plan.objects.filter(pk=setup.plan.pk).update(version=2)
    with pytest.raises(DistributionRefused, match="intussen gewijzigd"):
        send_plan(setup.plan, by=coordinator, version=1)
    assert not Distribution.objects.exists()


def test_a_new_version_goes_to_everyone_again_and_keeps_the_first_sent_date(
    coordinator: User, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send_plan(setup.plan, by=coordinator)
    setup.plan.refresh_from_db()
    first_sent = setup.plan.sent_at
    Plan.objects.filter(pk=setup.plan.pk).update(version=2)
    setup.plan.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        again = send_plan(setup.plan, by=coordinator)

    assert len(again) == 3
    assert len(plan_mails()) == 4
    setup.plan.refresh_from_db()
    assert setup.plan.sent_at == first_sent
    assert Distribution.objects.filter(plan=setup.plan, plan_version=2).count() == 3


def test_recorded_attendance_decides_who_gets_the_plan(coordinator: User, setup: PlanSetup) -> None:
    conference = Conference.objects.get(case=setup.case)  # recorded on the way to 'held'
    conference.attendance.all().delete()
    Attendance.objects.create(conference=conference, phase=Phase.PRIVATE, participant=setup.uncle)

    names = {row.target["participant"].pk for row in recipients(setup.plan)}

    # The uncle came after all; the grandmother and neighbour said yes but were not there.
    assert names == {setup.main.pk, setup.uncle.pk}


def test_page_shows_deadline_recipients_print_list_and_log(
    coordinator_client: Any, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    page = coordinator_client.get(url(setup)).content.decode()

    assert 'data-testid="send-due"' in page
    assert "nog 2 dagen" in page
    assert page.count('data-testid="recipient"') == 3
    assert "Print en geef of stuur per post" in page
    assert "Kees Bakker" in page and "Marco Verbeek" not in page
    assert reverse("plans:plan_pdf", args=[setup.case.pk]) in page
    assert "Het plan is nog niet verstuurd." in page

    post_send(coordinator_client, setup, django_capture_on_commit_callbacks)
    page = coordinator_client.get(url(setup)).content.decode()

    assert "gedaan" in page
    assert 'data-testid="distribution-log"' in page
    assert "Geprint" in page and "E-mail met pdf" in page
    assert b'data-testid="send-plan"' not in page.encode()


def test_coordinator_of_another_case_gets_404(
    client: Any, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(UserFactory(role="coordinator"))

    assert client.get(url(setup)).status_code == 404
    assert post_send(client, setup, django_capture_on_commit_callbacks).status_code == 404
    assert not Distribution.objects.exists()
    assert plan_mails() == []


def test_manager_of_the_region_may_send(
    client: Any, manager: User, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    post_send(client, setup, django_capture_on_commit_callbacks)

    setup.case.refresh_from_db()
    assert setup.case.status == Status.PLAN_SENT
    assert len(plan_mails()) == 2


def test_page_takes_the_same_queries_for_few_or_many_recipients(
    coordinator: User, coordinator_client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def queries_for(extra: int) -> int:
        setup = make_plan(coordinator)
        for i in range(extra):
            person(setup.case, f"Extra {i}", email=f"extra{i}@voorbeeld.nl")
        post_send(coordinator_client, setup, django_capture_on_commit_callbacks)
        create_link(setup.plan, setup.main, by=coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(url(setup)).status_code == 200
        return len(captured.captured_queries)

    assert queries_for(0) == queries_for(3)
