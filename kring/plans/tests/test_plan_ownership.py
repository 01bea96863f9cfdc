"""The family owns its plan: managers and the office read it, only the assigned coordinator
writes down what the family decided, and every version names its author."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.choices import LifeDomain
from kring.cases.models import Case, Status
from kring.factories import make_case, make_plan
from kring.plans.models import Agreement, Plan, PlanStatus, PlanVersion
from kring.plans.writing import acceptance, editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(coordinator: User) -> Case:
    return make_case(status=Status.HELD, coordinator=coordinator)


@pytest.fixture
def plan(case: Case) -> Plan:
    return make_plan(case, agreements=3)


def _url(name: str, case: Case, *args: object) -> str:
    return reverse(f"plans:{name}", args=[case.pk, *args])


def _state(plan: Plan) -> tuple[Any, ...]:
    """Everything a write could change: the plan row, its agreements and its versions."""
    plan.refresh_from_db()
    agreements = list(Agreement.objects.filter(plan=plan).values_list("pk", "what", "when"))
    versions = PlanVersion.objects.filter(plan=plan).count()
    return (plan.status, plan.version, plan.lock_version, plan.next_meeting, agreements, versions)


def _writes(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    case = plan.case
    agreement = plan.agreements.first()
    assert agreement is not None
    lock = plan.lock_version
    new = {
        "what": "De manager bedenkt een afspraak.",
        "who_organisation": "",
        "when": "morgen",
        "life_domain": LifeDomain.EDUCATION,
        "lock_version": lock,
    }
    return [
        (_url("plan_edit", case), {"next_meeting": "Anders.", "lock_version": lock}),
        (_url("agreement_add", case), new),
        (_url("agreement_edit", case, agreement.pk), {**new, "what": "Anders geschreven."}),
        (_url("agreement_delete", case, agreement.pk), {"lock_version": lock}),
        (_url("plan_finalise", case), {"lock_version": lock}),
    ]


@pytest.mark.parametrize("role", ["manager", "office"])
def test_a_manager_or_the_office_cannot_change_the_plan_through_any_url(
    client: Any, request: Any, plan: Plan, role: str
) -> None:
    client.force_login(request.getfixturevalue(role))
    before = _state(plan)
    for url, data in _writes(plan):
        response = client.post(url, data)
        assert response.status_code == 403, url
    assert _state(plan) == before
    denied = AuditEvent.objects.filter(
        action=Action.CASE_ACCESS_DENIED, outcome=Outcome.DENIED, case=plan.case
    )
    assert denied.count() == len(_writes(plan))


@pytest.mark.parametrize("role", ["manager", "office"])
def test_the_add_and_edit_forms_are_refused_to_readers(
    client: Any, request: Any, plan: Plan, role: str
) -> None:
    client.force_login(request.getfixturevalue(role))
    agreement = plan.agreements.first()
    assert agreement is not None
    assert client.get(_url("agreement_add", plan.case)).status_code == 403
    assert client.get(_url("agreement_edit", plan.case, agreement.pk)).status_code == 403


def test_a_manager_reads_the_plan_without_any_edit_control(
    client: Any, manager: User, plan: Plan
) -> None:
    client.force_login(manager)
    response = client.get(_url("plan_edit", plan.case))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="agreement"') == 3
    assert 'data-testid="read-only"' in body
    for url, _data in _writes(plan):
        assert f'action="{url}"' not in body
    agreement = plan.agreements.first()
    assert agreement is not None
    assert _url("agreement_edit", plan.case, agreement.pk) not in body
    assert "<textarea" not in body
    assert client.get(_url("plan_history", plan.case)).status_code == 200


def test_the_coordinator_sees_the_edit_controls(coordinator_client: Any, plan: Plan) -> None:
    body = coordinator_client.get(_url("plan_edit", plan.case)).content.decode()
    assert f'action="{_url("agreement_add", plan.case)}"' in body
    assert 'data-testid="read-only"' not in body


def test_a_manager_visiting_before_the_coordinator_creates_no_plan(
    client: Any, manager: User, case: Case
) -> None:
    client.force_login(manager)
    response = client.get(_url("plan_edit", case))
    assert response.status_code == 302
    assert not Plan.objects.filter(case=case).exists()


def test_the_domain_functions_refuse_a_manager_too(manager: User, plan: Plan) -> None:
    """The door is in the domain, not only in the views."""
    agreement = plan.agreements.first()
    assert agreement is not None
    before = _state(plan)
    with pytest.raises(PermissionDenied):
        editor.save_answers(
            plan, {"next_meeting": "Anders."}, lock_version=plan.lock_version, by=manager
        )
    with pytest.raises(PermissionDenied):
        editor.delete_agreement(agreement, lock_version=plan.lock_version, by=manager)
    with pytest.raises(PermissionDenied):
        acceptance.finalise(plan, lock_version=plan.lock_version, by=manager)
    assert _state(plan) == before


def test_every_version_names_the_coordinator_who_wrote_it(
    coordinator_client: Any, coordinator: User, case: Case
) -> None:
    assert coordinator_client.post(_url("plan_edit", case), {"begin": "1"}).status_code == 302
    plan = Plan.objects.get(case=case)
    coordinator_client.post(
        _url("plan_edit", case),
        {"next_meeting": "Over zes weken bij oma.", "lock_version": plan.lock_version},
    )
    versions = PlanVersion.objects.filter(plan=plan)
    assert versions.count() == 2
    assert set(versions.values_list("changed_by", flat=True)) == {coordinator.pk}


def test_the_coordinator_of_a_final_plan_still_cannot_change_it(
    coordinator_client: Any, case: Case
) -> None:
    plan = make_plan(case, agreements=2, final=True)
    before = _state(plan)
    coordinator_client.post(
        _url("plan_edit", case), {"next_meeting": "Anders.", "lock_version": plan.lock_version}
    )
    assert _state(plan) == before
    assert plan.status == PlanStatus.FINAL
