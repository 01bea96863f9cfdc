"""Demo API keys: one per scope, nothing secret kept, some referrals readable."""

from __future__ import annotations

import random

import pytest
from django.test import Client
from django.utils import timezone

from kring.accounts.models import Organisation, Role
from kring.api import keys
from kring.api.models import ApiKey, ApiReferral, Scope
from kring.api.tests.conftest import a_contract
from kring.cases.models import Status
from kring.demo.api import seed_api
from kring.factories import OrganisationFactory, UserFactory, a_case
from kring.intake.models import Channel

pytestmark = pytest.mark.django_db


def test_seed_api_gives_each_scope_a_key_and_the_referrer_something_to_read() -> None:
    office = UserFactory(role=Role.OFFICE)
    professional = UserFactory(role=Role.PROFESSIONAL, with_organisation=True)
    a_case(
        at=Status.NEW,
        channel=Channel.REFERRAL,
        referrer=professional,
        referrer_organisation=professional.organisation,
    )
    funder = OrganisationFactory(name="Gemeente Demo", kind=Organisation.Kind.MUNICIPALITY)
    a_contract(funder, office, reference="D-1")
    seed_api(random.Random(1), timezone.now())
    assert set(ApiKey.objects.values_list("scope", flat=True)) == set(Scope.values)
    assert ApiReferral.objects.count() == 1
    seed_api(random.Random(1), timezone.now())  # once only
    assert ApiKey.objects.count() == 3
    # The office rotates the demo key to get a secret; the referral can then be read.
    _new, secret = keys.rotate_key(
        ApiKey.objects.get(scope=Scope.REFERRALS), by=office, at_once=True
    )
    answer = Client().get("/api/v1/referrals", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.json()["count"] == 1
