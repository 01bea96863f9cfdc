"""Follow-up (which ends the coordinator's access), implementation registration (which closes
the case), the reminders for both, and the managers' list of registrations due."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role, User
from kring.audit.models import Action, AuditEvent
from kring.cases.choices import LifeDomain
from kring.cases.models import Case, Status
from kring.factories import UserFactory, a_case, make_plan
from kring.periodic.jobs import (
    send_due_follow_up_reminders,
    send_due_implementation_reminders,
)
from kring.plans.aftercare.domain import send_follow_up_reminders, send_implementation_reminders
from kring.plans.models import Agreement, Cause, FollowUp, Implementation
from kring.preparation.models import SentReminder

pytestmark = pytest.mark.django_db


def _months_later(case: Case, **clocks: Any) -> Case:
    """The case months after its plan went out: follow-up and implementation due, unless
    the test sets those clocks itself (the clocks only: the status is the walk's)."""
    due = timezone.now() - timedelta(days=1)
    clocks = {"follow_up_due": due, "implementation_due": due, **clocks}
    Case.objects.filter(pk=case.pk).update(**clocks)
    case.refresh_from_db()
    return case


def _plan_with_agreements(case: Case, count: int = 3) -> list[Agreement]:
    plan = make_plan(case, agreements=0, final=True)
    return [
        Agreement.objects.create(
            plan=plan,
            position=i,
            what=f"Afspraak {i}: oma brengt de kinderen naar school",
            life_domain=LifeDomain.EDUCATION,
        )
        for i in range(count)
    ]


# ---------- Follow-up ----------


def _follow_up_url(case: Case) -> str:
    return reverse("plans:follow_up", args=[case.pk])


def test_follow_up_requires_both_answers(coordinator_client: Any, coordinator: User) -> None:
    case = _months_later(a_case(at=Status.PLAN_SENT, coordinator=coordinator))

    response = coordinator_client.post(_follow_up_url(case), {"spoken_with": "Oma"})

    assert response.status_code == 400
    assert "Schrijf kort op hoe het gaat." in response.content.decode()
    assert 'value="Oma"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.PLAN_SENT


def test_follow_up_ends_the_coordinators_access(
    client: Any, coordinator_client: Any, coordinator: User, manager: User
) -> None:
    case = _months_later(a_case(at=Status.PLAN_SENT, coordinator=coordinator))
    assert coordinator_client.get(_follow_up_url(case)).status_code == 200

    response = coordinator_client.post(
        _follow_up_url(case),
        {"spoken_with": "Moeder en oma", "how_it_goes": "De kinderen gaan weer naar school."},
    )

    assert response.status_code == 302
    assert response.url == reverse("preparation:my_cases")
    case.refresh_from_db()
    assert case.status == Status.FOLLOWED_UP
    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.recorded_by == coordinator and follow_up.spoken_with == "Moeder en oma"
    assert AuditEvent.objects.filter(case=case, action=Action.FOLLOW_UP_RECORDED).count() == 1
    for page in (
        reverse("preparation:workspace", args=[case.pk]),
        reverse("preparation:circle", args=[case.pk]),
        _follow_up_url(case),
        reverse("plans:conference_record", args=[case.pk]),
    ):
        assert coordinator_client.get(page).status_code == 404, page
    client.force_login(manager)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_follow_up_double_submit_records_once(coordinator_client: Any, coordinator: User) -> None:
    case = _months_later(a_case(at=Status.PLAN_SENT, coordinator=coordinator))
    data = {"spoken_with": "Oma", "how_it_goes": "Goed."}

    first = coordinator_client.post(_follow_up_url(case), data)
    second = coordinator_client.post(_follow_up_url(case), data)

    assert first.status_code == second.status_code == 302
    assert FollowUp.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(case=case, action=Action.FOLLOW_UP_RECORDED).count() == 1


def test_follow_up_waits_until_the_plan_is_sent(coordinator_client: Any, coordinator: User) -> None:
    case = _months_later(a_case(at=Status.HELD, coordinator=coordinator))

    response = coordinator_client.post(
        _follow_up_url(case), {"spoken_with": "Oma", "how_it_goes": "Goed."}
    )

    assert response.status_code == 302
    assert not FollowUp.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == Status.HELD


def test_follow_up_scoping(client: Any, coordinator: User, professional: User) -> None:
    case = _months_later(a_case(at=Status.PLAN_SENT, coordinator=coordinator))
    for user, expected in ((UserFactory(role=Role.COORDINATOR), 404), (professional, 403)):
        client.force_login(user)
        assert client.get(_follow_up_url(case)).status_code == expected
        response = client.post(_follow_up_url(case), {"spoken_with": "x", "how_it_goes": "y"})
        assert response.status_code == expected
    assert not FollowUp.objects.filter(case=case).exists()


# ---------- Implementation ----------


def _implementation_url(case: Case) -> str:
    return reverse("plans:implementation", args=[case.pk])


def test_implementation_needs_a_cause_where_not_fully_carried_out(
    client: Any, manager: User, coordinator: User
) -> None:
    case = _months_later(a_case(at=Status.FOLLOWED_UP, coordinator=coordinator))
    first, second, third = _plan_with_agreements(case)
    client.force_login(manager)
    assert client.get(_implementation_url(case)).status_code == 200
    data = {
        f"implementation_{first.pk}": Implementation.FULLY,
        f"cause_{first.pk}": Cause.FAMILY,  # ignored: fully carried out needs no cause
        f"implementation_{second.pk}": Implementation.PARTLY,
        f"implementation_{third.pk}": Implementation.NOT,
        f"cause_{third.pk}": Cause.PROFESSIONALS,
    }

    refused = client.post(_implementation_url(case), data)

    assert refused.status_code == 400
    assert "kies of de oorzaak bij de familie of bij professionals lag" in (
        refused.content.decode()
    )
    assert not Agreement.objects.exclude(implementation="").exists()  # nothing half-saved
    assert Case.objects.get(pk=case.pk).status == Status.FOLLOWED_UP

    done = client.post(_implementation_url(case), {**data, f"cause_{second.pk}": Cause.FAMILY})

    assert done.status_code == 302
    results = dict(Agreement.objects.values_list("pk", "implementation"))
    causes = dict(Agreement.objects.values_list("pk", "cause"))
    assert results == {
        first.pk: Implementation.FULLY,
        second.pk: Implementation.PARTLY,
        third.pk: Implementation.NOT,
    }
    assert causes == {first.pk: "", second.pk: Cause.FAMILY, third.pk: Cause.PROFESSIONALS}
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at is not None
    event = AuditEvent.objects.get(case=case, action=Action.IMPLEMENTATION_REGISTERED)
    assert event.detail["implementation"] == {"fully": 1, "partly": 1, "not": 1}
    moves = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED)
    assert [m.detail["new"] for m in moves.order_by("id")][-3:] == [
        Status.FOLLOWED_UP,
        Status.IMPLEMENTATION_REGISTERED,
        Status.CLOSED,
    ]
    again = client.post(_implementation_url(case), data)
    assert again.status_code == 302
    assert (
        AuditEvent.objects.filter(case=case, action=Action.IMPLEMENTATION_REGISTERED).count() == 1
    )


def test_implementation_is_required_for_every_agreement(
    client: Any, manager: User, coordinator: User
) -> None:
    case = _months_later(a_case(at=Status.FOLLOWED_UP, coordinator=coordinator))
    first, _second = _plan_with_agreements(case, 2)
    client.force_login(manager)

    response = client.post(
        _implementation_url(case), {f"implementation_{first.pk}": Implementation.FULLY}
    )

    assert response.status_code == 400
    assert "Kies: geheel, deels of niet uitgevoerd." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.FOLLOWED_UP


def test_implementation_is_for_managers_of_the_region_only(
    client: Any, coordinator: User, other_manager: User, office: User
) -> None:
    referrer: Any = UserFactory(role=Role.PROFESSIONAL, with_organisation=True)
    case = _months_later(a_case(at=Status.FOLLOWED_UP, coordinator=coordinator))
    case.request.referrer = referrer
    case.request.save(update_fields=["referrer"])
    _plan_with_agreements(case, 1)

    for user, expected in (
        (coordinator, 403),
        (referrer, 403),
        (other_manager, 404),
        (office, 200),
    ):
        client.force_login(user)
        assert client.get(_implementation_url(case)).status_code == expected, user.role


# ---------- Reminders ----------


def test_follow_up_reminder_goes_to_the_coordinator_once(
    coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    due = _months_later(
        a_case(at=Status.PLAN_SENT, coordinator=coordinator), follow_up_due=now + timedelta(days=1)
    )
    _months_later(
        a_case(at=Status.PLAN_SENT, coordinator=coordinator), follow_up_due=now + timedelta(days=5)
    )
    _months_later(
        a_case(at=Status.FOLLOWED_UP, coordinator=coordinator),
        follow_up_due=now - timedelta(days=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = send_follow_up_reminders(now)
    with django_capture_on_commit_callbacks(execute=True):
        second = send_follow_up_reminders(now)

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert due.request.reference in mail.outbox[0].subject
    assert reverse("plans:follow_up", args=[due.pk]) in mail.outbox[0].body
    assert SentReminder.objects.filter(case=due, kind="follow_up").count() == 1


def test_implementation_reminder_goes_to_the_regions_managers_once(
    coordinator: User, manager: User, other_manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    due = _months_later(
        a_case(at=Status.FOLLOWED_UP, coordinator=coordinator),
        implementation_due=now - timedelta(days=1),
    )
    _months_later(
        a_case(at=Status.FOLLOWED_UP, coordinator=coordinator),
        implementation_due=now + timedelta(days=3),
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_due_implementation_reminders.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_implementation_reminders(now) == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [manager.email]
    assert reverse("plans:implementation", args=[due.pk]) in mail.outbox[0].body
    assert SentReminder.objects.filter(case=due, kind="implementation").count() == 1


def test_periodic_follow_up_task_sends_the_reminders(
    coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    _months_later(
        a_case(at=Status.PLAN_SENT, coordinator=coordinator),
        follow_up_due=timezone.now() - timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_follow_up_reminders.enqueue()

    assert result.return_value == 1
    assert len(mail.outbox) == 1


# ---------- The list of registrations due ----------


def test_due_list_shows_own_regions_cases_oldest_first(
    client: Any, manager: User, groningen: Any
) -> None:
    now = timezone.now()
    newer = _months_later(a_case(at=Status.FOLLOWED_UP), implementation_due=now - timedelta(days=1))
    older = _months_later(a_case(at=Status.FOLLOWED_UP), implementation_due=now - timedelta(days=9))
    elsewhere = _months_later(
        a_case(at=Status.FOLLOWED_UP, region=groningen), implementation_due=now
    )
    closed = _months_later(a_case(at=Status.CLOSED), implementation_due=now)
    client.force_login(manager)

    html = client.get(reverse("plans:implementation_due_list")).content.decode()

    assert html.index(older.request.reference) < html.index(newer.request.reference)
    assert elsewhere.request.reference not in html
    assert closed.request.reference not in html


def _count_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("plans:implementation_due_list")).status_code == 200
    return len(queries)


def test_due_list_query_count_is_constant(client: Any, manager: User) -> None:
    now = timezone.now()
    client.force_login(manager)
    _months_later(a_case(at=Status.FOLLOWED_UP), implementation_due=now)
    one = _count_queries(client)
    for _ in range(2):
        _months_later(a_case(at=Status.FOLLOWED_UP), implementation_due=now)

    assert _count_queries(client) == one


def test_due_list_is_for_managers(client: Any, coordinator: User) -> None:
    client.force_login(coordinator)
    assert client.get(reverse("plans:implementation_due_list")).status_code == 403
