"""``get_FOO_display`` from the table made once (kring/lib/choices.py) says what Django's says."""

from __future__ import annotations

from django.db import models
from django.utils import translation

from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.models import Case, Status


def _djangos(instance: models.Model, name: str) -> object:
    return models.Model._get_FIELD_display(instance, instance._meta.get_field(name))  # type: ignore[attr-defined]


def test_every_label_in_every_language_as_djangos() -> None:
    for language in ("nl", "en"):
        with translation.override(language):
            for action in Action:
                event = AuditEvent(action=action, outcome=Outcome.DENIED)
                assert event.get_action_display() == _djangos(event, "action")
                assert event.get_outcome_display() == _djangos(event, "outcome")
    with translation.override("en"):
        assert AuditEvent(action=Action.CASE_VIEWED).get_action_display() == "Case viewed"
    with translation.override("nl"):
        assert AuditEvent(action=Action.CASE_VIEWED).get_action_display() == "Traject bekeken"


def test_a_value_without_a_label_is_shown_as_it_is() -> None:
    assert AuditEvent(action="gone.action").get_action_display() == "gone.action"
    assert Case(status=Status.STOPPED).get_status_display() == str(Status.STOPPED.label)
    assert Case(status=None).get_status_display() is None  # type: ignore[misc]
