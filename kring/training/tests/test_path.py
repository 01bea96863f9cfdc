"""The path from application to EK2, each step through its action; the coordinator's status
and variants follow from the steps."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from kring.accounts.models import Role, User
from kring.audit.models import Action, AuditEvent, Outcome
from kring.coordinators.matching_input import candidate_from
from kring.coordinators.models import CoordinatorProfile, CoordinatorStatus
from kring.training import domain
from kring.training.domain import TrainingRefused
from kring.training.models import (
    Certificate,
    Invitation,
    SessionKind,
    Stage,
    StatusChange,
)
from kring.training.testing import apply, attend, report_token, session

pytestmark = pytest.mark.django_db


def test_applying_mails_a_confirmation_and_logs(utrecht, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(utrecht, email="Fatima@Voorbeeld.nl")
    assert application.stage == Stage.APPLIED
    assert application.email == "fatima@voorbeeld.nl"
    assert application.cv.content_type == "application/pdf"
    assert [m.to for m in mail.outbox] == [["fatima@voorbeeld.nl"]]
    assert AuditEvent.objects.filter(action=Action.TRAINING_APPLIED).count() == 1


def test_a_double_submit_lands_once(utrecht):
    token = "6f1c1b8e-8f7a-4b8e-9a6e-3d2f1c0b9a8d"
    fields = {
        "first_name": "A",
        "last_name": "B",
        "email": "a@voorbeeld.nl",
        "phone": "",
        "postcode": None,
        "region": utrecht,
        "languages": [],
        "availability": ["daytime"],
        "motivation": "x",
        "cv": domain.CVFile("cv.pdf", "application/pdf", b"%PDF-1.4"),
        "submission_token": token,
    }
    first = domain.submit_application(**fields)
    again = domain.submit_application(**fields)
    assert first.pk == again.pk


def test_a_trainer_runs_an_ek1_group_through_to_certificates(
    utrecht, trainer, office, hold, django_capture_on_commit_callbacks
):
    """Done-when: info meeting, choice, EK1 group, self-reports, decisions, first conference,
    evaluation, certificates."""
    people = [apply(utrecht, email=f"kandidaat{n}@voorbeeld.nl") for n in range(3)]
    info = session(SessionKind.INFO, trainer)
    assert domain.invite(info, people, by=trainer) == 3
    present = [i.pk for i in info.invitations.all()]
    assert domain.record_attendance(info, present, by=trainer) == 3
    for person in people:
        domain.decide_to_take_part(person, by=trainer)
    ek1 = session(SessionKind.EK1, trainer, capacity=3)
    domain.invite(ek1, people, by=trainer)
    mail.outbox.clear()
    absent = people[2]
    there = [i.pk for i in ek1.invitations.exclude(application=absent)]
    with django_capture_on_commit_callbacks(execute=True):
        assert domain.record_attendance(ek1, there, by=trainer) == 2
    # The two who were there get the link to write their report; the absent one does not.
    assert sorted(m.to[0] for m in mail.outbox) == [people[0].email, people[1].email]
    absent.refresh_from_db()
    assert absent.stage == Stage.DECIDED
    numbers = []
    for person in people[:2]:
        person.refresh_from_db()
        assert person.stage == Stage.EK1_ATTENDED and person.report_token_hash
        domain.submit_self_report(person, dict.fromkeys(domain.REPORT_KEYS, "Past bij mij."))
        domain.decide_as_trainers(person, positive=True, talk_note="", by=trainer)
        person.refresh_from_db()
        profile = CoordinatorProfile.objects.get(user=person.user)
        assert profile.status == CoordinatorStatus.EK1
        assert not person.user.has_usable_password()
        assert person.user.role == Role.COORDINATOR
        assert list(profile.regions.all()) == [utrecht]
        with pytest.raises(TrainingRefused, match="nog niet gehouden"):
            domain.record_evaluation(person, positive=True, note="Goed.", by=office)
        from kring.training.testing import ready_for_matching

        ready_for_matching(person)
        hold(person.user)
        domain.record_evaluation(person, positive=True, note="Goed.", by=office)
        numbers.append(domain.issue_certificate(person, by=trainer).number)
        profile.refresh_from_db()
        assert profile.status == CoordinatorStatus.CERTIFIED
    year = timezone.localdate().year
    assert numbers == [f"EKC-{year}-0001", f"EKC-{year}-0002"]


def test_the_welcome_mail_lets_the_new_coordinator_choose_a_password(
    utrecht, walker, trainer, client, django_capture_on_commit_callbacks
):
    application = walker(apply(utrecht, email="nieuw@voorbeeld.nl"), Stage.SELF_REPORT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        domain.decide_as_trainers(application, positive=True, talk_note="", by=trainer)
    [welcome] = mail.outbox
    assert welcome.to == ["nieuw@voorbeeld.nl"]
    link = next(line for line in welcome.body.splitlines() if line.startswith("http"))
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302  # Django's reset: on to choosing the password
    assert client.get(response["Location"]).status_code == 200


def test_a_negative_decision_needs_the_talk_and_ends_the_path(utrecht, walker, trainer):
    application = walker(apply(utrecht, email="twijfel@voorbeeld.nl"), Stage.SELF_REPORT)
    with pytest.raises(TrainingRefused, match="gesprek"):
        domain.decide_as_trainers(application, positive=False, talk_note="  ", by=trainer)
    assert AuditEvent.objects.filter(
        action=Action.TRAINING_TRAINER_DECISION, outcome=Outcome.REFUSED
    ).exists()
    domain.decide_as_trainers(
        application, positive=False, talk_note="Besproken: sturend in gesprekken.", by=trainer
    )
    application.refresh_from_db()
    assert application.stage == Stage.ENDED and application.user is None
    assert not User.objects.filter(email="twijfel@voorbeeld.nl").exists()


def test_a_positive_decision_refuses_an_address_that_has_an_account(utrecht, walker, trainer):
    application = walker(apply(utrecht, email="bestaat@voorbeeld.nl"), Stage.SELF_REPORT)
    User.objects.create_user("Bestaat@voorbeeld.nl", None, role=Role.PROFESSIONAL)
    with pytest.raises(TrainingRefused, match="bestaat al een account"):
        domain.decide_as_trainers(application, positive=True, talk_note="", by=trainer)
    application.refresh_from_db()
    assert application.stage == Stage.SELF_REPORT


def test_steps_out_of_order_are_refused(utrecht, trainer, office):
    application = apply(utrecht, email="vroeg@voorbeeld.nl")
    with pytest.raises(TrainingRefused):
        domain.decide_to_take_part(application, by=trainer)
    with pytest.raises(TrainingRefused):
        domain.issue_certificate(application, by=office)
    with pytest.raises(TrainingRefused):
        domain.submit_self_report(application, dict.fromkeys(domain.REPORT_KEYS, "x"))
    ek1 = session(SessionKind.EK1, trainer)
    with pytest.raises(TrainingRefused, match="kan niet voor deze bijeenkomst"):
        domain.invite(ek1, [application], by=trainer)
    assert not Invitation.objects.exists()


def test_invitations_respect_capacity_and_no_double_invitation(utrecht, trainer):
    people = [apply(utrecht, email=f"p{n}@voorbeeld.nl") for n in range(3)]
    info = session(SessionKind.INFO, trainer, capacity=2)
    with pytest.raises(TrainingRefused, match="nog 2 plaatsen"):
        domain.invite(info, people, by=trainer)
    domain.invite(info, people[:1], by=trainer)
    other = session(SessionKind.INFO, trainer)
    with pytest.raises(TrainingRefused, match="al uitgenodigd"):
        domain.invite(other, people[:1], by=trainer)


def test_attendance_waits_for_the_day_and_is_recorded_once(utrecht, trainer):
    application = apply(utrecht, email="later@voorbeeld.nl")
    later = session(SessionKind.INFO, trainer, on=timezone.localdate() + timedelta(days=7))
    domain.invite(later, [application], by=trainer)
    with pytest.raises(TrainingRefused, match="vanaf de eerste dag"):
        domain.record_attendance(later, [], by=trainer)
    today = session(SessionKind.INFO, trainer)
    with pytest.raises(TrainingRefused, match="al uitgenodigd"):
        domain.invite(today, [application], by=trainer)
    assert application.invitations.count() == 1


def test_the_self_report_needs_every_point(utrecht, walker):
    application = walker(apply(utrecht, email="kort@voorbeeld.nl"), Stage.EK1_ATTENDED)
    answers = dict.fromkeys(domain.REPORT_KEYS, "Ja.")
    answers["chair"] = " "
    with pytest.raises(TrainingRefused, match="elke vraag"):
        domain.submit_self_report(application, answers)
    application.refresh_from_db()
    assert application.stage == Stage.EK1_ATTENDED


def test_a_negative_evaluation_ends_the_path_and_stops_the_coordinator(
    utrecht, walker, office, hold
):
    from kring.training.testing import ready_for_matching

    application = walker(apply(utrecht, email="eerste@voorbeeld.nl"), Stage.ACCEPTED)
    ready_for_matching(application)
    hold(application.user)
    domain.record_evaluation(application, positive=False, note="Te sturend.", by=office)
    application.refresh_from_db()
    assert application.stage == Stage.ENDED
    assert application.user.coordinator_profile.status == CoordinatorStatus.STOPPED
    with pytest.raises(TrainingRefused):
        domain.issue_certificate(application, by=office)


def test_ek2_after_two_conferences_with_the_variants_chosen(utrecht, walker, trainer):
    application = walker(apply(utrecht, email="ek2@voorbeeld.nl"), Stage.CERTIFIED)
    assert domain.conferences_done(application) == 1
    ek2 = session(SessionKind.EK2, trainer)
    with pytest.raises(TrainingRefused):
        domain.invite(ek2, [application], by=trainer)
    application = walker(application, Stage.EK2_REPORTED, ek2_variants=("group",))
    profile = CoordinatorProfile.objects.get(user=application.user)
    assert profile.status == CoordinatorStatus.EK2
    assert profile.ek2_variants == ["group"]
    candidate = candidate_from(profile, timezone.localdate())
    assert candidate.certified_variants == frozenset({"family", "group"})
    history = list(
        StatusChange.objects.filter(profile=profile)
        .order_by("pk")
        .values_list("to_status", flat=True)
    )
    assert history == ["ek1", "certified", "ek2"]


def test_the_ek2_report_is_the_coordinators_own_and_only_known_variants(utrecht, walker, office):
    application = walker(apply(utrecht, email="eigen@voorbeeld.nl"), Stage.EK2_ATTENDED)
    with pytest.raises(TrainingRefused, match="coördinator zelf"):
        domain.submit_ek2_report(application, variants=[], text="x", by=office)
    with pytest.raises(TrainingRefused, match="genoemde varianten"):
        domain.submit_ek2_report(
            application, variants=["family", "x"], text="x", by=application.user
        )
    domain.submit_ek2_report(application, variants=[], text="Alleen families.", by=application.user)
    profile = CoordinatorProfile.objects.get(user=application.user)
    assert candidate_from(profile, timezone.localdate()).certified_variants == {"family"}


def test_pause_resume_and_stop_are_actions_with_a_history(utrecht, walker, manager):
    application = walker(apply(utrecht, email="rust@voorbeeld.nl"), Stage.CERTIFIED)
    profile = CoordinatorProfile.objects.get(user=application.user)
    with pytest.raises(TrainingRefused, match="waarom"):
        domain.pause_coordinator(profile, reason="", by=manager)
    domain.pause_coordinator(profile, reason="Verbouwing.", by=manager)
    profile.refresh_from_db()
    assert profile.status == CoordinatorStatus.PAUSED
    domain.resume_coordinator(profile, by=manager)
    profile.refresh_from_db()
    assert profile.status == CoordinatorStatus.CERTIFIED
    with pytest.raises(TrainingRefused, match="niet op pauze"):
        domain.resume_coordinator(profile, by=manager)
    domain.stop_coordinator(profile, reason="Verhuisd.", by=manager)
    profile.refresh_from_db()
    assert profile.status == CoordinatorStatus.STOPPED
    assert AuditEvent.objects.filter(action=Action.COORDINATOR_STATUS_CHANGED).count() >= 5


def test_the_report_link_is_a_personal_key(utrecht, walker, client):
    application = walker(apply(utrecht, email="link@voorbeeld.nl"), Stage.EK1_ATTENDED)
    token = report_token(application)
    from django.urls import reverse

    url = reverse("training:self_report", args=[token])
    assert client.get(url).status_code == 200
    assert client.get(reverse("training:self_report", args=["verzonnen"])).status_code == 404
    data = dict.fromkeys(domain.REPORT_KEYS, "Ik denk het wel.")
    response = client.post(url, data)
    assert response.status_code == 200 and "ontvangen" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.SELF_REPORT and application.report_token_hash == ""
    assert client.get(url).status_code == 404


def test_certificate_numbers_are_gapless_per_year(db):
    year = timezone.localdate().year
    assert domain.next_certificate_number(year) == (1, f"EKC-{year}-0001")
    assert domain.next_certificate_number(year) == (2, f"EKC-{year}-0002")
    assert domain.next_certificate_number(year + 1) == (1, f"EKC-{year + 1}-0001")
    assert not Certificate.objects.exists()


def test_attend_helper_keeps_what_it_is_told(utrecht, trainer):
    application = apply(utrecht, email="helper@voorbeeld.nl")
    attend(application, SessionKind.INFO, trainer)
    application.refresh_from_db()
    assert application.stage == Stage.INFO_MEETING
