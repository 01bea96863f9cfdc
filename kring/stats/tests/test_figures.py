"""Each figure on a small hand-built data set with known answers, and who may see which."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Region, Role, User
from kring.cases.choices import Variant
from kring.cases.models import Case, Status
from kring.factories import (
    CoordinatorProfileFactory,
    OrganisationFactory,
    UserFactory,
    make_case,
    make_plan,
)
from kring.plans.models import Agreement, Cause, Implementation, Phase
from kring.preparation.models import InvitationStatus, Participant, ProfessionalInvolvement
from kring.preparation.professionals.domain import save_part
from kring.stats import facts
from kring.stats.figures import Dashboard, Filters, dashboard
from kring.stats.models import CaseFact, StaleCase

pytestmark = pytest.mark.django_db

F, P, N = Implementation.FULLY, Implementation.PARTLY, Implementation.NOT


def _values(board: Dashboard, key: str) -> dict[str, list[Any]]:
    return {label: [cell.value for cell in cells] for label, cells in board.table(key).rows}


def _register(case: Case, outcomes: list[tuple[str, str]]) -> None:
    for agreement, (value, cause) in zip(
        Agreement.objects.filter(plan__case=case).order_by("position"), outcomes, strict=True
    ):
        agreement.implementation, agreement.cause = value, cause
        agreement.save()


@pytest.fixture
def utrecht_cases(utrecht: Region) -> dict[str, Any]:
    """Ten Utrecht requests: 5 conferences (4 with a plan of 10 agreements), 2 plans without
    a conference, 2 stopped, 1 informative talk."""
    closed = [make_case(status=Status.CLOSED) for _ in range(4)]
    for case in closed:
        make_plan(case, agreements=10, final=True)
    _register(closed[0], [(F, "")] * 10)
    _register(closed[1], [(F, "")] * 10)
    _register(
        closed[2],
        [(F, "")] * 5 + [(P, Cause.FAMILY)] * 3 + [(N, Cause.PROFESSIONALS)] * 2,
    )
    _register(closed[3], [(N, Cause.FAMILY)] * 10)
    others = [
        make_case(status=Status.NO_PLAN),
        *(make_case(status=Status.PLAN_WITHOUT_CONFERENCE) for _ in range(2)),
        *(make_case(status=Status.STOPPED) for _ in range(2)),
        make_case(status=Status.INFORMATIVE_ONLY),
    ]
    return {"closed": closed, "others": others}


@pytest.fixture
def groningen_cases(groningen: Region) -> list[Case]:
    cases = [
        make_case(status=Status.CLOSED, region=groningen, postcode="9711 AA") for _ in range(2)
    ]
    for case in cases:
        Case.objects.filter(pk=case.pk).update(region=groningen)
    return cases


def test_funnel_counts_every_outcome_and_shares_of_the_decided(
    manager: User, utrecht_cases: dict[str, Any]
) -> None:
    funnel = _values(dashboard(manager, Filters()), "funnel")
    assert funnel["Conferentie gehouden"] == [5, 55.6]
    assert funnel["Plan zonder conferentie"] == [2, 22.2]
    assert funnel["Gestopt tijdens de voorbereiding"] == [2, 22.2]
    assert funnel["Alleen informatief gesprek"] == [1, None]
    assert funnel["Nog bezig"] == [0, None]


def test_plans_agreements_and_professional_help(
    manager: User, utrecht_cases: dict[str, Any]
) -> None:
    board = dashboard(manager, Filters())
    plans = _values(board, "plans")
    assert plans["Conferenties met een plan"] == [80.0]
    assert plans["Conferenties zonder plan"] == [20.0]
    assert plans["Afspraken met professionele hulp"] == [20.0]  # 2 of every 10
    assert "Gemiddeld 10,0 afspraken per plan (4 plannen)" in board.table("plans").note


def test_implementation_per_plan_and_per_agreement_with_causes(
    manager: User, utrecht_cases: dict[str, Any]
) -> None:
    board = dashboard(manager, Filters())
    implementation = _values(board, "implementation")
    assert implementation["Geheel uitgevoerd"] == [50.0, 62.5]  # 2 of 4 plans; 25 of 40
    assert implementation["Deels uitgevoerd"] == [25.0, 7.5]
    assert implementation["Niet uitgevoerd"] == [25.0, 30.0]
    causes = _values(board, "causes")
    assert causes["Bij de familie"] == [13, 86.7]
    assert causes["Bij de professionals"] == [2, 13.3]


def test_lead_times_median_and_share_within_the_deadline(manager: User, utrecht: Region) -> None:
    cases = [make_case(status=Status.PREPARATION) for _ in range(4)]
    for case, hours in zip(cases, (24, 24, 30, 96), strict=True):
        case.first_contact_at = case.opened_at + timedelta(hours=hours)
        case.save()
    lead_times = _values(dashboard(manager, Filters()), "lead_times")
    # Median of 24, 24, 30, 96 hours is 27 hours; 96 hours misses the three days.
    assert lead_times["Aanvraag tot eerste contact"] == [1.1, 75.0]


def test_attendance_invited_against_present_per_phase(manager: User, utrecht: Region) -> None:
    from kring.plans.conference.domain import ConferenceRecord, record_conference

    case = make_case(status=Status.PLANNED)
    statuses = [InvitationStatus.COMES] * 3 + [InvitationStatus.TO_ASK]
    people = [
        Participant.objects.create(case=case, name=f"P{i}", category="family", status=status)
        for i, status in enumerate(statuses)
    ]
    present = {Phase.INFORMATION: 3, Phase.PRIVATE: 2, Phase.PRESENTATION: 3}
    record = ConferenceRecord(
        held_on=timezone.localdate(),
        place="Huis",
        participants={phase: {p.pk for p in people[:count]} for phase, count in present.items()},
    )
    record_conference(case, record, by=case.coordinator)
    attendance = _values(dashboard(manager, Filters()), "attendance")
    assert attendance["Uitgenodigd"] == [3, None]
    assert attendance["Aanwezig bij de informatiefase"] == [3, 100.0]
    assert attendance["Aanwezig in de besloten tijd"] == [2, 66.7]


def test_coordinator_pool_languages_and_load(
    manager: User, office: User, utrecht: Region, groningen: Region
) -> None:
    CoordinatorProfileFactory(regions=[utrecht], languages=["nld", "tir"])
    CoordinatorProfileFactory(regions=[utrecht], languages=["nld"])
    CoordinatorProfileFactory(regions=[utrecht], languages=["arb"], status="stopped")
    CoordinatorProfileFactory(regions=[groningen], languages=["pol"])
    mine = _values(dashboard(manager, Filters()), "coordinators")
    assert mine["Actieve coördinatoren"] == [2]
    assert mine["Talen en dialecten"] == [2]
    national = _values(dashboard(office, Filters()), "coordinators")
    assert national["Actieve coördinatoren"] == [3]
    assert national["Talen en dialecten"] == [3]


def test_a_manager_never_counts_another_regions_cases(
    manager: User,
    other_manager: User,
    office: User,
    groningen: Region,
    utrecht_cases: dict[str, Any],
    groningen_cases: list[Case],
) -> None:
    assert dashboard(manager, Filters()).cases == 10
    assert dashboard(other_manager, Filters()).cases == 2
    # Asking for another region's figures gives nothing, not that region's numbers.
    assert dashboard(manager, Filters(regions=(groningen.pk,))).cases == 0
    assert dashboard(office, Filters()).cases == 12
    assert dashboard(office, Filters(regions=(groningen.pk,))).cases == 2


def test_filters_narrow_by_variant_domain_funder_and_period(office: User, utrecht: Region) -> None:
    old = make_case(submitted_at=timezone.now() - timedelta(days=400))
    make_case(variant=Variant.RESTORATIVE, life_domains=["housing", "finances"])
    make_case(life_domains=["safety"])
    assert dashboard(office, Filters(variant=Variant.RESTORATIVE)).cases == 1
    assert dashboard(office, Filters(domain="finances")).cases == 1
    assert dashboard(office, Filters(domain="safety")).cases == 1
    since = timezone.localdate() - timedelta(days=30)
    assert dashboard(office, Filters(start=since)).cases == 2
    assert dashboard(office, Filters(end=since)).cases == 1
    funder = old.request.referrer_organisation or UserFactory(with_organisation=True).organisation
    old.request.funder = funder
    old.request.save()
    assert dashboard(office, Filters(funder=funder.pk)).cases == 1


def test_a_researcher_sees_small_cells_suppressed(
    researcher: User, utrecht_cases: dict[str, Any]
) -> None:
    funnel = _values(dashboard(researcher, Filters()), "funnel")
    assert funnel["Conferentie gehouden"] == [5, 55.6]
    assert funnel["Plan zonder conferentie"] == [None, None]  # 2 cases: below five
    assert funnel["Alleen informatief gesprek"] == [None, None]
    # The notes count plans too: four registered plans are too few to mention.
    board = dashboard(researcher, Filters())
    assert board.table("implementation").note == ""
    assert "4 plannen" not in board.table("plans").note


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROFESSIONAL])
def test_coordinators_and_professionals_get_no_figures(client: Any, role: str) -> None:
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("stats:dashboard")).status_code == 403
    assert client.get(reverse("stats:table_csv", args=["funnel"])).status_code == 403


def test_dashboard_page_shows_tables_and_downloads_csv(
    client: Any, manager: User, utrecht_cases: dict[str, Any]
) -> None:
    client.force_login(manager)
    page = client.get(reverse("stats:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="table-funnel"' in html
    assert "55,6%" in html
    download = client.get(reverse("stats:table_csv", args=["implementation"]))
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Uitgevoerd;Plannen (%);Afspraken (%)"
    assert lines[1] == "Geheel uitgevoerd;50,0;62,5"
    assert client.get(reverse("stats:table_csv", args=["nonsense"])).status_code == 404


def test_a_bad_period_is_explained_and_the_form_kept(client: Any, manager: User) -> None:
    client.force_login(manager)
    page = client.get(reverse("stats:dashboard"), {"start": "2026-05-01", "end": "2026-01-01"})
    html = page.content.decode()
    assert "De einddatum ligt vóór de begindatum." in html
    assert 'value="2026-05-01"' in html


def _page_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("stats:dashboard")).status_code == 200
    return len(queries)


def test_queries_per_page_do_not_grow_with_the_data(client: Any, office: User) -> None:
    client.force_login(office)
    for _ in range(2):
        make_plan(make_case(status=Status.CLOSED), agreements=3)
    _page_queries(client)  # refreshes the stale rows
    few = _page_queries(client)
    for _ in range(8):
        make_plan(make_case(status=Status.CLOSED), agreements=6)
    _page_queries(client)
    assert _page_queries(client) == few


def test_writes_mark_the_case_stale_and_reading_refreshes_it(office: User) -> None:
    case = make_case(status=Status.CLOSED)
    plan = make_plan(case, agreements=5)
    assert StaleCase.objects.filter(case_id=case.pk).exists()
    dashboard(office, Filters())
    assert not StaleCase.objects.exists()
    assert CaseFact.objects.get(case=case).agreements == 5
    Agreement.objects.filter(plan=plan).first().delete()  # type: ignore[union-attr]
    assert dashboard(office, Filters()).table("plans").note.startswith("Gemiddeld 4,0")


def test_a_professional_writing_their_part_changes_no_figure_and_marks_nothing(
    office: User,
) -> None:
    case = make_case(status=Status.PREPARATION)
    dashboard(office, Filters())
    involvement = ProfessionalInvolvement.objects.create(
        case=case,
        name="Jeugdconsulent",
        organisation=OrganisationFactory(),
        invited_at=timezone.now(),
        invited_by=case.coordinator,
    )
    assert StaleCase.objects.filter(case_id=case.pk).exists()  # invited: counted
    dashboard(office, Filters())
    save_part(involvement, information="Stand.", concerns="", help_offer="", by=office)
    assert not StaleCase.objects.exists()
    involvement.save()  # a save that does not say what it wrote still marks
    assert StaleCase.objects.filter(case_id=case.pk).exists()


def test_incremental_rows_equal_a_full_rebuild(office: User, utrecht_cases: Any) -> None:
    dashboard(office, Filters())
    fields = [f.name for f in CaseFact._meta.concrete_fields if f.name != "refreshed_at"]
    incremental = list(CaseFact.objects.order_by("case").values(*fields))
    facts.rebuild_all()
    assert list(CaseFact.objects.order_by("case").values(*fields)) == incremental


def test_the_periodic_run_refreshes_stale_rows_and_a_rebuild_recomputes_all(
    office: User,
) -> None:
    case = make_case(status=Status.STOPPED)
    call_command("kring_periodic", stdout=io.StringIO())  # tasks run immediately
    assert CaseFact.objects.get(case=case).outcome == "stopped"
    assert not StaleCase.objects.exists()
    CaseFact.objects.all().delete()
    call_command("kring_stats", rebuild=True, stdout=io.StringIO())
    assert CaseFact.objects.get(case=case).outcome == "stopped"


def test_regions_side_by_side(
    office: User, manager: User, utrecht_cases: dict[str, Any], groningen_cases: list[Case]
) -> None:
    regions = _values(dashboard(office, Filters()), "regions")
    assert regions["Utrecht"] == [10, 55.6, 50.0, None]
    assert regions["Groningen"][0] == 2
    assert list(_values(dashboard(manager, Filters()), "regions")) == ["Utrecht"]


def test_researchers_filter_by_whole_years_only(client: Any, researcher: User) -> None:
    from kring.stats.forms import DashboardFilterForm

    form = DashboardFilterForm(
        {"start": "2025-03-14", "end": "2025-05-02", "domain": "safety"}, user=researcher
    )
    filters = form.filters()
    assert (filters.start, filters.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert filters.domain == "" and "funder" not in form.fields


def test_years_side_by_side_oldest_first(office: User, utrecht: Region) -> None:
    this_year = timezone.localdate().year
    make_case(status=Status.STOPPED, submitted_at=timezone.now().replace(year=this_year - 2))
    make_case(status=Status.CLOSED)
    make_case(status=Status.CLOSED)
    years = _values(dashboard(office, Filters()), "years")
    assert list(years) == [str(this_year - 2), str(this_year)]
    assert years[str(this_year - 2)][:2] == [1, 0.0]
    assert years[str(this_year)][:2] == [2, 100.0]


def test_a_manager_picks_from_the_funders_of_their_own_regions(
    manager: User, utrecht: Region, groningen: Region
) -> None:
    from kring.accounts.models import Organisation
    from kring.stats.forms import DashboardFilterForm

    ours = Organisation.objects.create(name="Gemeente Utrecht", kind="municipality")
    theirs = Organisation.objects.create(name="Gemeente Groningen", kind="municipality")
    make_case(funder=ours)
    make_case(funder=theirs, region=groningen, postcode="9711 AA")
    choices = list(DashboardFilterForm(user=manager).fields["funder"].queryset)  # type: ignore[attr-defined]
    assert choices == [ours]


def test_a_researchers_csv_marks_small_cells(
    client: Any, researcher: User, utrecht_cases: dict[str, Any]
) -> None:
    client.force_login(researcher)
    lines = (
        client.get(reverse("stats:table_csv", args=["funnel"]))
        .content.decode("utf-8-sig")
        .splitlines()
    )
    assert "Conferentie gehouden;5;55,6" in lines
    assert "Plan zonder conferentie;<5;<5" in lines
    page = client.get(reverse("stats:dashboard")).content.decode()
    assert "&lt;5" in page
