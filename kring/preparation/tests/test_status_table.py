"""Issue 15 §2: the invitation status of everyone in the circle in one table, one form."""

import pytest
from django.urls import reverse

from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.factories import a_case
from kring.preparation.models import Category, InvitationStatus, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(coordinator):
    return a_case(at=Status.PREPARATION, coordinator=coordinator)


def _person(case, name, status=InvitationStatus.TO_ASK, **fields):
    return Participant.objects.create(
        case=case, name=name, category=Category.FAMILY, status=status, **fields
    )


def _url(case):
    return reverse("preparation:circle", args=[case.pk])


def test_everyone_s_status_is_set_in_one_form(case, coordinator_client):
    oma = _person(case, "Truus Bakker")
    oom = _person(case, "Kees Bakker", status=InvitationStatus.ASKED)
    buur = _person(
        case, "Ans de Buur", status=InvitationStatus.CONDITIONAL, condition="Als Kees komt"
    )
    page = coordinator_client.get(_url(case)).content.decode()
    table = page.split('data-testid="status-table"')[1].split("</form>")[0]
    assert "Truus Bakker" in table and "Kees Bakker" in table
    # Conditional keeps its status here; its condition is set on the person's own page.
    assert reverse("preparation:participant_edit", args=[case.pk, buur.pk]) in table

    response = coordinator_client.post(
        _url(case),
        {
            "statuses": "1",
            f"status_{oma.pk}": "comes",
            f"status_{oom.pk}": "declines",
            f"status_{buur.pk}": "conditional",
        },
    )
    assert response.status_code == 302
    statuses = dict(Participant.objects.filter(case=case).values_list("name", "status"))
    assert statuses == {
        "Truus Bakker": "comes",
        "Kees Bakker": "declines",
        "Ans de Buur": "conditional",
    }
    assert Participant.objects.get(pk=buur.pk).condition == "Als Kees komt"
    [event] = AuditEvent.objects.filter(case=case, action=Action.CIRCLE_CHANGED)
    assert event.detail["change"] == "statuses"
    assert event.detail["participants"] == sorted([oma.pk, oom.pk])


def test_a_status_that_needs_more_is_refused_next_to_the_field(case, coordinator_client):
    oma = _person(case, "Truus Bakker")
    response = coordinator_client.post(
        _url(case), {"statuses": "1", f"status_{oma.pk}": "not_invited_safety"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies een status uit de lijst." in page.split(f'id="id_status_{oma.pk}_error"')[1][:200]
    assert Participant.objects.get(pk=oma.pk).status == InvitationStatus.TO_ASK
