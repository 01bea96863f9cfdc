"""Demo evaluations: questionnaires for the demo's sent plans, about half answered, and
results that show on the coordinators', managers' and figures pages."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Avg, Count, F

from kring.accounts.models import Role, User
from kring.demo.evaluation import REMARKS, seed_evaluation
from kring.demo.generate import SCALES, generate
from kring.evaluation.domain import send_questionnaire_reminders
from kring.evaluation.models import Answer, Questionnaire
from kring.evaluation.results import region_results, summary_for_coordinator
from kring.stats.figures import Filters, dashboard

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def test_seed_evaluation_gives_the_results_and_the_figures_something_to_show() -> None:
    generate(seed=7, scale=SCALES["small"], now=NOW)
    seed_evaluation(random.Random("7:evaluation"), NOW)
    made = Questionnaire.objects.all()
    assert made.count() > 0
    answers = Answer.objects.all()
    share = answers.count() / made.count()
    assert 0.3 < share < 0.65
    early = answers.filter(answered_at__lt=F("questionnaire__created_at"))
    assert not early.exists() and not answers.filter(answered_at__gt=NOW).exists()
    averages = answers.aggregate(Avg("independent"), Avg("recommend"))
    assert 3.8 < averages["independent__avg"] < 4.8
    # The reminder went as the periodic job sends it: to who was mailed and had not answered
    # two weeks on; so the job finds nothing left over from the demo's past.
    reminded = made.filter(reminded_at__isnull=False)
    assert reminded.exists() and not reminded.filter(sent_at__isnull=True).exists()
    assert not reminded.filter(answer__answered_at__lt=F("reminded_at")).exists()
    assert send_questionnaire_reminders(NOW) == 0
    remarks = set(answers.exclude(comment="").values_list("comment", flat=True))
    assert remarks and remarks <= set(REMARKS)
    # Some coordinator has results, the office sees them per coordinator, the figures show them.
    busiest = (
        answers.values("questionnaire__case__coordinator")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    coordinator = User.objects.get(pk=busiest["questionnaire__case__coordinator"])
    assert summary_for_coordinator(coordinator) is not None
    office = User.objects.filter(role=Role.OFFICE).first()
    assert office is not None
    assert region_results(office).coordinators
    table = dict(dashboard(office, Filters()).table("evaluation").rows)
    assert table["Antwoorden"][0].value == answers.count()


def test_seed_evaluation_is_deterministic() -> None:
    generate(seed=7, scale=SCALES["small"], now=NOW)

    Questionnaire.objects.all().delete()  # what generate() seeded (it calls the seed too)

    def run() -> list[tuple[int, int, int]]:
        seed_evaluation(random.Random("7:evaluation"), NOW)
        rows = list(
            Answer.objects.order_by(
                "questionnaire__case_id",
                "questionnaire__participant_id",
                "questionnaire__involvement_id",
            ).values_list("questionnaire__case_id", "independent", "heard")
        )
        Questionnaire.objects.all().delete()
        return rows

    assert run() == run()
