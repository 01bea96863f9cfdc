"""Acceptance against the safety conditions: submitting, checking, back to the circle, final."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role, User
from kring.audit.models import Action, AuditEvent
from kring.cases.choices import CompelledHelp
from kring.cases.models import Case, Status
from kring.factories import OrganisationFactory, UserFactory, a_case, make_plan
from kring.plans.models import Acceptance, ConditionCheck, Plan, PlanStatus
from kring.preparation.models import ProfessionalInvolvement, SafetyCondition

pytestmark = pytest.mark.django_db

SLEEP = "Sara slaapt elke nacht thuis of bij oma."
SCHOOL = "Sara gaat elke schooldag naar school."


def _involve(case: Case, by: User, *, name: str, organisation: str) -> ProfessionalInvolvement:
    user = UserFactory(role=Role.PROFESSIONAL, email=f"{name.lower()}@{organisation[:4]}.example")
    return ProfessionalInvolvement.objects.create(
        case=case,
        name=name,
        email=user.email,
        organisation=OrganisationFactory(name=organisation),
        invited_at=timezone.now(),
        invited_by=by,
        user=user,
        joined_at=timezone.now(),
    )


@pytest.fixture
def case(coordinator):
    return a_case(at=Status.HELD, compelled_help=CompelledHelp.COMPULSORY, coordinator=coordinator)


@pytest.fixture
def petra(case, coordinator):
    involvement = _involve(case, coordinator, name="Petra", organisation="Jeugdbescherming Midden")
    involvement.conditions.create(text=SLEEP)
    involvement.conditions.create(text=SCHOOL)
    return involvement


@pytest.fixture
def plan(case, petra):
    return make_plan(case, agreements=5)


def _finalise(client, coordinator, plan: Plan, callbacks):
    client.force_login(coordinator)
    plan.refresh_from_db()
    url = reverse("plans:plan_finalise", args=[plan.case_id])
    with callbacks(execute=True):
        response = client.post(url, {"lock_version": plan.lock_version})
    plan.refresh_from_db()
    return response


def _acceptance_url(involvement: ProfessionalInvolvement) -> str:
    return reverse("plans:plan_acceptance", args=[involvement.pk])


def _verdict(
    plan: Plan, involvement: ProfessionalInvolvement, *, accept: bool, comment: str = "", **checks
) -> dict[str, object]:
    """Every condition met unless ``checks`` says ``met_<pk>="not_met"``."""
    data: dict[str, object] = {
        "version": plan.version,
        "decision": "accept" if accept else "reject",
        "comment": comment,
    }
    for condition in involvement.conditions.all():
        data[f"met_{condition.pk}"] = "met"
        data[f"comment_{condition.pk}"] = ""
    data.update(checks)
    return data


def _decide(client, involvement, data, callbacks):
    client.force_login(involvement.user)
    with callbacks(execute=True):
        return client.post(_acceptance_url(involvement), data)


def _events(action: Action, case: Case):
    return AuditEvent.objects.filter(action=action, case=case)


def test_finalising_with_conditions_puts_the_plan_before_the_professional(
    client, coordinator, plan, petra, mailoutbox, django_capture_on_commit_callbacks
):
    response = _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert plan.status == PlanStatus.AWAITING_ACCEPTANCE and plan.finalised_at is None
    assert _events(Action.PLAN_SUBMITTED, plan.case).get().detail["involvements"] == [petra.pk]
    [mail] = mailoutbox
    assert mail.to == [petra.email]
    assert settings.SITE_URL.rstrip("/") + _acceptance_url(petra) in mail.body
    assert plan.case.request.reference in mail.subject
    assert plan.case.request.situation not in mail.body
    page = client.get(reverse("plans:plan_edit", args=[plan.case_id])).content.decode()
    assert "Wacht op toetsing aan het kader" in page and "nog niet getoetst" in page
    assert reverse("plans:agreement_add", args=[plan.case_id]) not in page


def test_the_acceptance_page_shows_the_plan_read_only(
    client, coordinator, plan, petra, django_capture_on_commit_callbacks
):
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    client.force_login(petra.user)
    response = client.get(_acceptance_url(petra))
    body = response.content.decode()
    assert response.status_code == 200
    for agreement in plan.agreements.all():
        assert agreement.what in body
    assert plan.next_meeting in body and plan.who_calls_together in body
    assert plan.emergency_plan in body
    assert SLEEP in body and SCHOOL in body
    assert 'name="what"' not in body
    assert "/afspraken/" not in body
    assert reverse("plans:plan_edit", args=[plan.case_id]) not in body
    # and a professional's POST to the editor is answered as if there were nothing
    edit = reverse("plans:plan_edit", args=[plan.case_id])
    assert client.post(edit, {"next_meeting": "Anders", "lock_version": 0}).status_code == 404


def test_the_acceptance_round_trip(
    client, coordinator, case, plan, petra, mailoutbox, django_capture_on_commit_callbacks
):
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    submitted = plan.version
    sleep = petra.conditions.get(text=SLEEP)

    # Not accepted: one condition not met.
    mailoutbox.clear()
    data = _verdict(
        plan,
        petra,
        accept=False,
        comment="Er staat niet in waar Sara slaapt als oma ziek is.",
        **{f"met_{sleep.pk}": "not_met", f"comment_{sleep.pk}": "Geen plek als oma ziek is."},
    )
    response = _decide(client, petra, data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.version == submitted + 1
    back = plan.versions.get(number=submitted + 1)
    assert back.reason == (
        "niet geaccepteerd door Jeugdbescherming Midden: "
        "Er staat niet in waar Sara slaapt als oma ziek is."
    )
    assert back.changed_by == petra.user
    assert plan.versions.filter(number=submitted).exists()  # the old version stays
    checks = ConditionCheck.objects.filter(plan=plan, plan_version=submitted)
    assert {(c.condition.text, c.met) for c in checks} == {(SLEEP, False), (SCHOOL, True)}
    assert _events(Action.PLAN_NOT_ACCEPTED, case).get().actor == petra.user
    assert _events(Action.PLAN_CONDITION_CHECKED, case).get().detail["not_met"] == 1
    [mail] = mailoutbox
    assert mail.to == [coordinator.email] and "niet geaccepteerd" in mail.subject

    # The coordinator sees why, and records what the circle changes.
    client.force_login(coordinator)
    page = client.get(reverse("plans:plan_edit", args=[case.pk])).content.decode()
    assert "Niet geaccepteerd: terug naar de kring" in page
    assert "Geen plek als oma ziek is." in page and SLEEP in page
    assert "Er staat niet in waar Sara slaapt als oma ziek is." in page
    plan.refresh_from_db()
    agreement = plan.agreements.first()
    response = client.post(
        reverse("plans:agreement_add", args=[case.pk]),
        {
            "what": "Als oma ziek is, slaapt Sara bij tante Lies.",
            "who_participants": [p.pk for p in agreement.who_participants.all()],
            "when": "altijd",
            "life_domain": "safety",
            "lock_version": plan.lock_version,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == submitted + 2

    # Submitted again, and accepted: final.
    mailoutbox.clear()
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    assert plan.status == PlanStatus.AWAITING_ACCEPTANCE
    assert [m.to for m in mailoutbox] == [[petra.email]]
    client.force_login(petra.user)
    assert "tante Lies" in client.get(_acceptance_url(petra)).content.decode()
    mailoutbox.clear()
    data = _verdict(plan, petra, accept=True)
    assert _decide(client, petra, data, django_capture_on_commit_callbacks).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINAL and plan.finalised_at is not None
    assert plan.version == submitted + 2
    assert _events(Action.PLAN_ACCEPTED, case).count() == 1
    assert _events(Action.PLAN_FINALISED, case).get().actor == petra.user
    assert "definitief" in mailoutbox[0].subject
    page = client.get(_acceptance_url(petra)).content.decode()
    assert "U heeft deze versie van het plan geaccepteerd" in page
    assert 'name="decision"' not in page

    # The history keeps both rounds.
    client.force_login(coordinator)
    history = client.get(reverse("plans:plan_history", args=[case.pk])).content.decode()
    assert "niet geaccepteerd door Jeugdbescherming Midden" in history
    assert "Geen plek als oma ziek is." in history
    assert history.count("Petra (Jeugdbescherming Midden)") == 2
    assert Acceptance.objects.filter(plan=plan).count() == 2
    page = client.get(reverse("plans:plan_edit", args=[case.pk])).content.decode()
    assert "Niet geaccepteerd" not in page


def test_a_double_submit_of_the_verdict_is_stored_once(
    client, coordinator, plan, petra, django_capture_on_commit_callbacks
):
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    data = _verdict(plan, petra, accept=False, comment="Nog niet veilig genoeg.")
    sleep = petra.conditions.get(text=SLEEP)
    data.update({f"met_{sleep.pk}": "not_met", f"comment_{sleep.pk}": "Onduidelijk."})
    _decide(client, petra, data, django_capture_on_commit_callbacks)
    _decide(client, petra, data, django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert Acceptance.objects.filter(plan=plan).count() == 1
    assert ConditionCheck.objects.filter(plan=plan).count() == 2
    assert plan.version == 2  # one step back to the circle, not two


@pytest.mark.parametrize(
    ("accept", "comment", "not_met_comment", "error"),
    [
        (False, "", "Geen plek.", "Schrijf op waarom u het plan niet accepteert."),
        (False, "Niet veilig.", "", "Schrijf op waarom deze voorwaarde niet is voldaan."),
        (True, "", "Geen plek.", "U kunt het plan niet accepteren als een voorwaarde niet"),
    ],
)
def test_comments_are_required_where_the_plan_falls_short(
    client,
    coordinator,
    plan,
    petra,
    django_capture_on_commit_callbacks,
    accept,
    comment,
    not_met_comment,
    error,
):
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    sleep = petra.conditions.get(text=SLEEP)
    data = _verdict(
        plan,
        petra,
        accept=accept,
        comment=comment,
        **{f"met_{sleep.pk}": "not_met", f"comment_{sleep.pk}": not_met_comment},
    )
    response = _decide(client, petra, data, django_capture_on_commit_callbacks)
    body = response.content.decode()
    assert response.status_code == 200
    assert error in body
    assert comment in body and not_met_comment in body  # the input is kept
    assert not Acceptance.objects.exists() and not ConditionCheck.objects.exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AWAITING_ACCEPTANCE


def test_every_condition_needs_a_choice(
    client, coordinator, plan, petra, django_capture_on_commit_callbacks
):
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    data = _verdict(plan, petra, accept=True)
    del data[f"met_{petra.conditions.first().pk}"]
    response = _decide(client, petra, data, django_capture_on_commit_callbacks)
    assert "Kies of deze voorwaarde is voldaan." in response.content.decode()
    assert not Acceptance.objects.exists()


def test_the_plan_is_final_only_when_everyone_with_conditions_accepted(
    client, coordinator, case, petra, django_capture_on_commit_callbacks
):
    karim = _involve(case, coordinator, name="Karim", organisation="Reclassering Nederland")
    karim.conditions.create(text="Vader drinkt niet als de kinderen er zijn.")
    _involve(case, coordinator, name="Joke", organisation="Wijkteam Zuid")  # no conditions
    plan = make_plan(case, agreements=3)
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    _decide(client, petra, _verdict(plan, petra, accept=True), django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AWAITING_ACCEPTANCE
    client.force_login(coordinator)
    page = client.get(reverse("plans:plan_edit", args=[case.pk])).content.decode()
    assert "geaccepteerd" in page and "nog niet getoetst" in page
    _decide(client, karim, _verdict(plan, karim, accept=True), django_capture_on_commit_callbacks)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINAL
    assert _events(Action.PLAN_ACCEPTED, case).count() == 2
    assert _events(Action.PLAN_FINALISED, case).count() == 1


def test_a_verdict_on_a_plan_that_went_back_to_the_circle_is_refused(
    client, coordinator, case, plan, petra, django_capture_on_commit_callbacks
):
    karim = _involve(case, coordinator, name="Karim", organisation="Reclassering Nederland")
    karim.conditions.create(text="Vader drinkt niet als de kinderen er zijn.")
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    karim_data = _verdict(plan, karim, accept=True)
    sleep = petra.conditions.get(text=SLEEP)
    petra_data = _verdict(
        plan,
        petra,
        accept=False,
        comment="Nee.",
        **{f"met_{sleep.pk}": "not_met", f"comment_{sleep.pk}": "Nee."},
    )
    _decide(client, petra, petra_data, django_capture_on_commit_callbacks)
    response = _decide(client, karim, karim_data, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not Acceptance.objects.filter(involvement=karim).exists()
    client.force_login(karim.user)
    page = client.get(_acceptance_url(karim)).content.decode()
    assert "Het plan is nu bij de kring." in page
    assert 'name="decision"' not in page


# ---------- Who may ----------


def test_only_the_professional_of_the_involvement_may_check(
    client, coordinator, case, plan, petra, django_capture_on_commit_callbacks
):
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    other_case = a_case(
        at=Status.HELD, compelled_help=CompelledHelp.COMPULSORY, coordinator=coordinator
    )
    stranger = _involve(other_case, coordinator, name="Anna", organisation="Veilig Thuis")
    stranger.conditions.create(text="Iets anders.")
    url = _acceptance_url(petra)
    for user in [stranger.user, coordinator, UserFactory(role=Role.PROFESSIONAL)]:
        client.force_login(user)
        assert client.get(url).status_code == 404
        data = _verdict(plan, petra, accept=True)
        assert client.post(url, data).status_code == 404
    assert not Acceptance.objects.exists()
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_professional_without_conditions_has_no_acceptance_page(client, coordinator, case, plan):
    joke = _involve(case, coordinator, name="Joke", organisation="Wijkteam Zuid")
    client.force_login(joke.user)
    assert client.get(_acceptance_url(joke)).status_code == 404


def test_the_plan_page_with_conditions_keeps_its_query_count(
    client, coordinator, case, petra, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = make_plan(case, agreements=5)
    _finalise(client, coordinator, plan, django_capture_on_commit_callbacks)
    url = reverse("plans:plan_edit", args=[case.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for extra in range(10):
        plan.agreements.create(what=f"Extra {extra}", life_domain="social", when="ooit")
    more = SafetyCondition.objects.create(involvement=petra, text="Nog een voorwaarde.")
    assert more.pk
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
