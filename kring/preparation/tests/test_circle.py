"""The circle page: adding and editing participants, the contact log, separations, the
safety reason for managers only, scoping, logging and query counts."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.testing import seen_on
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.coordinators.models import Language
from kring.demo.synthetic_circle import build_circle, save_circle
from kring.factories import MainPersonFactory, UserFactory, make_case, walk_to
from kring.preparation.circle.domain import add_participant, ensure_main_persons
from kring.preparation.models import (
    Category,
    ContactNote,
    InvitationStatus,
    Participant,
    Separation,
)

pytestmark = pytest.mark.django_db

SAFETY_REASON = "Contactverbod sinds maart"


@pytest.fixture
def case(coordinator):
    return make_case(status=Status.PREPARATION, coordinator=coordinator)


def circle_url(case):
    return reverse("preparation:circle", args=[case.pk])


def add_url(case):
    return reverse("preparation:participant_add", args=[case.pk])


def edit_url(participant):
    return reverse("preparation:participant_edit", args=[participant.case_id, participant.pk])


def oma(case, **fields):
    return Participant.objects.create(
        case=case, name="Truus Bakker", relation="oma", category=Category.FAMILY, **fields
    )


def edit_data(participant, **changes):
    data = {
        "name": participant.name,
        "relation": participant.relation,
        "category": participant.category,
        "status": participant.status,
        "condition": participant.condition,
    }
    data.update(changes)
    return data


# ---------- The circle page ----------


def test_main_persons_join_the_circle_once(case, coordinator_client):
    main_name = case.request.main_persons.get().name
    page = coordinator_client.get(circle_url(case))
    assert 'data-testid="main-persons-waiting"' in page.content.decode()
    assert not Participant.objects.filter(case=case).exists()  # opening the page writes nothing
    coordinator_client.post(circle_url(case), {"main_persons": "1"})
    coordinator_client.post(circle_url(case), {"main_persons": "1"})
    page = coordinator_client.get(circle_url(case))
    assert 'data-testid="main-persons-waiting"' not in page.content.decode()
    mains = Participant.objects.filter(case=case, is_main_person=True)
    assert [p.name for p in mains] == [main_name]
    assert mains.get().category == Category.HOUSEHOLD
    assert ensure_main_persons(case) == []


def test_a_second_main_person_and_a_child_main_person(coordinator):
    case = make_case(status=Status.PREPARATION)
    MainPersonFactory(request=case.request, name="Daan de Vries", birth_year=2015)
    created = ensure_main_persons(case, by=coordinator)
    assert len(created) == 2
    daan = next(p for p in created if p.name == "Daan de Vries")
    assert daan.is_child
    assert AuditEvent.objects.filter(case=case, action=Action.CIRCLE_CHANGED).count() == 1


def test_the_circle_page_groups_people_and_shows_who_named_them(case, coordinator_client):
    coordinator_client.post(circle_url(case), {"main_persons": "1"})
    truus = oma(case, status=InvitationStatus.COMES)
    Participant.objects.create(
        case=case,
        name="Ans Bakker",
        relation="tante",
        category=Category.FAMILY,
        named_by=truus,
        status=InvitationStatus.CONDITIONAL,
        condition="Komt alleen als haar zus er ook is",
        needs_transport=True,
    )
    Participant.objects.create(
        case=case, name="Sara", relation="dochter", category=Category.HOUSEHOLD, age=8
    )
    response = coordinator_client.get(circle_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "genoemd door Truus Bakker" in body
    assert "Komt alleen als haar zus er ook is" in body
    assert "8 jaar" in body
    assert "vervoer" in body
    groups = response.context["groups"]
    assert [g.category for g in groups] == [Category.HOUSEHOLD, Category.FAMILY]
    assert groups[0].participants[0].is_main_person  # the main person leads the household
    assert reverse("preparation:diagram", args=[case.pk]) in body
    assert 'alt="Kring rond' in body


def test_every_read_of_the_circle_is_logged(case, coordinator, coordinator_client):
    coordinator_client.get(circle_url(case))
    truus = oma(case)
    coordinator_client.get(edit_url(truus))
    pages = set(
        AuditEvent.objects.filter(
            case=case, action=Action.CASE_VIEWED, actor=coordinator
        ).values_list("detail__page", flat=True)
    )
    assert {"circle", "participant_edit"} <= pages


# ---------- Adding someone ----------


def test_adding_a_participant_named_by_someone(case, coordinator, coordinator_client):
    truus = oma(case)
    tigrinya = Language.objects.get(code="tir")
    response = coordinator_client.post(
        add_url(case),
        {
            "name": "  Ans   Bakker ",
            "relation": "tante",
            "category": Category.FAMILY,
            "named_by": truus.pk,
            "language": tigrinya.pk,
            "needs_interpreter": "on",
            "email": "ans@example.com",
            "phone": "06-12345678",
            "needs_childcare": "on",
        },
    )
    assert response.status_code == 302
    ans = Participant.objects.get(case=case, name="Ans Bakker")
    assert ans.named_by == truus
    assert ans.language == tigrinya and ans.needs_interpreter and ans.needs_childcare
    assert ans.status == InvitationStatus.TO_ASK
    event = AuditEvent.objects.get(action=Action.CIRCLE_CHANGED, object_id=str(ans.pk))
    assert event.actor == coordinator and event.case == case


def test_adding_is_a_page_of_its_own_reached_from_the_circle(case, coordinator_client):
    """The circle page links to the add page; "Toevoegen en nog iemand" comes back to it
    for the next name, the plain button goes to the circle with the new person in view."""
    assert add_url(case) in coordinator_client.get(circle_url(case)).content.decode()
    page = coordinator_client.get(add_url(case)).content.decode()
    assert 'name="another"' in page and circle_url(case) in page  # and a way back
    data = {"name": "Ans", "category": Category.FAMILY, "another": "1"}
    response = coordinator_client.post(add_url(case), data)
    assert response.url == add_url(case)
    response = coordinator_client.post(add_url(case), {"name": "Kees", "category": "friends"})
    kees = Participant.objects.get(case=case, name="Kees")
    assert response.url == f"{circle_url(case)}#deelnemer-{kees.pk}"
    assert Participant.objects.filter(case=case, name="Ans").count() == 1


def test_a_double_click_on_add_lands_once_and_answers_as_the_first(
    case, coordinator, coordinator_client
):
    """The second post of a double click finds the name taken; as everything else matches,
    it is answered as the first was: no error, nobody twice, one log row. A different person
    of the same name still gets the explanation."""
    data = {"name": "Ans Bakker", "relation": "tante", "category": Category.FAMILY, "age": ""}
    first = coordinator_client.post(add_url(case), data)
    second = coordinator_client.post(add_url(case), data)
    assert second.status_code == 302 and second.url == first.url
    ans = Participant.objects.get(case=case, name="Ans Bakker")
    assert (
        AuditEvent.objects.filter(action=Action.CIRCLE_CHANGED, object_id=str(ans.pk)).count() == 1
    )
    other = coordinator_client.post(add_url(case), {**data, "relation": "buurvrouw"})
    assert other.status_code == 400
    assert "Er staat al iemand met deze naam in de kring." in other.content.decode()
    assert Participant.objects.filter(case=case, name="Ans Bakker").count() == 1


def test_the_circle_page_takes_no_other_post(case, coordinator_client):
    """Adding moved to its own page: a person's details posted to the circle page (an old
    tab, a tampered form) are refused and nothing is written."""
    response = coordinator_client.post(circle_url(case), {"name": "X", "category": "family"})
    assert response.status_code == 400
    assert "Niets opgeslagen." in response.content.decode()
    assert not Participant.objects.filter(case=case).exists()


def test_adding_with_bad_input_explains_in_dutch_and_saves_nothing(case, coordinator_client):
    other_case = make_case(status=Status.PREPARATION)
    stranger = oma(other_case)
    response = coordinator_client.post(
        add_url(case),
        {
            "name": "   ",
            "category": "",
            "age": "130",
            "email": "geen-adres",
            "phone": "bel me",
            "named_by": stranger.pk,
            "needs_interpreter": "on",
            "relation": "buurvrouw",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "category", "age", "email", "phone", "named_by", "language"}
    body = response.content.decode()
    assert "Vul een naam in." in body
    assert "Vul een leeftijd tussen 0 en 120 in." in body
    assert "Vul een geldig telefoonnummer in" in body
    assert "Kies de taal waarvoor een tolk nodig is." in body
    assert 'value="buurvrouw"' in body  # input kept
    assert not Participant.objects.filter(case=case, is_main_person=False).exists()


@pytest.mark.parametrize("age", ["-1", "121", "9" * 30])
def test_an_age_out_of_range_gets_one_plain_message(case, coordinator_client, age):
    response = coordinator_client.post(
        add_url(case), {"name": "Ans", "category": "family", "age": age}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["age"] == ["Vul een leeftijd tussen 0 en 120 in."]
    assert not Participant.objects.filter(case=case, name="Ans").exists()


def test_the_language_select_keeps_the_choice_and_refuses_a_made_up_code(case, coordinator_client):
    """The options come from the database without a model each (ValuesModelChoiceField):
    the choice still comes back selected, and only a language in the list is taken."""
    data = {"name": "Ans Bakker", "category": "", "language": "tir"}
    body = coordinator_client.post(add_url(case), data).content.decode()
    assert '<option value="tir" selected>Tigrinya</option>' in body
    assert body.count("<option value=") > 100  # every language in the list
    response = coordinator_client.post(
        add_url(case), {**data, "category": Category.FAMILY, "language": "xx\x00"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"language"}
    assert not Participant.objects.filter(case=case, name="Ans Bakker").exists()


def test_a_name_is_in_the_circle_once(case, coordinator, coordinator_client):
    truus = oma(case)
    data = {"name": "truus bakker", "category": Category.FRIENDS}
    response = coordinator_client.post(add_url(case), data)
    assert response.status_code == 400
    assert "Er staat al iemand met deze naam in de kring." in response.content.decode()
    # Two submits racing past the form: the domain keeps one.
    again = Participant(name="Truus Bakker", category=Category.FAMILY)
    assert add_participant(case, again, by=coordinator) == truus
    assert Participant.objects.filter(case=case, name__iexact="truus bakker").count() == 1


def test_a_double_submit_of_a_note_is_stored_once(case, coordinator_client):
    truus = oma(case)
    url = reverse("preparation:participant_note", args=[case.pk, truus.pk])
    data = {"on": timezone.localdate().isoformat(), "line": "Gebeld, komt graag."}
    assert coordinator_client.post(url, data).status_code == 302
    assert coordinator_client.post(url, data).status_code == 302
    assert ContactNote.objects.filter(participant=truus).count() == 1
    response = coordinator_client.get(edit_url(truus))
    assert "Gebeld, komt graag." in response.content.decode()


def test_a_note_is_one_short_line_not_a_dossier(case, coordinator_client):
    truus = oma(case)
    url = reverse("preparation:participant_note", args=[case.pk, truus.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = coordinator_client.post(url, {"on": tomorrow.isoformat(), "line": "x" * 201})
    assert response.status_code == 400
    body = response.content.decode()
    assert "maximaal 200 tekens" in body
    assert "Een contact kan niet in de toekomst liggen." in body
    assert not ContactNote.objects.exists()


# ---------- Editing someone ----------


def test_comes_on_a_condition_needs_the_condition(case, coordinator_client):
    truus = oma(case)
    response = coordinator_client.post(
        edit_url(truus), edit_data(truus, status=InvitationStatus.CONDITIONAL, condition=" ")
    )
    assert response.status_code == 400
    assert "Schrijf op onder welke voorwaarde deze persoon komt." in response.content.decode()
    truus.refresh_from_db()
    assert truus.status == InvitationStatus.TO_ASK

    response = coordinator_client.post(
        edit_url(truus),
        edit_data(truus, status=InvitationStatus.CONDITIONAL, condition="Als Ans er ook is"),
    )
    assert response.status_code == 302
    truus.refresh_from_db()
    assert (truus.status, truus.condition) == (InvitationStatus.CONDITIONAL, "Als Ans er ook is")


def test_editing_with_bad_input_keeps_the_stored_data(case, coordinator_client):
    truus = oma(case, email="truus@example.com")
    response = coordinator_client.post(
        edit_url(truus), edit_data(truus, name="", email="kapot", age="-1")
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "email", "age"}
    truus.refresh_from_db()
    assert (truus.name, truus.email, truus.age) == ("Truus Bakker", "truus@example.com", None)


def test_a_save_from_a_stale_window_does_not_overwrite_the_newer_one(case, coordinator_client):
    truus = oma(case, phone="06-11111111")
    laptop = seen_on(coordinator_client.get(edit_url(truus)).content)
    phone = seen_on(coordinator_client.get(edit_url(truus)).content)
    newer = edit_data(truus, status=InvitationStatus.COMES, phone="06-22222222", seen=phone)
    assert coordinator_client.post(edit_url(truus), newer).status_code == 302
    # The laptop's form still shows the old phone number and status: refused, not saved.
    stale = edit_data(truus, relation="tante", seen=laptop)
    refused = coordinator_client.post(edit_url(truus), stale)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Iemand heeft deze gegevens intussen ook opgeslagen" in page
    assert 'data-testid="saved-elsewhere"' in page and "06-22222222" in page
    assert 'value="tante"' in page  # what was typed, kept
    truus.refresh_from_db()
    assert (truus.status, truus.phone, truus.relation) == (
        InvitationStatus.COMES,
        "06-22222222",
        "oma",
    )
    # Saving again after reading it goes through; the same save twice is no conflict.
    again = {**stale, "seen": seen_on(refused.content)}
    assert coordinator_client.post(edit_url(truus), again).status_code == 302
    assert coordinator_client.post(edit_url(truus), again).status_code == 302
    truus.refresh_from_db()
    assert truus.relation == "tante"


def test_a_condition_is_dropped_when_someone_simply_comes(case, coordinator_client):
    truus = oma(case, status=InvitationStatus.CONDITIONAL, condition="Als Ans er is")
    coordinator_client.post(edit_url(truus), edit_data(truus, status=InvitationStatus.COMES))
    truus.refresh_from_db()
    assert (truus.status, truus.condition) == (InvitationStatus.COMES, "")


def test_named_by_cannot_go_round_in_a_circle(case, coordinator_client):
    truus = oma(case)
    ans = Participant.objects.create(
        case=case, name="Ans", category=Category.FAMILY, named_by=truus
    )
    response = coordinator_client.post(edit_url(truus), edit_data(truus, named_by=ans.pk))
    assert response.status_code == 400
    assert "named_by" in response.context["form"].errors
    response = coordinator_client.post(edit_url(truus), edit_data(truus, named_by=truus.pk))
    assert response.status_code == 400


def test_the_safety_reason_is_hidden_from_the_coordinator(case, coordinator_client):
    truus = oma(case, status=InvitationStatus.NOT_INVITED_SAFETY, safety_reason=SAFETY_REASON)
    for url in (circle_url(case), edit_url(truus)):
        body = coordinator_client.get(url).content.decode()
        assert "Niet uitgenodigd (veiligheid)" in body
        assert SAFETY_REASON not in body
        assert 'name="safety_reason"' not in body
    # Nor can the coordinator set it, and their edit keeps the manager's reason.
    coordinator_client.post(
        edit_url(truus), edit_data(truus, relation="oma van moederskant", safety_reason="Mijn idee")
    )
    truus.refresh_from_db()
    assert truus.relation == "oma van moederskant"
    assert truus.safety_reason == SAFETY_REASON
    svg = coordinator_client.get(reverse("preparation:diagram", args=[case.pk])).content.decode()
    assert SAFETY_REASON not in svg


def test_the_manager_sees_and_sets_the_safety_reason(case, client, manager):
    truus = oma(case)
    client.force_login(manager)
    response = client.post(
        edit_url(truus),
        edit_data(truus, status=InvitationStatus.NOT_INVITED_SAFETY, safety_reason=SAFETY_REASON),
    )
    assert response.status_code == 302
    truus.refresh_from_db()
    assert truus.safety_reason == SAFETY_REASON
    assert SAFETY_REASON in client.get(circle_url(case)).content.decode()
    assert 'name="safety_reason"' in client.get(edit_url(truus)).content.decode()
    event = AuditEvent.objects.filter(action=Action.CIRCLE_CHANGED, object_id=str(truus.pk)).get()
    assert SAFETY_REASON not in str(event.detail)


def test_the_office_sees_the_safety_reason(case, client, office):
    oma(case, status=InvitationStatus.NOT_INVITED_SAFETY, safety_reason=SAFETY_REASON)
    client.force_login(office)
    assert SAFETY_REASON in client.get(circle_url(case)).content.decode()


# ---------- Pairs who cannot meet without arrangements ----------


def test_a_pair_who_cannot_meet_is_stored_once(case, coordinator_client):
    truus = oma(case)
    ans = Participant.objects.create(case=case, name="Ans", category=Category.FAMILY)
    url = reverse("preparation:separation_add", args=[case.pk])
    coordinator_client.post(url, {"first": truus.pk, "second": ans.pk, "arrangement": "Apart"})
    coordinator_client.post(
        url, {"first": ans.pk, "second": truus.pk, "arrangement": "Andere tafel"}
    )
    separation = Separation.objects.get(case=case)
    assert separation.arrangement == "Andere tafel"
    assert "Andere tafel" in coordinator_client.get(circle_url(case)).content.decode()


def test_a_pair_needs_two_different_people_of_this_case(case, coordinator_client):
    truus = oma(case)
    stranger = oma(make_case(status=Status.PREPARATION))
    url = reverse("preparation:separation_add", args=[case.pk])
    response = coordinator_client.post(url, {"first": truus.pk, "second": truus.pk})
    assert response.status_code == 400
    assert "Kies twee verschillende personen." in response.content.decode()
    response = coordinator_client.post(url, {"first": truus.pk, "second": stranger.pk})
    assert response.status_code == 400
    assert not Separation.objects.exists()


# ---------- Who may see the circle ----------


def test_a_coordinator_of_another_case_gets_404(case, client):
    other = UserFactory(role="coordinator")
    truus = oma(case)
    client.force_login(other)
    assert client.get(circle_url(case)).status_code == 404
    assert client.get(edit_url(truus)).status_code == 404
    assert client.get(add_url(case)).status_code == 404
    assert client.post(add_url(case), {"name": "X", "category": "family"}).status_code == 404
    assert not Participant.objects.filter(name="X").exists()
    denied = AuditEvent.objects.filter(action=Action.CASE_ACCESS_DENIED, actor=other)
    assert denied.exists()


def test_a_coordinator_whose_involvement_ended_gets_404(case, coordinator_client):
    truus = oma(case)
    walk_to(case, Status.FOLLOWED_UP)
    assert coordinator_client.get(circle_url(case)).status_code == 404
    assert coordinator_client.get(edit_url(truus)).status_code == 404
    diagram = reverse("preparation:diagram", args=[case.pk])
    assert coordinator_client.get(diagram).status_code == 404


def test_a_participant_of_another_case_is_404_through_this_case(case, coordinator_client):
    stranger = oma(make_case(status=Status.PREPARATION))
    url = reverse("preparation:participant_edit", args=[case.pk, stranger.pk])
    assert coordinator_client.get(url).status_code == 404


def test_a_manager_of_another_region_gets_404(case, client, other_manager):
    client.force_login(other_manager)
    assert client.get(circle_url(case)).status_code == 404


@pytest.mark.parametrize("role", ["professional", "researcher"])
def test_other_roles_are_refused(case, client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(circle_url(case)).status_code == 403


# ---------- Query counts ----------


def fill(case, n):
    previous = None
    for i in range(n):
        person = Participant.objects.create(
            case=case,
            name=f"Persoon {i}",
            category=Category.values[i % len(Category.values)],
            named_by=previous,
            language=Language.objects.get(code="tur") if i % 3 == 0 else None,
            status=InvitationStatus.values[i % len(InvitationStatus.values)],
            condition="Als het kan",
        )
        ContactNote.objects.create(
            participant=person, on=timezone.localdate(), line="Gebeld", by=case.coordinator
        )
        previous = person


def count_queries(client, url):
    client.get(url)  # the first visit adds the main persons
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["coordinator", "manager"])
def test_the_circle_page_does_not_query_per_participant(client, coordinator, role, request):
    small = make_case(status=Status.PREPARATION, coordinator=coordinator)
    large = make_case(status=Status.PREPARATION, coordinator=coordinator)
    fill(small, 5)
    fill(large, 40)
    client.force_login(request.getfixturevalue(role))
    assert count_queries(client, circle_url(small)) == count_queries(client, circle_url(large))


def test_the_diagram_does_not_query_per_participant(client, case, coordinator):
    client.force_login(coordinator)
    url = reverse("preparation:diagram", args=[case.pk])
    fill(case, 5)
    client.get(url)  # the first view warms the session and the second-factor device
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    fill(case, 35)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) < 15


# ---------- Synthetic circles for the demo ----------


def test_synthetic_circles_have_6_to_25_people_and_are_deterministic(coordinator):
    today = timezone.localdate()
    statuses = (Status.ASSIGNED, Status.PREPARATION)
    cases = [make_case(status=status, coordinator=coordinator) for status in statuses]
    cases += [
        make_case(status=Status.PLANNED, safety_at_stake=True, coordinator=coordinator)
        for _ in range(3)
    ]
    for case in cases:
        for seed in range(15):
            people, notes = build_circle(case, random.Random(seed), today)
            assert 6 <= len(people) <= 25
            assert sum(p.is_main_person for p in people) == 1
            again, again_notes = build_circle(case, random.Random(seed), today)
            assert [(p.name, p.relation, p.category, p.status) for p in people] == [
                (p.name, p.relation, p.category, p.status) for p in again
            ]
            assert [n.line for n in notes] == [n.line for n in again_notes]
            position = {id(p): i for i, p in enumerate(people)}
            for i, person in enumerate(people):  # whoever named someone comes first
                assert person.named_by is None or position[id(person.named_by)] < i


def test_synthetic_circles_are_plausible_and_can_be_saved(coordinator):
    today = timezone.localdate()
    case = make_case(status=Status.PLANNED, coordinator=coordinator)
    rng = random.Random(7)
    sizes, undecided, named, categories = [], 0, 0, set()
    for _ in range(40):
        people, _notes = build_circle(case, rng, today)
        sizes.append(len(people))
        undecided += sum(p.status in {"to_ask", "asked"} for p in people)
        named += sum(p.named_by is not None and not p.named_by.is_main_person for p in people)
        categories |= {p.category for p in people}
    assert min(sizes) >= 6 and max(sizes) <= 25 and len(set(sizes)) > 5
    assert undecided == 0  # a planned conference: everyone has answered
    assert named > 20  # chains: oma names the tante, the tante a neef
    assert categories >= {Category.HOUSEHOLD, Category.FAMILY, Category.FRIENDS}

    people, notes = build_circle(case, random.Random(3), today)
    save_circle(people, notes)
    stored = Participant.objects.filter(case=case)
    assert stored.count() == len(people)
    assert ContactNote.objects.filter(participant__case=case).count() == len(notes)
    assert all(
        p.named_by_id is None or p.named_by.case_id == case.pk
        for p in stored.select_related("named_by")
    )
    assert ensure_main_persons(case) == []


def test_a_requester_who_asked_for_themselves_is_reachable_as_the_main_person(coordinator):
    """Issue 15 §2: the requester's e-mail and phone go with them into the circle when they
    are the main person; someone who asked for another person's sake keeps theirs."""
    own = make_case(
        status=Status.PREPARATION,
        requester_kind="self",
        requester_email="zelf@voorbeeld.nl",
        requester_phone="06 1234 5678",
    )
    main = ensure_main_persons(own, by=coordinator)[0]
    assert (main.email, main.phone) == ("zelf@voorbeeld.nl", "06 1234 5678")

    for_another = make_case(status=Status.PREPARATION, requester_phone="06 8765 4321")
    other = ensure_main_persons(for_another, by=coordinator)[0]
    assert (other.email, other.phone) == ("", "")
