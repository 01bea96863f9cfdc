"""Mark a case's figures stale whenever the ORM writes data they are computed from.

Marking is one cheap insert; the recomputation happens when figures are read (or by the
periodic task). Bulk writes bypass these signals: the domain code that writes in bulk marks
the case itself (``facts.mark_stale``), and the demo's raw loader rebuilds everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from kring.cases.models import Case
from kring.evaluation.models import Answer, Questionnaire
from kring.intake.models import Request
from kring.plans.models import Agreement, Attendance, Conference, Plan
from kring.preparation.models import Participant, ProfessionalInvolvement
from kring.stats.facts import mark_stale


def _case_itself(instance: Case) -> int | None:
    return instance.pk


def _by_case_field(instance: Any) -> int | None:
    return instance.case_id  # type: ignore[no-any-return]


def _agreement_case(instance: Agreement) -> int | None:
    return Plan.objects.filter(pk=instance.plan_id).values_list("case_id", flat=True).first()


def _attendance_case(instance: Attendance) -> int | None:
    return (
        Conference.objects.filter(pk=instance.conference_id)
        .values_list("case_id", flat=True)
        .first()
    )


def _answer_case(instance: Answer) -> int | None:
    return (
        Questionnaire.objects.filter(pk=instance.questionnaire_id)
        .values_list("case_id", flat=True)
        .first()
    )


def _request_case(instance: Request) -> int | None:
    return Case.objects.filter(request_id=instance.pk).values_list("id", flat=True).first()


CASE_OF: dict[type[Model], Callable[[Any], int | None]] = {
    Case: _case_itself,
    Request: _request_case,
    Conference: _by_case_field,
    Plan: _by_case_field,
    Participant: _by_case_field,
    ProfessionalInvolvement: _by_case_field,
    Agreement: _agreement_case,
    Attendance: _attendance_case,
    Questionnaire: _by_case_field,
    Answer: _answer_case,
}


# Fields no figure reads (free text): a save that writes only these marks nothing stale, so a
# professional saving their part does not make the next figures page recompute the case.
NOT_COUNTED: dict[type[Model], frozenset[str]] = {
    ProfessionalInvolvement: frozenset({"information", "concerns", "help_offer"}),
}


def _mark(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures: the rebuild after the load covers it
        return
    written = kwargs.get("update_fields")
    if written and written <= NOT_COUNTED.get(sender, frozenset()):
        return
    mark_stale([CASE_OF[sender](instance)])


for model in CASE_OF:
    post_save.connect(_mark, sender=model, dispatch_uid=f"stats-save-{model.__name__}")
    post_delete.connect(_mark, sender=model, dispatch_uid=f"stats-delete-{model.__name__}")
