"""A present professional's verdict, said aloud at the conference and written down by the
coordinator: through the same domain function as the professional's own login, logged with
who recorded it and for whom, and mailed to the professional to check."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case
from kring.plans.models import (
    Acceptance,
    Attendance,
    ConditionCheck,
    Conference,
    Phase,
    Plan,
    PlanStatus,
)
from kring.plans.tests import test_acceptance as base
from kring.plans.tests.test_acceptance import SCHOOL, SLEEP, _finalise, _involve, _verdict
from kring.preparation.models import ProfessionalInvolvement

pytestmark = pytest.mark.django_db

# The case under compulsory help, Petra with two conditions, and a plan of five agreements.
case, petra, plan = base.case, base.petra, base.plan


def _conference(case: Case, coordinator: User, *present: ProfessionalInvolvement) -> Conference:
    # A held case may already have its conference record; the day is today here.
    conference, _new = Conference.objects.update_or_create(
        case=case,
        defaults={"held_on": date.today(), "place": "Buurthuis"},
        create_defaults={"held_on": date.today(), "place": "Buurthuis", "recorded_by": coordinator},
    )
    for involvement in present:
        Attendance.objects.create(
            conference=conference, phase=Phase.PRESENTATION, professional=involvement
        )
    return conference


@pytest.fixture
def awaiting(
    client: Any, coordinator: User, plan: Plan, petra: ProfessionalInvolvement, callbacks: Any
) -> Plan:
    _conference(plan.case, coordinator, petra)
    _finalise(client, coordinator, plan, callbacks)
    assert plan.status == PlanStatus.AWAITING_ACCEPTANCE
    mail.outbox.clear()
    return plan


@pytest.fixture
def callbacks(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


def _url(plan: Plan, involvement: ProfessionalInvolvement) -> str:
    return reverse("plans:acceptance_at_conference", args=[plan.case_id, involvement.pk])


def _said(plan: Plan, petra: ProfessionalInvolvement, *, accept: bool, **extra: Any) -> dict:
    earlier = (timezone.localtime() - timedelta(minutes=5)).strftime("%H:%M")
    return {**_verdict(plan, petra, accept=accept, **extra), "stated_at": earlier}


def test_the_coordinator_records_an_acceptance_said_at_the_conference(
    client: Any, coordinator: User, awaiting: Plan, petra: ProfessionalInvolvement, callbacks: Any
) -> None:
    page = client.get(reverse("plans:plan_edit", args=[awaiting.case_id])).content.decode()
    assert _url(awaiting, petra) in page
    form = client.get(_url(awaiting, petra)).content.decode()
    assert SLEEP in form and SCHOOL in form
    with callbacks(execute=True):
        response = client.post(_url(awaiting, petra), _said(awaiting, petra, accept=True))
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == PlanStatus.FINAL
    verdict = Acceptance.objects.get(plan=awaiting)
    assert verdict.accepted and verdict.at_conference
    assert verdict.recorded_by == coordinator
    assert verdict.stated_at is not None
    assert timezone.localtime(verdict.stated_at).date() == date.today()
    assert set(ConditionCheck.objects.values_list("checked_by", "met")) == {(coordinator.pk, True)}
    event = AuditEvent.objects.get(action=Action.PLAN_ACCEPTED, case=awaiting.case)
    assert event.actor == coordinator
    assert event.detail["recorded_for"] == petra.pk
    assert event.detail["at_conference"] is True
    # The professional gets what was written down in their name, to check it.
    assert [m.to for m in mail.outbox] == [[petra.email]]
    assert "U accepteerde het plan." in mail.outbox[0].body


def test_back_to_the_circle_at_the_conference_makes_a_new_draft_version(
    client: Any, awaiting: Plan, petra: ProfessionalInvolvement, callbacks: Any
) -> None:
    condition = petra.conditions.get(text=SCHOOL)
    version = awaiting.version
    data = _said(
        awaiting,
        petra,
        accept=False,
        comment="Wie brengt Sara op maandag?",
        **{f"met_{condition.pk}": "not_met", f"comment_{condition.pk}": "Maandag ontbreekt."},
    )
    with callbacks(execute=True):
        client.post(_url(awaiting, petra), data)
    awaiting.refresh_from_db()
    assert awaiting.status == PlanStatus.DRAFT
    assert awaiting.version == version + 1
    assert AuditEvent.objects.get(action=Action.PLAN_NOT_ACCEPTED).detail["at_conference"]


def test_a_time_later_than_now_is_refused_next_to_the_field(
    client: Any, awaiting: Plan, petra: ProfessionalInvolvement
) -> None:
    # Written down the evening before a conference that has yet to happen.
    Conference.objects.filter(case=awaiting.case).update(held_on=date.today() + timedelta(days=1))
    data = {**_said(awaiting, petra, accept=True), "stated_at": "00:01"}
    response = client.post(_url(awaiting, petra), data)
    assert response.status_code == 200
    assert "Dit tijdstip ligt nog in de toekomst." in response.content.decode()
    assert not Acceptance.objects.exists()


def test_a_professional_who_was_not_there_cannot_be_recorded(
    client: Any,
    coordinator: User,
    case: Case,
    awaiting: Plan,
    callbacks: Any,
) -> None:
    absent = _involve(case, coordinator, name="Bram", organisation="Reclassering Utrecht")
    absent.conditions.create(text="Geen contact met de buurman.")
    response = client.post(_url(awaiting, absent), _said(awaiting, absent, accept=True))
    assert response.status_code == 302
    assert not Acceptance.objects.filter(involvement=absent).exists()
    page = client.get(reverse("plans:plan_edit", args=[awaiting.case_id])).content.decode()
    assert _url(awaiting, absent) not in page


@pytest.mark.parametrize("role", ["manager", "office"])
def test_a_manager_cannot_record_a_verdict(
    client: Any, request: Any, awaiting: Plan, petra: ProfessionalInvolvement, role: str
) -> None:
    client.force_login(request.getfixturevalue(role))
    assert client.get(_url(awaiting, petra)).status_code == 403
    assert (
        client.post(_url(awaiting, petra), _said(awaiting, petra, accept=True)).status_code == 403
    )
    assert not Acceptance.objects.exists()


def test_another_professional_cannot_decide_for_petra_through_the_domain(
    coordinator: User, case: Case, awaiting: Plan, petra: ProfessionalInvolvement
) -> None:
    from django.core.exceptions import PermissionDenied

    from kring.plans.writing.acceptance import Verdict, decide

    other = _involve(case, coordinator, name="Bram", organisation="Reclassering Utrecht")
    checks = {c.pk: (True, "") for c in petra.conditions.all()}
    with pytest.raises(PermissionDenied):
        decide(
            awaiting,
            petra,
            Verdict(checks, True, ""),
            version=awaiting.version,
            by=other.user,
        )
    assert not Acceptance.objects.exists()
