"""Filling the drafted cases in a second process while this one drafts and writes.

The national scale drafts a hundred thousand requests and fills some ninety thousand cases
with circles, conferences and plans; on one core that takes minutes. ``Worker`` forks a process
that owns the ``Filler`` (built before the fork, with everything it read from the database) and
fills batch after batch in order, with the same seeded generator, so the rows are the same as
in-process. This process meanwhile drafts the next batch and writes the previous one: only the
rows cross between the two (the worker never touches the database).

``InProcess`` does the same in this process, for small data sets and where fork is missing.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
import warnings
from collections import deque
from multiprocessing.queues import Queue
from typing import Any

from kring.demo import names
from kring.demo.drafts import Draft, Family
from kring.demo.fill import Filler
from kring.demo.rows import Extra
from kring.demo.texts import SCENARIOS

_SCENARIOS = {scenario.key: scenario for scenario in SCENARIOS}
_BACKGROUNDS = {background.key: background for background in names.BACKGROUNDS}
Parcel = tuple[Any, ...]
_FORK_WARNING = "This process .* is multi-threaded"


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class InProcess:
    def __init__(self, filler: Filler) -> None:
        self.filler = filler
        self.done: deque[Extra] = deque()

    def submit(self, drafts: list[Draft]) -> None:
        self.done.append(self.filler.fill(drafts))

    def result(self) -> Extra:
        return self.done.popleft()

    def close(self) -> None:
        pass


class Worker:
    def __init__(self, filler: Filler) -> None:
        context = multiprocessing.get_context("fork")
        self.inbox: Queue[list[Parcel] | None] = context.Queue()
        self.outbox: Queue[tuple[str, Any]] = context.Queue()
        self.process = context.Process(
            target=_serve, args=(filler, self.inbox, self.outbox), daemon=True
        )
        with warnings.catch_warnings():
            # Python warns that forking a multi-threaded process (a test runner's threads) may
            # deadlock the child on a lock another thread held. The child here only reads its
            # queue, fills rows in pure Python and writes its queue: it takes no such lock
            # (no database, no logging, no progress bar).
            warnings.filterwarnings("ignore", _FORK_WARNING, DeprecationWarning)
            self.process.start()

    def submit(self, drafts: list[Draft]) -> None:
        self.inbox.put([_pack(draft) for draft in drafts if Filler.wants(draft)])

    def result(self) -> Extra:
        while True:
            try:
                kind, payload = self.outbox.get(timeout=1)
            except queue.Empty:
                if not self.process.is_alive():
                    raise RuntimeError("Het vulproces van de demo is onverwacht gestopt.") from None
                continue
            if kind == "error":
                raise RuntimeError(f"Het vulproces van de demo faalde:\n{payload}")
            return payload  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.process.is_alive():
            self.inbox.put(None)
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _serve(filler: Filler, inbox: Queue[list[Parcel] | None], outbox: Queue[Any]) -> None:
    while (parcels := inbox.get()) is not None:
        try:
            outbox.put(("ok", filler.fill([_unpack(parcel) for parcel in parcels])))
        except BaseException:
            outbox.put(("error", traceback.format_exc()))
            return


def _pack(draft: Draft) -> Parcel:
    """What the filler reads of a draft; scenario and background go by their key."""
    family, scenario = draft.family, draft.scenario
    assert family is not None and scenario is not None
    return (
        draft.request,
        draft.persons,
        draft.case,
        draft.course,
        scenario.key,
        family.background.key,
        family.adult,
        family.child,
        family.persons,
        family.context,
        family.adult_female,
        family.child_female,
    )


def _unpack(parcel: Parcel) -> Draft:
    request, persons, case, course, scenario, background, *rest = parcel
    adult, child, people, context, adult_female, child_female = rest
    family = Family(
        _BACKGROUNDS[background], adult, child, people, context, adult_female, child_female
    )
    return Draft(request, persons, [], case, [], _SCENARIOS[scenario], family, course)
