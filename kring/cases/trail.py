"""A case's log as people read it: the office's page of who saw the case (NEN 7513,
itself logged) and the manager's timeline on the case page.

Every read of case data writes a row, so a case that is opened often gathers thousands of
them. Neither page may grow with that: the trail is paged, and the timeline shows the changes
paged and the reads summarised per reader ("Traject bekeken door X, 14 keer, laatst op …").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import render

from kring.accounts.models import Role
from kring.audit.log import record
from kring.audit.models import Action, AuditEvent
from kring.cases import access
from kring.cases.models import Case
from kring.lib.http import AuthenticatedHttpRequest, role_required

TRAIL_PAGE_SIZE = 100
# The case page's timeline: this many changes a page, this many readers in the summary.
TIMELINE_PAGE_SIZE = 50
TIMELINE_READERS = 10

# Reads: every "…viewed" action (new parts' reads join by their name) and a family link's use.
READS = frozenset(
    {action for action in Action if action.value.endswith("viewed")} | {Action.FAMILY_LINK_USED}
)


@dataclass(frozen=True)
class Reads:
    """One reader's reads of one kind: who, how often and when last."""

    action: str
    actor: str
    role: str
    times: int
    last: datetime

    @property
    def label(self) -> str:
        return str(Action(self.action).label)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else ""


@dataclass(frozen=True)
class Timeline:
    changes: Page[AuditEvent]
    reads: list[Reads]
    more_readers: int


def case_timeline(case: Case, page: str | None) -> Timeline:
    """The case's changes, newest first and paged, and its reads summarised per reader and
    kind of read, the most recent readers first. A fixed number of queries and rows, however
    often the case was read."""
    events = AuditEvent.objects.filter(case=case)
    changes = events.exclude(action__in=READS).select_related("actor").order_by("-at", "-id")
    grouped = (
        events.filter(action__in=READS)
        .values("action", "actor_role", "actor__first_name", "actor__last_name", "actor__email")
        .annotate(times=Count("id"), last=Max("at"))
        .order_by("-last")
    )
    rows = list(grouped[: TIMELINE_READERS + 1])
    more = grouped.count() - TIMELINE_READERS if len(rows) > TIMELINE_READERS else 0
    reads = [
        Reads(
            action=row["action"],
            actor=_name(row["actor__first_name"], row["actor__last_name"], row["actor__email"]),
            role=row["actor_role"],
            times=row["times"],
            last=row["last"],
        )
        for row in rows[:TIMELINE_READERS]
    ]
    return Timeline(
        changes=Paginator(changes, TIMELINE_PAGE_SIZE).get_page(page),
        reads=reads,
        more_readers=more,
    )


def _name(first: str | None, last: str | None, email: str | None) -> str:
    """As ``User.__str__`` would say it, without fetching the user; "" for no account."""
    return f"{first or ''} {last or ''}".strip() or email or ""


@role_required(Role.OFFICE)
def case_trail(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Every read and write of one case: who, in which role, when, what and how it ended.

    For the office, and through the office for the person concerned (an access request).
    """
    case = access.get_case(request, case_pk)  # the office reaches every case
    record(request.user, Action.TRAIL_VIEWED, case=case, obj=case)
    events = AuditEvent.objects.filter(case=case).select_related("actor").order_by("-seq")
    page = Paginator(events, TRAIL_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "cases/case_trail.html", {"case": case, "page": page})
