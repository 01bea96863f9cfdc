"""The circles, conferences and plans of the demo: coherent with each case, and calibrated to
the published figures. One small data set, generated once for the whole module."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count, F

from kring.cases.choices import CompelledHelp
from kring.cases.models import Case, Status
from kring.demo.conference import implementation_of
from kring.demo.fill import ALL_TASKS
from kring.demo.generate import SCALES, generate
from kring.demo.rows import TABLES, Extra
from kring.demo.tests.test_demo import NOW
from kring.plans.conference.domain import aftercare_deadlines
from kring.plans.models import (
    Agreement,
    Attendance,
    Conference,
    FollowUp,
    Implementation,
    Phase,
    Plan,
    PlanStatus,
    PlanVersion,
)
from kring.preparation.models import (
    Category,
    ContactNote,
    InvitationStatus,
    Participant,
    Preparation,
    ProfessionalInvolvement,
    SafetyCondition,
)

pytestmark = pytest.mark.django_db
S = Status
PLAN_MADE = {S.PLAN_SENT, S.FOLLOWED_UP, S.IMPLEMENTATION_REGISTERED, S.CLOSED}
HELD = PLAN_MADE | {S.HELD, S.NO_PLAN}
REGISTERED = {S.IMPLEMENTATION_REGISTERED, S.CLOSED}
PAST_PREPARATION = HELD | {S.PLANNED}


@pytest.fixture(scope="module", autouse=True)
def demo_data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Generate once; every test reads it; roll it all back at the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(seed=5, scale=SCALES["small"], now=NOW)
        yield
        transaction.set_rollback(True)


def _share(part: int, whole: int) -> float:
    return 100 * part / whole


def test_extra_lists_every_table_once() -> None:
    assert [f.name for f in fields(Extra) if f.name != "case_dues"] == list(TABLES)


def test_cases_in_preparation_have_a_circle_of_6_to_25() -> None:
    sizes = Case.objects.filter(status=S.PREPARATION).annotate(n=Count("participants"))
    assert sizes.exists()
    assert all(6 <= case.n <= 25 for case in sizes), [case.n for case in sizes]
    statuses = Counter(
        Participant.objects.filter(case__status=S.PREPARATION, is_main_person=False).values_list(
            "status", flat=True
        )
    )
    # A preparation in progress: some asked, some still to ask, most who answered come.
    assert statuses[InvitationStatus.COMES] > statuses[InvitationStatus.DECLINES]
    assert statuses[InvitationStatus.TO_ASK] + statuses[InvitationStatus.ASKED] > 0


def test_every_case_from_assigned_on_has_a_preparation_and_a_circle() -> None:
    worked_on = Case.objects.filter(coordinator__isnull=False).exclude(
        status__in=[S.NEW, S.MATCHING, S.INFORMATIVE_ONLY]
    )
    assert worked_on.count() == Preparation.objects.count()
    assert not worked_on.annotate(n=Count("participants")).filter(n__lt=6).exists()
    for prep in Preparation.objects.select_related("case"):
        assert set(prep.tasks_done) <= set(ALL_TASKS)
        if prep.case.status in PAST_PREPARATION:
            assert prep.question and prep.question_agreed_at is not None, prep.case
            assert prep.venue and prep.conference_at is not None, prep.case
            assert prep.question_agreed_at <= NOW


def test_circles_hang_together() -> None:
    people = list(Participant.objects.values("id", "case_id", "named_by__case_id", "status"))
    assert all(p["named_by__case_id"] in (None, p["case_id"]) for p in people)
    # Main persons are there from the request: nobody named them.
    assert not Participant.objects.filter(named_by__isnull=False, is_main_person=True).exists()
    decided = Participant.objects.filter(case__status__in=PAST_PREPARATION, is_main_person=False)
    statuses = Counter(decided.values_list("status", flat=True))
    assert not statuses[InvitationStatus.TO_ASK] and not statuses[InvitationStatus.ASKED]
    came = statuses[InvitationStatus.COMES] + statuses[InvitationStatus.CONDITIONAL]
    assert _share(came, sum(statuses.values())) > 65
    notes = ContactNote.objects.select_related("participant__case")
    assert notes.exists()
    assert all(n.by_id == n.participant.case.coordinator_id for n in notes)
    hashes = set(Participant.objects.values_list("poll_token_hash", flat=True))
    assert len(hashes) == len(people)
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes)  # a hash, never a token


def test_professionals_and_safety_conditions() -> None:
    counts = Counter(ProfessionalInvolvement.objects.values_list("case_id", flat=True)).values()
    assert counts and max(counts) <= 2
    compelled = Case.objects.filter(
        status__in=PAST_PREPARATION,
        request__compelled_help__in=[CompelledHelp.PRESSURED, CompelledHelp.COMPULSORY],
    )
    assert compelled.exists()
    for case in compelled:
        assert SafetyCondition.objects.filter(involvement__case=case).exists(), case
    referrer = ProfessionalInvolvement.objects.filter(
        user=F("case__request__referrer"), organisation=F("case__request__referrer_organisation")
    )
    assert referrer.exists()  # the referrer is often one of the professionals


def test_conferences_and_attendance() -> None:
    held = Case.objects.filter(status__in=HELD)
    assert held.count() == Conference.objects.count()
    for conference in Conference.objects.select_related("case"):
        assert conference.coordinator_led_private_time == (conference.case.variant != "family")
        assert conference.information_started_at < conference.private_started_at
        assert conference.private_started_at < conference.presentation_started_at
        assert conference.presentation_started_at < conference.ended_at
    assert not Attendance.objects.filter(phase=Phase.PRIVATE, professional__isnull=False).exists()
    assert Attendance.objects.filter(phase=Phase.INFORMATION, professional__isnull=False).exists()
    private = Attendance.objects.filter(
        phase=Phase.PRIVATE,
        participant__category=Category.PROFESSIONALS,
        conference__coordinator_led_private_time=False,
    )
    assert not private.exists()
    attending = Participant.objects.filter(
        case__status__in=HELD, status__in=[InvitationStatus.COMES, InvitationStatus.CONDITIONAL]
    )
    informed = Attendance.objects.filter(phase=Phase.INFORMATION, participant__isnull=False)
    assert attending.count() == informed.count()


def test_plans_follow_the_status() -> None:
    statuses = Counter(Case.objects.values_list("status", flat=True))
    plans = Plan.objects.select_related("case")
    assert (
        plans.count()
        == sum(statuses[s] for s in PLAN_MADE) + plans.filter(case__status=S.HELD).count()
    )
    assert not Plan.objects.filter(case__status=S.NO_PLAN).exists()
    assert Conference.objects.filter(case__status=S.NO_PLAN).count() == statuses[S.NO_PLAN]
    for plan in plans:
        case = plan.case
        sent = case.status in PLAN_MADE
        assert (plan.status == PlanStatus.FINAL) == sent, case
        assert (plan.sent_at is not None) == sent, case
        assert plan.next_meeting and plan.who_calls_together and plan.evaluation_on
        dues = aftercare_deadlines(case.conference.held_on)
        assert case.plan_send_due == dues["plan_send_due"] == plan.send_due
        assert case.follow_up_due == dues["follow_up_due"]
        assert case.implementation_due == dues["implementation_due"]
        held_on = case.conference.held_on
        assert held_on < plan.evaluation_on
        if plan.sent_at:
            assert held_on <= plan.sent_at.date() and plan.sent_at <= NOW
    assert PlanVersion.objects.filter(number=1).count() == plans.count()
    followed = Case.objects.filter(status__in=PLAN_MADE - {S.PLAN_SENT})
    assert FollowUp.objects.count() == followed.count()


def test_agreements_are_calibrated() -> None:
    per_plan = list(Plan.objects.annotate(n=Count("agreements")).values_list("n", flat=True))
    assert all(8 <= n <= 25 for n in per_plan)
    assert 12 <= sum(per_plan) / len(per_plan) <= 18
    agreements = Agreement.objects.all()
    helped = agreements.filter(professional_help=True)
    assert _share(helped.count(), agreements.count()) == pytest.approx(20, abs=8)
    assert not helped.filter(who_organisation__isnull=True).exists()
    assert not agreements.filter(professional_help=False, who_organisation__isnull=False).exists()
    # Everyone else's agreements name one or two people of the circle.
    who = Counter(Agreement.who_participants.through.objects.values_list("agreement_id", flat=True))
    family = agreements.filter(professional_help=False).values_list("id", flat=True)
    assert all(1 <= who[key] <= 2 for key in family)
    texts = list(agreements.values_list("what", flat=True))
    # A sentence starts with a capital ("'s-Hertogenbosch" is the exception Dutch allows).
    assert all((text[0].isupper() or text[0] == "'") and "{" not in text for text in texts)
    assert len(set(texts)) > len(texts) / 2  # not one sentence a thousand times


def test_implementation_shares_match_the_published_figures() -> None:
    values: dict[int, list[str]] = defaultdict(list)
    causes: Counter[tuple[str, bool]] = Counter()
    rows = Agreement.objects.filter(plan__case__status__in=REGISTERED)
    for plan_id, done, cause in rows.values_list("plan_id", "implementation", "cause"):
        values[plan_id].append(done)
        causes[(done, bool(cause))] += 1
    outcomes = Counter(implementation_of(v) for v in values.values())
    total = sum(outcomes.values())
    assert total >= 60
    assert _share(outcomes[Implementation.FULLY], total) == pytest.approx(40, abs=12)
    assert _share(outcomes[Implementation.PARTLY], total) == pytest.approx(50, abs=12)
    assert _share(outcomes[Implementation.NOT], total) == pytest.approx(10, abs=12)
    # A cause wherever an agreement was not carried out fully, never where it was.
    assert not causes[(Implementation.FULLY, True)]
    assert not causes[(Implementation.PARTLY, False)] and not causes[(Implementation.NOT, False)]
    earlier = Agreement.objects.exclude(plan__case__status__in=REGISTERED)
    assert not earlier.exclude(implementation="").exists()


def test_indexes_are_back_after_the_bulk_load() -> None:
    # SQLite loads drop the secondary indexes and rebuild them; on every database the
    # model's named indexes must exist afterwards.
    with connection.cursor() as cursor:
        names = {
            name
            for table in ("plans_agreement", "audit_auditevent", "cases_case")
            for name in connection.introspection.get_constraints(cursor, table)
        }
    assert {"agreement_plan_domain", "audit_case_at", "case_inbox"} <= names
