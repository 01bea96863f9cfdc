"""The office's page for data subjects' requests: access as a ZIP within a minute, erasure
where the law allows, refusals with the Dutch reason, every step logged, 404 for others."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from kring.accounts.models import Role, User
from kring.accounts.testing import once_on
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.factories import UserFactory, make_case
from kring.privacy.models import LegalHold, RequestStatus, SubjectRequest
from kring.privacy.tests.world import closed_case_full_of_people

pytestmark = pytest.mark.django_db


def _new_request(client: Any, **fields: str) -> SubjectRequest:
    data = {"kind": "access", "received_on": "2026-11-30", **fields}
    response = client.post(reverse("privacy:requests"), data)
    assert response.status_code == 302, response.content.decode()
    return SubjectRequest.objects.latest("id")


@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.COORDINATOR, Role.PROFESSIONAL, Role.RESEARCHER]
)
def test_other_roles_find_nothing(client: Any, office: User, role: str) -> None:
    subject_request = SubjectRequest.objects.create(
        kind="access", received_on=date(2026, 11, 30), due_on=date(2026, 12, 30), entered_by=office
    )
    client.force_login(UserFactory(role=role))
    for url in [
        reverse("privacy:requests"),
        reverse("privacy:request_detail", args=[subject_request.pk]),
    ]:
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("privacy:request_export", args=[subject_request.pk])).status_code == 404
    )


def test_a_request_gets_its_one_month_due_date_and_is_listed(client: Any, office: User) -> None:
    client.force_login(office)
    subject_request = _new_request(client, subject_email="iemand@voorbeeld.nl")
    assert subject_request.due_on == date(2026, 12, 30)
    page = client.get(reverse("privacy:requests")).content.decode()
    assert "iemand@voorbeeld.nl" in page
    actions = set(AuditEvent.objects.filter(actor=office).values_list("action", flat=True))
    assert {Action.SUBJECT_REQUEST_RECORDED, Action.SUBJECT_REQUESTS_VIEWED} <= actions


def test_a_double_submit_records_the_request_once(client: Any, office: User) -> None:
    client.force_login(office)
    page = client.get(reverse("privacy:requests")).content
    data = {"kind": "access", "received_on": "2026-11-30", "subject_name": "Iemand"}
    data["once"] = once_on(page)
    first = client.post(reverse("privacy:requests"), data)
    again = client.post(reverse("privacy:requests"), data)
    assert first["Location"] == again["Location"]
    assert SubjectRequest.objects.count() == 1


def test_a_request_without_name_or_address_is_refused_in_dutch(client: Any, office: User) -> None:
    client.force_login(office)
    response = client.post(
        reverse("privacy:requests"), {"kind": "access", "received_on": "2026-11-30"}
    )
    assert response.status_code == 400
    assert "Vul een naam of een e-mailadres" in response.content.decode()
    assert not SubjectRequest.objects.exists()


def test_the_access_export_holds_everything_about_the_person(client: Any, office: User) -> None:
    world = closed_case_full_of_people(office)
    make_case(requester_name="Iemand Anders", requester_email="anders@voorbeeld.nl")
    client.force_login(office)
    subject_request = _new_request(client, subject_email="gerarda.kwak@voorbeeld.nl")

    started = time.monotonic()
    response = client.post(reverse("privacy:request_export", args=[subject_request.pk]))
    assert time.monotonic() - started < 60
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("overzicht.pdf").startswith(b"%PDF")
    data = json.loads(archive.read("gegevens.json"))
    assert [row["name"] for row in data["kring"]] == ["Gerarda Kwakernaak"]
    assert [row["line"] for row in data["contactnotities"]] == [
        "Belde over de sleutel van de schuur"
    ]
    assert [row["id"] for row in data["trajecten"]] == [world.case.pk]
    assert "Fenneke is een week weg" in [row["text"] for row in data["toelichtingen"]]
    assert data["logboek"]  # who saw and changed the case
    text = json.dumps(data)
    assert "anders@voorbeeld.nl" not in text  # nobody else's request
    assert not any(secret in text for secret in ("token", "password", "sender_key"))
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.DONE
    assert AuditEvent.objects.filter(action=Action.SUBJECT_ACCESS_EXPORTED).count() == 1


def test_erasure_of_a_closed_case(client: Any, office: User) -> None:
    world = closed_case_full_of_people(office)
    client.force_login(office)
    subject_request = _new_request(
        client, kind="erasure", subject_name="Wubbo Zonneveld", reason="Wil opnieuw beginnen"
    )
    page = client.get(reverse("privacy:request_detail", args=[subject_request.pk])).content
    assert world.case.request.reference in page.decode()

    url = reverse("privacy:request_erase", args=[subject_request.pk])
    response = client.post(url, {"case": world.case.pk}, follow=True)

    assert "zijn verwijderd" in response.content.decode()
    world.case.request.refresh_from_db()
    assert world.case.request.requester_name == ""
    assert not world.case.participants.filter(name="Gerarda Kwakernaak").exists()
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.DONE
    assert subject_request.reason == "Wil opnieuw beginnen"
    assert subject_request.subject_name == ""  # the request keeps no name of what it erased
    purged = AuditEvent.objects.filter(case=world.case, action=Action.DATA_PURGED, actor=office)
    assert {event.detail["ground"] for event in purged} == {"erasure"}


@pytest.mark.parametrize("held", [False, True])
def test_erasure_is_refused_while_open_or_held(client: Any, office: User, held: bool) -> None:
    if held:
        case = closed_case_full_of_people(office).case
        LegalHold.objects.create(
            case=case, reason="Klacht bij de geschillencommissie", placed_by=office
        )
        expected = "juridische bewaarplicht"
    else:
        case = make_case(status=Status.PREPARATION, requester_name="Nog Bezig")
        expected = "Het traject loopt nog"
    client.force_login(office)
    name = case.request.requester_name
    subject_request = _new_request(client, kind="erasure", subject_name=name)

    url = reverse("privacy:request_erase", args=[subject_request.pk])
    response = client.post(url, {"case": case.pk}, follow=True)

    assert expected in response.content.decode()
    case.request.refresh_from_db()
    assert case.request.requester_name == name
    subject_request.refresh_from_db()
    assert subject_request.status == RequestStatus.REFUSED
    assert expected in subject_request.outcome
    assert AuditEvent.objects.filter(case=case, action=Action.ERASURE_REFUSED).exists()


def test_erasure_of_a_case_not_found_for_the_person_is_a_dutch_error(
    client: Any, office: User
) -> None:
    other = make_case(status=Status.WITHDRAWN, requester_name="Heel Iemand Anders")
    client.force_login(office)
    subject_request = _new_request(client, kind="erasure", subject_name="Niemand Bekend")
    url = reverse("privacy:request_erase", args=[subject_request.pk])
    response = client.post(url, {"case": other.pk})
    assert response.status_code == 400
    other.request.refresh_from_db()
    assert other.request.requester_name == "Heel Iemand Anders"
