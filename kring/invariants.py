"""The course's invariants, checked over the whole database.

Whatever sequence of actions people take, these hold: the property-based test of the course
drives random sequences of every action by every role and checks them after each step, and
the demo's test checks that the generated data (written in bulk for speed) satisfies them too.
"""

from __future__ import annotations

from django.db.models import Count, Q

from kring.cases.hooks import open_links
from kring.cases.models import (
    CONFERENCE_HELD_STATUSES,
    INVOLVED_STATUSES,
    OPEN_STATUSES,
    PLAN_SENT_STATUSES,
    Case,
    Status,
)
from kring.coordinators.models import CoordinatorProfile, OfferStatus
from kring.plans.models import Conference, Distribution


def broken_invariants() -> list[str]:
    """Every broken invariant, one line each (empty when the course holds)."""
    return [
        *_coordinators_of_cases(),
        *_held_without_record(),
        *_sent_without_distribution(),
        *_ended_with_something_open(),
        *_coordinators_over_capacity(),
    ]


def _coordinators_of_cases() -> list[str]:
    without = Case.objects.filter(status__in=INVOLVED_STATUSES, coordinator__isnull=True)
    before = Case.objects.filter(
        status__in=[Status.NEW, Status.MATCHING], coordinator__isnull=False
    )
    return [f"case {c.pk} is {c.status} without a coordinator" for c in without] + [
        f"case {c.pk} is {c.status} but has a coordinator" for c in before
    ]


def _held_without_record() -> list[str]:
    recorded = Conference.objects.values("case_id")
    # A conference ended 'no plan' was held too; only an ending before it has no record.
    missing = Case.objects.filter(status__in=CONFERENCE_HELD_STATUSES).exclude(pk__in=recorded)
    return [f"case {c.pk} is {c.status} without a conference record" for c in missing]


def _sent_without_distribution() -> list[str]:
    sent = Distribution.objects.values("plan__case_id")
    missing = Case.objects.filter(status__in=PLAN_SENT_STATUSES).exclude(
        Q(pk__in=sent) & Q(plan__sent_at__isnull=False)
    )
    return [f"case {c.pk} is {c.status} but its plan was never sent" for c in missing]


def _ended_with_something_open() -> list[str]:
    ended = Case.objects.exclude(status__in=OPEN_STATUSES)
    problems = []
    for case in ended:
        still_open = open_links(case)
        if still_open:
            problems.append(f"case {case.pk} ended ({case.status}) with open {still_open}")
    return problems


def _coordinators_over_capacity() -> list[str]:
    profiles = CoordinatorProfile.objects.annotate(
        open_offers=Count("offers", filter=Q(offers__status=OfferStatus.OPEN), distinct=True),
        involved=Count(
            "user__coordinated_cases",
            filter=Q(user__coordinated_cases__status__in=INVOLVED_STATUSES),
            distinct=True,
        ),
    )
    problems = []
    for profile in profiles:
        if profile.load > profile.max_cases:
            problems.append(f"coordinator {profile.pk} holds {profile.load} > {profile.max_cases}")
        if profile.load != profile.open_offers + profile.involved:
            problems.append(
                f"coordinator {profile.pk} load {profile.load} != "
                f"{profile.open_offers} open offers + {profile.involved} cases"
            )
    return problems
