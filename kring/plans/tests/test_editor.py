"""The plan editor: agreements grouped by domain, versions, the lock, finalising, scoping."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role
from kring.audit.models import Action, AuditEvent
from kring.cases.choices import LifeDomain
from kring.cases.models import Case, Status
from kring.factories import (
    OrganisationFactory,
    UserFactory,
    a_case,
    make_plan,
    set_preparation,
    walk_to,
)
from kring.plans.models import Agreement, Plan, PlanStatus, PlanVersion
from kring.plans.writing.editor import plan_context
from kring.preparation.models import Category, Participant, ProfessionalInvolvement

pytestmark = pytest.mark.django_db

QUESTION = "Wat is er nodig zodat Sara weer elke dag naar school gaat?"


@pytest.fixture
def case(coordinator):
    case = a_case(at=Status.HELD, coordinator=coordinator)
    set_preparation(case, question=QUESTION)
    return case


@pytest.fixture
def circle(case):
    return [
        Participant.objects.create(
            case=case, name="Sanne", relation="moeder", category=Category.HOUSEHOLD
        ),
        Participant.objects.create(case=case, name="Oma Truus", category=Category.FAMILY),
        Participant.objects.create(case=case, name="Karim", category=Category.FAMILY),
    ]


@pytest.fixture
def wijkteam(case, coordinator):
    organisation = OrganisationFactory(name="Wijkteam Oost")
    ProfessionalInvolvement.objects.create(
        case=case,
        name="Petra",
        email="petra@wijkteam.example",
        organisation=organisation,
        invited_at=timezone.now(),
        invited_by=coordinator,
    )
    return organisation


def _url(name: str, case: Case, *args: object) -> str:
    return reverse(f"plans:{name}", args=[case.pk, *args])


def _plan(client, case) -> Plan:
    """The coordinator begins the plan with its button (opening the page makes nothing)."""
    response = client.post(_url("plan_edit", case), {"begin": "1"})
    assert response.status_code == 302
    return Plan.objects.get(case=case)


def _agreement_data(plan: Plan, people, **fields: object) -> dict[str, object]:
    return {
        "what": "Oma haalt Sara elke woensdag op van school.",
        "who_participants": [p.pk for p in people],
        "who_organisation": "",
        "when": "elke woensdag",
        "due_on": "",
        "life_domain": LifeDomain.EDUCATION,
        "lock_version": plan.lock_version,
        **fields,
    }


def _answers(plan: Plan, **fields: object) -> dict[str, object]:
    return {
        "next_meeting": "Over zes weken bij oma.",
        "who_calls_together": "Karim belt iedereen.",
        "emergency_plan": "",
        "evaluation_on": "",
        "lock_version": plan.lock_version,
        **fields,
    }


def _add(client, case, plan, people, **fields):
    plan.refresh_from_db()
    return client.post(_url("agreement_add", case), _agreement_data(plan, people, **fields))


def _events(action: Action, case: Case):
    return AuditEvent.objects.filter(action=action, case=case)


# ---------- The page ----------


def test_the_coordinator_begins_the_plan_with_a_button_after_the_conference(
    client, coordinator, case
):
    client.force_login(coordinator)
    response = client.get(_url("plan_edit", case))
    assert response.status_code == 200
    assert 'data-testid="plan-begin"' in response.content.decode()
    assert not Plan.objects.filter(case=case).exists()  # opening the page writes nothing
    assert client.get(_url("agreement_add", case))["Location"] == _url("plan_edit", case)
    assert not Plan.objects.filter(case=case).exists()
    response = client.post(_url("plan_edit", case), {"begin": "1"})
    assert response["Location"] == _url("plan_edit", case)
    plan = Plan.objects.get(case=case)
    assert plan.status == PlanStatus.DRAFT and plan.version == 1
    assert plan.versions.get().number == 1
    body = client.get(_url("plan_edit", case)).content.decode()
    assert QUESTION in body
    assert "Dit is het plan van de familie. Schrijf op wat zij afspreken, in hun woorden." in body
    assert _events(Action.PLAN_CHANGED, case).get().detail["change"] == "created"
    client.post(_url("plan_edit", case), {"begin": "1"})  # a second click
    assert Plan.objects.filter(case=case).count() == 1
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_a_reader_never_begins_the_plan(client, manager, case):
    client.force_login(manager)
    response = client.get(_url("plan_edit", case))
    assert response["Location"] == reverse("preparation:workspace", args=[case.pk])
    assert client.post(_url("plan_edit", case), {"begin": "1"}).status_code == 403
    assert not Plan.objects.filter(case=case).exists()


def test_before_the_conference_there_is_no_plan_yet(client, coordinator):
    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    client.force_login(coordinator)
    response = client.get(_url("plan_edit", case))
    assert response.status_code == 302
    assert response["Location"] == reverse("preparation:workspace", args=[case.pk])
    assert not Plan.objects.filter(case=case).exists()


def test_the_safety_conditions_are_shown_so_everyone_sees_what_the_plan_must_meet(
    client, coordinator, case, wijkteam
):
    involvement = case.professionals.get()
    involvement.conditions.create(text="Sara slaapt elke nacht thuis of bij oma.")
    client.force_login(coordinator)
    _plan(client, case)
    body = client.get(_url("plan_edit", case)).content.decode()
    assert "Sara slaapt elke nacht thuis of bij oma." in body
    assert "Wijkteam Oost" in body
    assert "ter toetsing" in body


# ---------- Agreements ----------


def test_an_agreement_is_added_with_who_and_a_new_version_is_kept(
    client, coordinator, case, circle, wijkteam
):
    client.force_login(coordinator)
    plan = _plan(client, case)
    response = _add(
        client,
        case,
        plan,
        circle[1:],
        who_organisation=wijkteam.pk,
        due_on="2030-03-01",
        professional_help="on",
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(plan=plan)
    assert response["Location"].endswith(f"#afspraak-{agreement.pk}")
    assert set(agreement.who_participants.all()) == set(circle[1:])
    assert agreement.who_organisation == wijkteam and agreement.professional_help
    plan.refresh_from_db()
    assert plan.version == 2 and plan.lock_version == 1
    version = plan.versions.get(number=2)
    assert version.changed_by == coordinator and version.reason == "Afspraak toegevoegd"
    [stored] = version.snapshot["agreements"]
    assert [who["name"] for who in stored["who"]] == ["Karim", "Oma Truus"]
    assert stored["organisation"]["name"] == "Wijkteam Oost"
    assert stored["due_on"] == "2030-03-01"
    event = _events(Action.PLAN_CHANGED, case).get(detail__change="agreement_added")
    assert event.actor == coordinator and event.detail["version"] == 2


def test_an_agreement_needs_what_who_and_when_explained_next_to_the_field(
    client, coordinator, case, circle
):
    client.force_login(coordinator)
    plan = _plan(client, case)
    response = _add(client, case, plan, [], what="", when="")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("kring-field--invalid") == 3
    assert "Kies wie dit doet" in body
    assert "Schrijf op wanneer" in body
    assert not Agreement.objects.exists()
    plan.refresh_from_db()
    assert plan.version == 1


def test_a_participant_of_another_case_cannot_be_chosen(client, coordinator, case, circle):
    stranger = Participant.objects.create(
        case=a_case(at=Status.HELD), name="Vreemde", category=Category.FAMILY
    )
    client.force_login(coordinator)
    plan = _plan(client, case)
    response = _add(client, case, plan, [stranger])
    assert response.status_code == 200
    assert not Agreement.objects.exists()


def test_a_double_submit_adds_the_agreement_once(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _plan(client, case)
    data = _agreement_data(plan, circle[:1])
    client.post(_url("agreement_add", case), data)
    response = client.post(_url("agreement_add", case), data)
    assert response.status_code == 200  # refused as stale, input kept
    assert Agreement.objects.filter(plan=plan).count() == 1


def test_agreements_are_grouped_by_life_domain_in_its_order(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _plan(client, case)
    for domain, what in [
        (LifeDomain.FINANCES, "Karim zoekt de rekeningen uit."),
        (LifeDomain.PARENTING, "Sanne brengt Sara naar bed om acht uur."),
        (LifeDomain.FINANCES, "Sanne belt de schuldhulp."),
    ]:
        assert (
            _add(client, case, plan, circle[:1], what=what, life_domain=domain).status_code == 302
        )
    body = client.get(_url("plan_edit", case)).content.decode()
    parenting = body.index("Opvoeding en gezin")
    finances = body.index("Geld en schulden")
    assert parenting < body.index("Sanne brengt Sara") < finances
    assert finances < body.index("Karim zoekt") < body.index("Sanne belt")
    assert "3 afspraken, waarvan 0 met professionele hulp." in body


def test_editing_an_agreement_keeps_who_changed_what(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _plan(client, case)
    _add(client, case, plan, circle[:1])
    agreement = Agreement.objects.get()
    plan.refresh_from_db()
    url = _url("agreement_edit", case, agreement.pk)
    page = client.get(url).content.decode()
    assert "Oma haalt Sara elke woensdag op van school." in page
    data = _agreement_data(plan, circle[:2], when="elke woensdag en vrijdag")
    assert client.post(url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.when == "elke woensdag en vrijdag"
    plan.refresh_from_db()
    assert plan.version == 3
    event = _events(Action.PLAN_CHANGED, case).get(detail__change="agreement_changed")
    assert event.detail["fields"] == ["who", "when"]
    history = client.get(_url("plan_history", case)).content.decode()
    assert "Gewijzigd: Oma haalt Sara elke woensdag op van school. (wie, wanneer)" in history
    assert "Toegevoegd: Oma haalt Sara elke woensdag op van school." in history
    assert str(coordinator) in history


def test_saving_an_unchanged_agreement_makes_no_new_version(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _plan(client, case)
    _add(client, case, plan, circle[:1])
    agreement = Agreement.objects.get()
    plan.refresh_from_db()
    client.post(_url("agreement_edit", case, agreement.pk), _agreement_data(plan, circle[:1]))
    plan.refresh_from_db()
    assert plan.version == 2


def test_deleting_an_agreement_keeps_it_in_the_history(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _plan(client, case)
    _add(client, case, plan, circle[:1])
    agreement = Agreement.objects.get()
    plan.refresh_from_db()
    url = _url("agreement_delete", case, agreement.pk)
    assert client.post(url, {"lock_version": plan.lock_version}).status_code == 302
    assert client.post(url, {"lock_version": plan.lock_version}).status_code == 302  # again
    assert not Agreement.objects.exists()
    plan.refresh_from_db()
    assert plan.version == 3
    assert plan.versions.get(number=2).snapshot["agreements"][0]["what"] == agreement.what
    history = client.get(_url("plan_history", case)).content.decode()
    assert "Verwijderd: Oma haalt Sara" in history


# ---------- Concurrent edits ----------


def test_a_save_from_a_stale_page_is_refused_and_the_input_kept(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _plan(client, case)
    stale = _agreement_data(plan, circle[:1], what="Karim kookt op maandag.")
    # Meanwhile the coordinator, on a second laptop, saves the answers.
    other = client.__class__()
    other.force_login(coordinator)
    assert other.post(_url("plan_edit", case), _answers(plan)).status_code == 302
    response = client.post(_url("agreement_add", case), stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft het plan intussen gewijzigd" in body
    assert "Karim kookt op maandag." in body
    assert not Agreement.objects.exists()
    plan.refresh_from_db()
    assert f'name="lock_version" value="{plan.lock_version}"' in body
    # Saving again from the refreshed form goes through.
    again = client.post(_url("agreement_add", case), {**stale, "lock_version": plan.lock_version})
    assert again.status_code == 302
    assert Agreement.objects.get().what == "Karim kookt op maandag."


def test_stale_answers_are_refused_and_kept(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _plan(client, case)
    stale = _answers(plan, next_meeting="Over een maand bij Karim.")
    _add(client, case, plan, circle[:1])
    response = client.post(_url("plan_edit", case), stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft het plan intussen gewijzigd" in body
    assert "Over een maand bij Karim." in body
    plan.refresh_from_db()
    assert plan.next_meeting == ""


# ---------- Finalising ----------


def _ready(client, case, circle, **answers: object) -> Plan:
    plan = _plan(client, case)
    _add(client, case, plan, circle[:1])
    plan.refresh_from_db()
    client.post(_url("plan_edit", case), _answers(plan, **answers))
    plan.refresh_from_db()
    return plan


@pytest.mark.parametrize(
    ("answers", "agreement", "message"),
    [
        ({"next_meeting": " "}, True, "Vul in wie wanneer weer bij elkaar komt"),
        ({"who_calls_together": ""}, True, "Vul in wie wie bij elkaar roept"),
        ({}, False, "Er staat nog geen afspraak in het plan."),
    ],
)
def test_finalising_is_refused_without_what_every_plan_needs(
    client, coordinator, case, circle, answers, agreement, message
):
    client.force_login(coordinator)
    plan = _ready(client, case, circle, **answers)
    if not agreement:
        Agreement.objects.filter(plan=plan).delete()
    response = client.post(
        _url("plan_finalise", case), {"lock_version": plan.lock_version}, follow=True
    )
    body = response.content.decode()
    assert "Het plan kan nog niet worden vastgesteld." in body
    assert message in body
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.finalised_at is None
    assert not _events(Action.PLAN_FINALISED, case).exists()


def test_without_conditions_the_plan_is_final_when_the_circle_says_so(
    client, coordinator, case, circle
):
    client.force_login(coordinator)
    plan = _ready(client, case, circle)
    page = client.get(_url("plan_edit", case)).content.decode()
    assert "De kring stelt het plan vast" in page
    response = client.post(_url("plan_finalise", case), {"lock_version": plan.lock_version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINAL and plan.finalised_at is not None
    assert _events(Action.PLAN_FINALISED, case).get().actor == coordinator
    page = client.get(_url("plan_edit", case)).content.decode()
    assert "Over zes weken bij oma." in page
    assert reverse("plans:agreement_add", args=[case.pk]) not in page


def test_a_final_plan_cannot_be_changed(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _ready(client, case, circle)
    client.post(_url("plan_finalise", case), {"lock_version": plan.lock_version})
    plan.refresh_from_db()
    response = _add(client, case, plan, circle[:1], what="Nog een afspraak.")
    assert response.status_code == 302
    assert Agreement.objects.filter(plan=plan).count() == 1
    agreement = Agreement.objects.get(plan=plan)
    client.post(_url("agreement_delete", case, agreement.pk), {"lock_version": plan.lock_version})
    assert Agreement.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINAL


def test_finalising_from_a_stale_page_is_refused(client, coordinator, case, circle):
    client.force_login(coordinator)
    plan = _ready(client, case, circle)
    stale = plan.lock_version
    _add(client, case, plan, circle[:1], what="Nog iets.")
    client.post(_url("plan_finalise", case), {"lock_version": stale})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


# ---------- Who may ----------


def test_another_coordinator_gets_404_everywhere(client, case, circle):
    plan = make_plan(case)
    agreement = plan.agreements.first()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    for url in [
        _url("plan_edit", case),
        _url("plan_history", case),
        _url("agreement_add", case),
        _url("agreement_edit", case, agreement.pk),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(_url("plan_edit", case), _answers(plan)).status_code == 404
    assert client.post(_url("plan_finalise", case), {"lock_version": 0}).status_code == 404
    delete = _url("agreement_delete", case, agreement.pk)
    assert client.post(delete, {"lock_version": plan.lock_version}).status_code == 404
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_a_professional_cannot_edit_the_plan(client, case, professional):
    plan = make_plan(case)
    case.request.referrer = professional
    case.request.save(update_fields=["referrer"])
    client.force_login(professional)
    response = client.post(_url("plan_edit", case), _answers(plan, next_meeting="Anders."))
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.next_meeting != "Anders."


def test_managers_of_the_region_may_read_and_of_another_region_may_not(
    client, case, manager, other_manager
):
    make_plan(case)
    client.force_login(manager)
    assert client.get(_url("plan_edit", case)).status_code == 200
    client.force_login(other_manager)
    assert client.get(_url("plan_edit", case)).status_code == 404


def test_the_coordinator_loses_the_plan_when_the_case_leaves_their_involvement(
    client, coordinator, case
):
    make_plan(case)
    walk_to(case, Status.FOLLOWED_UP)
    client.force_login(coordinator)
    assert client.get(_url("plan_edit", case)).status_code == 404


# ---------- Reads ----------


def test_the_plan_page_query_count_does_not_grow_with_the_agreements(client, coordinator):
    counts = []
    for agreements in (5, 15):
        case = a_case(at=Status.HELD, coordinator=coordinator)
        set_preparation(case, question=QUESTION)
        make_plan(case, agreements=agreements)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url("plan_edit", case))
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="agreement"') == agreements
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_plan_context_groups_by_domain_with_who_names(case):
    plan = make_plan(case, agreements=15, professional_help_every=5)
    context = plan_context(plan)
    assert context["question"] == QUESTION
    assert context["agreement_count"] == 15 and context["professional_help_count"] == 3
    order = [group.domain for group in context["domains"]]
    assert order == [d for d in LifeDomain.values if d in order]
    assert len(order) >= 6
    rows = [row for group in context["domains"] for row in group.rows]
    assert len(rows) == 15
    helped = [row for row in rows if row.agreement.professional_help]
    assert all(row.who_names[-1] == row.agreement.who_organisation.name for row in helped)
    assert all(" en " in row.who or len(row.who_names) == 1 for row in rows)
    assert context["next_meeting"] and context["who_calls_together"]
    assert set(context) >= {"emergency_plan", "evaluation_on", "conditions", "version"}


def test_make_plan_makes_a_final_plan_on_request():
    plan = make_plan(final=True, agreements=3)
    assert plan.case.status == Status.HELD
    assert plan.status == PlanStatus.FINAL and plan.agreements.count() == 3
    assert plan.versions.get().snapshot["agreements"][0]["who"]
