import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.models import Case, Status
from kring.factories import make_case

pytestmark = pytest.mark.django_db


def detail(case):
    return reverse("cases:detail", args=[case.pk])


def test_the_manager_reads_the_request_and_the_view_is_logged(client, manager):
    case = make_case(wish_religion="boeddhisme", wish_culture="Surinaams")
    client.force_login(manager)
    content = client.get(detail(case)).content.decode()
    assert case.request.situation in content
    assert "boeddhisme" in content  # needed for matching
    viewed = AuditEvent.objects.get(action=Action.CASE_VIEWED)
    assert (viewed.actor, viewed.case) == (manager, case)


def test_another_regions_manager_gets_404_and_the_attempt_is_logged(client, other_manager):
    case = make_case()
    client.force_login(other_manager)
    assert client.get(detail(case)).status_code == 404
    denied = AuditEvent.objects.get(action=Action.CASE_ACCESS_DENIED)
    assert denied.outcome == Outcome.DENIED
    assert denied.detail["case_id"] == case.pk
    assert not AuditEvent.objects.filter(action=Action.CASE_VIEWED).exists()


def test_national_queue_cases_are_for_the_office_only(client, manager, office):
    case = make_case(region=None)
    client.force_login(manager)
    assert client.get(detail(case)).status_code == 404
    client.force_login(office)
    assert client.get(detail(case)).status_code == 200


def test_the_office_routes_a_national_queue_case_to_a_region(client, office, manager, utrecht):
    case = make_case(region=None)
    client.force_login(office)
    client.post(reverse("cases:route", args=[case.pk]), {"region": utrecht.pk})
    assert Case.objects.get(pk=case.pk).region == utrecht
    client.force_login(manager)
    assert client.get(detail(case)).status_code == 200


def decide_url(case, to):
    return reverse("cases:decide", args=[case.pk, to])


def test_accepting_a_request_through_its_button_moves_it_to_matching(client, manager):
    case = make_case()
    client.force_login(manager)
    page = client.get(detail(case)).content.decode()
    assert decide_url(case, "matching") in page
    assert "Aannemen: koppelen aan een coördinator" in page
    response = client.post(decide_url(case, "matching"), follow=True)
    assert Case.objects.get(pk=case.pk).status == Status.MATCHING
    content = response.content.decode()
    assert "Het traject staat nu op" in content
    assert "Koppelen aan coördinator" in content  # the timeline shows the new status


@pytest.mark.parametrize(
    ("status", "offered", "not_offered"),
    [
        (Status.NEW, {"matching", "rejected", "withdrawn", "informative_only"}, {"assigned"}),
        (Status.MATCHING, {"rejected", "withdrawn"}, {"assigned", "matching"}),
        (Status.PLANNED, {"stopped", "withdrawn"}, {"held", "preparation"}),
        (Status.HELD, {"no_plan"}, {"plan_sent"}),
        (Status.PLAN_SENT, set(), {"followed_up", "closed"}),
    ],
)
def test_the_page_offers_only_the_decisions_as_buttons(
    client, manager, status, offered, not_offered
):
    case = make_case(status=status)
    client.force_login(manager)
    content = client.get(detail(case)).content.decode()
    for to in offered:
        assert decide_url(case, to) in content
    for to in not_offered:
        assert decide_url(case, to) not in content
    assert 'name="to"' not in content  # no status drop-down


@pytest.mark.parametrize("to", ["assigned", "held", "plan_sent", "followed_up", "closed"])
def test_a_move_with_its_own_action_cannot_be_forced_through_the_decision_url(client, manager, to):
    case = make_case(status=Status.MATCHING)
    client.force_login(manager)
    response = client.post(decide_url(case, to), {f"{to}-note": "x"}, follow=True)
    assert Case.objects.get(pk=case.pk).status == Status.MATCHING
    assert Case.objects.get(pk=case.pk).coordinator is None
    assert "past niet (meer) bij de fase" in response.content.decode()


def test_a_decision_on_an_ended_case_shows_why(client, manager):
    case = make_case(status=Status.WITHDRAWN)
    client.force_login(manager)
    response = client.post(decide_url(case, "matching"), follow=True)
    assert Case.objects.get(pk=case.pk).status == Status.WITHDRAWN
    assert "past niet (meer) bij de fase" in response.content.decode()


def test_stopping_without_a_reason_shows_the_error_next_to_the_field(client, manager):
    case = make_case(status=Status.PREPARATION)
    client.force_login(manager)
    response = client.post(decide_url(case, "stopped"), {"stopped-note": "Ik typte dit"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "stopped-stop_reason_error" in content
    assert "Ik typte dit" in content  # what was typed is kept
    assert Case.objects.get(pk=case.pk).status == Status.PREPARATION


def test_rejecting_needs_a_reason_and_keeps_it_as_the_exit_note(client, manager):
    case = make_case()
    client.force_login(manager)
    response = client.post(decide_url(case, "rejected"), {"rejected-note": ""})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.NEW
    client.post(decide_url(case, "rejected"), {"rejected-note": "Geen vraag van de familie."})
    rejected = Case.objects.get(pk=case.pk)
    assert (rejected.status, rejected.exit_note) == (Status.REJECTED, "Geen vraag van de familie.")
    assert "Geen vraag van de familie." in client.get(detail(case)).content.decode()


def test_recording_first_contact_stops_its_clock(client, manager):
    case = make_case()
    client.force_login(manager)
    client.post(reverse("cases:first_contact", args=[case.pk]))
    assert Case.objects.get(pk=case.pk).first_contact_at is not None
    assert AuditEvent.objects.filter(case=case, action=Action.CASE_FIRST_CONTACT).count() == 1


def test_the_timeline_shows_who_did_what(client, manager):
    case = make_case()
    client.force_login(manager)
    client.post(decide_url(case, "matching"))
    content = client.get(detail(case)).content.decode()
    assert "Tijdlijn" in content
    assert "Koppelen aan coördinator" in content
    assert escape(str(manager)) in content


def test_case_page_query_count_does_not_grow_with_the_timeline(client, manager):
    case = make_case()
    client.force_login(manager)
    with CaptureQueriesContext(connection) as short:
        client.get(detail(case))
    for _ in range(10):
        client.get(detail(case))
    with CaptureQueriesContext(connection) as long:
        client.get(detail(case))
    assert AuditEvent.objects.filter(case=case).count() > 10
    assert len(long.captured_queries) == len(short.captured_queries) > 0
