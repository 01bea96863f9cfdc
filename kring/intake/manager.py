"""What a regional manager (or the office) does at intake: enter a request taken by phone,
mail or in person; correct a request's variant, funder and compulsory framework while its
case is open; record an informative talk.

A taken request goes through ``domain.submit_request`` like the public form, so duplicates,
routing and the opening of the case are the same. Each function checks that the user manages
the region, writes, and logs in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kring.accounts.models import Region
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.models import OPEN_STATUSES, Case, Status
from kring.intake.domain import MainPersonData, routed_region, submit_request
from kring.intake.models import InformativeTalk, Request, TalkOutcome
from kring.lib.errors import DomainError
from kring.lib.seen import SavedElsewhere, changed_since, mapping_values, model_values

if TYPE_CHECKING:
    from kring.accounts.models import User

# The request's fields a manager may correct, in the order the log lists them.
EDITABLE_FIELDS = (
    "variant",
    "funder",
    "funder_name",
    "safety_at_stake",
    "compelled_help",
    "compelled_help_kind",
)
# A coordinator is chosen for the variant (their training must allow it): once one is
# assigned, a new variant means matching again, not a quiet correction.
VARIANT_CHANGEABLE = frozenset({Status.NEW, Status.MATCHING})


class IntakeError(DomainError):
    """A refused intake action, with the reason in Dutch for the form."""


def managed_regions(user: User) -> QuerySet[Region]:
    """The regions a user enters requests and talks for: the office all, a manager theirs."""
    if user.is_office:
        return Region.objects.all()
    if user.is_manager:
        return user.regions.all()
    return Region.objects.none()


def _manages(user: User, region: Region | None) -> bool:
    if user.is_office:
        return True
    return region is not None and managed_regions(user).filter(pk=region.pk).exists()


def check_entry_region(
    user: User, main_persons: list[MainPersonData], chosen: Region | None
) -> Region | None:
    """Where a taken request will go, refused when it is not a region the user manages (the
    postcode decides, as for every request; the chosen region only without one)."""
    region = routed_region(main_persons, chosen)
    if not _manages(user, region):
        raise IntakeError(
            _(
                "De postcode hoort bij regio %(region)s, die u niet beheert. Laat die regio "
                "of het landelijk bureau de aanvraag invoeren."
            )
            % {"region": region}
            if region is not None
            else _("Kies de regio waarvoor u deze aanvraag invoert.")
        )
    return region


@transaction.atomic
def enter_request(
    fields: dict[str, Any],
    main_persons: list[MainPersonData],
    *,
    by: User,
    region: Region | None,
    talk: InformativeTalk | None = None,
) -> Request:
    """Store a request the user took, through the same function as the public form; a talk
    that led to it is linked to it."""
    check_entry_region(by, main_persons, region)
    request = submit_request({**fields, "entered_by": by}, main_persons, by=by, region=region)
    if talk is not None:
        talk.request, talk.outcome = request, TalkOutcome.REQUEST
        talk.save(update_fields=["request", "outcome"])
    return request


@transaction.atomic
def change_request(
    case: Case, values: dict[str, Any], *, by: User, seen: str = ""
) -> dict[str, list[str]]:
    """Correct the request's variant, funder and compulsory framework while its case is open.
    Returns what changed as {field: [old, new]}, which is also what the log row lists. The
    course itself never changes here. Refused with ``SavedElsewhere`` when the request changed
    after the form showed it (``seen``, kring/lib/seen.py): a second manager's stale form would
    otherwise put back what the first one corrected."""
    locked = Case.objects.select_for_update().select_related("request").get(pk=case.pk)
    if not _manages(by, locked.region):
        raise PermissionDenied
    if locked.status not in OPEN_STATUSES:
        raise IntakeError(_("Dit traject is afgelopen; de aanvraag verandert niet meer."))
    request = locked.request
    shown = model_values(request, EDITABLE_FIELDS)
    if changed_since(seen, shown, mapping_values(values, EDITABLE_FIELDS)):
        raise SavedElsewhere
    changes = {
        name: (getattr(request, name), values[name])
        for name in EDITABLE_FIELDS
        if name in values and getattr(request, name) != values[name]
    }
    if "variant" in changes and locked.status not in VARIANT_CHANGEABLE:
        raise IntakeError(
            _(
                "Er is al een coördinator gekoppeld voor deze soort conferentie. Zet het "
                "traject eerst terug naar koppelen als de soort anders moet."
            )
        )
    if not changes:
        return {}
    for name, (_old, new) in changes.items():
        setattr(request, name, new)
    request.save(update_fields=list(changes))
    if "variant" in changes:
        # The case keeps its own copy: matching and the figures read it there.
        locked.variant = request.variant
        locked.save(update_fields=["variant"])
    logged = {name: [_shown(old), _shown(new)] for name, (old, new) in changes.items()}
    record(by, Action.REQUEST_CHANGED, case=locked, obj=request, changes=logged)
    return logged


def _shown(value: Any) -> str:
    """A value as the log keeps it: codes as codes, an organisation by its name."""
    return "" if value is None else str(value)


@transaction.atomic
def record_talk(talk: InformativeTalk, *, by: User) -> InformativeTalk:
    """Save a new informative talk for a region the user manages, and log it (without the
    name of whom it was with: the log points at the row)."""
    if not _manages(by, talk.region):
        raise PermissionDenied
    talk.recorded_by = by
    talk.save()
    case = Case.objects.filter(request_id=talk.request_id).first() if talk.request_id else None
    record(
        by,
        Action.INFORMATIVE_TALK_RECORDED,
        case=case,
        obj=talk,
        region=talk.region_id,
        outcome_of_talk=talk.outcome,
    )
    return talk


def talks_for(user: User) -> QuerySet[InformativeTalk]:
    return InformativeTalk.objects.filter(region__in=managed_regions(user)).select_related(
        "region", "request__case", "recorded_by"
    )
