from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kring.accounts.models import Organisation, Role
from kring.api import keys, signing
from kring.api.models import Scope
from kring.factories import OrganisationFactory, UserFactory


@pytest.fixture
def office(db: Any) -> Any:
    return UserFactory(role=Role.OFFICE)


@pytest.fixture
def organisation(db: Any) -> Organisation:
    return OrganisationFactory(name="Jeugdhulp Noord")


@pytest.fixture
def professional(organisation: Organisation) -> Any:
    return UserFactory(role=Role.PROFESSIONAL, organisation=organisation)


@pytest.fixture
def referral_key(office: Any, organisation: Organisation, professional: Any) -> str:
    _key, secret = keys.issue_key(
        organisation, scope=Scope.REFERRALS, name="cliëntsysteem", acts_for=professional, by=office
    )
    return secret


@pytest.fixture
def funder(db: Any) -> Organisation:
    return OrganisationFactory(name="Gemeente Utrecht", kind=Organisation.Kind.MUNICIPALITY)


@pytest.fixture
def funding_key(office: Any, funder: Organisation) -> str:
    return keys.issue_key(
        funder, scope=Scope.FUNDING, name="boekhouding", acts_for=None, by=office
    )[1]


@pytest.fixture
def figures_key(office: Any, organisation: Organisation) -> str:
    return keys.issue_key(
        organisation, scope=Scope.FIGURES, name="cijfers", acts_for=office, by=office
    )[1]


@pytest.fixture
def public_dns(monkeypatch: Any) -> None:
    """Every name resolves to a public address (example.org's), without asking DNS."""
    monkeypatch.setattr(signing, "resolve", lambda host: ["93.184.216.34"])


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def api_client() -> Client:
    return Client()


REFERRAL = {
    "family_agrees": True,
    "main_persons": [{"name": "Sanne de Vries", "birth_year": 1985, "postcode": "3511 AB"}],
    "situation": "Zorgen over school en schulden.",
    "question": "Wat is er nodig zodat de kinderen weer naar school gaan?",
    "variant": "family",
}


def a_contract(funder: Any, office: Any, reference: str = "UTR-2026", **fields: Any) -> Any:
    """A contract for ``funder`` in Utrecht for 2026, through the money app's own action."""
    from datetime import date
    from decimal import Decimal

    from kring.accounts.models import Region
    from kring.money import invoicing

    values: dict[str, Any] = {
        "reference": reference,
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "pricing": "per_conference",
        "price": Decimal("1850.00"),
        "cap": 10,
        "invoicing": "monthly",
        "invoice_address": "Stadsplateau 1, Utrecht",
        **fields,
    }
    regions = list(Region.objects.filter(slug="utrecht"))
    return invoicing.add_contract(funder, by=office, regions=regions, **values)
