"""Walking an application along the path through the real actions, for tests and the demo:
no stage is ever set by hand. ``hold_conference(user)`` makes a case of that coordinator
whose conference was held (the tests and the demo pass ``kring.factories.a_case``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone

from kring.accounts.models import User
from kring.cases.models import Case
from kring.coordinators.models import CoordinatorProfile
from kring.lib.tokens import issue_token
from kring.training import domain
from kring.training.models import Application, SessionKind, Stage, TrainingSession
from kring.training.profile import REPORT_KEYS

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def apply(
    region: Any,
    *,
    email: str,
    first_name: str = "Fatima",
    last_name: str = "Yilmaz",
    languages: tuple[Any, ...] = (),
    when: Any = None,
) -> Application:
    application = domain.submit_application(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone="06 12345678",
        postcode=None,
        region=region,
        languages=list(languages),
        availability=["daytime", "evenings"],
        motivation="Ik wil families helpen hun eigen plan te maken.",
        cv=domain.CVFile("cv.pdf", "application/pdf", PDF_BYTES),
    )
    if when is not None:  # the demo spreads applications over the past months
        Application.objects.filter(pk=application.pk).update(submitted_at=when)
    return application


def session(
    kind: str, trainer: User, *, capacity: int = 16, on: date | None = None
) -> TrainingSession:
    day = on or timezone.localdate()
    return domain.plan_session(
        kind=kind,
        starts_on=day,
        ends_on=day,
        place="Amersfoort, De Kring",
        capacity=capacity,
        trainers=[trainer],
        by=trainer,
    )


def report_token(application: Application) -> str:
    """A fresh self-report link (as the mail's task makes one)."""
    token, token_hash = issue_token()
    Application.objects.filter(pk=application.pk).update(report_token_hash=token_hash)
    return token


def attend(application: Application, kind: str, trainer: User) -> None:
    group = session(kind, trainer)
    domain.invite(group, [application], by=trainer)
    invitation = group.invitations.get(application=application)
    domain.record_attendance(group, [invitation.pk], by=trainer)


def ready_for_matching(application: Application) -> CoordinatorProfile:
    """What the manager records before a first case: the VOG and the declaration."""
    assert application.user is not None
    profile = CoordinatorProfile.objects.get(user=application.user)
    today = timezone.localdate()
    profile.vog_issued_on = today
    profile.independence_declared_on = today
    profile.save(update_fields=["vog_issued_on", "independence_declared_on"])
    return profile


def walk(
    application: Application,
    to: str,
    *,
    trainer: User,
    office: User,
    hold_conference: Callable[[User], Case] | None = None,
    ek2_variants: tuple[str, ...] = ("restorative",),
) -> Application:
    """Take ``application`` to stage ``to`` through every action before it."""
    order = [str(s) for s in Stage if s != Stage.ENDED]
    steps: dict[str, Callable[[Application], Any]] = {
        Stage.APPLIED: lambda a: attend(a, SessionKind.INFO, trainer),
        Stage.INFO_MEETING: lambda a: domain.decide_to_take_part(a, by=trainer),
        Stage.DECIDED: lambda a: attend(a, SessionKind.EK1, trainer),
        Stage.EK1_ATTENDED: lambda a: domain.submit_self_report(
            a, dict.fromkeys(REPORT_KEYS, "Dat past bij mij, want ik luister goed.")
        ),
        Stage.SELF_REPORT: lambda a: domain.decide_as_trainers(
            a, positive=True, talk_note="", by=trainer
        ),
        Stage.ACCEPTED: lambda a: _first_conference(a, office, hold_conference),
        Stage.EVALUATED: lambda a: domain.issue_certificate(a, by=office),
        Stage.CERTIFIED: lambda a: _ek2(a, trainer, hold_conference),
        Stage.EK2_ATTENDED: lambda a: domain.submit_ek2_report(
            a, variants=list(ek2_variants), text="Herstel past bij mij.", by=_user(a)
        ),
    }
    while order.index(application.stage) < order.index(to):
        steps[application.stage](application)
        application.refresh_from_db()
    return application


def _first_conference(
    application: Application, office: User, hold: Callable[[User], Case] | None
) -> None:
    assert hold is not None, "a first conference needs hold_conference"
    ready_for_matching(application)
    assert application.user is not None
    hold(application.user)
    domain.record_evaluation(
        application, positive=True, note="Goed voorbereid, rustig voorgezeten.", by=office
    )


def _ek2(application: Application, trainer: User, hold: Callable[[User], Case] | None) -> None:
    assert hold is not None and application.user is not None
    while domain.conferences_done(application) < domain.EK2_AFTER_CONFERENCES:
        hold(application.user)
    attend(application, SessionKind.EK2, trainer)


def _user(application: Application) -> User:
    assert application.user is not None
    return application.user
