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

# Every factory-made user's password, for tests that log in through the form.
PASSWORD = "geheim-wachtwoord-1"


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
    password = factory.django.Password(PASSWORD)

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
    *,
    status: str = Status.NEW,
    submitted_at: datetime | None = None,
    coordinator: Any = None,
    **request_fields: Any,
) -> Case:
    """A request with its case, set straight to ``status`` (bypassing the course, for tests),
    with ``coordinator`` as its coordinator when given."""
    request = RequestFactory(submitted_at=submitted_at or timezone.now(), **request_fields)
    case = open_case(request)
    changes: dict[str, Any] = {}
    if status != Status.NEW:
        changes.update(status=status, stop_reason="other" if status == Status.STOPPED else "")
    if coordinator is not None:
        changes["coordinator"] = coordinator
    if changes:
        Case.objects.filter(pk=case.pk).update(**changes)
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


# ---------- Plans ----------

_PLAN_AGREEMENTS = [
    ("parenting", "Mama brengt Sara elke ochtend om 8 uur naar school.", "elke schooldag"),
    ("education", "Oma belt de mentor om te vragen hoe het op school gaat.", "elke twee weken"),
    ("finances", "Oom Karim zoekt samen met mama uit welke rekeningen open staan.", "vóór 1 juni"),
    ("housing", "De buurman helpt de zolder op te ruimen zodat Sara een eigen kamer heeft.", ""),
    ("safety", "Als papa gedronken heeft, slapen de kinderen bij oma.", "altijd"),
    ("social", "Tante Lies neemt Sara mee naar de zwemclub.", "elke zaterdag"),
    ("health", "Mama maakt een afspraak bij de huisarts over haar slaapproblemen.", "deze maand"),
    ("parenting", "Papa en mama spreken vaste bedtijden af voor de kinderen.", "vóór de zomer"),
    ("finances", "Mama meldt zich bij de schuldhulpverlening van de gemeente.", "binnen 2 weken"),
    ("education", "Sara doet haar huiswerk na school bij oma aan tafel.", "ma, di en do"),
    ("social", "De kinderen spelen op woensdagmiddag bij de buren.", "elke woensdag"),
    ("safety", "Oma heeft een reservesleutel en kan altijd binnenkomen.", ""),
    ("housing", "Oom Karim vraagt bij de woningcorporatie naar een grotere woning.", "vóór 1 mei"),
    ("health", "Papa gaat met de huisarts praten over zijn drinken.", "binnen een maand"),
    ("parenting", "Zondag eet de hele familie samen bij oma.", "elke zondag"),
]
_PLAN_CIRCLE = [
    ("Sanne de Vries", "moeder", "household", True),
    ("Truus de Vries", "oma", "family", False),
    ("Karim Aziz", "oom", "family", False),
    ("Lies Bakker", "tante", "family", False),
    ("Henk Jansen", "buurman", "community", False),
]


def make_plan(
    case: Case | None = None,
    *,
    agreements: int = 15,
    professional_help_every: int = 5,
    final: bool = False,
) -> Any:
    """A plan without a recorded conference: ``agreements`` agreements spread over life
    domains, every ``professional_help_every``-th calling on professional help (done by an
    organisation of the case's professionals, or a new one), both mandatory answers filled,
    one version kept. Without a case, one in HELD is made; an empty circle gets five people."""
    from datetime import timedelta

    from kring.plans.editor import snapshot
    from kring.plans.models import Agreement, Plan, PlanStatus, PlanVersion
    from kring.preparation.models import Participant

    case = case or make_case(status=Status.HELD)
    people = list(Participant.objects.filter(case=case))
    if not people:
        people = [
            Participant.objects.create(
                case=case, name=name, relation=relation, category=category, is_main_person=main
            )
            for name, relation, category, main in _PLAN_CIRCLE
        ]
    involvement = case.professionals.select_related("organisation").first()
    organisation = involvement.organisation if involvement else OrganisationFactory()
    author = case.coordinator or UserFactory(role=Role.COORDINATOR)
    plan = Plan.objects.create(
        case=case,
        next_meeting="Over zes weken komt iedereen weer samen bij oma.",
        who_calls_together="Oom Karim belt iedereen als iets niet lukt.",
        emergency_plan="Bij nood bellen de kinderen oma; oma belt 112 als het niet veilig is.",
        evaluation_on=timezone.localdate() + timedelta(weeks=6),
    )
    for index in range(agreements):
        domain, what, when = _PLAN_AGREEMENTS[index % len(_PLAN_AGREEMENTS)]
        if index >= len(_PLAN_AGREEMENTS):
            what = f"{what} ({index + 1})"
        help_needed = professional_help_every > 0 and (index + 1) % professional_help_every == 0
        agreement = Agreement.objects.create(
            plan=plan,
            position=index + 1,
            what=what,
            when=when or "zo snel mogelijk",
            life_domain=domain,
            professional_help=help_needed,
            who_organisation=organisation if help_needed else None,
        )
        agreement.who_participants.set(
            {people[index % len(people)], people[(index * 3 + 1) % len(people)]}
        )
    PlanVersion.objects.create(
        plan=plan, number=plan.version, snapshot=snapshot(plan), reason="", changed_by=author
    )
    if final:
        plan.status, plan.finalised_at = PlanStatus.FINAL, timezone.now()
        plan.save(update_fields=["status", "finalised_at"])
    return plan
