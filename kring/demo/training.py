"""Demo of the coordinator's path (issue 14 §1-2): two trainers, applicants and candidates in
every stage, an EK1 group in progress (invited, attendance still to record) and an information
meeting to come, certificates for some.

Every step goes through the real actions (``kring.training.testing.walk``). It runs in two
halves around the generator (``Path``): ``start`` takes everyone as far as they get without a
conference and tells the generator, as pinned requests (``pins``), which candidate does which
first conferences; the generator makes those cases like all others (within the scale, with
history, circle and plan, in the past); ``finish`` walks on, holding those conferences. On its
own (``seed_training``, with no generator) the conferences are ``kring.factories.a_case``.
The trainer logs in as ``trainer@kring.example``.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from kring.accounts.models import Region, Role, User
from kring.cases.choices import Variant
from kring.cases.models import CONFERENCE_HELD_STATUSES, Case, Status
from kring.coordinators.models import CoordinatorProfile
from kring.demo import timeline
from kring.demo.coordinators import Seat
from kring.demo.drafts import Pin
from kring.demo.people import DOMAIN, PASSWORD
from kring.training import domain
from kring.training.models import Application, SessionKind, Stage
from kring.training.testing import apply, ready_for_matching, session, walk

TRAINER_EMAIL = f"trainer@{DOMAIN}"
SECOND_TRAINER_EMAIL = f"trainer2@{DOMAIN}"
REGIONS = ("utrecht", "noord-holland", "gelderland")
# How many people stand at each stage (ENDED: the trainers decided otherwise after EK1).
PER_STAGE: dict[str, int] = {
    Stage.APPLIED: 3,
    Stage.INFO_MEETING: 2,
    Stage.DECIDED: 3,
    Stage.EK1_ATTENDED: 2,
    Stage.SELF_REPORT: 2,
    Stage.ACCEPTED: 2,
    Stage.EVALUATED: 1,
    Stage.CERTIFIED: 2,
    Stage.EK2_ATTENDED: 1,
    Stage.EK2_REPORTED: 1,
    Stage.ENDED: 1,
}
_FIRST = [
    "Amira",
    "Bas",
    "Chantal",
    "Daan",
    "Esra",
    "Femke",
    "Gerrit",
    "Hanna",
    "Ilias",
    "Joke",
    "Karim",
    "Lotte",
    "Mehmet",
    "Nadia",
    "Olga",
    "Pieter",
    "Rachida",
    "Sem",
    "Tamara",
    "Umut",
    "Vera",
    "Wout",
]
_LAST = [
    "Bakker",
    "El Amrani",
    "de Jong",
    "Yilmaz",
    "Visser",
    "Mulder",
    "Kartosen",
    "de Boer",
    "Haddou",
    "Smit",
    "van Dijk",
    "Özdemir",
]
_LANGUAGES = ["ary", "tur", "eng", "pap", "som", "pol", "fry"]


# Stages before which no conference is needed; from ACCEPTED on a candidate holds them.
_ORDER = [str(s) for s in Stage if s != Stage.ENDED]


def seed_training(rng: random.Random, now: datetime) -> None:
    """The training demo on its own (no generated cases): both halves at once."""
    path = Path(rng, now)
    path.start()
    path.finish()


@dataclass
class Candidate:
    application: Application
    stage: str  # where the demo leaves them
    variants: tuple[str, ...]
    conferences: int = 0  # first conferences they hold (cases the generator makes)
    held: list[int] = field(default_factory=list)  # pks of the cases handed out so far


class Path:
    """The demo's coordinator path, in two halves around the case generator."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now
        self.candidates: list[Candidate] = []
        self.office: User | None = None

    def start(self) -> None:
        """Trainers and applications; everyone walked as far as they get without a
        conference (those who will hold one ready for matching)."""
        self.trainer, self.second = _trainers()
        self.office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
        if self.office is None:
            return
        rng, number = self.rng, 0
        for stage, count in PER_STAGE.items():
            for index in range(count):
                number += 1
                region = Region.objects.get(slug=REGIONS[number % len(REGIONS)])
                application = apply(
                    region,
                    email=f"kandidaat{number}@voorbeeld.nl",
                    first_name=rng.choice(_FIRST),
                    last_name=rng.choice(_LAST),
                    # Dutch, as every coordinator, and sometimes a family language or two.
                    languages=("nld", *rng.sample(_LANGUAGES, rng.randint(0, 2))),
                    when=self.now - timedelta(days=rng.randint(10, 200)),
                )
                variants = tuple(
                    rng.sample(["restorative", "group", "learning"], rng.randint(0, 2))
                )
                candidate = Candidate(application, stage, variants, _conferences(stage, index))
                self._first_half(candidate)
                self.candidates.append(candidate)

    def _first_half(self, candidate: Candidate) -> None:
        application, stage = candidate.application, candidate.stage
        assert self.office is not None
        if stage == Stage.ENDED:
            walk(application, Stage.SELF_REPORT, trainer=self.trainer, office=self.office)
            domain.decide_as_trainers(
                application,
                positive=False,
                talk_note="Besproken: de kandidaat wil vooral zelf oplossingen aandragen.",
                by=self.trainer,
            )
            return
        before = stage if _ORDER.index(stage) < _ORDER.index(Stage.ACCEPTED) else Stage.ACCEPTED
        walk(application, before, trainer=self.trainer, office=self.office)
        if candidate.conferences:
            # What the manager records before a first case: the VOG and the declaration.
            ready_for_matching(application)

    def seats(self) -> list[Seat]:
        """The candidates who hold conferences, as the generator's coordinators."""
        seats = []
        for candidate in self.candidates:
            if candidate.conferences:
                application = candidate.application
                assert application.user is not None
                profile = CoordinatorProfile.objects.get(user=application.user)
                seats.append(Seat(application.user, profile, application.region_id))
        return seats

    def pins(self) -> list[Pin]:
        """A request per first conference: a family's whole course with the candidate as its
        coordinator, followed up by now (and later perhaps closed)."""
        pins = []
        for candidate in self.candidates:
            application = candidate.application
            for _ in range(candidate.conferences):
                steps = timeline.plan_course(self.rng, Status.CLOSED)
                offset = timeline.pin_offset(self.rng, steps, Status.FOLLOWED_UP)
                pins.append(
                    Pin(
                        self.now - timedelta(days=offset),
                        steps,
                        application.region_id,
                        application.user,
                        variant=Variant.FAMILY,  # EK1 and certified: family conferences only
                    )
                )
        return pins

    def finish(self) -> None:
        """Everyone to their stage, with the conferences the generator made; then the EK1
        group running now and an information meeting to come."""
        if self.office is None:
            return
        for candidate in self.candidates:
            if candidate.stage == Stage.ENDED:
                continue
            walk(
                candidate.application,
                candidate.stage,
                trainer=self.trainer,
                office=self.office,
                hold_conference=functools.partial(_hold, candidate),
                ek2_variants=candidate.variants,
            )
            if candidate.stage == Stage.ACCEPTED and candidate.conferences:
                # The first conference is done: the evaluation can be recorded.
                _hold(candidate, candidate.application.user)  # type: ignore[arg-type]
        _in_progress(self.trainer, self.second)


def save_seats(seats: list[Seat]) -> None:
    """What the generator counted for the candidates (as ``Workload.save`` does for the
    others): their load, conferences done and latest case."""
    for seat in seats:
        CoordinatorProfile.objects.filter(pk=seat.profile.pk).update(
            load=seat.load,
            max_cases=Greatest(F("max_cases"), seat.load),
            conferences_done=seat.conferences,
            last_case_at=seat.last_case_at,
        )


def _conferences(stage: str, index: int) -> int:
    """How many conferences a candidate at ``stage`` has held: one for an evaluation (and
    for the first of the accepted, whose evaluation is still to record), and the number EK2
    asks for from the certificate on."""
    if stage == Stage.ENDED or _ORDER.index(stage) < _ORDER.index(Stage.ACCEPTED):
        return 0
    if _ORDER.index(stage) >= _ORDER.index(Stage.CERTIFIED):
        return domain.EK2_AFTER_CONFERENCES
    return 1 if stage == Stage.EVALUATED or index == 0 else 0


def _hold(candidate: Candidate, user: User) -> Case:
    """The candidate's next conference: one the generator made for them, or (on its own, or
    when those are used up) a case walked there through the real course."""
    made = (
        Case.objects.filter(coordinator=user, status__in=CONFERENCE_HELD_STATUSES)
        .exclude(pk__in=candidate.held)
        .order_by("opened_at", "pk")
        .first()
    )
    if made is None:
        from kring.factories import a_case

        made = a_case(at=Status.FOLLOWED_UP, coordinator=user, region=candidate.application.region)
    candidate.held.append(made.pk)
    return made


def _trainers() -> tuple[User, User]:
    password = make_password(PASSWORD)
    made = []
    for email, first, last in (
        (TRAINER_EMAIL, "Ingrid", "Trainer"),
        (SECOND_TRAINER_EMAIL, "Youssef", "Trainer"),
    ):
        user, _new = User.objects.get_or_create(
            email=email,
            defaults={
                "role": Role.TRAINER,
                "first_name": first,
                "last_name": last,
                "password": password,
            },
        )
        made.append(user)
    return made[0], made[1]


def _in_progress(trainer: User, second: User) -> None:
    """The EK1 group running now: the decided candidates invited, attendance still open; and
    an information meeting in two weeks for those who just applied."""
    ek1 = domain.plan_session(
        kind=SessionKind.EK1,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=12),
        place="Amersfoort, Eigen Kracht Centrale",
        capacity=12,
        trainers=[trainer, second],
        by=trainer,
    )
    decided = list(Application.objects.filter(stage=Stage.DECIDED))
    if decided:
        domain.invite(ek1, decided, by=trainer)
    info = session(SessionKind.INFO, second, on=timezone.localdate() + timedelta(days=14))
    waiting = list(Application.objects.filter(stage=Stage.APPLIED)[:2])
    if waiting:
        domain.invite(info, waiting, by=second)
