from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kring.accounts.models import Role
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, Status
from kring.factories import OrganisationFactory, UserFactory, a_case
from kring.preparation.models import (
    Category,
    Invitation,
    Participant,
    Preparation,
    ProfessionalInvolvement,
    SafetyCondition,
)
from kring.preparation.workspace.domain import checklist, ensure_preparation

pytestmark = pytest.mark.django_db


def page(case):
    return reverse("preparation:workspace", args=[case.pk])


def add_participants(case, n):
    Participant.objects.bulk_create(
        Participant(case=case, name=f"Persoon {i}", category=Category.FAMILY) for i in range(n)
    )


def progress(case):
    case = Case.objects.select_related("request").get(pk=case.pk)
    done = checklist(case, ensure_preparation(case))
    return done.done, done.total


def add_safety_condition(case, by):
    involvement = ProfessionalInvolvement.objects.create(
        case=case,
        name="Jeugdbeschermer",
        email="jb@voorbeeld.nl",
        organisation=OrganisationFactory(),
        invited_at=timezone.now(),
        invited_by=by,
    )
    SafetyCondition.objects.create(involvement=involvement, text="De kinderen slapen thuis.")


# ---------- The page ----------


def test_the_page_renders_for_an_assigned_case_without_a_preparation_yet(client, coordinator):
    case = a_case(at=Status.ASSIGNED, coordinator=coordinator)
    assert not Preparation.objects.filter(case=case).exists()
    client.force_login(coordinator)
    response = client.get(page(case))
    assert response.status_code == 200
    assert not Preparation.objects.filter(case=case).exists()  # opening a page writes nothing
    content = response.content.decode()
    assert "Voorbereiding starten" in content
    assert "0 van 9 gedaan" in content
    assert escape(case.request.requester_name) in content  # the coordinator needs the contact


def test_the_read_is_logged(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    client.get(page(case))
    viewed = AuditEvent.objects.get(action=Action.CASE_VIEWED)
    assert (viewed.actor, viewed.case, viewed.detail["page"]) == (coordinator, case, "workspace")


def test_the_next_steps_link_to_where_the_work_is_done(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    Case.objects.filter(pk=case.pk).update(
        first_contact_at=timezone.now(), first_visit_at=timezone.now()
    )
    client.force_login(coordinator)
    response = client.get(page(case))
    steps = [task.code for task in response.context["checklist"].next_steps]
    assert steps == ["explain_method", "widen_circle", "conditions"]
    content = response.content.decode()
    assert reverse("preparation:circle", args=[case.pk]) in content
    assert reverse("preparation:question", args=[case.pk]) in content
    assert reverse("preparation:professionals", args=[case.pk]) in content
    assert reverse("preparation:poll", args=[case.pk]) in content  # no date yet: the poll
    assert reverse("preparation:invitations", args=[case.pk]) in content


# ---------- The checklist ----------


def test_checklist_progress_derives_from_the_data(coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    assert progress(case) == (0, 9)

    Case.objects.filter(pk=case.pk).update(first_contact_at=timezone.now())
    add_participants(case, 5)
    assert progress(case) == (1, 9)  # five people: the circle is not wide yet
    add_participants(case, 1)
    assert progress(case) == (2, 9)

    Preparation.objects.filter(case=case).update(question_agreed_at=timezone.now())
    assert progress(case) == (3, 9)
    Preparation.objects.filter(case=case).update(conference_at=timezone.now())
    assert progress(case) == (3, 9)  # a date without a place is not arranged yet
    Preparation.objects.filter(case=case).update(venue="Buurthuis De Linde")
    assert progress(case) == (4, 9)

    participant = Participant.objects.filter(case=case).first()
    Invitation.objects.create(
        participant=participant,
        channel=Invitation.Channel.EMAIL,
        sent_at=timezone.now(),
        conference_at=timezone.now() + timedelta(days=14),
    )
    assert progress(case) == (5, 9)


def test_compelled_help_adds_the_safety_conditions_which_a_professional_completes(
    coordinator, manager
):
    case = a_case(at=Status.PREPARATION, compelled_help="compulsory", coordinator=coordinator)
    assert progress(case) == (0, 10)
    add_safety_condition(case, manager)
    assert progress(case) == (1, 10)


def test_the_progress_is_shown_on_the_page(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    Case.objects.filter(pk=case.pk).update(first_contact_at=timezone.now())
    add_participants(case, 6)
    client.force_login(coordinator)
    content = client.get(page(case)).content.decode()
    assert "2 van 9 gedaan" in content


def toggle(client, case, code, done=True, **headers):
    data = {"code": code, **({"done": "1"} if done else {})}
    return client.post(reverse("preparation:task_toggle", args=[case.pk]), data, **headers)


def test_ticking_a_task_twice_is_stable_and_unticking_undoes_it(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    response = toggle(client, case, "explain_method")
    assert response.status_code == 302
    toggle(client, case, "explain_method")  # a double submit
    assert Preparation.objects.get(case=case).tasks_done == ["explain_method"]
    assert progress(case) == (1, 9)

    toggle(client, case, "explain_method", done=False)
    toggle(client, case, "explain_method", done=False)
    assert Preparation.objects.get(case=case).tasks_done == []
    assert progress(case) == (0, 9)


def test_a_small_circle_can_be_ticked_as_widened_by_hand(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    add_participants(case, 3)
    client.force_login(coordinator)
    toggle(client, case, "widen_circle")
    assert progress(case) == (1, 9)


def test_automatic_tasks_cannot_be_ticked_by_hand(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    response = toggle(client, case, "question", follow=True)
    assert "kan niet met de hand worden afgevinkt" in response.content.decode()
    assert not Preparation.objects.filter(case=case).exclude(tasks_done=[]).exists()
    assert progress(case) == (0, 9)


def test_ticking_with_htmx_returns_only_the_checklist(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    response = toggle(client, case, "conditions", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="taken"' in content
    assert "1 van 9 gedaan" in content
    assert "<html" not in content


def test_a_task_cannot_be_ticked_on_someone_elses_case(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=UserFactory(role=Role.COORDINATOR))
    client.force_login(coordinator)
    assert toggle(client, case, "explain_method").status_code == 404
    assert not Preparation.objects.filter(case=case).exclude(tasks_done=[]).exists()


# ---------- Scoping ----------


def test_the_coordinator_of_another_case_gets_404(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=UserFactory(role=Role.COORDINATOR))
    client.force_login(coordinator)
    assert client.get(page(case)).status_code == 404
    assert AuditEvent.objects.filter(action=Action.CASE_ACCESS_DENIED).exists()


def test_the_coordinator_loses_access_when_the_involvement_ends(client, coordinator):
    case = a_case(at=Status.FOLLOWED_UP, coordinator=coordinator)
    client.force_login(coordinator)
    assert client.get(page(case)).status_code == 404
    assert client.get(reverse("preparation:question", args=[case.pk])).status_code == 404


def test_a_professional_cannot_open_the_workspace(client, professional, coordinator):
    case = a_case(at=Status.PREPARATION, referrer=professional, coordinator=coordinator)
    client.force_login(professional)
    assert client.get(page(case)).status_code in {403, 404}


def test_managers_of_the_region_and_the_office_may_open_it_others_not(
    client, coordinator, manager, other_manager, office
):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    for user, status in [(manager, 200), (office, 200), (other_manager, 404)]:
        client.force_login(user)
        assert client.get(page(case)).status_code == status, user.role


def test_a_case_without_a_coordinator_yet_is_not_prepared_here(client, manager):
    case = a_case(at=Status.MATCHING)
    client.force_login(manager)
    assert client.get(page(case)).status_code == 404


# ---------- Query counts ----------


def count_queries(client, case):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(case)).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_circle(client, coordinator):
    small = a_case(at=Status.PREPARATION, coordinator=coordinator)
    large = a_case(at=Status.PREPARATION, coordinator=coordinator)
    add_participants(small, 5)
    add_participants(large, 40)
    client.force_login(coordinator)
    # The first visit creates each case's preparation row; count the visits after it.
    count_queries(client, small)
    count_queries(client, large)
    assert count_queries(client, small) == count_queries(client, large)


# ---------- Steps of the course ----------


def test_the_coordinator_records_first_contact_once(client, coordinator):
    case = a_case(at=Status.ASSIGNED, coordinator=coordinator)
    client.force_login(coordinator)
    url = reverse("preparation:first_contact", args=[case.pk])
    client.post(url)
    client.post(url)
    case.refresh_from_db()
    assert case.first_contact_at is not None
    assert AuditEvent.objects.filter(action=Action.CASE_FIRST_CONTACT).count() == 1


def test_the_coordinator_records_the_first_visit(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    client.post(reverse("preparation:first_visit", args=[case.pk]))
    case.refresh_from_db()
    assert case.first_visit_at is not None
    assert progress(case) == (1, 9)


def test_the_coordinator_starts_the_preparation(client, coordinator):
    case = a_case(at=Status.ASSIGNED, coordinator=coordinator)
    client.force_login(coordinator)
    url = reverse("preparation:start_preparation", args=[case.pk])
    response = client.post(url, follow=True)
    case.refresh_from_db()
    assert (case.status, case.started_at is not None) == (Status.PREPARATION, True)
    assert "De voorbereiding is gestart" in response.content.decode()
    moved = AuditEvent.objects.filter(action=Action.CASE_MOVED).latest("id")
    assert (moved.actor, moved.detail["new"]) == (coordinator, Status.PREPARATION)
    response = client.post(url, follow=True)  # a double submit changes nothing
    assert "al gestart" in response.content.decode()
    started = AuditEvent.objects.filter(action=Action.CASE_MOVED, detail__new="preparation")
    assert started.count() == 1


def test_get_is_not_allowed_on_the_buttons(client, coordinator):
    case = a_case(at=Status.ASSIGNED, coordinator=coordinator)
    client.force_login(coordinator)
    assert client.get(reverse("preparation:start_preparation", args=[case.pk])).status_code == 405
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


# ---------- Pause ----------


def test_pausing_needs_a_reason_shown_next_to_the_field(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("preparation:pause", args=[case.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "Geef een reden voor de pauze." in response.content.decode()
    case.refresh_from_db()
    assert case.paused_at is None


def test_pausing_stops_the_clocks_and_resuming_shifts_the_unmet_deadlines(client, coordinator):
    case = a_case(at=Status.ASSIGNED, coordinator=coordinator)  # the start is still to come
    met = timezone.now() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(first_contact_at=met)
    client.force_login(coordinator)
    response = client.post(
        reverse("preparation:pause", args=[case.pk]), {"reason": "Moeder is opgenomen"}, follow=True
    )
    assert "Moeder is opgenomen" in response.content.decode()
    case.refresh_from_db()
    assert case.pause_reason == "Moeder is opgenomen"

    # Ten days later the case resumes.
    paused_at = timezone.now() - timedelta(days=10)
    Case.objects.filter(pk=case.pk).update(paused_at=paused_at)
    before = Case.objects.get(pk=case.pk)
    client.post(reverse("preparation:resume", args=[case.pk]))
    after = Case.objects.get(pk=case.pk)
    assert after.paused_at is None
    shift = after.first_visit_due - before.first_visit_due
    assert timedelta(days=10) <= shift < timedelta(days=10, minutes=1)
    assert after.start_due - before.start_due == shift
    assert after.first_contact_due == before.first_contact_due  # already met: not shifted
    assert AuditEvent.objects.filter(action=Action.CASE_RESUMED).count() == 1


def test_resuming_twice_is_harmless(client, coordinator):
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    client.post(reverse("preparation:pause", args=[case.pk]), {"reason": "Ziekte"})
    url = reverse("preparation:resume", args=[case.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "niet op pauze" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.CASE_RESUMED).count() == 1


# ---------- The coordinator's cases ----------


def test_my_cases_lists_the_coordinators_involved_cases_with_a_link(client, coordinator):
    mine = a_case(at=Status.PREPARATION, coordinator=coordinator)
    done = a_case(at=Status.FOLLOWED_UP, coordinator=coordinator)
    theirs = a_case(at=Status.PREPARATION, coordinator=UserFactory(role=Role.COORDINATOR))
    client.force_login(coordinator)
    response = client.get(reverse("preparation:my_cases"))
    content = response.content.decode()
    assert page(mine) in content
    assert page(done) not in content
    assert page(theirs) not in content
    assert "Volgende termijn" in content


def test_my_cases_is_for_coordinators(client, manager):
    client.force_login(manager)
    assert client.get(reverse("preparation:my_cases")).status_code == 403


def test_my_cases_uses_a_constant_number_of_queries(client, coordinator):
    a_case(at=Status.PREPARATION, coordinator=coordinator)
    client.force_login(coordinator)
    url = reverse("preparation:my_cases")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        a_case(at=Status.PREPARATION, coordinator=coordinator)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert response.content.decode().count('data-testid="my-case"') == 5
    assert len(one) == len(five)
