"""The questionnaires' results, counted: never a name, never a role, never one person's answer.

A case's results are shown only when at least ``KRING_EVALUATION_MIN_ANSWERS`` (3) people
answered, so nobody's answer can be read off the page; a coordinator's overall summary counts
only those cases (a case with one or two answers would otherwise show up as the difference
between two visits). The open answers come shuffled, without who wrote them.

``summary_for_coordinator`` is what the coordinator's own pages show (the evaluation page and
the coordinator overview); ``region_results`` is the manager's view of their regions.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from kring.accounts.models import User
from kring.cases.access import Reach, cases_within
from kring.cases.models import Case
from kring.evaluation.models import SCALE_MAX, SCALE_MIN, Answer, Question, Questionnaire

_shuffle = random.SystemRandom().shuffle


def min_answers() -> int:
    return int(settings.KRING_EVALUATION_MIN_ANSWERS)


@dataclass(frozen=True)
class QuestionResult:
    key: str
    label: str
    average: float
    # How many answered 1, 2, 3, 4 and 5.
    distribution: tuple[int, ...]

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(score, count, percent of the answers) for each score, for the page's bars."""
        total = sum(self.distribution) or 1
        return [
            (score, count, round(100 * count / total))
            for score, count in zip(range(SCALE_MIN, SCALE_MAX + 1), self.distribution, strict=True)
        ]


@dataclass(frozen=True)
class Results:
    answers: int
    invited: int
    questions: list[QuestionResult]
    comments: list[str]

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.answers / self.invited) if self.invited else None


@dataclass(frozen=True)
class CaseResults:
    """One case: how many were asked and answered; ``results`` only from three answers on."""

    case_id: int
    reference: str
    invited: int
    answers: int
    results: Results | None


@dataclass(frozen=True)
class CoordinatorSummary:
    coordinator: User
    # Every case of the coordinator's with questionnaires (counts only), newest first.
    cases: list[CaseResults]
    # Across the cases that have results: None until those hold three answers.
    overall: Results | None

    @property
    def shown_cases(self) -> list[CaseResults]:
        return [case for case in self.cases if case.results is not None]


def _results(rows: Sequence[dict[str, Any]], invited: int) -> Results:
    questions = []
    for question in Question:
        values = [row[question.value] for row in rows]
        distribution = tuple(values.count(score) for score in range(SCALE_MIN, SCALE_MAX + 1))
        average = round(sum(values) / len(values), 1) if values else 0.0
        questions.append(QuestionResult(question.value, str(question.label), average, distribution))
    comments = [row["comment"] for row in rows if row["comment"]]
    _shuffle(comments)
    return Results(len(rows), invited, questions, comments)


Row = dict[str, Any]


def _case_rows(cases: QuerySet[Case]) -> tuple[list[Row], dict[int, list[Row]]]:
    """Per case: the questionnaire counts (one query) and the answers (one query)."""
    counts: list[Row] = [
        dict(row)
        for row in Questionnaire.objects.filter(case__in=cases)
        .values("case_id", "case__request__reference", "case__coordinator_id")
        .order_by()
        .annotate(invited=Count("id"), answers=Count("id", filter=Q(answered_at__isnull=False)))
    ]
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    fields = ("questionnaire__case_id", *Question.values, "comment")
    for row in Answer.objects.filter(questionnaire__case__in=cases).order_by().values(*fields):
        answers[row["questionnaire__case_id"]].append(row)
    counts.sort(key=lambda row: -row["case_id"])
    return counts, answers


def _per_case(
    counts: Iterable[dict[str, Any]], answers: dict[int, list[dict[str, Any]]]
) -> list[CaseResults]:
    least = min_answers()
    result = []
    for row in counts:
        rows = answers.get(row["case_id"], [])
        shown = _results(rows, row["invited"]) if len(rows) >= least else None
        result.append(
            CaseResults(
                row["case_id"], row["case__request__reference"], row["invited"], len(rows), shown
            )
        )
    return result


def _overall(cases: list[CaseResults], answers: dict[int, list[dict[str, Any]]]) -> Results | None:
    shown = [case for case in cases if case.results is not None]
    rows = [row for case in shown for row in answers[case.case_id]]
    if len(rows) < min_answers():
        return None
    return _results(rows, sum(case.invited for case in shown))


def coordinator_results(user: User) -> CoordinatorSummary:
    """Everything a coordinator may see of their own questionnaires: per case the counts,
    results where three or more answered, and the overall summary (or None). Two queries,
    however many cases."""
    counts, answers = _case_rows(Case.objects.filter(coordinator=user))
    cases = _per_case(counts, answers)
    return CoordinatorSummary(user, cases, _overall(cases, answers))


def summary_for_coordinator(profile: Any) -> CoordinatorSummary | None:
    """One coordinator's results (a ``CoordinatorProfile`` or the user), for other pages to
    show (the coordinator overview): None while no case of theirs has results."""
    summary = coordinator_results(getattr(profile, "user", profile))
    return summary if summary.overall is not None else None


def case_results(case: Case) -> CaseResults:
    counts, answers = _case_rows(Case.objects.filter(pk=case.pk))
    found = _per_case(counts, answers)
    return found[0] if found else CaseResults(case.pk, case.request.reference, 0, 0, None)


@dataclass(frozen=True)
class RegionResults:
    """What a manager sees: per coordinator of their regions, and per case."""

    coordinators: list[CoordinatorSummary]
    cases: list[CaseResults]
    overall: Results | None


def region_results(user: User) -> RegionResults:
    """The manager's regions (the office: every region), in a fixed number of queries. A
    coordinator is listed once their cases here hold three answers in shown cases."""
    counts, answers = _case_rows(cases_within(user, Reach.MANAGE))
    cases = _per_case(counts, answers)
    by_coordinator: dict[int, list[CaseResults]] = defaultdict(list)
    coordinator_of = {row["case_id"]: row["case__coordinator_id"] for row in counts}
    for case in cases:
        if coordinator_of[case.case_id] is not None:
            by_coordinator[coordinator_of[case.case_id]].append(case)
    people = User.objects.in_bulk(list(by_coordinator))
    coordinators = []
    for pk, theirs in by_coordinator.items():
        overall = _overall(theirs, answers)
        if overall is not None:
            coordinators.append(CoordinatorSummary(people[pk], theirs, overall))
    coordinators.sort(key=lambda summary: summary.coordinator.get_full_name())
    return RegionResults(coordinators, [c for c in cases if c.results], _overall(cases, answers))
