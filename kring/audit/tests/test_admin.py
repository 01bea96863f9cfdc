"""The admin: the superuser with a second factor only; the course cannot be changed there;
cases, offers and log rows cannot be added or deleted there; every look and change logged."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from kring.accounts.models import Role, User
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, Status
from kring.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db: None) -> User:
    return UserFactory(role=Role.OFFICE, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client: Client, superuser: User) -> Client:
    client.force_login(superuser)  # the test client passes the second factor too
    return client


def test_a_verified_superuser_gets_in(admin_client):
    assert admin_client.get("/beheer/").status_code == 200


def test_a_superuser_without_the_second_factor_is_sent_to_the_login(client, superuser):
    client.force_login_unverified(superuser)
    response = client.get("/beheer/cases/case/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/")  # the second factor first


def test_the_admin_site_itself_asks_for_a_verified_superuser(rf, superuser):
    # Beside the login's own middleware: is_verified is what django-otp's middleware sets.
    request = rf.get("/beheer/")
    request.user = superuser
    for verified, allowed in ((False, False), (True, True)):
        superuser.is_verified = lambda verified=verified: verified
        assert admin.site.has_permission(request) is allowed
    superuser.is_superuser = False
    assert not admin.site.has_permission(request)


@pytest.mark.parametrize("role", [Role.OFFICE, Role.MANAGER])
def test_staff_that_is_not_superuser_stays_out_even_with_a_second_factor(client, role):
    client.force_login(UserFactory(role=role, is_staff=True))
    response = client.get("/beheer/cases/case/")
    assert response.status_code == 302
    assert "/beheer/cases/" not in response.get("Location", "").split("?")[0]


def test_a_case_in_the_admin_is_read_only_for_its_course_and_logged(admin_client, superuser):
    case = make_case(status=Status.MATCHING)
    page = admin_client.get(f"/beheer/cases/case/{case.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"status", "region", "coordinator"} & set(form.fields)
    assert AuditEvent.objects.filter(
        actor=superuser, action=Action.ADMIN_VIEWED, case=case
    ).exists()
    # Posting the fields anyway changes nothing.
    admin_client.post(f"/beheer/cases/case/{case.pk}/change/", {"status": Status.CLOSED})
    case.refresh_from_db()
    assert case.status == Status.MATCHING


@pytest.mark.parametrize(
    ("model", "add_url"),
    [
        ("cases/case", "/beheer/cases/case/add/"),
        ("coordinators/offer", "/beheer/coordinators/offer/add/"),
        ("audit/auditevent", "/beheer/audit/auditevent/add/"),
        ("intake/request", "/beheer/intake/request/add/"),
    ],
)
def test_cases_offers_requests_and_log_rows_cannot_be_added_or_deleted(
    admin_client, model, add_url
):
    assert admin_client.get(add_url).status_code == 403
    case = make_case()
    pk = {"cases/case": case.pk, "intake/request": case.request_id}.get(model)
    if pk is None:
        pk = AuditEvent.objects.values_list("pk", flat=True).first()
    if model != "coordinators/offer":
        assert (
            admin_client.post(f"/beheer/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403
        )
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_role_change_in_the_admin_is_logged_old_and_new(admin_client, superuser, utrecht):
    user = UserFactory(role=Role.COORDINATOR)
    page = admin_client.get(f"/beheer/accounts/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "decompress"):  # date and time in two inputs
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else part
        elif value is not None:
            data[name] = value
    data |= {"role": Role.MANAGER, "regions": [utrecht.pk], "is_active": "on"}
    data = {key: value for key, value in data.items() if value is not False}
    response = admin_client.post(f"/beheer/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == Role.MANAGER
    event = AuditEvent.objects.get(action=Action.ROLE_CHANGED, object_id=str(user.pk))
    assert event.actor == superuser
    assert event.detail["before"]["role"] == Role.COORDINATOR
    assert event.detail["after"]["role"] == Role.MANAGER


def test_lists_in_the_admin_are_logged(admin_client, superuser):
    admin_client.get("/beheer/intake/request/")
    assert AuditEvent.objects.filter(
        actor=superuser, action=Action.ADMIN_VIEWED, detail__model="intake.request"
    ).exists()
