"""Access rows of the evaluation after every conference (issue 14 §5): the coordinator's own
results, the manager's regions, a case's questionnaires with the links to hand over, and the
questionnaire behind a personal link."""

from __future__ import annotations

from kring.accounts.models import Role, User
from kring.tests.access_rows import GET, LOGIN, POST, Row, World

# fmt: off
ROWS: dict[str, Row] = {
    "evaluation:mine": Row(
        "none", GET, anonymous=LOGIN, coordinator=200, manager=403, office=403,
        professional=403, researcher=403, translator=403,
    ),
    "evaluation:regions": Row(
        "none", GET, anonymous=LOGIN, coordinator=403, manager=200, office=200,
        professional=403, researcher=403, translator=403,
    ),
    # A case's questionnaires: the coordinator while involved and the region's managers.
    "evaluation:case": Row(
        "evaluation/case", GET, anonymous=LOGIN, coordinator=200, manager=200, office=200,
        professional=403, researcher=403, translator=403,
    ),
    # The link shown once (200: the page with the link and its QR code).
    "evaluation:hand_over": Row(
        "evaluation/link", POST, anonymous=LOGIN, coordinator=200, manager=200, office=200,
        professional=403, researcher=403, translator=403,
    ),
    # A personal link: whoever holds it, logged in or not.
    "evaluation:answer": Row(
        "evaluation/answer", GET, anonymous=200, coordinator=200, manager=200, office=200,
        professional=200, researcher=200, translator=200, trainer=200,
    ),
}
# fmt: on


def build(world: World, mine: dict[str, User], theirs: dict[str, User]) -> None:
    from kring.evaluation.links import issue_link
    from kring.evaluation.tests.builders import sent_case

    ours = sent_case(mine[Role.COORDINATOR], region="utrecht")
    other = sent_case(theirs[Role.COORDINATOR], region="groningen")
    neighbour = ours.questionnaire(ours.neighbour)
    token = issue_link(ours.questionnaire(ours.main), by=None, channel="test")
    world.targets["evaluation/case"] = {"case_pk": ours.case.pk}
    world.targets["evaluation/link"] = {"case_pk": ours.case.pk, "pk": neighbour.pk}
    world.targets["evaluation/answer"] = {"token": token}
    world.others["evaluation/case"] = ({"case_pk": other.case.pk}, True)
    theirs_under_ours = {"case_pk": ours.case.pk, "pk": other.questionnaire(other.neighbour).pk}
    world.others["evaluation/link"] = (theirs_under_ours, False)
