"""The other endings: plan without conference, stopped during preparation, conference
without plan; each with its reason, confirmed, final."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, Status, StopReason
from kring.factories import UserFactory, a_case
from kring.plans.conference.domain import ConferenceError, end_case

pytestmark = pytest.mark.django_db


def _url(case: Case) -> str:
    return reverse("plans:case_ending", args=[case.pk])


def test_plan_without_conference_needs_a_note(coordinator_client: Any, coordinator: User) -> None:
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)

    response = coordinator_client.post(
        _url(case), {"ending": Status.PLAN_WITHOUT_CONFERENCE, "note": "  "}
    )

    assert response.status_code == 400
    assert "Schrijf kort op waarom het zo gelopen is." in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.PREPARATION


def test_plan_without_conference_asks_for_confirmation_then_ends_the_case(
    coordinator_client: Any, coordinator: User
) -> None:
    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    data = {
        "ending": Status.PLAN_WITHOUT_CONFERENCE,
        "note": "De familie heeft aan de keukentafel zelf een plan gemaakt.",
    }

    confirm = coordinator_client.post(_url(case), {**data, "stap": "controleren"})

    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Weet u het zeker?" in html and "niet ongedaan" in html
    assert Case.objects.get(pk=case.pk).status == Status.PLANNED  # nothing yet

    done = coordinator_client.post(_url(case), {**data, "stap": "bevestigen"})

    assert done.status_code == 302
    assert done.url == reverse("preparation:my_cases")
    case.refresh_from_db()
    assert case.status == Status.PLAN_WITHOUT_CONFERENCE
    assert case.exit_note == data["note"]
    assert case.closed_at is not None
    assert AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED).exists()
    # The exit is final and the coordinator's part is over.
    workspace = reverse("preparation:workspace", args=[case.pk])
    assert coordinator_client.get(workspace).status_code == 404


def test_change_step_goes_back_to_the_form_with_the_input(
    coordinator_client: Any, coordinator: User
) -> None:
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    data = {"ending": Status.PLAN_WITHOUT_CONFERENCE, "note": "Zelf geregeld", "stap": "wijzigen"}

    response = coordinator_client.post(_url(case), data)

    assert response.status_code == 200
    assert "Zelf geregeld" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.PREPARATION


def test_stopped_needs_a_reason_and_keeps_the_optional_note(
    coordinator_client: Any, coordinator: User
) -> None:
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)

    refused = coordinator_client.post(_url(case), {"ending": Status.STOPPED, "stap": "bevestigen"})
    assert refused.status_code == 400
    assert "Kies een reden waarom het traject stopt." in refused.content.decode()

    done = coordinator_client.post(
        _url(case),
        {
            "ending": Status.STOPPED,
            "stop_reason": StopReason.CIRCLE_TOO_SMALL,
            "stap": "bevestigen",
        },
    )

    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.STOPPED
    assert case.stop_reason == StopReason.CIRCLE_TOO_SMALL
    assert case.exit_note == ""


def test_conference_without_plan_only_after_the_conference_and_with_a_note(
    coordinator_client: Any, coordinator: User
) -> None:
    case = a_case(at=Status.HELD, coordinator=coordinator)

    page = coordinator_client.get(_url(case)).content.decode()
    assert "Conferentie zonder plan" in page
    assert "Gestopt tijdens de voorbereiding" not in page
    assert "Reden van stoppen" not in page
    stopped = coordinator_client.post(
        _url(case), {"ending": Status.STOPPED, "stop_reason": StopReason.OTHER}
    )
    assert stopped.status_code == 400
    no_note = coordinator_client.post(_url(case), {"ending": Status.NO_PLAN})
    assert no_note.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.HELD

    done = coordinator_client.post(
        _url(case),
        {"ending": Status.NO_PLAN, "note": "De kring kwam er niet uit.", "stap": "bevestigen"},
    )

    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.NO_PLAN
    assert case.exit_note == "De kring kwam er niet uit."


def test_double_confirmation_ends_once_and_redirects(
    coordinator_client: Any, coordinator: User
) -> None:
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    data = {"ending": Status.STOPPED, "stop_reason": StopReason.SOLVED, "stap": "bevestigen"}

    first = coordinator_client.post(_url(case), data)
    second = coordinator_client.post(_url(case), data)

    assert first.status_code == second.status_code == 302
    assert second.url == reverse("preparation:my_cases")
    moves = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED, detail__new="stopped")
    assert moves.count() == 1


def test_manager_ends_a_case_and_returns_to_the_case_page(
    client: Any, manager: User, coordinator: User
) -> None:
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(manager)

    response = client.post(
        _url(case),
        {"ending": Status.STOPPED, "stop_reason": StopReason.NOT_SAFE, "stap": "bevestigen"},
    )

    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert Case.objects.get(pk=case.pk).status == Status.STOPPED


def test_no_other_ending_after_the_plan_is_sent(coordinator_client: Any, coordinator: User) -> None:
    case = a_case(at=Status.PLAN_SENT, coordinator=coordinator)

    response = coordinator_client.post(
        _url(case), {"ending": Status.NO_PLAN, "note": "x", "stap": "bevestigen"}
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.PLAN_SENT
    with pytest.raises(ConferenceError):
        end_case(case, Status.NO_PLAN, by=coordinator, note="x")


def test_scoping_other_coordinator_and_professional(
    client: Any, coordinator: User, professional: User, other_manager: User
) -> None:
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    data = {"ending": Status.STOPPED, "stop_reason": StopReason.OTHER, "stap": "bevestigen"}

    for user, expected in (
        (UserFactory(role="coordinator"), 404),
        (other_manager, 404),
        (professional, 403),
    ):
        client.force_login(user)
        assert client.get(_url(case)).status_code == expected
        assert client.post(_url(case), data).status_code == expected
    assert Case.objects.get(pk=case.pk).status == Status.PREPARATION
