"""A presence recorded wrongly is set right through its own action (correct_attendance), with
the reason: the candidate's stage follows as far as nothing rests on the mistake."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from kring.accounts.models import User
from kring.accounts.testing import VerifiedClient
from kring.audit.models import Action, AuditEvent, Outcome
from kring.training import domain
from kring.training.domain import TrainingRefused
from kring.training.models import Application, Invitation, SessionKind, Stage, TrainingSession
from kring.training.testing import apply, attend, report_token, session

pytestmark = pytest.mark.django_db


def _recorded(person: Application, kind: str, trainer: User, *, present: bool) -> Invitation:
    group = session(kind, trainer)
    domain.invite(group, [person], by=trainer)
    invitation = group.invitations.get(application=person)
    domain.record_attendance(group, [invitation.pk] if present else [], by=trainer)
    return Invitation.objects.get(pk=invitation.pk)


def _stage(person: Application) -> str:
    return Application.objects.get(pk=person.pk).stage


def test_there_after_all_takes_the_step_and_keeps_the_reason(utrecht, trainer):
    person = apply(utrecht, email="wel@voorbeeld.nl")
    missed = _recorded(person, SessionKind.INFO, trainer, present=False)
    assert _stage(person) == Stage.APPLIED

    domain.correct_attendance(missed, attended=True, reason=" Vergeten aan te vinken. ", by=trainer)

    assert _stage(person) == Stage.INFO_MEETING
    missed.refresh_from_db()
    assert (missed.attended, missed.correction_reason) == (True, "Vergeten aan te vinken.")
    event = AuditEvent.objects.get(action=Action.TRAINING_ATTENDANCE_CORRECTED)
    assert (event.actor, event.object_id, event.detail) == (
        trainer,
        str(person.pk),
        {"session": missed.session_id, "attended": True, "stage": Stage.INFO_MEETING},
    )


def test_there_after_all_at_ek1_sends_the_report_link(
    utrecht, trainer, django_capture_on_commit_callbacks
):
    person = apply(utrecht, email="ek1@voorbeeld.nl")
    attend(person, SessionKind.INFO, trainer)
    domain.decide_to_take_part(person, by=trainer)
    missed = _recorded(person, SessionKind.EK1, trainer, present=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        domain.correct_attendance(
            missed, attended=True, reason="Stond in de verkeerde rij.", by=trainer
        )
    assert _stage(person) == Stage.EK1_ATTENDED
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert Application.objects.get(pk=person.pk).report_token_hash


def test_not_there_after_all_takes_the_step_back_and_closes_the_report_link(utrecht, trainer):
    person = apply(utrecht, email="niet@voorbeeld.nl")
    attend(person, SessionKind.INFO, trainer)
    domain.decide_to_take_part(person, by=trainer)
    ticked = _recorded(person, SessionKind.EK1, trainer, present=True)
    token = report_token(person)

    domain.correct_attendance(ticked, attended=False, reason="Verkeerd aangevinkt.", by=trainer)

    assert _stage(person) == Stage.DECIDED
    assert Application.objects.get(pk=person.pk).report_token_hash == ""
    answer = VerifiedClient().get(reverse("training:self_report", args=[token]))
    assert answer.status_code == 404


def test_a_step_that_rests_on_the_session_is_not_taken_back(utrecht, trainer):
    person = apply(utrecht, email="verder@voorbeeld.nl")
    ticked = _recorded(person, SessionKind.INFO, trainer, present=True)
    domain.decide_to_take_part(person, by=trainer)

    with pytest.raises(TrainingRefused) as refused:
        domain.correct_attendance(ticked, attended=False, reason="Toch niet.", by=trainer)

    assert "al verder" in str(refused.value)
    assert _stage(person) == Stage.DECIDED
    assert Invitation.objects.get(pk=ticked.pk).attended is True
    refusal = AuditEvent.objects.get(action=Action.TRAINING_ATTENDANCE_CORRECTED)
    assert refusal.outcome == Outcome.REFUSED


def test_another_session_of_the_kind_still_counts(utrecht, trainer):
    person = apply(utrecht, email="twee@voorbeeld.nl")
    first = _recorded(person, SessionKind.INFO, trainer, present=False)
    second = _recorded(person, SessionKind.INFO, trainer, present=True)
    domain.correct_attendance(first, attended=True, reason="Was er ook.", by=trainer)
    domain.correct_attendance(second, attended=False, reason="Toch niet.", by=trainer)
    assert _stage(person) == Stage.INFO_MEETING


def test_what_is_not_a_correction_is_refused_next_to_its_field(utrecht, trainer):
    person = apply(utrecht, email="fout@voorbeeld.nl")
    ticked = _recorded(person, SessionKind.INFO, trainer, present=True)
    with pytest.raises(TrainingRefused) as same:
        domain.correct_attendance(ticked, attended=True, reason="Zo.", by=trainer)
    assert same.value.field == "attended"
    with pytest.raises(TrainingRefused) as bare:
        domain.correct_attendance(ticked, attended=False, reason=" \t", by=trainer)
    assert bare.value.field == "reason"
    group = session(SessionKind.INFO, trainer)
    domain.invite(group, [apply(utrecht, email="open@voorbeeld.nl")], by=trainer)
    with pytest.raises(TrainingRefused):
        domain.correct_attendance(
            group.invitations.get(), attended=True, reason="Te vroeg.", by=trainer
        )
    assert _stage(person) == Stage.INFO_MEETING


def _post(client: Any, group: TrainingSession, data: dict[str, Any]) -> Any:
    return client.post(reverse("training:session_attendance_correct", args=[group.pk]), data)


def test_the_office_corrects_it_on_the_session_page(utrecht, trainer, office):
    person = apply(utrecht, email="pagina@voorbeeld.nl")
    missed = _recorded(person, SessionKind.INFO, trainer, present=False)
    elsewhere = _recorded(
        apply(utrecht, email="ander@voorbeeld.nl"), SessionKind.INFO, trainer, present=False
    )
    group = missed.session
    client = VerifiedClient()
    client.force_login(office)
    page = client.get(reverse("training:session", args=[group.pk])).content.decode()
    assert "Aanwezigheid corrigeren" in page and "nu: afwezig" in page

    empty = _post(client, group, {"invitation": missed.pk, "attended": "yes", "reason": ""})
    assert empty.status_code == 400
    assert "Dit veld is verplicht." in empty.content.decode()
    # Another session's invitation, tampered into the form: not one of the choices.
    other = _post(client, group, {"invitation": elsewhere.pk, "attended": "yes", "reason": "Zo."})
    assert other.status_code == 400
    assert "Selecteer een geldige keuze" in other.content.decode()
    same = _post(client, group, {"invitation": missed.pk, "attended": "no", "reason": "Zo."})
    assert same.status_code == 400
    assert "Zo staat het al genoteerd." in same.content.decode()
    assert _stage(person) == Stage.APPLIED

    done = _post(client, group, {"invitation": missed.pk, "attended": "yes", "reason": "Vergeten."})
    assert done.status_code == 302
    page = client.get(reverse("training:session", args=[group.pk])).content.decode()
    assert "De aanwezigheid is gecorrigeerd." in page
    assert "aanwezig (gecorrigeerd: Vergeten.)" in page
    assert _stage(person) == Stage.INFO_MEETING
    assert Invitation.objects.get(pk=elsewhere.pk).attended is False
