"""Factories for tests; a case in any state comes from ``a_case(at=...)``, which walks the
course through the real domain actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import factory
from django.utils import timezone

from kring.accounts.models import Organisation, Region, Role, User
from kring.cases.choices import RequesterKind, Variant
from kring.cases.domain import open_case
from kring.cases.models import Case, Status
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


def a_case(
    at: str = Status.HELD,
    *,
    submitted_at: datetime | None = None,
    coordinator: Any = None,
    **request_fields: Any,
) -> Case:
    """A case at status ``at``, reached the way people reach it: a request comes in and is
    opened (``open_case``), then every move is made by the domain action that owns it
    (``walk_to``: the office assigns, the coordinator prepares, schedules, records the
    conference, sends the plan, and so on). So a test never holds a state the product could
    not produce. ``coordinator`` is the coordinator once the case gets one (made when not
    given); every other keyword is a field of the request (``region``, ``variant``,
    ``referrer``, ``compelled_help``...): ``a_case(at=Status.PLANNED, coordinator=c)``."""
    request = RequestFactory(submitted_at=submitted_at or timezone.now(), **request_fields)
    case = open_case(request)
    if at != Status.NEW:
        case = walk_to(case, at, coordinator=coordinator)
    return case


def make_case(*, status: str = Status.NEW, **kwargs: Any) -> Case:
    """``a_case(at=status, ...)``, new when no status is given (the older spelling)."""
    return a_case(at=status, **kwargs)


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

    from kring.plans.models import Agreement, Plan, PlanStatus, PlanVersion
    from kring.plans.writing.editor import snapshot
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
    answers = {
        "next_meeting": "Over zes weken komt iedereen weer samen bij oma.",
        "who_calls_together": "Oom Karim belt iedereen als iets niet lukt.",
        "emergency_plan": "Bij nood bellen de kinderen oma; oma belt 112 als het niet veilig is.",
        "evaluation_on": timezone.localdate() + timedelta(weeks=6),
    }
    # A case walked past the conference has the walk's small plan: this one takes its place.
    plan, _created = Plan.objects.update_or_create(case=case, defaults=answers)
    plan.agreements.all().delete()
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
    PlanVersion.objects.update_or_create(
        plan=plan,
        number=plan.version,
        defaults={"snapshot": snapshot(plan), "reason": "", "changed_by": author},
    )
    if final and plan.status != PlanStatus.FINAL:
        finalise_plan(plan, by=author)
    return plan


def finalise_plan(plan: Any, *, by: User, accepted: bool = True) -> Any:
    """The circle finalises the draft (``by``: its recorder): final at once, or, when
    professionals set safety conditions, awaiting their check, which with ``accepted``
    each of them then gives."""
    from kring.plans.writing import acceptance

    plan.refresh_from_db()
    acceptance.finalise(plan, lock_version=plan.lock_version, by=by)
    plan.refresh_from_db()
    for involvement in acceptance.checking_involvements(plan) if accepted else []:
        checks = {condition.pk: (True, "") for condition in involvement.conditions.all()}
        verdict = acceptance.Verdict(checks, accepted=True, comment="")
        judge = involvement.user or by  # the professional, or the coordinator who heard it
        acceptance.decide(plan, involvement, verdict, version=plan.version, by=judge)
    plan.refresh_from_db()
    return plan


# ---------- Walking the course ----------
# Tests reach a state the way people do: through the domain action that owns each move.


def set_preparation(case: Case, **fields: Any) -> Any:
    """The case's preparation with these fields (a walked case already has one)."""
    from kring.preparation.models import Preparation

    return Preparation.objects.update_or_create(case=case, defaults=fields)[0]


def course_path(current: str, target: str) -> list[str]:
    """The shortest way through the transition table, regular steps before exits."""
    from collections import deque

    from kring.cases.models import TRANSITIONS

    previous: dict[str, str | None] = {current: None}
    queue = deque([current])
    while queue:
        status = queue.popleft()
        for following in TRANSITIONS[status]:
            if following not in previous:
                previous[following] = status
                queue.append(following)
    if target not in previous:
        raise ValueError(f"{target} cannot be reached from {current}")
    path = [target]
    while previous[path[-1]] is not None:
        path.append(previous[path[-1]])  # type: ignore[arg-type]
    return list(reversed(path))[1:]


def _office() -> User:
    office = User.objects.filter(role=Role.OFFICE, is_active=True).first()
    return office or UserFactory(role=Role.OFFICE)


def _coordinator_profile(case: Case, coordinator: User | None) -> Any:
    from kring.coordinators.models import CoordinatorProfile

    user: Any = coordinator or UserFactory(role=Role.COORDINATOR)
    profile = CoordinatorProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    regions = [case.region] if case.region_id else []
    return CoordinatorProfileFactory(user=user, regions=regions, status="ek2", max_cases=50)


def _assign(case: Case, coordinator: User | None) -> None:
    from kring.coordinators.domain import assign_directly

    assign_directly(case, _coordinator_profile(case, coordinator), by=_office())


def _schedule(case: Case) -> None:
    from datetime import timedelta

    from kring.preparation.logistics.domain import choose_slot
    from kring.preparation.models import PollSlot

    slot = PollSlot.objects.create(case=case, starts_at=timezone.now() + timedelta(days=14))
    choose_slot(case, slot.pk, by=case.coordinator)


def _circle(case: Case) -> list[Any]:
    from kring.preparation.models import Participant

    people = list(Participant.objects.filter(case=case))
    if not people:
        people = [
            Participant.objects.create(
                case=case,
                name=name,
                relation=relation,
                category=category,
                is_main_person=main,
                status="comes",  # no e-mail: the plan goes by print, no PDF made in tests
            )
            for name, relation, category, main in _PLAN_CIRCLE[:3]
        ]
    return people


def _hold(case: Case) -> None:
    from kring.plans.conference.domain import (
        ConferenceRecord,
        attendance_participants,
        record_conference,
    )
    from kring.plans.models import Phase

    # Whoever the test put in the circle was there; an empty circle stays empty until the plan
    # needs someone to send it to.
    people = set(attendance_participants(case).values_list("pk", flat=True))
    record = ConferenceRecord(
        held_on=timezone.localdate(),
        place="Buurthuis De Linde",
        participants=dict.fromkeys(Phase.values, people),
    )
    record_conference(case, record, by=case.coordinator)


def _send(case: Case) -> None:
    from kring.plans.distribution.domain import send_plan
    from kring.plans.models import PlanStatus
    from kring.plans.writing import acceptance, editor

    coordinator = case.coordinator
    people = _circle(case)
    plan = editor.open_plan(case, by=coordinator)
    if plan.status == PlanStatus.DRAFT:
        _complete(plan, people, coordinator)
        acceptance.finalise(plan, lock_version=plan.lock_version, by=coordinator)
        plan.refresh_from_db()
    send_plan(plan, by=coordinator)


def _complete(plan: Any, people: list[Any], coordinator: User) -> None:
    """Give a draft what every plan needs: an agreement and the two answers."""
    from kring.plans.writing import editor

    if not plan.agreements.exists():
        what, when = _PLAN_AGREEMENTS[0][1], _PLAN_AGREEMENTS[0][2]
        data = editor.AgreementData(what, people[:1], None, when, None, "parenting", False)
        editor.add_agreement(plan, data, lock_version=plan.lock_version, by=coordinator)
        plan.refresh_from_db()
    answers = {
        "next_meeting": plan.next_meeting or "Over zes weken bij oma.",
        "who_calls_together": plan.who_calls_together or "Oom Karim belt iedereen.",
        "emergency_plan": plan.emergency_plan,
        "evaluation_on": plan.evaluation_on,
    }
    editor.save_answers(plan, answers, lock_version=plan.lock_version, by=coordinator)
    plan.refresh_from_db()


def _follow_up(case: Case) -> None:
    from kring.plans.aftercare.domain import record_follow_up

    record_follow_up(
        case,
        by=case.coordinator,
        spoken_with="Moeder en oma",
        how_it_goes="Het gaat goed.",
        early_reason="Tests lopen de weken niet af.",
    )


def _register(case: Case) -> None:
    from kring.plans.aftercare.domain import register_implementation
    from kring.plans.models import Agreement

    results = {a.pk: ("fully", "") for a in Agreement.objects.filter(plan__case=case)}
    register_implementation(
        case, results, by=_office(), early_reason="Tests lopen de maanden niet af."
    )


def _decide(case: Case, to: str) -> None:
    from kring.cases.domain import decide

    reason = "other" if to == Status.STOPPED else ""
    decide(case, to, by=_office(), stop_reason=reason, note="Zo besproken met de familie.")


def walk_to(case: Case, status: str, *, coordinator: User | None = None) -> Case:
    """Take ``case`` to ``status`` through the actions that own each move, with the office
    deciding and ``coordinator`` (made when not given) doing the coordinator's steps."""
    from kring.cases.models import Door, door_of
    from kring.preparation.logistics.domain import give_up_date
    from kring.preparation.workspace.domain import start_preparation

    steps: dict[Door, Any] = {
        Door.START: lambda c, to: start_preparation(c, by=c.coordinator),
        Door.SCHEDULE: lambda c, to: _schedule(c),
        Door.UNSCHEDULE: lambda c, to: give_up_date(c, by=c.coordinator, reason="Ziekte."),
        Door.CONFERENCE: lambda c, to: _hold(c),
        Door.DISTRIBUTION: lambda c, to: _send(c),
        Door.FOLLOW_UP: lambda c, to: _follow_up(c),
        Door.IMPLEMENTATION: lambda c, to: _register(c),
        Door.DECISION: _decide,
    }
    for to in course_path(case.status, status):
        case.refresh_from_db()
        if case.status == to:
            continue  # one action made two moves (registering also closes)
        door = door_of(case.status, to)
        if door == Door.ASSIGNMENT:
            _assign(case, coordinator)
        else:
            steps[door](case, to)  # type: ignore[index]
    case.refresh_from_db()
    if case.status != status:
        raise ValueError(f"the actions took the case to {case.status}, not {status}")
    return case
