"""Referrals through the API: the professionals' referral form and domain action, reused.

The posted JSON is handed to ``intake.forms.ReferralForm`` and its main-person formset as if
typed into the page, and a valid form goes to ``intake.domain.submit_request`` under the
key's professional: the consent rule (``family_agrees``), the bounds and the routing are the
ones the site applies. The organisation's system reads back only the referrals it sent in.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from kring.api.auth import KeyAuth, key_of
from kring.api.models import ApiKey, ApiReferral, Scope
from kring.api.schemas import REFUSALS, Error, ReferralIn, ReferralOut, ReferralPage
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.models import Case
from kring.intake.domain import find_duplicate, submit_request
from kring.intake.forms import ReferralForm, main_person_formset
from kring.intake.models import Request
from kring.lib.errors import DomainError

router = Router(auth=KeyAuth(Scope.REFERRALS), tags=["verwijzingen"])
PAGE_SIZE = 50
REFERENCE = r"^EK-[A-Z0-9]{4}-[A-Z0-9]{4}$"


class FormRefused(DomainError):
    """The referral form said no: its messages per field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(_("De verwijzing is niet opgeslagen."))
        self.errors = errors


def _form_data(body: ReferralIn) -> QueryDict:
    """The JSON as the page would post it."""
    data = QueryDict(mutable=True)
    plain = body.dict(exclude={"main_persons", "life_domains", "wish_languages"})
    for name, value in plain.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(getattr(value, "value", value))
    data.setlist("life_domains", list(body.life_domains))
    data.setlist("wish_languages", list(body.wish_languages))
    people = body.main_persons
    data.update({"persons-TOTAL_FORMS": str(len(people)), "persons-INITIAL_FORMS": "0"})
    data.update({"persons-MIN_NUM_FORMS": "1", "persons-MAX_NUM_FORMS": "3"})
    for index, person in enumerate(people):
        data[f"persons-{index}-name"] = person.name
        data[f"persons-{index}-birth_year"] = (
            "" if person.birth_year is None else str(person.birth_year)
        )
        data[f"persons-{index}-postcode"] = person.postcode
    return data


def _errors(form: Any, people: Any) -> dict[str, list[str]]:
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    for index, person_errors in enumerate(people.errors):
        for name, messages in person_errors.items():
            errors[f"main_persons.{index}.{name}"] = [str(m) for m in messages]
    if people.non_form_errors():
        errors["main_persons"] = [str(m) for m in people.non_form_errors()]
    return errors


def submit_referral(key: ApiKey, body: ReferralIn) -> tuple[Request, bool]:
    """The referral and whether it is new (a repeated ``submission_token`` finds the first)."""
    professional = key.acts_for
    duplicate = find_duplicate(body.submission_token)
    if duplicate is not None:
        if ApiReferral.objects.filter(request=duplicate, organisation=key.organisation).exists():
            return duplicate, False
        raise FormRefused({"submission_token": [_("Deze code is al gebruikt.")]})
    data = _form_data(body)
    form, people = ReferralForm(data), main_person_formset(data)
    if not (form.is_valid() and people.is_valid()):
        raise FormRefused(_errors(form, people))
    with transaction.atomic():
        saved = submit_request(
            form.referral_fields(professional), people.main_persons(), by=professional
        )
        _link, created = ApiReferral.objects.get_or_create(
            request=saved, defaults={"organisation": key.organisation, "key": key}
        )
    return saved, created


def as_out(case: Case) -> dict[str, Any]:
    request = case.request
    return {
        "reference": request.reference,
        "submitted_at": request.submitted_at,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "status_changed_at": case.status_changed_at,
        "paused": case.paused_at is not None,
        "closed_at": case.closed_at,
        "deadlines": {
            name: getattr(case, name)
            for name in (
                "first_contact_due",
                "first_contact_at",
                "start_due",
                "started_at",
                "first_visit_due",
                "first_visit_at",
                "conference_due",
                "plan_send_due",
                "follow_up_due",
                "implementation_due",
            )
        },
    }


def _own_cases(key: ApiKey) -> Any:
    return (
        Case.objects.filter(request__api_referral__organisation=key.organisation)
        .select_related("request")
        .order_by("-request__submitted_at", "-pk")
    )


@router.post(
    "/referrals",
    response={200: ReferralOut, 201: ReferralOut, **REFUSALS},
    summary="Een gezin aanmelden",
    operation_id="create_referral",
)
def create_referral(request: HttpRequest, body: ReferralIn) -> Any:
    key = key_of(request)
    try:
        saved, created = submit_referral(key, body)
    except FormRefused as refusal:
        return Status(422, {"detail": str(refusal), "errors": refusal.errors})
    case = Case.objects.select_related("request").get(request=saved)
    return Status(201 if created else 200, as_out(case))


@router.get(
    "/referrals",
    response={200: ReferralPage, **REFUSALS},
    summary="De eigen verwijzingen, nieuwste eerst",
    operation_id="list_referrals",
)
def list_referrals(request: HttpRequest, page: int = Query(1, ge=1, le=100000)) -> Any:
    cases = _own_cases(key_of(request))
    count = cases.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    chosen = cases[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {
        "page": page,
        "pages": pages,
        "count": count,
        "results": [as_out(case) for case in chosen],
    }


@router.get(
    "/referrals/{reference}",
    response={200: ReferralOut, 404: Error, **REFUSALS},
    summary="Eén verwijzing: status en termijnen",
    operation_id="get_referral",
)
def get_referral(
    request: HttpRequest, reference: str = Path(..., max_length=12, pattern=REFERENCE)
) -> Any:
    key = key_of(request)
    case = _own_cases(key).filter(request__reference=reference).first()
    if case is None:
        return Status(404, {"detail": _("Deze verwijzing is niet gevonden.")})
    # A read of case data, logged with its case as a page view is.
    record(
        key.acts_for,
        Action.CASE_VIEWED,
        case=case,
        obj=case,
        page="api:get_referral",
        prefix=key.prefix,
    )
    return Status(200, as_out(case))
