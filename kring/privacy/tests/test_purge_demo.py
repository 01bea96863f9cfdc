"""Retention over a whole generated demo (three years of cases, every kind of data the course
makes): after the purge a full dump holds nothing of any data past its period, and what is
not yet due is exactly as it was.

``test_purge.py`` follows one hand-made case with known names; this test does not list what
to look for. It takes every text of every row that hangs from a case past its period, keeps
those that occur nowhere else in the database (a text shared with a case that stays, like a
common first name or a template sentence, proves nothing), and searches the dump for them.
A model or field that the purge forgets leaves such texts behind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from kring.cases.models import Case, Status
from kring.demo.generate import SCALES, generate
from kring.factories import make_case, walk_to
from kring.preparation.professionals.domain import invite_professional
from kring.privacy.models import DataKind
from kring.privacy.purge import purge_expired
from kring.privacy.retention import closed_before
from kring.privacy.tests.test_purge import full_dump
from kring.stats.facts import rebuild_all
from kring.stats.models import CaseFact

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 4, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
# The small demo's three years, with fewer requests: enough cases past every period, past
# some and within all, in half a minute.
SCALE = replace(SCALES["small"], requests=150)

# Texts on a case's rows that are no personal data and stay by design: the case's reference
# (the figures and the log point at it), the paying organisation (an organisation, not a
# person), and hashes (of the log's chain, and of link tokens that stopped when the case
# closed): random, they name no one.
KEPT = {
    "intake.Request.reference",
    "intake.Request.funder_name",
    "preparation.Participant.poll_token_hash",
    "preparation.ProfessionalInvolvement.token_hash",
    "plans.FamilyLink.token_hash",
    "audit.AuditEvent.hash",
    "audit.AuditEvent.prev_hash",
}
# Where each kind of data lives (docs/security.md, "Retention"), for cases with some kinds past
# their period and others not. A case past every period is searched in every model.
KIND_MODELS = {
    DataKind.CIRCLE: {"preparation.Participant", "preparation.ContactNote"},
    DataKind.PROFESSIONAL: {"preparation.ProfessionalInvolvement", "preparation.SafetyCondition"},
    DataKind.PLAN: {"plans.Plan", "plans.Agreement", "plans.PlanVersion", "plans.FollowUp"},
    DataKind.REQUEST: {"intake.Request", "intake.MainPerson", "cases.CaseRemark"},
}


def _path_to_case(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its case (forward keys and reverse one-to-ones), or None."""
    frontier: list[tuple[Any, str]] = [(model, "")]
    seen = {model}
    for _ in range(4):
        following = []
        for current, path in frontier:
            if current is Case:
                return path or "pk"
            for field in current._meta.get_fields():
                if not (field.is_relation and field.related_model) or field.related_model in seen:
                    continue
                if field.concrete:
                    name = field.name
                elif field.one_to_one:
                    name = field.get_accessor_name()  # type: ignore[union-attr]
                else:
                    continue
                seen.add(field.related_model)
                following.append((field.related_model, f"{path}__{name}" if path else name))
        frontier = following
    return None


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _is_text(field: models.Field[Any, Any]) -> bool:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return isinstance(field, kinds) and not field.choices


def _tables() -> list[tuple[str, type[models.Model], str | None]]:
    existing = set(connection.introspection.table_names())
    return [
        (model._meta.label, model, _path_to_case(model))
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in existing
    ]


def _due(case_closed_at: datetime | None) -> set[DataKind]:
    if case_closed_at is None:
        return set()
    return {kind for kind in DataKind if case_closed_at < closed_before(kind, NOW)}


def _distinctive_traces(due: dict[int, set[DataKind]]) -> dict[str, set[str]]:
    """Every text on a row that must lose it (its case past every period, or the row's kind
    past its period), found nowhere else in the database; with the fields it came from."""
    owned: dict[str, set[str]] = defaultdict(set)
    elsewhere: list[str] = []
    for label, model, path in _tables():
        fields = model._meta.concrete_fields
        names = [field.attname for field in fields]
        texts = {f.attname for f in fields if _is_text(f) and f"{label}.{f.attname}" not in KEPT}
        kind = next((k for k, labels in KIND_MODELS.items() if label in labels), None)
        for case_id, *row in model._base_manager.values_list(path or "pk", *names):
            kinds = due.get(case_id, set()) if path else set()
            goes = kinds == set(DataKind) or kind in kinds
            for name, value in zip(names, row, strict=True):
                if goes and name in texts:
                    for text in _texts(value):
                        owned[text].add(f"{label}.{name}")
                else:
                    elsewhere.extend(
                        _texts(value) if isinstance(value, dict | list) else [str(value)]
                    )
    rest = "\n".join(elsewhere)
    return {text: where for text, where in owned.items() if len(text) >= 3 and text not in rest}


def _rows(case_ids: set[int], labels: set[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of these cases, every column, per model (all case models when no labels)."""
    rows = {}
    for label, model, path in _tables():
        if path is None or (labels is not None and label not in labels):
            continue
        names = [field.attname for field in model._meta.concrete_fields]
        query = model._base_manager.filter(**{f"{path}__in": case_ids}).order_by("pk")
        rows[label] = list(query.values_list(*names))
    return rows


def _facts() -> list[dict[str, Any]]:
    names = [f.attname for f in CaseFact._meta.concrete_fields if f.name != "refreshed_at"]
    return list(CaseFact.objects.order_by("case_id").values(*names))


def test_after_purging_a_generated_demo_a_full_dump_holds_nothing_past_its_period() -> None:
    generate(seed=12, scale=SCALE, now=NOW)
    rebuild_all()  # as manage.py demo does
    due = {pk: _due(closed_at) for pk, closed_at in Case.objects.values_list("pk", "closed_at")}
    gone = {pk for pk, kinds in due.items() if kinds == set(DataKind)}
    untouched = {pk for pk, kinds in due.items() if not kinds}
    partly = {pk: kinds for pk, kinds in due.items() if kinds and kinds != set(DataKind)}
    # The demo's three years hold cases past every period, past some, and within all.
    assert len(gone) >= 5 and len(untouched) >= 5 and len(partly) >= 5
    traces = _distinctive_traces(due)
    found_in = {where for places in traces.values() for where in places}
    assert {
        "preparation.Participant.name",
        "preparation.Participant.phone",
        "preparation.ProfessionalInvolvement.email",
        "intake.Request.situation",
        "intake.MainPerson.name",
        "plans.Agreement.what",
    } <= found_in
    untouched_before = _rows(untouched)
    not_due = {kind: {pk for pk, kinds in partly.items() if kind not in kinds} for kind in DataKind}
    partly_kept_before = {kind: _rows(ids, KIND_MODELS[kind]) for kind, ids in not_due.items()}
    assert any(partly_kept_before[DataKind.PLAN].values())  # plans that must stay
    facts_before = _facts()

    report = purge_expired(NOW)

    assert report.total() > 0
    dump = full_dump()
    left = {text[:80]: sorted(where) for text, where in traces.items() if text in dump}
    assert left == {}
    assert _rows(untouched) == untouched_before
    for kind, ids in not_due.items():
        assert _rows(ids, KIND_MODELS[kind]) == partly_kept_before[kind], kind
    assert _facts() == facts_before  # the figures stay


def test_a_case_with_two_professionals_loses_both_addresses() -> None:
    # Found by the demo: one case's professionals each have their own address (a constraint),
    # and blanking both to "" stopped the purge with an integrity error.
    case = make_case(status=Status.PREPARATION)
    for name, email in (("Bep Smit", "bep@jeugdteam.example"), ("Cor Vos", "cor@ggd.example")):
        invite_professional(
            case,
            name=name,
            email=email,
            organisation="Jeugdteam",
            role="mentor",
            by=case.coordinator,
        )
    case = walk_to(case, Status.CLOSED)

    report = purge_expired(timezone.now() + timedelta(days=3 * 365))

    assert report.purged["professional"] == 1
    emails = list(case.professionals.values_list("email", flat=True))
    assert len(emails) == len(set(emails)) == 2
    assert all(email.endswith("@verwijderd.invalid") for email in emails)
    assert not case.professionals.exclude(name="").exists()
