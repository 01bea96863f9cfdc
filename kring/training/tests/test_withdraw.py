"""A candidate who stops before becoming a coordinator: recorded with the reason, through
its own action, by the trainer or the office."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.accounts.testing import VerifiedClient
from kring.audit.models import Action, AuditEvent, Outcome
from kring.training import domain
from kring.training.domain import TrainingRefused
from kring.training.models import Application, Invitation, SessionKind, Stage
from kring.training.testing import apply, attend, report_token, session

pytestmark = pytest.mark.django_db


def test_stopping_ends_the_application_with_its_reason_and_frees_coming_seats(utrecht, trainer):
    person = apply(utrecht, email="stopt@voorbeeld.nl")
    attend(person, SessionKind.INFO, trainer)
    domain.decide_to_take_part(person, by=trainer)
    coming = session(SessionKind.EK1, trainer, on=timezone.localdate() + timedelta(days=20))
    domain.invite(coming, [person], by=trainer)

    domain.withdraw_application(person, reason="  Past nu niet naast werk.  ", by=trainer)

    person.refresh_from_db()
    assert person.stage == Stage.ENDED
    assert person.ended_reason == "Past nu niet naast werk."
    # The information meeting they were at stays; the coming EK1 seat is free again.
    assert [i.session.kind for i in person.invitations.all()] == [SessionKind.INFO]
    assert not Invitation.objects.filter(session=coming).exists()
    event = AuditEvent.objects.get(action=Action.TRAINING_WITHDRAWN)
    assert (event.actor, event.object_id, event.detail) == (
        trainer,
        str(person.pk),
        {"invitations_withdrawn": 1},
    )
    # The reason may name people: it is kept with the application, not in the log.
    assert "werk" not in str(event.detail)


def test_the_self_report_link_stops_working(utrecht, trainer):
    person = apply(utrecht, email="kandidaat@voorbeeld.nl")
    attend(person, SessionKind.INFO, trainer)
    domain.decide_to_take_part(person, by=trainer)
    attend(person, SessionKind.EK1, trainer)
    token = report_token(person)
    domain.withdraw_application(person, reason="Verhuist naar het buitenland.", by=trainer)
    response = VerifiedClient().get(reverse("training:self_report", args=[token]))
    assert "Verhuist" not in response.content.decode()
    assert Application.objects.get(pk=person.pk).report_token_hash == ""


def test_no_reason_or_a_coordinator_already_is_refused_and_logged(utrecht, trainer, walker):
    person = apply(utrecht, email="kandidaat@voorbeeld.nl")
    with pytest.raises(TrainingRefused) as refused:
        domain.withdraw_application(person, reason="   ", by=trainer)
    assert refused.value.field == "reason"
    accepted = walker(apply(utrecht, email="al@voorbeeld.nl"), Stage.ACCEPTED)
    with pytest.raises(TrainingRefused):
        domain.withdraw_application(accepted, reason="Wil stoppen.", by=trainer)
    assert Application.objects.get(pk=person.pk).stage == Stage.APPLIED
    assert Application.objects.get(pk=accepted.pk).stage == Stage.ACCEPTED
    refusals = AuditEvent.objects.filter(action=Action.TRAINING_WITHDRAWN, outcome=Outcome.REFUSED)
    assert refusals.count() == 2


def _page(client: Any, person: Application) -> str:
    return str(client.get(reverse("training:application", args=[person.pk])).content.decode())


def test_the_office_records_it_on_the_application_page(utrecht, office):
    person = apply(utrecht, email="kandidaat@voorbeeld.nl")
    client = VerifiedClient()
    client.force_login(office)
    assert "Vastleggen dat de kandidaat stopt" in _page(client, person)
    url = reverse("training:withdraw", args=[person.pk])

    empty = client.post(url, {"reason": "\t"})
    assert empty.status_code == 400
    assert "Dit veld is verplicht." in empty.content.decode()
    too_long = client.post(url, {"reason": "x" * 501})
    assert too_long.status_code == 400
    # The typed text comes back in the field, with the limit next to it.
    assert "x" * 501 in too_long.content.decode()
    assert "niet meer dan 500 tekens" in too_long.content.decode()
    assert Application.objects.get(pk=person.pk).stage == Stage.APPLIED

    done = client.post(url, {"reason": "Kiest voor een andere opleiding."}, follow=True)
    assert "de kandidaat is gestopt" in done.content.decode()
    page = _page(client, person)
    assert "Gestopt" in page and "Kiest voor een andere opleiding." in page
    assert "Vastleggen dat de kandidaat stopt" not in page
    # A second click: nothing changes, and the page says why.
    again = client.post(url, {"reason": "Nog eens."}, follow=True)
    assert "fase ‘Gestopt’" in again.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 302
    assert Application.objects.get(pk=person.pk).ended_reason == "Kiest voor een andere opleiding."


def test_a_manager_reads_the_application_but_does_not_end_it(utrecht, manager):
    person = apply(utrecht, email="kandidaat@voorbeeld.nl")
    client = VerifiedClient()
    client.force_login(manager)
    assert "Vastleggen dat de kandidaat stopt" not in _page(client, person)
    refused = client.post(reverse("training:withdraw", args=[person.pk]), {"reason": "Zomaar."})
    assert refused.status_code == 403
    assert Application.objects.get(pk=person.pk).stage == Stage.APPLIED
