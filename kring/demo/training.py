"""Demo of the coordinator's path (issue 14 §1-2): two trainers, applicants and candidates in
every stage, an EK1 group in progress (invited, attendance still to record) and an information
meeting to come, certificates for some.

Every step goes through the real actions (``kring.training.testing.walk``); a candidate's
first conferences are cases walked to their follow-up by ``kring.factories.a_case``. Runs
after the cases exist; the trainer logs in as ``trainer@kring.example``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from kring.accounts.models import Region, Role, User
from kring.cases.models import Case, Status
from kring.demo.people import DOMAIN, PASSWORD
from kring.training import domain
from kring.training.models import Application, SessionKind, Stage
from kring.training.testing import apply, session, walk

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


def seed_training(rng: random.Random, now: datetime) -> None:
    trainer, second = _trainers()
    office = User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()
    if office is None:
        return
    number = 0
    for stage, count in PER_STAGE.items():
        for _ in range(count):
            number += 1
            region = Region.objects.get(slug=REGIONS[number % len(REGIONS)])
            application = apply(
                region,
                email=f"kandidaat{number}@voorbeeld.nl",
                first_name=rng.choice(_FIRST),
                last_name=rng.choice(_LAST),
                languages=tuple(rng.sample(_LANGUAGES, rng.randint(0, 2))),
                when=now - timedelta(days=rng.randint(10, 200)),
            )
            _walk(application, stage, rng, trainer=trainer, office=office)
    _in_progress(trainer, second)


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


def _walk(
    application: Application, stage: str, rng: random.Random, *, trainer: User, office: User
) -> None:
    def hold(user: User) -> Case:
        from kring.factories import a_case

        return a_case(at=Status.FOLLOWED_UP, coordinator=user, region=application.region)

    variants = tuple(rng.sample(["restorative", "group", "learning"], rng.randint(0, 2)))
    if stage == Stage.ENDED:
        walk(application, Stage.SELF_REPORT, trainer=trainer, office=office)
        domain.decide_as_trainers(
            application,
            positive=False,
            talk_note="Besproken: de kandidaat wil vooral zelf oplossingen aandragen.",
            by=trainer,
        )
        return
    walk(
        application,
        stage,
        trainer=trainer,
        office=office,
        hold_conference=hold,
        ek2_variants=variants,
    )
    if stage == Stage.ACCEPTED and application.pk % 2:
        # One of the two has done the first conference: the evaluation can be recorded.
        from kring.training.testing import ready_for_matching

        ready_for_matching(application)
        hold(application.user)  # type: ignore[arg-type]


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
