"""What the end of a course closes, registered by the apps that own those things.

The case layer sits below the apps that hang links, offers and invitations on a case, so it
cannot import them; each app registers a closer in its ``AppConfig.ready`` instead. Closers
run inside the transaction that ends the course, so the ending and the closing land together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kring.cases.models import Case

# A closer closes what is still open for a case and says how many of each kind it closed.
Closer = Callable[["Case", datetime], dict[str, int]]
# The open things per kind, for the invariant that an ended case has nothing open.
OpenCounter = Callable[["Case"], dict[str, int]]

# What happens when a coordinator's involvement in a case ends (the pool frees the place).
InvolvementEnd = Callable[["Case"], None]

_closers: list[Closer] = []
_counters: list[OpenCounter] = []
_involvement_ends: list[InvolvementEnd] = []
# Organisations an app ties to a case (the invited professionals'), for the conflict check.
OrganisationSource = Callable[["Case"], set[int]]
_organisation_sources: list[OrganisationSource] = []


def register(closer: Closer, counter: OpenCounter) -> None:
    """Register one app's closer and the count of what it leaves open (once per app)."""
    if closer not in _closers:
        _closers.append(closer)
        _counters.append(counter)


def close_open_links(case: Case, now: datetime) -> dict[str, int]:
    """Close every open offer, link and invitation of the case; the counts closed, by kind."""
    closed: dict[str, int] = {}
    for closer in _closers:
        closed.update({kind: n for kind, n in closer(case, now).items() if n})
    return closed


def open_links(case: Case) -> dict[str, int]:
    """What is still open for the case, by kind (empty when nothing is)."""
    found: dict[str, int] = {}
    for counter in _counters:
        found.update({kind: n for kind, n in counter(case).items() if n})
    return found


def register_involvement_end(handler: InvolvementEnd) -> None:
    """Register what an app does when a coordinator stops being involved in a case."""
    if handler not in _involvement_ends:
        _involvement_ends.append(handler)


def end_involvement(case: Case) -> None:
    """Run every registered handler, inside the transaction that ends the involvement."""
    for handler in _involvement_ends:
        handler(case)


def register_organisation_source(source: OrganisationSource) -> None:
    """Register where an app keeps organisations involved in a case."""
    if source not in _organisation_sources:
        _organisation_sources.append(source)


def involved_organisations(case: Case) -> set[int]:
    """Every organisation the registered apps tie to the case."""
    found: set[int] = set()
    for source in _organisation_sources:
        found |= source(case)
    return found


# The coordinators matching proposes for a case, for the case page.
Proposer = Callable[["Case"], Any]
_proposers: list[Proposer] = []


def register_proposer(proposer: Proposer) -> None:
    """The matching part registers how it proposes coordinators (one proposer)."""
    if proposer not in _proposers:
        _proposers.append(proposer)


def proposals(case: Case) -> Any:
    """The proposals for the case from the registered proposer (None when there is none)."""
    return _proposers[0](case) if _proposers else None


# Rows written in bulk (no model signals) that the figures count: the figures part marks the
# cases' summaries stale so they are computed again.
FactsChanged = Callable[[Iterable[int | None]], None]
_facts_listeners: list[FactsChanged] = []


def register_facts_listener(listener: FactsChanged) -> None:
    if listener not in _facts_listeners:
        _facts_listeners.append(listener)


def facts_changed(case_ids: Iterable[int | None]) -> None:
    """Tell the figures that these cases changed in a way no model signal reported."""
    ids = list(case_ids)
    for listener in _facts_listeners:
        listener(ids)


# Who hears that a case changed status (the API's webhooks), inside the move's transaction.
MoveListener = Callable[["Case", str, str], None]
_move_listeners: list[MoveListener] = []


def register_move_listener(listener: MoveListener) -> None:
    if listener not in _move_listeners:
        _move_listeners.append(listener)


def moved(case: Case, old: str, new: str) -> None:
    """Tell the registered listeners that ``case`` went from ``old`` to ``new``."""
    for listener in _move_listeners:
        listener(case, old, new)
