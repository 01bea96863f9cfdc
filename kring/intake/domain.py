"""Receiving a request: store it, route it to a region, open its case, confirm by mail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kring.accounts.regions import pc4_of, region_for_postcode
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.domain import open_case
from kring.intake.models import Channel, MainPerson, Request
from kring.intake.tasks import notify_managers, send_request_confirmation

if TYPE_CHECKING:
    from kring.accounts.models import Region, User


@dataclass(frozen=True)
class MainPersonData:
    name: str
    birth_year: int | None
    postcode: str


def find_duplicate(token: Any) -> Request | None:
    return Request.objects.filter(submission_token=token).first() if token else None


def routing_postcode(main_persons: list[MainPersonData]) -> str:
    """The first main person's postcode that routes (a valid PC4), else nothing."""
    return next((p.postcode for p in main_persons if pc4_of(p.postcode)), "")


def routed_region(main_persons: list[MainPersonData], fallback: Region | None) -> Region | None:
    """The region a request goes to: the postcode's; without one, the region the manager who
    took it chose; else the national queue (None)."""
    return region_for_postcode(routing_postcode(main_persons)) or fallback


def submit_request(
    fields: dict[str, Any],
    main_persons: list[MainPersonData],
    *,
    by: User | None = None,
    region: Region | None = None,
) -> Request:
    """Store a request with its main persons and open its case, all or nothing.

    ``fields`` are the Request model fields from a validated form; ``wish_languages`` is a
    list of Language objects. A repeated submit of the same form returns the first request.
    ``region`` is used only when no postcode routes (a request a manager took by phone).
    """
    try:
        with transaction.atomic():
            return _store(dict(fields), main_persons, by, region)
    except IntegrityError:
        duplicate = find_duplicate(fields.get("submission_token"))
        if duplicate is None:
            raise
        return duplicate


def _store(
    fields: dict[str, Any],
    main_persons: list[MainPersonData],
    by: User | None,
    region: Region | None,
) -> Request:
    languages = fields.pop("wish_languages", [])
    now = timezone.now()
    request = Request.objects.create(
        **fields,
        submitted_at=now,
        consent_at=now,
        postcode=routing_postcode(main_persons),
        region=routed_region(main_persons, region),
    )
    request.wish_languages.set(languages)
    MainPerson.objects.bulk_create(
        MainPerson(request=request, name=p.name, birth_year=p.birth_year, postcode=p.postcode)
        for p in main_persons
    )
    case = open_case(request)
    action = (
        Action.REQUEST_REFERRED if request.channel == Channel.REFERRAL else Action.REQUEST_SUBMITTED
    )
    record(by, action, case=case, obj=request, region=request.region_id, channel=request.channel)
    _enqueue_mails(request.pk)
    return request


def _enqueue_mails(request_id: int) -> None:
    transaction.on_commit(lambda: send_request_confirmation.enqueue(request_id))
    transaction.on_commit(lambda: notify_managers.enqueue(request_id))
