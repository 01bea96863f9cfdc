"""The evaluation of every conference and the circle's growth on the figures page and in
the research export (issue 14 §5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kring.accounts.models import Region, User
from kring.evaluation.tests.builders import Sent, answer, sent_case
from kring.stats import research
from kring.stats.figures import Dashboard, Filters, dashboard

pytestmark = pytest.mark.django_db


def _values(board: Dashboard, key: str) -> dict[str, list[Any]]:
    return {label: [cell.value for cell in cells] for label, cells in board.table(key).rows}


def _answered(sent: Sent, scores: tuple[int, ...]) -> None:
    people = [sent.main, sent.aunt, sent.neighbour, sent.professional]
    for person, score in zip(people, scores, strict=False):
        answer(sent.questionnaire(person), score)


def test_the_circle_grows_beyond_the_household(office: User, utrecht: Region) -> None:
    sent_case(region=utrecht)  # aunt and neighbour attended; the aunt was named by Sanne
    board = dashboard(office, Filters())
    growth = _values(board, "circle_growth")
    assert growth["Aanwezig van buiten het huishouden"] == [2.0]
    assert growth["Aanwezig en genoemd door iemand anders uit de kring"] == [2.0]
    bands = _values(board, "circle_growth_bands")
    assert bands["1 of 2 mensen"] == [1, 100.0]
    assert bands["Niemand van buiten het huishouden"] == [0, 0.0]


def test_evaluation_results_national_and_per_region(
    office: User, manager: User, utrecht: Region, groningen: Region
) -> None:
    _answered(sent_case(region=utrecht), (5, 4, 3))
    _answered(sent_case(region=groningen), (2,))  # one answer: no averages shown
    board = dashboard(office, Filters())
    national = _values(board, "evaluation")
    assert national["Gevraagd"] == [8]
    assert national["Antwoorden"] == [4]
    assert national["Respons (%)"] == [50.0]
    assert national["Coördinator onafhankelijk"] == [3.5]
    per_region = _values(board, "evaluation_regions")
    assert per_region["Utrecht"] == [3, 75.0, 4.0, 4.0, 4.0, 4.0]
    assert per_region["Groningen"] == [1, 25.0, None, None, None, None]
    # A manager counts only their own region.
    theirs = _values(dashboard(manager, Filters()), "evaluation")
    assert theirs["Antwoorden"] == [3]


def test_a_researcher_sees_small_evaluation_cells_suppressed(
    researcher: User, utrecht: Region
) -> None:
    _answered(sent_case(region=utrecht), (5, 4, 3))
    board = dashboard(researcher, Filters())
    (answers,) = [cells for label, cells in board.table("evaluation").rows if label == "Antwoorden"]
    assert answers[0].hidden and answers[0].value is None


def test_the_research_export_has_the_evaluation_and_growth_columns(
    researcher: User, utrecht: Region
) -> None:
    _answered(sent_case(region=utrecht), (5, 4, 3))
    _answered(sent_case(region=utrecht), (2, 2))
    from kring.stats.facts import refresh_stale

    refresh_stale()
    header, *rows = list(research.record_rows(researcher, Filters()))
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert {
        "present_beyond_household",
        "present_named_by_others",
        "evaluation_invited",
        "evaluation_answers",
        "evaluation_independent_mean",
        "evaluation_recommend_mean",
    } <= set(header)
    by_answers = {record["evaluation_answers"]: record for record in records}
    assert by_answers["3"]["evaluation_heard_mean"] == "4,0"
    assert by_answers["3"]["evaluation_invited"] == "4"
    assert by_answers["3"]["present_beyond_household"] == "2"
    assert by_answers["2"]["evaluation_heard_mean"] == ""  # fewer than three answers


def _page_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("stats:dashboard")).status_code == 200
    return len(queries)


def test_the_dashboard_queries_do_not_grow_with_evaluations(
    client: Any, office: User, utrecht: Region
) -> None:
    client.force_login(office)
    _answered(sent_case(region=utrecht), (4, 4, 4))
    _page_queries(client)  # refreshes the stale rows
    few = _page_queries(client)
    for _ in range(3):
        _answered(sent_case(region=utrecht), (5, 3, 4, 2))
    _page_queries(client)
    assert _page_queries(client) == few
    html = client.get(reverse("stats:dashboard")).content.decode()
    assert 'data-testid="table-evaluation"' in html
    assert 'data-testid="table-circle_growth"' in html
