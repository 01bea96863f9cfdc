"""The plan document: what the PDF says (every agreement, nothing private) and who may open it."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.cases.choices import LifeDomain
from kring.cases.models import Case, Status
from kring.factories import UserFactory, a_case, finalise_plan, set_preparation, walk_to
from kring.plans.distribution.document import (
    group_by_domain,
    plan_document_context,
    render_plan_pdf,
)
from kring.plans.models import Agreement, Plan, PlanStatus
from kring.plans.writing import editor
from kring.preparation.models import Category, InvitationStatus, Participant
from kring.preparation.professionals.domain import (
    add_conditions,
    invite_professional,
    link_existing_professional,
)

pytestmark = pytest.mark.django_db

WHAT = [
    "Oma haalt Sara en Daan op dinsdag en donderdag uit school.",
    "Papa belt elke zondagavond met de kinderen.",
    "Tante Samira helpt mama met de post en de rekeningen.",
    "Buurman Kees brengt Sara naar voetbaltraining.",
    "Mama maakt een afspraak met de schuldhulpverlening.",
    "De juf belt mama als Sara niet op school is.",
    "Oom Hassan kookt op woensdag voor het hele gezin.",
    "We maken samen een weekrooster voor op de koelkast.",
    "Mama zoekt een huisarts dichter bij huis.",
    "Opa gaat mee naar de woningcorporatie.",
    "De kinderen logeren in de zomervakantie een week bij tante.",
    "Mama en papa spreken af hoe ze de weekenden verdelen.",
    "Vriendin Ingrid belt mama elke vrijdag even op.",
    "We vragen de wijkcoach om mee te denken over werk.",
    "Daan helpt zijn zusje met huiswerk op maandag.",
]


@dataclass
class PlanSetup:
    case: Case
    plan: Plan
    main: Participant
    grandma: Participant
    neighbour: Participant
    uncle: Participant
    ex: Participant
    agreements: list[Agreement] = field(default_factory=list)


def person(case: Case, name: str, **fields: Any) -> Participant:
    fields.setdefault("status", InvitationStatus.COMES)
    fields.setdefault("category", Category.FAMILY)
    return Participant.objects.create(case=case, name=name, **fields)


def make_plan(
    coordinator: User,
    *,
    status: str = PlanStatus.FINAL,
    agreements: int = 3,
    prefix: str = "",
) -> PlanSetup:
    """A held conference's plan: a main person and a grandmother with e-mail, a neighbour
    without, an uncle who declined and someone kept away for safety. The plan reaches
    ``status`` through its own actions: opened as a draft, finalised by the circle, and to
    await acceptance, a professional set a safety condition during the preparation."""
    if status == PlanStatus.AWAITING_ACCEPTANCE:
        case = a_case(at=Status.PREPARATION, compelled_help="pressured", coordinator=coordinator)
        _condition_set(case, coordinator)
        case = walk_to(case, Status.HELD)
    else:
        case = a_case(at=Status.HELD, coordinator=coordinator)
    Case.objects.filter(pk=case.pk).update(plan_send_due=timezone.now() + timedelta(days=2))
    case.refresh_from_db()
    set_preparation(case, question=f"{prefix}Wat is er nodig zodat Sara naar school gaat?")
    main = person(
        case,
        f"{prefix}Fatima el Amrani",
        category=Category.HOUSEHOLD,
        is_main_person=True,
        email="fatima@voorbeeld.nl",
        phone="0612345678",
    )
    plan = editor.open_plan(case, by=coordinator)
    Plan.objects.filter(pk=plan.pk).update(  # what the circle wrote (the text, not a state)
        next_meeting=f"{prefix}Over zes weken bij oma thuis.",
        who_calls_together=f"{prefix}Tante Samira belt iedereen.",
        emergency_plan=f"{prefix}Als het misgaat, gaan de kinderen naar oma.",
    )
    plan.refresh_from_db()
    setup = PlanSetup(
        case=case,
        plan=plan,
        main=main,
        grandma=person(case, f"{prefix}Riet Jansen", relation="oma", email="riet@voorbeeld.nl"),
        neighbour=person(
            case, f"{prefix}Kees Bakker", relation="buurman", address="Dorpsstraat 4, Utrecht"
        ),
        uncle=person(case, f"{prefix}Hassan el Amrani", status=InvitationStatus.DECLINES),
        ex=person(
            case,
            f"{prefix}Marco Verbeek",
            status=InvitationStatus.NOT_INVITED_SAFETY,
            safety_reason="Contactverbod",
        ),
    )
    domains = list(LifeDomain.values)
    for i in range(agreements):
        agreement = Agreement.objects.create(
            plan=setup.plan,
            position=i,
            what=prefix + WHAT[i % len(WHAT)],
            when="elke week" if i % 2 else "voor de zomer",
            life_domain=domains[i % 5],
            professional_help=i % 5 == 0,
        )
        agreement.who_participants.set([setup.grandma] if i % 2 else [main, setup.neighbour])
        setup.agreements.append(agreement)
    if status != PlanStatus.DRAFT:
        finalise_plan(setup.plan, by=coordinator, accepted=False)
        assert setup.plan.status == status
    return setup


def _condition_set(case: Case, coordinator: User) -> None:
    """A professional joins the preparation and sets a safety condition for the plan."""
    professional = UserFactory(role="professional", with_organisation=True)
    involvement = invite_professional(
        case,
        name="Jeugdconsulent",
        email=professional.email,
        organisation=professional.organisation.name,
        role="jeugdconsulent",
        by=coordinator,
    )
    link_existing_professional(involvement, professional)
    add_conditions(involvement, ["Papa drinkt niet waar de kinderen bij zijn."], by=professional)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with all whitespace (line breaks in table cells) made single spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def squash(text: str) -> str:
    return " ".join(text.split())


# ---------- What the document says ----------


def test_pdf_holds_every_agreement_and_the_two_answers(coordinator: User) -> None:
    setup = make_plan(coordinator, agreements=15)
    pdf = render_plan_pdf(setup.plan)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Ons plan" in text
    for agreement in setup.agreements:
        assert squash(agreement.what) in text
    assert squash(setup.plan.next_meeting) in text
    assert squash(setup.plan.who_calls_together) in text
    assert squash(setup.plan.emergency_plan) in text
    assert "Wat is er nodig zodat Sara naar school gaat?" in text
    assert str(LifeDomain.PARENTING.label) in text
    assert "Met hulp van professionals." in text


def test_pdf_names_participants_without_contact_details_or_safety_exclusions(
    coordinator: User,
) -> None:
    setup = make_plan(coordinator)
    text = pdf_text(render_plan_pdf(setup.plan))

    assert setup.main.name in text
    assert "Riet Jansen (oma)" in text
    assert "Kees Bakker (buurman)" in text
    for private in ["fatima@voorbeeld.nl", "0612345678", "Dorpsstraat", "Marco Verbeek"]:
        assert private not in text
    assert "Contactverbod" not in text


def test_pdf_of_a_draft_says_it_is_not_final(coordinator: User) -> None:
    setup = make_plan(coordinator, status=PlanStatus.DRAFT)
    assert "nog niet definitief" in pdf_text(render_plan_pdf(setup.plan))


def test_agreements_are_grouped_by_domain_in_the_fixed_order(coordinator: User) -> None:
    setup = make_plan(coordinator, agreements=6)
    groups = group_by_domain(setup.plan.agreements.all())

    assert [g.domain for g in groups] == list(LifeDomain.values)[:5]
    assert sum(len(g.rows) for g in groups) == 6
    first = groups[0].rows[0]
    assert first.who == f"{setup.main.name}, {setup.neighbour.name}"
    assert first.when == "voor de zomer"


def test_document_context_takes_the_same_queries_for_3_or_15_agreements(
    coordinator: User,
) -> None:
    small, large = make_plan(coordinator, agreements=3), make_plan(coordinator, agreements=15)
    with CaptureQueriesContext(connection) as few:
        plan_document_context(Plan.objects.get(pk=small.plan.pk))
    with CaptureQueriesContext(connection) as many:
        plan_document_context(Plan.objects.get(pk=large.plan.pk))
    assert len(many.captured_queries) == len(few.captured_queries)


# ---------- Who may open it ----------


def test_coordinator_opens_the_pdf_and_the_view_is_logged(client: Any, coordinator: User) -> None:
    setup = make_plan(coordinator)
    client.force_login(coordinator)

    response = client.get(reverse("plans:plan_pdf", args=[setup.case.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=Action.PLAN_PDF_VIEWED, case=setup.case, actor=coordinator
    ).exists()


def test_coordinator_of_another_case_gets_404(client: Any, coordinator: User) -> None:
    setup = make_plan(coordinator)
    client.force_login(UserFactory(role="coordinator"))

    response = client.get(reverse("plans:plan_pdf", args=[setup.case.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Action.PLAN_PDF_VIEWED).exists()


def test_manager_of_another_region_gets_404(
    client: Any, coordinator: User, other_manager: User
) -> None:
    setup = make_plan(coordinator)
    client.force_login(other_manager)
    assert client.get(reverse("plans:plan_pdf", args=[setup.case.pk])).status_code == 404


def test_after_closing_only_the_manager_still_opens_the_pdf(
    client: Any, coordinator: User, manager: User
) -> None:
    setup = make_plan(coordinator)
    walk_to(setup.case, Status.CLOSED)
    url = reverse("plans:plan_pdf", args=[setup.case.pk])

    client.force_login(coordinator)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_case_without_plan_has_no_pdf(client: Any, coordinator: User) -> None:
    case = a_case(at=Status.HELD, coordinator=coordinator)
    client.force_login(coordinator)
    assert client.get(reverse("plans:plan_pdf", args=[case.pk])).status_code == 404


def test_professional_cannot_open_the_pdf(
    client: Any, coordinator: User, professional: User
) -> None:
    setup = make_plan(coordinator)
    client.force_login(professional)
    assert client.get(reverse("plans:plan_pdf", args=[setup.case.pk])).status_code == 403


@pytest.mark.parametrize("name", ["plans:plan_pdf", "plans:plan_distribution"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("own coordinator", 200),
        ("other coordinator", 404),
        ("manager", 200),
        ("other manager", 404),
        ("office", 200),
        ("professional", 403),
        ("researcher", 403),
    ],
)
def test_coordinator_pages_by_role(
    client: Any,
    coordinator: User,
    manager: User,
    other_manager: User,
    office: User,
    professional: User,
    researcher: User,
    name: str,
    who: str,
    expected: int,
) -> None:
    setup = make_plan(coordinator)
    users = {
        "own coordinator": coordinator,
        "other coordinator": UserFactory(role="coordinator"),
        "manager": manager,
        "other manager": other_manager,
        "office": office,
        "professional": professional,
        "researcher": researcher,
    }
    if who in users:
        client.force_login(users[who])

    response = client.get(reverse(name, args=[setup.case.pk]))

    assert response.status_code == expected
    if expected == 302:
        assert reverse("accounts:login") in response["Location"]
