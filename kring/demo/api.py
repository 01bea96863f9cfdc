"""Demo API keys: one for the demo referrer's organisation (acting for the first
professional, with a few of their referrals linked as if sent through the API) and one for a
funder with contracts. No secret is printed or kept anywhere: the office gets a working key
on /koppelingen/ with "Vervangen" (the new secret is shown once) or makes a new one there."""

from __future__ import annotations

import random
from datetime import datetime

from kring.accounts.models import Organisation, Role, User
from kring.api import keys
from kring.api.models import ApiKey, ApiReferral, Scope
from kring.intake.models import Channel, Request
from kring.money.models import Contract

LINKED_REFERRALS = 5


def seed_api(rng: random.Random, now: datetime) -> None:
    office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    if office is None or ApiKey.objects.exists():
        return
    professional = (
        User.objects.filter(role=Role.PROFESSIONAL, is_active=True, organisation__isnull=False)
        .order_by("pk")
        .first()
    )
    if professional is not None and professional.organisation is not None:
        key, _secret = keys.issue_key(
            professional.organisation,
            scope=Scope.REFERRALS,
            name="Cliëntsysteem (demo)",
            acts_for=professional,
            by=office,
        )
        referrals = Request.objects.filter(
            channel=Channel.REFERRAL,
            referrer=professional,
            referrer_organisation=professional.organisation,
        ).order_by("-submitted_at")[:LINKED_REFERRALS]
        ApiReferral.objects.bulk_create(
            [
                ApiReferral(request=r, organisation=key.organisation, key=key, created_at=now)
                for r in referrals
            ],
            ignore_conflicts=True,
        )
    funders = list(
        Contract.objects.order_by("funder_id").values_list("funder_id", flat=True).distinct()
    )
    if funders:
        funder = Contract.objects.filter(funder_id=rng.choice(funders)).first()
        assert funder is not None
        keys.issue_key(
            funder.funder, scope=Scope.FUNDING, name="Boekhouding (demo)", acts_for=None, by=office
        )
    keys.issue_key(
        office.organisation or _office_organisation(),
        scope=Scope.FIGURES,
        name="Cijfers voor het jaarverslag (demo)",
        acts_for=office,
        by=office,
    )


def _office_organisation() -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name="Eigen Kracht Centrale (demo)", defaults={"kind": Organisation.Kind.OTHER}
    )
    return organisation
