"""Factories for tests, with lifecycle traits (``CaseFactory(status=...)``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import factory
from django.utils import timezone

from kring.accounts.models import Organisation, Region, Role, User
from kring.cases.domain import open_case
from kring.cases.models import Case, Status
from kring.intake.choices import RequesterKind, Variant
from kring.intake.models import Channel, MainPerson, Request


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Jeugdzorg Organisatie {n}")
    kind = Organisation.Kind.YOUTH_CARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@kring.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    role = Role.MANAGER
    password = factory.django.Password("geheim-wachtwoord-1")

    class Params:
        with_organisation = factory.Trait(organisation=factory.SubFactory(OrganisationFactory))

    @factory.post_generation
    def regions(self, create: bool, extracted: list[Region | str] | None, **kwargs: Any) -> None:
        """Regions as objects or slugs: ``UserFactory(regions=["utrecht"])``."""
        if create and extracted:
            self.regions.set(
                Region.objects.get(slug=r) if isinstance(r, str) else r for r in extracted
            )


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request
        skip_postgeneration_save = True

    submitted_at = factory.LazyFunction(timezone.now)
    consent_at = factory.SelfAttribute("submitted_at")
    channel = Channel.PUBLIC
    requester_kind = RequesterKind.FAMILY
    requester_name = factory.Faker("name", locale="nl_NL")
    requester_email = factory.Sequence(lambda n: f"aanvrager{n}@voorbeeld.nl")
    situation = "Mijn zus heeft schulden en de kinderen gaan niet naar school."
    question = "Wat is er nodig zodat de kinderen weer naar school gaan?"
    variant = Variant.FAMILY
    postcode = "3511 AB"
    region = factory.LazyAttribute(lambda o: Region.objects.get(slug="utrecht"))
    main_person = factory.RelatedFactory(
        "kring.factories.MainPersonFactory", factory_related_name="request"
    )


class MainPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MainPerson

    request = factory.SubFactory(RequestFactory)
    name = factory.Faker("name", locale="nl_NL")
    birth_year = 1985
    postcode = "3511 AB"


def make_case(
    *, status: str = Status.NEW, submitted_at: datetime | None = None, **request_fields: Any
) -> Case:
    """A request with its case, set straight to ``status`` (bypassing the course, for tests)."""
    request = RequestFactory(submitted_at=submitted_at or timezone.now(), **request_fields)
    case = open_case(request)
    if status != Status.NEW:
        reason = "other" if status == Status.STOPPED else ""
        Case.objects.filter(pk=case.pk).update(status=status, stop_reason=reason)
        case.refresh_from_db()
    return case


class CoordinatorProfileFactory(factory.django.DjangoModelFactory):
    """A certified coordinator with a valid VOG: ``CoordinatorProfileFactory(regions=[...])``."""

    class Meta:
        model = "coordinators.CoordinatorProfile"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.COORDINATOR)
    status = "certified"
    vog_issued_on = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    independence_declared_on = factory.SelfAttribute("vog_issued_on")
    max_cases = 2

    @factory.post_generation
    def regions(self, create: bool, extracted: list[Region | str] | None, **kwargs: Any) -> None:
        """Regions as objects or slugs, like ``UserFactory``."""
        if create and extracted:
            self.regions.set(
                Region.objects.get(slug=r) if isinstance(r, str) else r for r in extracted
            )

    @factory.post_generation
    def languages(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        """Language codes: ``CoordinatorProfileFactory(languages=["nld", "tir"])``."""
        if create and extracted:
            self.languages.set(extracted)
