"""Access rows of the coordinator's path (/opleiding/): the public application page; trainers
and the office run applications and sessions (all regions: the training is national), a
regional manager reads their regions' applications and evaluates a first conference; a
coordinator sees their own path. Pausing, resuming and stopping a coordinator belong to the
managers of the coordinator's regions and the office."""

from __future__ import annotations

from kring.accounts.models import Region, Role, User
from kring.tests.access_rows import GET, LOGIN, NEXT, POST, Row, World

# fmt: off
ROWS: dict[str, Row] = {
    #   Row(objects,                how,  anon,  coord, manag, office, prof,  resea, transl, train),
    "training:apply":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    # Without an application just sent, back to the form.
    "training:applied":
        Row("none",                   GET,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    # The personal link is the key, for whoever holds it; a made-up one is 404.
    "training:self_report":
        Row("training/link",          GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "training:applications":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403,   200),
    "training:application":
        Row("training/app",           GET,  LOGIN, 403,   200,   200,   403,   403,   403,   200),
    "training:cv":
        Row("training/app",           GET,  LOGIN, 403,   403,   200,   403,   403,   403,   200),
    # Not after an information meeting yet: refused with a message on the application.
    "training:take_part":
        Row("training/app",           POST, LOGIN, 403,   403,   NEXT,  403,   403,   403,   NEXT),
    # Posted empty: the form's errors (400).
    "training:decide":
        Row("training/app",           POST, LOGIN, 403,   403,   403,   403,   403,   403,   400),
    "training:withdraw":
        Row("training/app",           POST, LOGIN, 403,   403,   400,   403,   403,   403,   400),
    "training:evaluate":
        Row("training/app",           POST, LOGIN, 403,   400,   400,   403,   403,   403,   403),
    "training:certify":
        Row("training/app",           POST, LOGIN, 403,   403,   NEXT,  403,   403,   403,   NEXT),
    "training:certificate_pdf":
        Row("training/certified",     GET,  LOGIN, 403,   200,   200,   403,   403,   403,   200),
    "training:sessions":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   403,   403,   200),
    "training:session":
        Row("training/session",       GET,  LOGIN, 403,   403,   200,   403,   403,   403,   200),
    "training:session_invite":
        Row("training/session",       POST, LOGIN, 403,   403,   400,   403,   403,   403,   400),
    # Nobody invited yet: refused with a message on the session's page.
    "training:session_attendance":
        Row("training/session",       POST, LOGIN, 403,   403,   NEXT,  403,   403,   403,   NEXT),
    # Posted empty: the form's errors (400).
    "training:session_attendance_correct":
        Row("training/session",       POST, LOGIN, 403,   403,   400,   403,   403,   403,   400),
    "training:session_move":
        Row("training/session",       POST, LOGIN, 403,   403,   400,   403,   403,   403,   400),
    "training:session_cancel":
        Row("training/session",       POST, LOGIN, 403,   403,   400,   403,   403,   403,   400),
    "training:mine":
        Row("none",                   GET,  LOGIN, 200,   403,   403,   403,   403,   403,   403),
    # The world's coordinator has no certificate in Kring.
    "training:my_certificate":
        Row("none",                   GET,  LOGIN, 404,   403,   403,   403,   403,   403,   403),
    # Posted without a reason (or not paused): refused with a message on the profile.
    "training:coordinator_pause":
        Row("training/profile",       POST, LOGIN, 403,   NEXT,  NEXT,  403,   403,   403,   403),
    "training:coordinator_resume":
        Row("training/profile",       POST, LOGIN, 403,   NEXT,  NEXT,  403,   403,   403,   403),
    "training:coordinator_stop":
        Row("training/profile",       POST, LOGIN, 403,   NEXT,  NEXT,  403,   403,   403,   403),
}
# fmt: on


def build(world: World, mine: dict[str, User], theirs: dict[str, User]) -> None:
    from kring.cases.models import Status
    from kring.coordinators.models import CoordinatorProfile
    from kring.factories import a_case
    from kring.training.models import SessionKind, Stage
    from kring.training.testing import apply, report_token, session, walk

    utrecht = Region.objects.get(slug="utrecht")
    trainer, office = mine[Role.TRAINER], mine[Role.OFFICE]

    def hold(user: User) -> object:
        return a_case(at=Status.FOLLOWED_UP, coordinator=user, region=utrecht)

    def walked(email: str, to: str) -> object:
        application = apply(utrecht, email=email)
        return walk(application, to, trainer=trainer, office=office, hold_conference=hold)

    fresh = apply(utrecht, email="aanmelder@voorbeeld.nl")
    after_ek1 = walked("na-ek1@voorbeeld.nl", Stage.EK1_ATTENDED)
    certified = walked("gecertificeerd@voorbeeld.nl", Stage.CERTIFIED)
    empty = session(SessionKind.EK1, trainer)
    own = CoordinatorProfile.objects.get(user=mine[Role.COORDINATOR])
    other = CoordinatorProfile.objects.get(user=theirs[Role.COORDINATOR])
    world.targets.update(
        {
            "training/app": {"pk": fresh.pk},
            "training/link": {"link": report_token(after_ek1)},  # type: ignore[arg-type]
            "training/certified": {"pk": certified.pk},  # type: ignore[attr-defined]
            "training/session": {"pk": empty.pk},
            "training/profile": {"pk": own.pk},
        }
    )
    world.others.update({"training/profile": ({"pk": other.pk}, True)})
