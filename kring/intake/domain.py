"""Receiving a request: store it, route it to a region, open its case, confirm by mail."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from kring.accounts.regions import pc4_of, region_for_postcode
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.domain import open_case
from kring.intake.models import Channel, MainPerson, Request

if TYPE_CHECKING:
    from kring.accounts.models import User


@dataclass(frozen=True)
class MainPersonData:
    name: str
    birth_year: int | None
    postcode: str


def sender_key(address: str) -> str:
    """A keyed hash of a network address: enough to count requests, useless to identify."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def too_many_requests_from(key: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = Request.objects.filter(sender_key=key, submitted_at__gte=since).count()
    return recent >= settings.KRING_INTAKE_RATE_LIMIT


def find_duplicate(token: Any) -> Request | None:
    return Request.objects.filter(submission_token=token).first() if token else None


def submit_request(
    fields: dict[str, Any],
    main_persons: list[MainPersonData],
    *,
    by: User | None = None,
    sender: str = "",
) -> Request:
    """Store a request with its main persons and open its case, all or nothing.

    ``fields`` are the Request model fields from a validated form; ``wish_languages`` is a
    list of Language objects. A repeated submit of the same form returns the first request.
    """
    try:
        with transaction.atomic():
            return _store(dict(fields), main_persons, by, sender)
    except IntegrityError:
        duplicate = find_duplicate(fields.get("submission_token"))
        if duplicate is None:
            raise
        return duplicate


def _store(
    fields: dict[str, Any], main_persons: list[MainPersonData], by: User | None, sender: str
) -> Request:
    languages = fields.pop("wish_languages", [])
    now = timezone.now()
    postcode = next((p.postcode for p in main_persons if pc4_of(p.postcode)), "")
    request = Request.objects.create(
        **fields,
        submitted_at=now,
        consent_at=now,
        postcode=postcode,
        region=region_for_postcode(postcode),
        sender_key=sender_key(sender) if sender else "",
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
    record(by, action, case=case, obj=request, region=request.region_id)
    _enqueue_mails(request.pk)
    return request


def _enqueue_mails(request_id: int) -> None:
    from kring.intake.tasks import notify_managers, send_request_confirmation

    transaction.on_commit(lambda: send_request_confirmation.enqueue(request_id))
    transaction.on_commit(lambda: notify_managers.enqueue(request_id))
