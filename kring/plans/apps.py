from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "kring.plans"
    verbose_name = _("Conferentie en plan")

    def ready(self) -> None:
        # The family's links close when the course ends (see cases.hooks).
        from kring.cases import hooks
        from kring.plans.closing import close_family_links, open_family_links

        hooks.register(close_family_links, open_family_links)
        _register_removal_blockers()


def _register_removal_blockers() -> None:
    """Someone who attended, is named in an agreement, received the plan or has a family
    link stays in the circle's register (see preparation.circle.domain.removal_blockers)."""
    from django.db.models import OuterRef

    from kring.plans.models import Agreement, Attendance, Distribution, FamilyLink
    from kring.preparation.circle.domain import RemovalBlocker, register_removal_blocker

    of_participant = {"participant": OuterRef("pk")}
    register_removal_blocker(RemovalBlocker.ATTENDANCE, Attendance.objects.filter(**of_participant))
    register_removal_blocker(
        RemovalBlocker.AGREEMENT,
        Agreement.who_participants.through.objects.filter(**of_participant),
    )
    register_removal_blocker(
        RemovalBlocker.DISTRIBUTION, Distribution.objects.filter(**of_participant)
    )
    register_removal_blocker(
        RemovalBlocker.FAMILY_LINK, FamilyLink.objects.filter(**of_participant)
    )
