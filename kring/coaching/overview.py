"""The view per coordinator (issue 14 §4): what a manager (and the coordinator) looks at when
coaching. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from kring.cases.choices import Variant
from kring.cases.clocks import months
from kring.cases.models import CONFERENCE_HELD_STATUSES, Case
from kring.coaching.lapses import lapse_day
from kring.coaching.models import Condition, Meeting
from kring.coordinators.matching import STATUS_VARIANTS, VARIANTS
from kring.coordinators.models import CoordinatorProfile, CoordinatorStatus, Language
from kring.evaluation.results import CoordinatorSummary, summary_for_coordinator
from kring.intake.models import Request
from kring.preparation.models import Participant


def variants_of(profile: CoordinatorProfile) -> list[str]:
    """The variants the coordinator may take, as labels: their status's, narrowed for an EK2
    coordinator to family plus the variants chosen in their EK2 report (when recorded)."""
    allowed = set(STATUS_VARIANTS.get(profile.status, frozenset()))
    if profile.status == CoordinatorStatus.EK2 and profile.ek2_variants is not None:
        allowed &= {Variant.FAMILY, *profile.ek2_variants}
    return [str(Variant(v).label) for v in VARIANTS if v in allowed]


def languages_used(profile: CoordinatorProfile) -> list[str]:
    """Languages of the cases the coordinator had: the families' wishes and the circle's
    preferred languages."""
    cases = Case.objects.filter(coordinator=profile.user_id)
    wished = Request.wish_languages.through.objects.filter(request__case__in=cases)
    spoken = Participant.objects.filter(case__in=cases, language__isnull=False)
    used = Language.objects.filter(
        Q(pk__in=wished.values("language_id")) | Q(pk__in=spoken.values("language_id"))
    )
    return list(used.order_by("name_nl").values_list("name_nl", flat=True))


@dataclass(frozen=True)
class ConditionState:
    label: str
    valid_until: date | None
    lapses_on: date | None
    state: str  # "missing", "expired", "soon" (two months) or "ok"


def _condition(profile: CoordinatorProfile, condition: Condition, today: date) -> ConditionState:
    lapses_on = lapse_day(profile, condition)
    if lapses_on is None:
        state = "missing"
    elif lapses_on <= today:
        state = "expired"
    else:
        state = "soon" if lapses_on - months(2) <= today else "ok"
    until = None if lapses_on is None else lapses_on - timedelta(days=1)
    return ConditionState(str(condition.label), until, lapses_on, state)


@dataclass(frozen=True)
class Overview:
    profile: CoordinatorProfile
    conferences_held: int
    variants: list[str]
    languages: list[str]
    last_meeting: Meeting | None
    conditions: list[ConditionState]
    supported_first: list[Case]
    evaluation: CoordinatorSummary | None


def overview(profile: CoordinatorProfile, today: date) -> Overview:
    user_cases = Case.objects.filter(coordinator=profile.user_id)
    last = (
        Meeting.objects.filter(invitations__profile=profile, invitations__attended=True)
        .order_by("-starts_at")
        .first()
    )
    return Overview(
        profile=profile,
        conferences_held=user_cases.filter(status__in=CONFERENCE_HELD_STATUSES).count(),
        variants=variants_of(profile),
        languages=languages_used(profile),
        last_meeting=last,
        conditions=[_condition(profile, c, today) for c in Condition],
        supported_first=list(
            user_cases.filter(supporting_manager__isnull=False).select_related(
                "request", "supporting_manager"
            )
        ),
        evaluation=summary_for_coordinator(profile),
    )
