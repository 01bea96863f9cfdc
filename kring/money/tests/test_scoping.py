"""A coordinator never sees another coordinator's money; a manager only their regions';
other roles none. Out of scope answers 404, as for a case."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role
from kring.cases.models import Status
from kring.factories import UserFactory, make_case
from kring.money import domain
from kring.money.models import Line

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(coordinator, case) -> Line:
    return domain.record_hours(
        case, by=coordinator, worked_on=timezone.localdate(), activity="circle", hours=Decimal(2)
    )


@pytest.fixture
def other_coordinator(rate, groningen):
    return UserFactory(role=Role.COORDINATOR)


def test_another_coordinator_finds_nothing_of_this_coordinators_money(
    client, line, other_coordinator
):
    make_case(status=Status.PREPARATION, coordinator=other_coordinator)
    client.force_login(other_coordinator)
    assert client.get(reverse("money:case", args=[line.case_id])).status_code == 404
    assert client.get(reverse("money:receipt", args=[line.pk])).status_code == 404
    assert client.post(reverse("money:delete_line", args=[line.pk])).status_code == 404
    assert client.post(reverse("money:add_hours", args=[line.case_id]), {}).status_code == 404
    assert not Line.objects.visible_to(other_coordinator).exists()
    assert line.case.request.reference not in client.get(reverse("money:mine")).content.decode()
    assert Line.objects.filter(pk=line.pk).exists()


def test_a_manager_of_another_region_finds_nothing(client, line, other_manager):
    client.force_login(other_manager)
    assert client.get(reverse("money:case", args=[line.case_id])).status_code == 404
    assert client.post(reverse("money:review_line", args=[line.pk]), {}).status_code == 404
    assert line.case.request.reference not in client.get(reverse("money:review")).content.decode()


def test_the_manager_of_the_region_sees_the_case_money_but_records_nothing(client, line, manager):
    client.force_login(manager)
    page = client.get(reverse("money:case", args=[line.case_id]))
    assert page.status_code == 200
    assert page.context["hours_form"] is None
    assert client.post(reverse("money:add_hours", args=[line.case_id]), {}).status_code == 403


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.RESEARCHER])
def test_other_roles_have_no_money_pages(client, line, role):
    client.force_login(UserFactory(role=role))
    for name, args in [("money:mine", []), ("money:case", [line.case_id]), ("money:review", [])]:
        assert client.get(reverse(name, args=args)).status_code == 403
    assert not Line.objects.visible_to(UserFactory(role=role)).exists()


@pytest.mark.parametrize(
    "name", ["money:rates", "money:months", "money:contracts", "money:invoices"]
)
def test_office_pages_are_the_offices(client, manager, coordinator, office, name):
    for user in (manager, coordinator):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403
    client.force_login(office)
    assert client.get(reverse(name)).status_code == 200


def test_a_coordinator_without_the_second_factor_is_sent_to_it(client, line, coordinator):
    client.force_login_unverified(coordinator)
    response = client.get(reverse("money:case", args=[line.case_id]))
    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_a_huge_id_in_the_address_is_404(coordinator_client):
    assert coordinator_client.get(f"/geld/traject/{2**70}/").status_code == 404
    assert coordinator_client.post(f"/geld/regel/{2**70}/verwijderen/").status_code == 404


def test_the_managers_case_page_shows_the_running_total_against_the_norm(client, line, manager):
    client.force_login(manager)
    page = client.get(reverse("cases:detail", args=[line.case_id])).content.decode()
    assert "2,00 van 30 uur" in page
    assert reverse("money:case", args=[line.case_id]) in page
