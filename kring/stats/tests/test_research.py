"""Research exports: pseudonyms, age bands, suppression, the log, and what a researcher sees."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone

from kring.accounts.models import Region, Role, User
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, Status
from kring.factories import MainPersonFactory, UserFactory, make_case, make_plan
from kring.stats import research
from kring.stats.figures import Filters
from kring.stats.models import ExportKind, ResearchExport
from kring.stats.research import AGE_BANDS, age_band, pseudonym, suppress_row
from kring.urls import urlpatterns as site_urls


def _research_mounted() -> list[URLPattern | URLResolver]:
    """The site as it is, with the research pages mounted where the statistics app puts
    them (``/cijfers/onderzoek/``, namespace ``stats:research``) whether or not it already
    includes them."""
    from kring.stats.urls import urlpatterns as stats_urls

    stats = [p for p in stats_urls if str(p.pattern) != "onderzoek/"]
    stats.append(path("onderzoek/", include("kring.stats.research_urls")))
    others = [
        p
        for p in site_urls
        if isinstance(p, URLPattern | URLResolver) and str(p.pattern) != "cijfers/"
    ]
    return [path("cijfers/", include((stats, "stats"))), *others]


urlpatterns = _research_mounted()
pytestmark = pytest.mark.urls(__name__)

INDEX, EXPORT, HISTORY = (
    "/cijfers/onderzoek/",
    "/cijfers/onderzoek/downloaden/",
    ("/cijfers/onderzoek/eerdere/"),
)
PURPOSE = "Promotieonderzoek naar doorlooptijden van Eigen Kracht-conferenties per regio."


def _at(year: int, month: int = 3, day: int = 15) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 10))


def _rows(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _download(client: Client, **data: Any) -> Any:
    return client.post(EXPORT, {"kind": ExportKind.RECORDS, "purpose": PURPOSE, **data})


# --- pseudonyms, bands, suppression: pure -------------------------------------------------


def test_pseudonym_is_stable_distinct_and_keyed(settings: Any) -> None:
    first = pseudonym(42)
    assert first == pseudonym(42)
    assert len(first) == 16 and int(first, 16) >= 0
    assert pseudonym(43) != first
    # Not the id, nor an unkeyed hash of it (16 hex digits may contain "42" by chance).
    assert first != hashlib.sha256(b"42").hexdigest()[:16] and not first.startswith("42")
    settings.KRING_PSEUDONYM_KEY = "another-installation"
    assert pseudonym(42) != first


def test_pseudonyms_do_not_depend_on_the_secret_key(settings: Any) -> None:
    # One leaked key must not reverse them: SECRET_KEY alone gives no pseudonym.
    first = pseudonym(42)
    settings.SECRET_KEY = "a-leaked-secret-key"
    assert pseudonym(42) == first


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [
        (2025, "0-11"),
        (2014, "0-11"),
        (2013, "12-17"),
        (2008, "12-17"),
        (2007, "18-26"),
        (1999, "18-26"),
        (1998, "27-64"),
        (1961, "27-64"),
        (1960, "65+"),
        (1920, "65+"),
        (None, ""),
        (2030, ""),  # born after the request: a typing error, not a band
        (1850, ""),
    ],
)
def test_age_band_in_the_year_of_the_request(birth_year: int | None, band: str) -> None:
    assert age_band(birth_year, 2025) == band


def test_age_bands_cover_every_age_once() -> None:
    for age in range(0, 121):
        matching = [b for low, high, b in AGE_BANDS if age >= low and (high is None or age <= high)]
        assert len(matching) == 1, age


@pytest.mark.parametrize(
    ("cells", "published", "total"),
    [
        # Nothing small: everything shown.
        ([7, 8, 9], ["7", "8", "9"], "24"),
        # Zeros are shown and never suppressed.
        ([12, 0, 6], ["12", "0", "6"], "18"),
        # One small cell: the total would give it away, so the next-smallest non-zero goes too.
        ([3, 0, 10, 20], ["<5", "0", "x", "20"], "33"),
        ([20, 4, 5, 50], ["20", "<5", "x", "50"], "79"),
        # Two small cells that could be 1+2 or 2+1: the total pins neither.
        ([2, 3, 100], ["<5", "<5", "100"], "105"),
        # Two small cells adding up to 2 (both 1) or 8 (both 4) would be pinned.
        ([1, 1, 100], ["<5", "<5", "x"], "102"),
        ([4, 4, 20, 30], ["<5", "<5", "x", "30"], "58"),
        # Only small cells, each pinned by the total: the total is hidden instead.
        ([1, 1, 1, 1, 1], ["<5", "<5", "<5", "<5", "<5"], "x"),
        # One small cell and one of exactly five: 1 + 5 = 6 gives both away (each "x" is at
        # least five), so the next one goes too.
        ([1, 5, 9, 0], ["<5", "x", "x", "0"], "15"),
        ([1, 5, 0], ["<5", "x", "0"], "x"),
        # Four ones under a total of "<5" would be pinned: the total is hidden.
        ([1, 1, 1, 1, 0], ["<5", "<5", "<5", "<5", "0"], "x"),
        # A small total is itself a small cell.
        ([2, 2], ["<5", "<5"], "<5"),
        ([3, 0, 0], ["<5", "0", "0"], "<5"),
        # A single non-zero cell of five or more is the total: nothing to hide.
        ([0, 5, 0], ["0", "5", "0"], "5"),
    ],
)
def test_suppress_row(cells: list[int], published: list[str], total: str) -> None:
    assert suppress_row(cells) == (published, total)


@functools.cache
def _consistent_rows(published: tuple[str, ...], total: str) -> list[tuple[int, ...]]:
    """The rows that fit what is shown: the shown numbers, the total (exact; "<5": 1-4; "x":
    anything), "<5": 1-4, and "x": five or more."""
    ranges = [
        range(1, 5) if shown == "<5" else range(5, 30) if shown == "x" else [int(shown)]
        for shown in published
    ]
    return [
        row
        for row in itertools.product(*ranges)
        if total == "x" or (total == "<5" and sum(row) < 5) or str(sum(row)) == total
    ]


def test_suppressed_cells_cannot_be_recovered_from_what_is_shown() -> None:
    """Every row of four cells up to 9: what is published leaves every hidden cell at least
    two possible values."""
    for cells in itertools.product(range(10), repeat=4):
        published, total = suppress_row(list(cells))
        rows = _consistent_rows(tuple(published), total)
        assert cells in rows
        for index, shown in enumerate(published):
            if shown in ("<5", "x"):
                assert len({row[index] for row in rows}) > 1, (cells, published, total)


# --- the record export --------------------------------------------------------------------


@pytest.fixture
def known_case(utrecht: Region) -> Case:
    """A case full of things a researcher must never see."""
    case = make_case(
        status=Status.HELD,
        submitted_at=_at(2025),
        requester_name="Gerritdina Pronk-Oosterveld",
        requester_email="geheim.adres@voorbeeld.nl",
        requester_phone="06-98765432",
        situation="Unieke situatieschets over de buurman met de blauwe fiets.",
        question="Wat is er nodig zodat Jantje weer naar de Klimopschool gaat?",
        postcode="3584 QX",
        main_person__name="Zwaantje Piepenbrock",
        main_person__birth_year=2012,
        main_person__postcode="3584 QX",
    )
    MainPersonFactory(request=case.request, name="Bartholomeus Piepenbrock", birth_year=1980)
    make_plan(case, agreements=6, professional_help_every=3)
    return case


def test_record_export_holds_no_personal_data(
    client: Client, researcher: User, known_case: Case
) -> None:
    client.force_login(researcher)
    response = _download(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    request = known_case.request
    for secret in (
        "Zwaantje",
        "Piepenbrock",
        "Gerritdina",
        "geheim.adres",
        "06-98765432",
        "3584",
        "blauwe fiets",
        "Klimopschool",
        request.reference,
        "Sanne de Vries",  # the circle's names (from make_plan)
        "2012",  # birth year
        "2025-03-15",  # exact date
    ):
        assert secret not in text, secret
    (row,) = csv.DictReader(io.StringIO(text), delimiter=";")
    assert row["pseudonym"] == pseudonym(known_case.pk)
    assert row["region"] == "Utrecht"
    assert row["opened_month"] == "2025-03"
    assert row["main_persons"] == "2"
    assert row["main_person_age_bands"] == "12-17;27-64"
    assert row["circle_size"] == "5"
    assert row["agreements"] == "6"
    assert row["professional_agreements"] == "2"
    assert row["outcome"] == "conference"
    assert row["conference_held"] == "1"
    assert row["variant"] == "family"
    assert list(row) == [column.name for column in research.RECORD_COLUMNS]


def test_pseudonyms_are_the_same_in_every_export(
    client: Client, researcher: User, office: User, known_case: Case
) -> None:
    other = make_case(submitted_at=_at(2024))
    client.force_login(researcher)
    first = {row["opened_month"]: row["pseudonym"] for row in _rows(_download(client))}
    client.force_login(office)
    second = {row["opened_month"]: row["pseudonym"] for row in _rows(_download(client))}
    assert first == second
    assert first["2024-03"] == pseudonym(other.pk) != first["2025-03"]


def test_record_export_by_whole_years(client: Client, researcher: User, utrecht: Region) -> None:
    for year in (2022, 2023, 2024, 2025):
        make_case(submitted_at=_at(year, 12, 31))
    client.force_login(researcher)
    rows = _rows(_download(client, from_year=2023, to_year=2024))
    assert sorted(row["opened_month"] for row in rows) == ["2023-12", "2024-12"]
    assert ResearchExport.objects.get().filters == {"from_year": 2023, "to_year": 2024}


def test_record_export_reads_in_a_fixed_number_of_queries_per_batch(
    researcher: User, utrecht: Region
) -> None:
    def queries(batch: int) -> int:
        with CaptureQueriesContext(connection) as context:
            rows = list(research.record_rows(researcher, Filters(), batch=batch))
        assert len(rows) == Case.objects.count() + 1
        return len(context)

    for _ in range(10):
        make_case(status=Status.HELD)
    research_refresh()
    ten_in_one, ten_in_batches = queries(100), queries(10)
    for index in range(30):
        case = make_case(status=Status.HELD)
        MainPersonFactory(request=case.request)
        if index % 10 == 0:
            make_plan(case, agreements=3)
    research_refresh()
    assert queries(100) == ten_in_one
    # Three more batches of ten: three queries each (facts, main persons, circle sizes).
    assert queries(10) == ten_in_batches + 3 * 3


def research_refresh() -> None:
    from kring.stats.facts import refresh_stale

    refresh_stale()


# --- the aggregate export -----------------------------------------------------------------


def test_aggregate_export_suppresses_small_cells(
    client: Client, researcher: User, utrecht: Region, groningen: Region
) -> None:
    for _ in range(6):
        make_case(status=Status.HELD, submitted_at=_at(2024))
    for _ in range(2):
        make_case(status=Status.STOPPED, submitted_at=_at(2024))
    for _ in range(7):
        make_case(status=Status.HELD, submitted_at=_at(2024), region=groningen)
    client.force_login(researcher)
    response = client.post(EXPORT, {"kind": ExportKind.AGGREGATE, "purpose": PURPOSE})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_region = {row["region"]: row for row in rows}
    assert set(by_region) == {"Utrecht", "Groningen"}
    assert by_region["Utrecht"]["stopped"] == "<5"
    assert by_region["Utrecht"]["conference"] == "x"  # else 8 - 6 would give the 2 away
    assert by_region["Utrecht"]["total"] == "8"
    assert by_region["Utrecht"]["withdrawn"] == "0"
    assert by_region["Groningen"]["conference"] == "7"
    assert by_region["Groningen"]["year"] == "2024"
    export = ResearchExport.objects.get()
    assert (export.kind, export.rows) == (ExportKind.AGGREGATE, 2)


# --- the form and the log -----------------------------------------------------------------


def test_purpose_is_required_and_the_form_is_kept(client: Client, researcher: User) -> None:
    client.force_login(researcher)
    response = client.post(EXPORT, {"kind": ExportKind.AGGREGATE, "purpose": "", "to_year": 2024})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Beschrijf waarvoor u de gegevens gebruikt." in page
    assert 'id="id_purpose_error"' in page
    assert 'value="aggregate" class="" id="id_kind_1" checked' in page
    assert 'value="2024"' in page
    assert not ResearchExport.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.RESEARCH_EXPORTED).exists()


def test_purpose_must_say_something(client: Client, researcher: User) -> None:
    client.force_login(researcher)
    response = client.post(EXPORT, {"kind": ExportKind.RECORDS, "purpose": "onderzoek"})
    assert response.status_code == 400
    assert "ten minste 30 tekens" in response.content.decode()
    assert not ResearchExport.objects.exists()


def test_years_are_checked(client: Client, researcher: User) -> None:
    client.force_login(researcher)
    response = client.post(
        EXPORT, {"kind": ExportKind.RECORDS, "purpose": PURPOSE, "from_year": 2025, "to_year": 2023}
    )
    assert response.status_code == 400
    assert "Het eindjaar ligt vóór het beginjaar." in response.content.decode()
    response = client.post(
        EXPORT, {"kind": ExportKind.RECORDS, "purpose": PURPOSE, "from_year": "twintig"}
    )
    assert "Vul een jaartal in" in response.content.decode()


def test_every_export_is_logged_with_who_and_why(
    client: Client, researcher: User, known_case: Case
) -> None:
    client.force_login(researcher)
    _rows(_download(client, from_year=2025))
    export = ResearchExport.objects.get()
    assert export.user == researcher
    assert export.user_role == Role.RESEARCHER
    assert export.kind == ExportKind.RECORDS
    assert export.purpose == PURPOSE
    assert export.filters == {"from_year": 2025, "to_year": None}
    assert export.rows == 1
    event = AuditEvent.objects.get(action=Action.RESEARCH_EXPORTED)
    assert event.actor == researcher
    assert event.case is None
    assert event.object_id == str(export.pk)
    assert event.detail["purpose"] == PURPOSE
    assert event.detail["rows"] == 1
    assert event.detail["kind"] == ExportKind.RECORDS


def test_history_shows_own_exports_and_the_office_sees_all(
    client: Client, researcher: User, office: User
) -> None:
    colleague = UserFactory(role=Role.RESEARCHER)
    for user, purpose in ((researcher, "Mijn eigen onderzoek"), (colleague, "Andermans doel")):
        ResearchExport.objects.create(
            user=user, user_role=user.role, kind=ExportKind.RECORDS, purpose=purpose, rows=3
        )
    client.force_login(researcher)
    page = client.get(HISTORY).content.decode()
    assert "Mijn eigen onderzoek" in page
    assert "Andermans doel" not in page
    client.force_login(office)
    page = client.get(HISTORY).content.decode()
    assert "Mijn eigen onderzoek" in page and "Andermans doel" in page
    assert colleague.email in page


def test_landing_page_explains_what_is_never_in_it(client: Client, researcher: User) -> None:
    client.force_login(researcher)
    response = client.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wat er nooit in staat" in page
    assert "main_person_age_bands" in page
    assert EXPORT in page and HISTORY in page
    assert client.get(EXPORT).status_code == 200


# --- roles --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MANAGER, Role.COORDINATOR, Role.PROFESSIONAL])
@pytest.mark.parametrize("url", [INDEX, EXPORT, HISTORY])
def test_only_researchers_and_the_office_export(
    client: Client, db: None, role: str, url: str
) -> None:
    client.force_login(UserFactory(role=role, regions=["utrecht"]))
    assert client.get(url).status_code == 403
    assert client.post(EXPORT, {"kind": ExportKind.RECORDS, "purpose": PURPOSE}).status_code == 403
    assert not ResearchExport.objects.exists()


def test_anonymous_is_sent_to_log_in(client: Client, db: None) -> None:
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_a_researcher_never_sees_a_case(client: Client, researcher: User, known_case: Case) -> None:
    """Every app's pages about a case, its people or its plan refuse a researcher."""
    pk = known_case.pk
    client.force_login(researcher)
    for url in (
        "/trajecten/inbox/",
        f"/trajecten/{pk}/",
        "/verwijzingen/",
        "/coordinatoren/pool/",
        f"/coordinatoren/trajecten/{pk}/aanbieden/",
        "/coordinatoren/batch/",
        f"/voorbereiding/{pk}/",
        f"/voorbereiding/{pk}/kring/",
        f"/voorbereiding/{pk}/kring.svg",
        "/voorbereiding/te-laat/",
        f"/plan/{pk}/",
        f"/plan/{pk}/plan.pdf",
        f"/plan/{pk}/versies/",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        body = b"" if response.streaming else response.content
        assert b"Piepenbrock" not in body, url
        assert known_case.request.reference.encode() not in body, url
