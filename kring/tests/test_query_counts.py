"""Every list page asks the database as often for one row as for twenty: no row costs a
query of its own. The rows are made the way people make them (``a_case`` walks the course
through the domain actions; offers, invitations and requests go through their own doors)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kring.accounts.models import Region, Role, User
from kring.accounts.testing import VerifiedClient
from kring.cases.models import Case, Status
from kring.factories import CoordinatorProfileFactory, UserFactory, a_case
from kring.intake.models import Channel

pytestmark = pytest.mark.django_db

ROWS = 20

# A row maker takes the row's number and returns a text the page must show for that row.
AddRow = Callable[[int], str]


def _get(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response.content.decode()


def assert_same_queries_for_1_and_20_rows(
    client: Any, url: str, add_row: AddRow, *, settle: Callable[[], object] = lambda: None
) -> None:
    """The page with one row and with twenty takes the same number of queries, and shows
    every row (so the twenty are really on it). ``settle`` runs before each count: what a
    periodic job would have done by then."""
    seen = [add_row(0)]
    client.get(url)  # caches that fill once (the session, content types) are not rows
    settle()
    one, page = _get(client, url)
    assert seen[0] in page
    seen += [add_row(number) for number in range(1, ROWS)]
    settle()
    twenty, page = _get(client, url)
    assert [text for text in seen if text not in page] == []
    assert twenty == one, f"{url}: {one} queries for 1 row, {twenty} for {ROWS}"


def _logged_in(user: User) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


# ---------- The manager's and the office's lists ----------


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICE])
def test_inbox(role: str, utrecht: Region) -> None:
    user = UserFactory(role=role, regions=[utrecht])

    def add_row(number: int) -> str:
        return a_case(at=Status.NEW if number % 2 else Status.MATCHING).request.reference

    assert_same_queries_for_1_and_20_rows(_logged_in(user), reverse("cases:inbox"), add_row)


def test_overdue_list_and_long_preparations(manager: User) -> None:
    weeks_ago = timezone.now() - timedelta(weeks=30)

    def add_row(number: int) -> str:
        case = a_case(at=Status.ASSIGNED)
        # The clocks, as if the weeks went by: no first contact, and assigned long ago.
        Case.objects.filter(pk=case.pk).update(
            first_contact_due=timezone.now() - timedelta(days=1), assigned_at=weeks_ago
        )
        return case.request.reference

    assert_same_queries_for_1_and_20_rows(
        _logged_in(manager), reverse("preparation:overdue"), add_row
    )


def test_implementation_due_list(manager: User) -> None:
    def add_row(number: int) -> str:
        return a_case(at=Status.FOLLOWED_UP).request.reference

    assert_same_queries_for_1_and_20_rows(
        _logged_in(manager), reverse("plans:implementation_due_list"), add_row
    )


def test_pool_of_coordinators(manager: User, utrecht: Region) -> None:
    def add_row(number: int) -> str:
        profile = CoordinatorProfileFactory(regions=[utrecht], languages=["nld"])
        a_case(at=Status.PREPARATION, coordinator=profile.user)  # a case to carry
        return reverse("coordinators:profile_edit", args=[profile.pk])

    assert_same_queries_for_1_and_20_rows(
        _logged_in(manager), reverse("coordinators:pool"), add_row
    )


def test_batch_proposal(manager: User, utrecht: Region) -> None:
    for _ in range(3):
        CoordinatorProfileFactory(regions=[utrecht], max_cases=10)

    def add_row(number: int) -> str:
        return a_case(at=Status.MATCHING).request.reference

    assert_same_queries_for_1_and_20_rows(
        _logged_in(manager), reverse("coordinators:batch"), add_row
    )


def test_trail_of_a_case(office: User) -> None:
    case = a_case(at=Status.NEW)
    detail = reverse("cases:detail", args=[case.pk])

    def add_row(number: int) -> str:
        # Someone else of the office opens the case: one more line in its trail.
        reader = UserFactory(role=Role.OFFICE)
        assert _logged_in(reader).get(detail).status_code == 200
        return escape(reader.get_full_name())

    assert_same_queries_for_1_and_20_rows(
        _logged_in(office), reverse("cases:trail", args=[case.pk]), add_row
    )


def test_subject_requests(office: User) -> None:
    client = _logged_in(office)
    url = reverse("privacy:requests")

    def add_row(number: int) -> str:
        name = f"Betrokkene {number:02d} de Vries"
        form = {
            "kind": "access",
            "subject_name": name,
            "subject_email": "",
            "received_on": timezone.localdate().isoformat(),
            "reason": "",
        }
        assert client.post(url, form).status_code == 302
        return name

    assert_same_queries_for_1_and_20_rows(client, url, add_row)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICE, Role.RESEARCHER])
def test_figures_dashboard(role: str, utrecht: Region) -> None:
    from kring.stats.facts import refresh_stale

    user = UserFactory(role=role, regions=[utrecht])
    stages = [Status.NEW, Status.PREPARATION, Status.HELD, Status.WITHDRAWN]

    def add_row(number: int) -> str:
        a_case(at=stages[number % len(stages)])
        return "<table"

    # The figures of changed cases are brought up to date in batches (a fixed number of
    # queries per batch), by the periodic job or by the first visit after a change: counted
    # here once they are, so both counts see the same up-to-date figures.
    assert_same_queries_for_1_and_20_rows(
        _logged_in(user), reverse("stats:dashboard"), add_row, settle=refresh_stale
    )


def test_history_of_research_exports(office: User) -> None:
    from kring.stats.models import ExportKind, ResearchExport

    def add_row(number: int) -> str:
        researcher = UserFactory(role=Role.RESEARCHER)
        ResearchExport.objects.create(  # the log line an export writes (a log, not a state)
            user=researcher,
            user_role=researcher.role,
            kind=ExportKind.AGGREGATE,
            purpose=f"Onderzoek naar doorlooptijden {number}",
            rows=3,
        )
        return researcher.email

    assert_same_queries_for_1_and_20_rows(
        _logged_in(office), reverse("stats:research:history"), add_row
    )


# ---------- The coordinator's lists ----------


def test_my_cases(coordinator: User) -> None:
    stages = [Status.ASSIGNED, Status.PREPARATION, Status.PLANNED, Status.HELD]

    def add_row(number: int) -> str:
        case = a_case(at=stages[number % len(stages)], coordinator=coordinator)
        return case.request.reference

    assert_same_queries_for_1_and_20_rows(
        _logged_in(coordinator), reverse("preparation:my_cases"), add_row
    )


def test_my_offers(coordinator: User, manager: User, utrecht: Region) -> None:
    from kring.coordinators.domain import make_offer

    profile = CoordinatorProfileFactory(user=coordinator, regions=[utrecht], max_cases=50)

    def add_row(number: int) -> str:
        case = a_case(at=Status.MATCHING)
        offer = make_offer(case, profile, by=manager, notify=False)
        return reverse("coordinators:offer_accept", args=[offer.pk])

    assert_same_queries_for_1_and_20_rows(
        _logged_in(coordinator), reverse("coordinators:offers"), add_row
    )


# ---------- The professional's lists ----------


def test_my_referrals(professional: User) -> None:
    def add_row(number: int) -> str:
        case = a_case(at=Status.NEW, referrer=professional, channel=Channel.REFERRAL)
        return case.request.reference

    assert_same_queries_for_1_and_20_rows(
        _logged_in(professional), reverse("intake:my_referrals"), add_row
    )


@pytest.mark.parametrize("joined", [True, False], ids=["joined", "invited"])
def test_my_involvements(professional: User, joined: bool) -> None:
    from kring.preparation.professionals.domain import (
        invite_professional,
        link_existing_professional,
    )

    def add_row(number: int) -> str:
        case = a_case(at=Status.PREPARATION)
        involvement = invite_professional(
            case,
            name=professional.get_full_name(),
            email=professional.email,
            organisation=f"Wijkteam {number}",
            role="Jeugdconsulent",
            by=case.coordinator,
        )
        if joined:
            link_existing_professional(involvement, professional)
        return case.request.reference if joined else f"Wijkteam {number}"

    assert_same_queries_for_1_and_20_rows(
        _logged_in(professional), reverse("preparation:my_involvements"), add_row
    )


def test_my_involvements_with_plans_to_check(professional: User) -> None:
    """Each plan waits for the professional's check against their conditions."""
    from kring.cases.choices import CompelledHelp
    from kring.factories import make_plan, walk_to
    from kring.preparation.professionals.domain import (
        add_conditions,
        invite_professional,
        link_existing_professional,
    )

    def add_row(number: int) -> str:
        case = a_case(at=Status.PREPARATION, compelled_help=CompelledHelp.COMPULSORY)
        involvement = invite_professional(
            case,
            name=professional.get_full_name(),
            email=professional.email,
            organisation="Jeugdbescherming Midden",
            role="Jeugdbeschermer",
            by=case.coordinator,
        )
        link_existing_professional(involvement, professional)
        add_conditions(involvement, ["Papa drinkt niet bij de kinderen."], by=professional)
        case = walk_to(case, Status.HELD)
        plan = make_plan(case, agreements=2)
        finalise = reverse("plans:plan_finalise", args=[case.pk])
        coordinator = _logged_in(case.coordinator)
        assert coordinator.post(finalise, {"lock_version": plan.lock_version}).status_code == 302
        return reverse("plans:plan_acceptance", args=[involvement.pk])

    assert_same_queries_for_1_and_20_rows(
        _logged_in(professional), reverse("preparation:my_involvements"), add_row
    )


# ---------- The lists within one case ----------


def _comes(case: Case, number: int, *, by: User) -> Any:
    """Someone added to the circle (the add page), who then said yes."""
    from kring.preparation.circle.domain import add_participant, update_participant
    from kring.preparation.models import Category, InvitationStatus, Participant

    person = add_participant(
        case,
        Participant(
            name=f"Familielid {number:02d} Jansen",
            relation="neef",
            category=Category.FAMILY,
            email=f"familie{number}@voorbeeld.nl" if number % 2 else "",
        ),
        by=by,
    )
    person.status = InvitationStatus.COMES
    return update_participant(person, ["status"], by=by)


def test_circle_of_a_case(coordinator: User) -> None:
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    # From two people on the page offers to keep two apart: its two drop-downs ask for the
    # circle once each, however many there are. Counted from there.
    _comes(case, 99, by=coordinator)

    def add_row(number: int) -> str:
        return _comes(case, number, by=coordinator).name

    assert_same_queries_for_1_and_20_rows(
        _logged_in(coordinator), reverse("preparation:circle", args=[case.pk]), add_row
    )


def test_adding_to_the_circle_of_a_case(coordinator: User) -> None:
    """The add page's "named by" select lists the circle in one query, however many."""
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)

    def add_row(number: int) -> str:
        return _comes(case, number, by=coordinator).name

    assert_same_queries_for_1_and_20_rows(
        _logged_in(coordinator), reverse("preparation:participant_add", args=[case.pk]), add_row
    )


def test_invitations_of_a_case(coordinator: User) -> None:
    from kring.factories import set_preparation
    from kring.preparation.logistics.domain import send_invitations

    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    set_preparation(case, venue="Buurthuis De Linde")

    def add_row(number: int) -> str:
        person = _comes(case, number, by=coordinator)
        if number % 3:  # most are invited at once, some still wait for the button
            send_invitations(case, by=coordinator)
        return person.name

    assert_same_queries_for_1_and_20_rows(
        _logged_in(coordinator), reverse("preparation:invitations", args=[case.pk]), add_row
    )


def test_professionals_of_a_case(coordinator: User) -> None:
    from kring.preparation.professionals.domain import invite_professional

    case = a_case(at=Status.PREPARATION, coordinator=coordinator)

    def add_row(number: int) -> str:
        invite_professional(
            case,
            name=f"Professional {number:02d}",
            email=f"professional{number}@wijkteam.example",
            organisation=f"Wijkteam {number}",
            role="Jeugdconsulent",
            by=coordinator,
        )
        return f"Professional {number:02d}"

    assert_same_queries_for_1_and_20_rows(
        _logged_in(coordinator), reverse("preparation:professionals", args=[case.pk]), add_row
    )


@pytest.mark.parametrize("page", ["plans:plan_edit", "plans:plan_history"])
def test_agreements_and_versions_of_a_plan(coordinator: User, page: str) -> None:
    """Every agreement added is a line on the plan page and a version in its history."""
    from kring.plans.writing import editor

    case = a_case(at=Status.HELD, coordinator=coordinator)
    people = [_comes(case, number, by=coordinator) for number in range(3)]
    plan = editor.open_plan(case, by=coordinator)

    def add_row(number: int) -> str:
        plan.refresh_from_db()
        what = f"Afspraak {number:02d}: oma haalt de kinderen op."
        data = editor.AgreementData(
            what, people[number % 3 :], None, "elke week", None, "parenting", bool(number % 2)
        )
        editor.add_agreement(plan, data, lock_version=plan.lock_version, by=coordinator)
        return what if page == "plans:plan_edit" else f"Afspraak {number:02d}"

    assert_same_queries_for_1_and_20_rows(
        _logged_in(coordinator), reverse(page, args=[case.pk]), add_row
    )
