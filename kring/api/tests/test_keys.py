from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from kring.accounts.models import Role
from kring.accounts.testing import VerifiedClient
from kring.api import keys
from kring.api.models import ApiKey, Scope
from kring.api.tests.conftest import bearer
from kring.audit.models import Action, AuditEvent
from kring.factories import UserFactory
from kring.lib.tokens import hash_token

URL = "/api/v1/referrals"


def test_only_the_hash_of_a_key_is_stored(referral_key: str) -> None:
    key = ApiKey.objects.get()
    assert referral_key.startswith(f"kr_{key.prefix}_")
    assert key.secret_hash == hash_token(referral_key)
    assert referral_key not in str(list(ApiKey.objects.values()))
    assert AuditEvent.objects.filter(action=Action.API_KEY_ISSUED).count() == 1


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer kr_AAAAAAAAAA_nope", "Basic abc", "Bearer " + "x" * 5000],
)
def test_no_or_a_wrong_key_is_401_in_dutch(api_client: Any, referral_key: str, header: Any) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = api_client.get(URL, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "API-sleutel" in response.json()["detail"]
    assert AuditEvent.objects.filter(action=Action.API_REFUSED).exists()


def test_a_key_of_another_scope_is_403(api_client: Any, funding_key: str) -> None:
    response = api_client.get(URL, **bearer(funding_key))
    assert response.status_code == 403
    assert response.json()["detail"] == "Deze sleutel geeft geen toegang tot dit deel van de API."


def test_rotation_with_overlap_keeps_the_old_key_working_for_a_while(
    api_client: Any, referral_key: str, office: Any
) -> None:
    old = ApiKey.objects.get()
    new, secret = keys.rotate_key(old, by=office)
    old.refresh_from_db()
    assert old.replaced_by == new and old.expires_at is not None
    assert api_client.get(URL, **bearer(referral_key)).status_code == 200
    assert api_client.get(URL, **bearer(secret)).status_code == 200
    ApiKey.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client.get(URL, **bearer(referral_key)).status_code == 401
    with pytest.raises(keys.KeyRefused):
        keys.rotate_key(old, by=office)  # a key is replaced once


def test_rotation_at_once_and_revocation_stop_the_key(
    api_client: Any, referral_key: str, office: Any
) -> None:
    old = ApiKey.objects.get()
    new, secret = keys.rotate_key(old, by=office, at_once=True)
    assert api_client.get(URL, **bearer(referral_key)).status_code == 401
    keys.revoke_key(new, by=office)
    assert api_client.get(URL, **bearer(secret)).status_code == 401
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {Action.API_KEY_ROTATED, Action.API_KEY_REVOKED} <= actions


def test_only_the_office_manages_keys(organisation: Any, professional: Any) -> None:
    manager = UserFactory(role=Role.MANAGER)
    with pytest.raises(keys.KeyRefused):
        keys.issue_key(
            organisation, scope=Scope.REFERRALS, name="x", acts_for=professional, by=manager
        )


def test_a_referral_key_acts_for_a_professional_of_the_organisation(
    organisation: Any, office: Any
) -> None:
    stranger = UserFactory(role=Role.PROFESSIONAL)
    with pytest.raises(keys.KeyRefused):
        keys.issue_key(organisation, scope=Scope.REFERRALS, name="x", acts_for=stranger, by=office)
    with pytest.raises(keys.KeyRefused):
        keys.issue_key(organisation, scope=Scope.FIGURES, name="x", acts_for=stranger, by=office)


@override_settings(KRING_RATE_API="3/m")
def test_too_many_calls_get_429_with_retry_after(api_client: Any, referral_key: str) -> None:
    answers = [api_client.get(URL, **bearer(referral_key)) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) >= 1
    assert "Te veel aanroepen" in answers[-1].json()["detail"]


def test_the_office_page_shows_a_new_secret_once(
    office: Any, organisation: Any, professional: Any
) -> None:
    client = VerifiedClient()
    client.force_login(office)
    response = client.post(
        "/koppelingen/",
        {
            "organisation": organisation.pk,
            "scope": Scope.REFERRALS,
            "acts_for": professional.pk,
            "name": "koppeling",
        },
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    assert f"kr_{key.prefix}_" in response.content.decode()
    again = client.get("/koppelingen/").content.decode()
    assert key.prefix in again and f"kr_{key.prefix}_" not in again
    rotated = client.post(f"/koppelingen/sleutels/{key.pk}/vervangen/", {"at_once": "on"})
    assert rotated.status_code == 200
    assert ApiKey.objects.usable().get().pk != key.pk


def test_a_refused_key_is_shown_next_to_the_field(office: Any, organisation: Any) -> None:
    client = VerifiedClient()
    client.force_login(office)
    response = client.post(
        "/koppelingen/",
        {"organisation": organisation.pk, "scope": Scope.REFERRALS, "name": "koppeling"},
    )
    assert response.status_code == 400
    assert "Kies een professional van deze organisatie" in response.content.decode()
    assert not ApiKey.objects.exists()
