from __future__ import annotations

import uuid
from typing import Any

import pytest

from kring.accounts.models import Role
from kring.api import keys
from kring.api.models import ApiReferral, Scope
from kring.api.tests.conftest import REFERRAL, bearer
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.factories import OrganisationFactory, UserFactory
from kring.intake.models import Channel, Request

URL = "/api/v1/referrals"


def post(client: Any, secret: str, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json", **bearer(secret))


def test_a_referral_goes_through_the_intake_and_opens_a_case(
    api_client: Any, referral_key: str, professional: Any
) -> None:
    response = post(api_client, referral_key, REFERRAL)
    assert response.status_code == 201, response.content
    data = response.json()
    request = Request.objects.get(reference=data["reference"])
    assert request.channel == Channel.REFERRAL
    assert request.referrer == professional
    assert request.referrer_organisation == professional.organisation
    assert request.family_agrees
    assert request.region.slug == "utrecht"  # routed by the postcode, as on the site
    assert data["status"] == Status.NEW
    assert data["deadlines"]["first_contact_due"]
    assert "Sanne" not in response.content.decode()  # nothing about the family comes back
    assert AuditEvent.objects.filter(action=Action.REQUEST_REFERRED, case=request.case).exists()
    assert AuditEvent.objects.filter(action=Action.API_CALLED).exists()


def test_without_the_familys_agreement_nothing_is_stored(
    api_client: Any, referral_key: str
) -> None:
    response = post(api_client, referral_key, {**REFERRAL, "family_agrees": False})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "Meld een gezin alleen aan als het ermee instemt" in errors["family_agrees"][0]
    assert not Request.objects.exists()


def test_the_forms_own_rules_apply(api_client: Any, referral_key: str) -> None:
    body = {
        **REFERRAL,
        "compelled_help": "compulsory",
        "main_persons": [{"name": "A", "birth_year": 2099, "postcode": "99"}],
    }
    errors = post(api_client, referral_key, body).json()["errors"]
    assert errors["compelled_help_kind"] == ["Kies welke maatregel er speelt."]
    assert "main_persons.0.postcode" in errors
    assert not Request.objects.exists()


def test_a_repeated_token_gives_the_same_referral(api_client: Any, referral_key: str) -> None:
    body = {**REFERRAL, "submission_token": str(uuid.uuid4())}
    first = post(api_client, referral_key, body)
    second = post(api_client, referral_key, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["reference"] == second.json()["reference"]
    assert Request.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {**REFERRAL, "situation": "a\x00b"},
        {**REFERRAL, "main_persons": [{"name": "A", "birth_year": 10**30}]},
        {**REFERRAL, "main_persons": []},
        {**REFERRAL, "variant": "nonsense"},
        {**REFERRAL, "family_agrees": "misschien"},
        {**REFERRAL, "situation": "x" * 20000},
        {**REFERRAL, "submission_token": "geen-uuid"},
    ],
)
def test_hostile_input_is_refused_in_dutch(api_client: Any, referral_key: str, body: Any) -> None:
    response = post(api_client, referral_key, body)
    assert response.status_code == 422
    assert response.json()["detail"] == "De invoer klopt niet."
    assert not Request.objects.exists()


def test_broken_json_is_a_400(api_client: Any, referral_key: str) -> None:
    response = api_client.post(
        URL, "{niet: json", content_type="application/json", **bearer(referral_key)
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "De aanvraag kon niet worden gelezen."


def test_only_the_organisations_own_referrals_are_shown(
    api_client: Any, referral_key: str, office: Any
) -> None:
    reference = post(api_client, referral_key, REFERRAL).json()["reference"]
    other_org = OrganisationFactory(name="Andere Jeugdzorg")
    other_prof = UserFactory(role=Role.PROFESSIONAL, organisation=other_org)
    _key, other = keys.issue_key(
        other_org, scope=Scope.REFERRALS, name="x", acts_for=other_prof, by=office
    )
    assert api_client.get(f"{URL}/{reference}", **bearer(referral_key)).status_code == 200
    missing = api_client.get(f"{URL}/{reference}", **bearer(other))
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Deze verwijzing is niet gevonden."
    assert api_client.get(URL, **bearer(other)).json()["count"] == 0
    listed = api_client.get(URL, **bearer(referral_key)).json()
    assert [r["reference"] for r in listed["results"]] == [reference]


def test_reading_a_referral_is_logged_with_its_case(api_client: Any, referral_key: str) -> None:
    reference = post(api_client, referral_key, REFERRAL).json()["reference"]
    api_client.get(f"{URL}/{reference}", **bearer(referral_key))
    case = ApiReferral.objects.get().request.case
    assert AuditEvent.objects.filter(action=Action.CASE_VIEWED, case=case).count() == 1


def test_a_referral_made_on_the_site_is_not_the_systems(
    api_client: Any, referral_key: str, professional: Any
) -> None:
    from kring.factories import a_case

    case = a_case(
        at=Status.NEW,
        channel=Channel.REFERRAL,
        referrer=professional,
        referrer_organisation=professional.organisation,
    )
    response = api_client.get(f"{URL}/{case.request.reference}", **bearer(referral_key))
    assert response.status_code == 404


def test_a_key_whose_professional_left_is_refused(
    api_client: Any, referral_key: str, professional: Any
) -> None:
    professional.organisation = OrganisationFactory(name="Elders")
    professional.save()
    response = post(api_client, referral_key, REFERRAL)
    assert response.status_code == 403
    assert not Request.objects.exists()
