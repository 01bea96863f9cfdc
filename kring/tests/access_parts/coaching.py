"""Access rows of coaching (/begeleiding/): managers and the office coach the coordinators of
their regions; a coordinator sees their own overview and invitations. Another region's
coordinator or meeting is 404 for a manager; someone else's invitation is 404."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from kring.accounts.models import Region, Role, User
from kring.tests.access_rows import GET, LOGIN, NEXT, POST, Row, World

# fmt: off
ROWS: dict[str, Row] = {
    "coaching:coordinators":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "coaching:coordinator":
        Row("coaching/profile",       GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    # Posted empty: the form's error next to the field (400).
    "coaching:note_add":
        Row("coaching/profile",       POST, LOGIN, 403,   400,   400,   403,   403,   403),
    "coaching:vog_record":
        Row("coaching/profile",       POST, LOGIN, 403,   400,   400,   403,   403,   403),
    "coaching:meetings":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "coaching:meeting":
        Row("coaching/meeting",       GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "coaching:meeting_invite":
        Row("coaching/meeting",       POST, LOGIN, 403,   NEXT,  NEXT,  403,   403,   403),
    # The meeting is still to come: attendance is refused next to the form (400).
    "coaching:meeting_attendance":
        Row("coaching/meeting",       POST, LOGIN, 403,   400,   400,   403,   403,   403),
    # Posted empty: the form's errors (400).
    "coaching:meeting_move":
        Row("coaching/meeting",       POST, LOGIN, 403,   400,   400,   403,   403,   403),
    "coaching:meeting_cancel":
        Row("coaching/meeting",       POST, LOGIN, 403,   400,   400,   403,   403,   403),
    "coaching:my_overview":
        Row("none",                   GET,  LOGIN, 200,   403,   403,   403,   403,   403),
    "coaching:declaration_renew":
        Row("none",                   POST, LOGIN, 400,   403,   403,   403,   403,   403),
    "coaching:my_meetings":
        Row("none",                   GET,  LOGIN, 200,   403,   403,   403,   403,   403),
    "coaching:invitation_answer":
        Row("coaching/invitation",    POST, LOGIN, NEXT,  403,   403,   403,   403,   403),
}
# fmt: on


def _meeting_with_invitation(manager: User, coordinator: User, region: Region) -> tuple[int, int]:
    from kring.coaching.domain import invite, plan_meeting
    from kring.coaching.models import MeetingKind

    meeting = plan_meeting(
        kind=MeetingKind.REGIONAL,
        region=region,
        starts_at=timezone.now() + timedelta(days=10),
        place="Regiokantoor",
        topic="Intervisie",
        by=manager,
    )
    invite(meeting, by=manager)
    return meeting.pk, meeting.invitations.get(profile__user=coordinator).pk


def build(world: World, mine: dict[str, User], theirs: dict[str, User]) -> None:
    from kring.coordinators.models import CoordinatorProfile

    found = {}
    for people, slug in ((mine, "utrecht"), (theirs, "groningen")):
        coordinator = people[Role.COORDINATOR]
        region = Region.objects.get(slug=slug)
        profile = CoordinatorProfile.objects.get(user=coordinator)
        meeting, invitation = _meeting_with_invitation(people[Role.MANAGER], coordinator, region)
        found[slug] = {"profile": profile.pk, "meeting": meeting, "invitation": invitation}
    own, other = found["utrecht"], found["groningen"]
    world.targets.update(
        {
            "coaching/profile": {"pk": own["profile"]},
            "coaching/meeting": {"pk": own["meeting"]},
            "coaching/invitation": {"pk": own["invitation"]},
        }
    )
    world.others.update(
        {
            "coaching/profile": ({"pk": other["profile"]}, True),
            "coaching/meeting": ({"pk": other["meeting"]}, True),
            "coaching/invitation": ({"pk": other["invitation"]}, False),
        }
    )
