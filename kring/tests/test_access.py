"""Every page × every role, from the whole URL configuration (issue 12 §9, issue 16 §4).

The URL configuration is walked (``get_resolver()``, every named URL, Django's admin and the
passkey API included) and every name must have a row in ``TABLE`` saying what each role gets:
a page without one fails here, with a message to add it. A small world is built once with the
factories, walking the real course (never forcing a status): a case in each stage in Utrecht,
where the coordinator, the manager and the professional work, and their counterparts in
Groningen. Each page is opened (a button: posted) by each role, in its own savepoint:

- every role gets what its column says: 200, ``NEXT`` (a redirect to the next page, not to the
  login), 403 (a role that never uses the page), 404 (nothing of theirs here), ``LOGIN``; a
  button posted empty shows a role got through by its redirect or its refusal of the form
  (400);
- with the ids of another region's case, or of another case's participant, offer, agreement...
  under one's own, each allowed role gets exactly what an id that exists nowhere gets: 404
  (``other=NEXT`` where the page takes a missing id for a second click and says so);
- a personal link (family plan, date poll, invitation) with a made-up token answers 404.

Run ``KRING_ACCESS_OBSERVE=1 pytest kring/tests/test_access.py -p no:xdist -s`` to print
what every role gets today, as rows to paste.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kring.accounts.models import Region, Role, User
from kring.accounts.testing import VerifiedClient
from kring.cases.models import Status
from kring.factories import CoordinatorProfileFactory, UserFactory, a_case, make_plan
from kring.tests import access_parts
from kring.tests.access_rows import ANON, GET, LOGIN, NEXT, POST, ROLES, Expected, Row, World

pytestmark = pytest.mark.django_db

ADMIN = "admin:*"

# fmt: off
TABLE: dict[str, Row] = {
    # "page":
    #   Row(objects,                how,  anon,  coord, manag, office, prof,  resea, transl, train),
    "accounts:login":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "accounts:logout":
        Row("none",                   POST, NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "accounts:password_reset":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "accounts:password_reset_complete":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    # A valid link goes on to choosing the password, whoever is logged in (Django's own).
    "accounts:password_reset_confirm":
        Row("reset",                  GET,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "accounts:password_reset_done":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "accounts:second_factor":
        Row("none",                   GET,  LOGIN, NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "accounts:second_factor_enrol":
        Row("none",                   GET,  LOGIN, NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "accounts:security":
        Row("none",                   GET,  LOGIN, 200,   200,   200,   200,   200,   200,   200),
    "cases:decide":
        Row("new",                    POST, LOGIN, 403,   NEXT,  NEXT,  403,   403,   403),
    "cases:detail":
        Row("new",                    GET,  LOGIN, 403,   200,   200,   200,   403,   403),
    "cases:first_contact":
        Row("new",                    POST, LOGIN, 403,   NEXT,  NEXT,  403,   403,   403),
    "cases:inbox":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "cases:route":
        Row("new",                    POST, LOGIN, 403,   403,   NEXT,  403,   403,   403),
    "cases:trail":
        Row("new",                    GET,  LOGIN, 403,   403,   200,   403,   403,   403),
    "coordinators:batch":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "coordinators:my_profile":
        Row("none",                   GET,  LOGIN, 200,   403,   403,   403,   403,   403),
    "coordinators:offer_accept":
        Row("offer",                  POST, LOGIN, NEXT,  403,   403,   403,   403,   403),
    "coordinators:offer_decline":
        Row("offer",                  POST, LOGIN, NEXT,  403,   403,   403,   403,   403),
    "coordinators:offer_make":
        Row("matching",               POST, LOGIN, 403,   NEXT,  NEXT,  403,   403,   403),
    "coordinators:offers":
        Row("none",                   GET,  LOGIN, 200,   403,   403,   403,   403,   403),
    "coordinators:pool":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "coordinators:profile_edit":
        Row("profile",                GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "coordinators:unavailability_delete":
        Row("period",                 POST, LOGIN, NEXT,  403,   403,   403,   403,   403),
    "favicon":
        Row("none",                   GET,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "health_live":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "health_queue":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "health_ready":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "home":
        Row("none",                   GET,  200,   NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "intake:my_referrals":
        Row("none",                   GET,  LOGIN, 403,   403,   403,   200,   403,   403),
    "intake:privacy":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "intake:public_request":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "intake:received":
        Row("none",                   GET,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "intake:referral_create":
        Row("none",                   GET,  LOGIN, 403,   403,   403,   200,   403,   403),
    "intake:request_change":
        Row("new",                    GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "intake:request_enter":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "intake:talk_create":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "intake:talk_list":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "keep_alive":
        Row("none",                   POST, LOGIN, 204,   204,   204,   204,   204,   204,   204),
    "money:add_expense":
        Row("money",                  POST, LOGIN, 400,   403,   403,   403,   403,   403),
    "money:add_hours":
        Row("money",                  POST, LOGIN, 400,   403,   403,   403,   403,   403),
    "money:bank_account":
        Row("none",                   GET,  LOGIN, 200,   403,   403,   403,   403,   403),
    "money:case":
        Row("money",                  GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "money:contracts":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   403,   403),
    # No invoice in the world (it needs a funder's contract and a conference held in its
    # period): these two rows check who gets through to looking for one.
    "money:credit":
        Row("invoice",                POST, LOGIN, 403,   403,   404,   403,   403,   403),
    "money:delete_line":
        Row("line",                   POST, LOGIN, NEXT,  403,   403,   403,   403,   403),
    # No contract in the world either: the missing invoice's id stands in for one.
    "money:end_contract":
        Row("invoice",                POST, LOGIN, 403,   403,   404,   403,   403,   403),
    "money:invoice_pdf":
        Row("invoice",                GET,  LOGIN, 403,   403,   404,   403,   403,   403),
    "money:invoices":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   403,   403),
    "money:mine":
        Row("none",                   GET,  LOGIN, 200,   403,   403,   403,   403,   403),
    "money:months":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   403,   403),
    "money:payments_csv":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   403,   403),
    "money:rates":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   403,   403),
    "money:receipt":
        Row("line",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "money:review":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "money:review_line":
        Row("line",                   POST, LOGIN, 403,   400,   400,   403,   403,   403),
    "money:set_norm":
        Row("none",                   POST, LOGIN, 403,   403,   400,   403,   403,   403),
    "money:statement_pdf":
        Row("statement",              GET,  LOGIN, 200,   403,   200,   403,   403,   403),
    "money:submit_month":
        Row("none",                   POST, LOGIN, 400,   403,   403,   403,   403,   403),
    "otp_webauthn:credential-authentication-begin":
        Row("none",                   POST, 403,   200,   200,   200,   200,   200,   200,   200),
    "otp_webauthn:credential-authentication-complete":
        Row("none",                   POST, 403,   400,   400,   400,   400,   400,   400,   400),
    "otp_webauthn:credential-registration-begin":
        Row("none",                   POST, 403,   200,   200,   200,   200,   200,   200,   200),
    "otp_webauthn:credential-registration-complete":
        Row("none",                   POST, 403,   400,   400,   400,   400,   400,   400,   400),
    "otp_webauthn:js-i18n-catalog":
        Row("none",                   GET,  200,   200,   200,   200,   200,   200,   200,   200),
    # Managers and the office read the plan; the pages that write it refuse them (403,
    # logged: they may see the case, so nothing is revealed).
    "plans:acceptance_at_conference":
        Row("draft/verdict",          GET,  LOGIN, 200,   403,   403,   404,   404,   404,   404),
    "plans:agreement_add":
        Row("draft",                  GET,  LOGIN, 200,   403,   403,   404,   404,   404,   404),
    "plans:agreement_delete":
        Row("draft/agreement",        POST, LOGIN, NEXT,  403,   403,   404,   404,   404,
            other=NEXT, trainer=404),
    "plans:agreement_edit":
        Row("draft/agreement",        GET,  LOGIN, 200,   403,   403,   404,   404,   404,   404),
    "plans:case_ending":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "plans:conference_record":
        Row("planned",                GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "plans:family_link_create":
        Row("final/main",             POST, LOGIN, 200,   200,   200,   403,   403,   403,
            data={"channel": "screen"}),
    "plans:family_link_revoke":
        Row("final/link",             POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403,
            other=NEXT),
    # The family's own link: the token is the key, for whoever holds it.
    "plans:family_plan":
        Row("family_token",           GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "plans:family_plan_pdf":
        Row("family_token",           GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "plans:family_progress":
        Row("family_token/agreement", POST, 200,   200,   200,   200,   200,   200,   200,   200),
    "plans:follow_up":
        Row("sent",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "plans:implementation":
        Row("followed",               GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "plans:implementation_due_list":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    # A professional's own part: anyone else finds nothing (404).
    "plans:plan_acceptance":
        Row("acceptance",             GET,  LOGIN, 404,   404,   404,   200,   404,   404,   404),
    "plans:plan_distribution":
        Row("final",                  GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "plans:plan_edit":
        Row("draft",                  GET,  LOGIN, 200,   200,   200,   404,   404,   404,   404),
    "plans:plan_finalise":
        Row("draft",                  POST, LOGIN, NEXT,  403,   403,   404,   404,   404,   404),
    "plans:plan_history":
        Row("draft",                  GET,  LOGIN, 200,   200,   200,   404,   404,   404,   404),
    "plans:plan_pdf":
        Row("final",                  GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "plans:referrer_consent":
        Row("final",                  POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:circle":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "preparation:conference_target":
        Row("prep",                   POST, LOGIN, 400,   400,   400,   403,   403,   403),
    "preparation:diagram":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "preparation:first_contact":
        Row("prep",                   POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:first_visit":
        Row("prep",                   POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:give_up_date":
        Row("planned",                POST, LOGIN, 400,   400,   400,   403,   403,   403),
    "preparation:invitation_letter":
        Row("planned/letter",         GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    # Posted before any letter was made: the refusal is a message on the invitations page.
    "preparation:invitation_letter_sent":
        Row("planned/letter",         POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:invitations":
        Row("planned",                GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "preparation:invitations_send":
        Row("planned",                POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:logistics":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    # Posted empty: the form answers 400 with its errors.
    "preparation:interpreter_book":
        Row("prep",                   POST, LOGIN, 400,   400,   400,   403,   403,   403),
    "preparation:my_cases":
        Row("none",                   GET,  LOGIN, 200,   403,   403,   403,   403,   403),
    "preparation:my_involvements":
        Row("none",                   GET,  LOGIN, 403,   403,   403,   200,   403,   403),
    "preparation:overdue":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   403,   403),
    "preparation:participant_add":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "preparation:participant_edit":
        Row("prep/participant",       GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "preparation:participant_note":
        Row("prep/participant",       POST, LOGIN, 400,   400,   400,   403,   403,   403),
    "preparation:participant_remove":
        Row("prep/participant",       GET,  LOGIN, 200,   200,   200,   403,   403,   403,
            other=NEXT),
    "preparation:pause":
        Row("prep",                   POST, LOGIN, 400,   400,   400,   403,   403,   403),
    "preparation:poll":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "preparation:poll_answer":
        Row("poll_token",             GET,  200,   200,   200,   200,   200,   200,   200,   200),
    "preparation:poll_choose":
        Row("prep/slot",              POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403,
            other=NEXT),
    "preparation:poll_link":
        Row("prep/poll",              POST, LOGIN, 200,   200,   200,   403,   403,   403),
    "preparation:poll_remove_slot":
        Row("prep/slot",              POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403,
            other=NEXT),
    "preparation:poll_send_links":
        Row("prep",                   POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:professional_accept":
        Row("pending",                POST, LOGIN, 403,   403,   403,   NEXT,  403,   403),
    "preparation:professional_condition_add":
        Row("part",                   POST, LOGIN, 404,   404,   404,   200,   404,   404,   404),
    "preparation:professional_condition_remove":
        Row("part/condition",         POST, LOGIN, 404,   404,   404,   NEXT,  404,   404,
            other=NEXT, trainer=404),
    # Opened while logged in with another account: 403 with 'log out and open it again'.
    # The link itself is the secret; the page shows nothing of the case.
    "preparation:professional_join":
        Row("invitation_token",       GET,  200,   403,   403,   403,   403,   403,   403),
    "preparation:professional_part":
        Row("part",                   GET,  LOGIN, 404,   404,   404,   200,   404,   404,   404),
    "preparation:professional_resend":
        Row("prep/involvement",       POST, LOGIN, NEXT,  NEXT,  NEXT,  404,   404,   404,   404),
    "preparation:professionals":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   404,   404,   404,   404),
    "preparation:question":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    "preparation:resume":
        Row("prep",                   POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:separation_add":
        Row("prep",                   POST, LOGIN, 400,   400,   400,   403,   403,   403),
    "preparation:start_preparation":
        Row("prep",                   POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:task_toggle":
        Row("prep",                   POST, LOGIN, NEXT,  NEXT,  NEXT,  403,   403,   403),
    "preparation:workspace":
        Row("prep",                   GET,  LOGIN, 200,   200,   200,   403,   403,   403),
    # The office's page of requests by data subjects: everyone else finds nothing (404).
    "privacy:request_detail":
        Row("subject/access",         GET,  LOGIN, 404,   404,   200,   404,   404,   404,   404),
    "privacy:request_erase":
        Row("subject/erasure",        POST, LOGIN, 404,   404,   400,   404,   404,   404,   404),
    "privacy:request_export":
        Row("subject/access",         POST, LOGIN, 404,   404,   200,   404,   404,   404,   404),
    "privacy:requests":
        Row("none",                   GET,  LOGIN, 404,   404,   200,   404,   404,   404,   404),
    "set_language":
        Row("none",                   POST, NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "stats:dashboard":
        Row("none",                   GET,  LOGIN, 403,   200,   200,   403,   200,   403),
    "stats:research:export":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   200,   403),
    "stats:research:history":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   200,   403),
    "stats:research:index":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   200,   403),
    "stats:table_csv":
        Row("csv",                    GET,  LOGIN, 403,   200,   200,   403,   200,   403),
    # The family's translations (kring/translations): the office and translators only.
    "translations:overview":
        Row("none",                   GET,  LOGIN, 403,   403,   200,   403,   403,   200),
    "translations:review":
        Row("language",               GET,  LOGIN, 403,   403,   200,   403,   403,   200),
    # django-rosetta (/vertalen/bewerken/): its own gate (kring.translations.access) sends
    # everyone else to the login; its two bare addresses redirect to its file list.
    "rosetta-old-home-redirect":
        Row("none",                   GET,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "rosetta-file-list-redirect":
        Row("none",                   GET,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    "rosetta-file-list":
        Row("rosetta",                GET,  LOGIN, LOGIN, LOGIN, 200,   LOGIN, LOGIN, 200,   LOGIN),
    "rosetta-form":
        Row("rosetta",                GET,  LOGIN, LOGIN, LOGIN, 200,   LOGIN, LOGIN, 200,   LOGIN),
    "rosetta-download-file":
        Row("rosetta",                GET,  LOGIN, LOGIN, LOGIN, 200,   LOGIN, LOGIN, 200,   LOGIN),
    "rosetta.translate_text":
        Row("none",                   GET,  LOGIN, LOGIN, LOGIN, 200,   LOGIN, LOGIN, 200,   LOGIN),
    "admin:logout":  # logging out of the admin needs no permission: back to the site
        Row("none",                   GET,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT,  NEXT),
    # Django's admin: one gate for all its pages (kring/admin_site.py: a superuser who passed
    # the second factor); no role is one, so each is sent to the login.
    ADMIN:
        Row("none",                   GET,  LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
}
# fmt: on

# The pages of later apps keep their rows, and the objects those rows are asked about, in a
# module of their own under kring/tests/access_parts/: ROWS (added to TABLE) and
# build(world, mine, theirs), which adds targets and others from the two regions' people.
PARTS = [
    importlib.import_module(f"{access_parts.__name__}.{module.name}")
    for module in pkgutil.iter_modules(access_parts.__path__)
]
for _part in PARTS:
    TABLE.update(_part.ROWS)


# ---------- The URL configuration ----------


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", tuple(entry.pattern.regex.groupindex))


ROUTES = {route.name: route for route in _walk(get_resolver().url_patterns)}


def _row(name: str) -> Row:
    row = TABLE.get(name) or (TABLE.get(ADMIN) if name.startswith("admin:") else None)
    if row is None:
        pytest.fail(
            f"The page {name!r} has no row in TABLE (kring/tests/test_access.py). Add one "
            "that says what each role gets: anonymous, coordinator, manager, office, "
            "professional, researcher. Out of scope is 404; 403 only for a role that never "
            "uses the page."
        )
    return row


# ---------- A small world: every stage in Utrecht, and its counterpart in Groningen ----------


def _circle(case: Any, *, everyone_comes: bool = False) -> tuple[Any, Any]:
    from kring.preparation.models import Category, InvitationStatus, Participant

    status = InvitationStatus.COMES if everyone_comes else InvitationStatus.TO_ASK
    main = Participant.objects.create(
        case=case,
        name="Sanne de Vries",
        relation="moeder",
        category=Category.HOUSEHOLD,
        is_main_person=True,
        email="sanne@voorbeeld.nl",
        status=status,
    )
    aunt = Participant.objects.create(
        case=case,
        name="Lies Bakker",
        relation="tante",
        category=Category.FAMILY,
        named_by=main,
        status=status,
    )
    return main, aunt


def _involve(case: Any, professional: User, *, present: bool = False) -> Any:
    """The professional joined the case and set a safety condition (and was there)."""
    from kring.plans.models import Attendance, Phase
    from kring.preparation.models import ProfessionalInvolvement, SafetyCondition

    involvement = ProfessionalInvolvement.objects.create(
        case=case,
        name="Jeugdconsulent",
        email=professional.email,
        organisation=professional.organisation,
        user=professional,
        invited_at=timezone.now(),
        invited_by=case.coordinator,
        joined_at=timezone.now(),
    )
    SafetyCondition.objects.create(involvement=involvement, text="Papa drinkt niet thuis.")
    if present:
        Attendance.objects.create(
            conference=case.conference, phase=Phase.INFORMATION, professional=involvement
        )
    return involvement


def _held(coordinator: User, professional: User, region: Region, *, final: bool) -> Any:
    case = a_case(
        at=Status.HELD,
        coordinator=coordinator,
        referrer=professional,
        compelled_help="pressured",
        region=region,
    )
    _circle(case)
    involvement = _involve(case, professional, present=True)
    plan = make_plan(case, agreements=2, final=final)
    return case, involvement, plan


def _prepared(coordinator: User, professional: User, region: Region) -> dict[str, Any]:
    from kring.preparation.models import PollSlot, ProfessionalInvolvement

    case = a_case(
        at=Status.PREPARATION,
        coordinator=coordinator,
        referrer=professional,
        compelled_help="pressured",
        region=region,
    )
    main, aunt = _circle(case, everyone_comes=True)
    slot = PollSlot.objects.create(case=case, starts_at=timezone.now() + timedelta(days=20))
    PollSlot.objects.create(case=case, starts_at=timezone.now() + timedelta(days=22))
    involvement = _involve(case, professional)
    not_joined = ProfessionalInvolvement.objects.create(
        case=case,
        name="Huisarts",
        email=f"huisarts-{region.slug}@voorbeeld.nl",
        organisation=professional.organisation,
        invited_at=timezone.now(),
        invited_by=coordinator,
    )
    return {
        "case": case,
        "main": main,
        "aunt": aunt,
        "slot": slot,
        "involvement": involvement,
        "not_joined": not_joined,
    }


def _money(coordinator: User, manager: User, region: Region) -> dict[str, Any]:
    """A case with last month's expense (with its receipt), submitted and approved."""
    from decimal import Decimal

    from kring.money import domain
    from kring.money.models import Rate

    Rate.objects.get_or_create(
        starts_on=timezone.localdate().replace(year=2020, month=1, day=1),
        defaults={
            "hourly_fee": Decimal("45.00"),
            "km_allowance": Decimal("0.23"),
            "expense_cap": Decimal("250.00"),
        },
    )
    case = a_case(
        at=Status.PREPARATION,
        coordinator=coordinator,
        region=region,
        submitted_at=timezone.now() - timedelta(days=70),
    )
    last_month = timezone.localdate().replace(day=1) - timedelta(days=20)
    line = domain.record_expense(
        case,
        by=coordinator,
        worked_on=last_month,
        expense_kind="venue",
        amount=Decimal("40.00"),
        receipt=domain.ReceiptFile("bon.pdf", "application/pdf", b"%PDF-1.4 bon"),
    )
    domain.submit_month(line.month, by=coordinator)
    return {"case": case, "line": domain.review_line(line, by=manager, approve=True)}


def _people(region: str) -> dict[str, User]:
    return {
        role: UserFactory(role=role, regions=[region], with_organisation=True)
        for role in Role.values
    }


def build_world() -> World:
    """Utrecht: a case in each stage with pages of its own; Groningen: the same kinds of
    objects, belonging to other people."""
    from kring.coordinators.domain import make_offer
    from kring.coordinators.models import Unavailability
    from kring.plans.distribution.family_link import create_link
    from kring.preparation.logistics.mailing import issue_poll_link
    from kring.preparation.models import Preparation, ProfessionalInvolvement
    from kring.preparation.professionals.links import issue_invitation_link
    from kring.privacy.models import SubjectRequest

    utrecht, groningen = Region.objects.get(slug="utrecht"), Region.objects.get(slug="groningen")
    users, theirs = _people("utrecht"), _people("groningen")
    world = World(users=users)
    today = timezone.localdate()
    mine: dict[str, Any] = {}
    for region, people, found in ((utrecht, users, mine), (groningen, theirs, {})):
        coordinator, professional = people[Role.COORDINATOR], people[Role.PROFESSIONAL]
        profile = CoordinatorProfileFactory(user=coordinator, regions=[region], max_cases=20)
        found["period"] = Unavailability.objects.create(
            profile=profile, starts_on=today + timedelta(days=30), ends_on=today + timedelta(40)
        )
        found["profile"] = profile
        found["new"] = a_case(at=Status.NEW, referrer=professional, region=region)
        found["matching"] = a_case(at=Status.MATCHING, referrer=professional, region=region)
        found["offer"] = make_offer(found["matching"], profile, by=people[Role.MANAGER])
        found["prep"] = _prepared(coordinator, professional, region)
        found["money"] = _money(coordinator, people[Role.MANAGER], region)
        found["draft"] = _held(coordinator, professional, region, final=False)
        found["final"] = _held(coordinator, professional, region, final=True)
        if region == groningen:
            other = found
    # Utrecht only: the stages whose pages the other region's ids are tried on.
    coordinator, professional = users[Role.COORDINATOR], users[Role.PROFESSIONAL]
    planned = a_case(at=Status.PLANNED, coordinator=coordinator, referrer=professional)
    _circle(planned, everyone_comes=True)
    Preparation.objects.update_or_create(
        case=planned,
        defaults={"venue": "Buurthuis De Kring", "conference_at": timezone.now() + timedelta(9)},
    )
    sent = a_case(at=Status.PLAN_SENT, coordinator=coordinator, referrer=professional)
    followed = a_case(at=Status.FOLLOWED_UP, coordinator=coordinator, referrer=professional)
    pending = ProfessionalInvolvement.objects.create(
        case=planned,
        name="Zelfde professional",
        email=professional.email,
        organisation=professional.organisation,
        invited_at=timezone.now(),
        invited_by=coordinator,
    )
    office = users[Role.OFFICE]
    access_request, erasure = (
        SubjectRequest.objects.create(
            kind=kind,
            subject_name="Sanne de Vries",
            received_on=today,
            due_on=today,
            entered_by=office,
        )
        for kind in ("access", "erasure")
    )
    prep, draft, final = mine["prep"], mine["draft"], mine["final"]
    final_main = final[0].participants.get(is_main_person=True)
    link, family_token = create_link(final[2], final_main, by=coordinator)
    other_link, _token = create_link(
        other["final"][2],
        other["final"][0].participants.get(is_main_person=True),
        by=other["final"][0].coordinator,
    )
    forgetful = UserFactory(role=Role.RESEARCHER)  # a reset link of someone logged out
    from kring.money import domain as money

    statements = money.run_month(mine["money"]["line"].month, by=office)
    statement = next(st for st in statements if st.coordinator_id == coordinator.pk)
    world.targets = {
        "none": {},
        "language": {"language": "tr"},
        "rosetta": {"po_filter": "project", "lang_id": "tr", "idx": 0},
        "new": {"pk": mine["new"].pk, "case_pk": mine["new"].pk, "to": Status.MATCHING},
        "matching": {"pk": mine["matching"].pk, "case_pk": mine["matching"].pk},
        "offer": {"pk": mine["offer"].pk},
        "period": {"pk": mine["period"].pk},
        "profile": {"pk": mine["profile"].pk},
        "prep": {"case_pk": prep["case"].pk},
        "prep/participant": {"case_pk": prep["case"].pk, "pk": prep["aunt"].pk},
        "prep/poll": {"case_pk": prep["case"].pk, "participant_pk": prep["aunt"].pk},
        "prep/slot": {"case_pk": prep["case"].pk, "slot_pk": prep["slot"].pk},
        "prep/involvement": {"case_pk": prep["case"].pk, "pk": prep["not_joined"].pk},
        "planned": {"case_pk": planned.pk},
        "planned/letter": {
            "case_pk": planned.pk,
            "participant_pk": planned.participants.first().pk,
        },
        "draft": {"case_pk": draft[0].pk},
        "draft/agreement": {"case_pk": draft[0].pk, "pk": draft[2].agreements.first().pk},
        "draft/verdict": {"case_pk": draft[0].pk, "involvement_pk": draft[1].pk},
        "final": {"case_pk": final[0].pk},
        "final/main": {"case_pk": final[0].pk, "participant_pk": final_main.pk},
        "final/link": {"case_pk": final[0].pk, "link_pk": link.pk},
        "sent": {"case_pk": sent.pk},
        "followed": {"case_pk": followed.pk},
        "part": {"pk": prep["involvement"].pk},
        "part/condition": {
            "pk": prep["involvement"].pk,
            "condition_pk": prep["involvement"].conditions.get().pk,
        },
        "acceptance": {"involvement_pk": draft[1].pk},
        "pending": {"pk": pending.pk},
        "subject/access": {"pk": access_request.pk},
        "subject/erasure": {"pk": erasure.pk},
        "csv": {"key": "funnel"},
        "money": {"case_pk": mine["money"]["case"].pk},
        "line": {"pk": mine["money"]["line"].pk},
        "statement": {"pk": statement.pk},
        # No invoice in the world (a funder's contract and a held conference in its
        # period): the row checks who reaches the page; the office finds no such invoice.
        "invoice": {"pk": 10**9},
        "poll_token": {"token": issue_poll_link(prep["aunt"], by=None, channel="test")},
        "invitation_token": {"token": issue_invitation_link(prep["not_joined"])},
        "family_token": {"token": family_token},
        "family_token/agreement": {
            "token": family_token,
            "agreement_pk": final[2].agreements.first().pk,
        },
        "reset": {
            "uidb64": urlsafe_base64_encode(force_bytes(forgetful.pk)),
            "token": default_token_generator.make_token(forgetful),
        },
    }
    o_prep, o_draft, o_final = other["prep"], other["draft"], other["final"]
    t = world.targets
    world.others = {
        # Another region's case (the office reaches it, so only the others are tried).
        "new": ({**t["new"], "pk": other["new"].pk, "case_pk": other["new"].pk}, True),
        "matching": ({"pk": other["matching"].pk, "case_pk": other["matching"].pk}, True),
        "profile": ({"pk": other["profile"].pk}, True),
        "prep": ({"case_pk": o_prep["case"].pk}, True),
        "planned": ({"case_pk": o_prep["case"].pk}, True),
        "draft": ({"case_pk": o_draft[0].pk}, True),
        "final": ({"case_pk": o_final[0].pk}, True),
        "sent": ({"case_pk": o_final[0].pk}, True),
        "followed": ({"case_pk": o_final[0].pk}, True),
        # Someone else's own: their offer, period, part.
        "offer": ({"pk": other["offer"].pk}, False),
        "money": ({"case_pk": other["money"]["case"].pk}, True),
        "line": ({"pk": other["money"]["line"].pk}, True),
        "period": ({"pk": other["period"].pk}, False),
        "part": ({"pk": o_prep["involvement"].pk}, False),
        "acceptance": ({"involvement_pk": o_draft[1].pk}, False),
        # Another case's object under one's own case.
        "prep/participant": ({**t["prep/participant"], "pk": o_prep["aunt"].pk}, False),
        "prep/poll": ({**t["prep/poll"], "participant_pk": o_prep["aunt"].pk}, False),
        "prep/slot": ({**t["prep/slot"], "slot_pk": o_prep["slot"].pk}, False),
        "prep/involvement": ({**t["prep/involvement"], "pk": o_prep["not_joined"].pk}, False),
        "planned/letter": ({**t["planned/letter"], "participant_pk": o_prep["main"].pk}, False),
        "draft/agreement": (
            {**t["draft/agreement"], "pk": o_draft[2].agreements.first().pk},
            False,
        ),
        "draft/verdict": ({**t["draft/verdict"], "involvement_pk": o_draft[1].pk}, False),
        "final/main": ({**t["final/main"], "participant_pk": o_prep["main"].pk}, False),
        "final/link": ({**t["final/link"], "link_pk": other_link.pk}, False),
        "part/condition": (
            {**t["part/condition"], "condition_pk": o_prep["involvement"].conditions.get().pk},
            False,
        ),
    }
    for part in PARTS:
        part.build(world, users, theirs)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once; every test's own requests are rolled back after each one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# ---------- Asking ----------


def _url(name: str, kwargs: dict[str, Any]) -> str:
    wanted = {key: kwargs.get(key, 1) for key in ROUTES[name].kwargs}
    try:
        return reverse(name, kwargs=wanted)
    except NoReverseMatch:  # the admin's app_label, a choice of names
        return reverse(name, kwargs={**wanted, "app_label": "cases"})


def _ask(world: World, role: str, url: str, row: Row) -> HttpResponse:
    """One request by ``role``, in a savepoint: what it changes is gone after it."""
    with transaction.atomic():
        client = VerifiedClient()
        if role != ANON:
            client.force_login(world.users[role])
        response = client.post(url, row.data or {}) if row.how == POST else client.get(url)
        transaction.set_rollback(True)
    return response


def _answer(response: HttpResponse) -> Expected:
    if response.status_code == 302:
        logins = (reverse("accounts:login"), reverse("admin:login"))
        return LOGIN if response["Location"].startswith(logins) else NEXT
    return response.status_code


def _allowed(expected: Expected) -> bool:
    return expected == NEXT or (isinstance(expected, int) and expected < 400)


def _nowhere(kwargs: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The same URL with an id that exists nowhere where ``other`` differs from ``kwargs``."""
    return {key: 10**9 if other[key] != kwargs.get(key) else value for key, value in other.items()}


# ---------- The test ----------


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_role_gets_what_the_table_says(world: World, name: str) -> None:
    row = _row(name)
    kwargs = world.targets[row.target]
    url = _url(name, kwargs)
    wrong: list[str] = []
    answers = {role: _answer(_ask(world, role, url, row)) for role in ROLES}
    expected: dict[str, Any] = dict(zip(ROLES, row[2 : 2 + len(ROLES)], strict=True))
    if os.environ.get("KRING_ACCESS_OBSERVE"):
        print(f"OBSERVED {name!r}: {row.target!r}, {row.how}, {[answers[r] for r in ROLES]}")
        expected = answers
    for role in ROLES:
        if answers[role] != expected[role]:
            wrong.append(f"{role} on {url}: expected {expected[role]}, got {answers[role]}")
    if row.target in world.others:
        other, region = world.others[row.target]
        other_url, nowhere_url = _url(name, other), _url(name, _nowhere(kwargs, other))
        for role in ROLES:
            if not _allowed(expected[role]) or (region and role == Role.OFFICE):
                continue
            got = _answer(_ask(world, role, other_url, row))
            baseline = _answer(_ask(world, role, nowhere_url, row))
            if got != row.other or got != baseline:
                wrong.append(
                    f"{role} on another case's {other_url}: expected {row.other} (as for an "
                    f"id that exists nowhere: {baseline}), got {got}"
                )
    if row.how == GET:
        wrong += _hostile_queries(world, url, row)
    if "token" in ROUTES[name].kwargs:
        made_up = _url(name, {**kwargs, "token": "geen-bestaande-link"})
        if name != "accounts:password_reset_confirm":
            got = _answer(_ask(world, ANON, made_up, row))
            if got != 404:
                wrong.append(f"anonymous on a made-up link {made_up}: expected 404, got {got}")
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


def _hostile_query_names() -> list[str]:
    """What the pages read from the query string: the filter forms' fields and the few
    parameters read by hand."""
    from kring.cases.forms import InboxFilterForm
    from kring.coordinators.forms import BatchForm
    from kring.coordinators.profile_forms import PoolFilterForm
    from kring.stats.forms import DashboardFilterForm
    from kring.training.forms import ApplicationFilterForm

    filters = (InboxFilterForm, DashboardFilterForm, ApplicationFilterForm, PoolFilterForm)
    names = {name for form in (*filters, BatchForm) for name in form.base_fields}
    return sorted(names | {"domein", "format", "gesprek", "maand", "next", "pagina", "taal"})


HOSTILE_QUERY_NAMES = _hostile_query_names()
# One value per role, so each page meets every one of them across the roles.
HOSTILE_QUERY_VALUES = (
    "\x00",
    "9" * 20,
    "9999-99-99",
    "-1",
    "x" * 3000,
    "' OR 1=1",
    "%",
    "٣",
    "[]",
)


def _hostile_queries(world: World, url: str, row: Row) -> list[str]:
    """Every parameter a page might read, set to something hostile: never a 500."""
    wrong = []
    for role, value in zip(ROLES, HOSTILE_QUERY_VALUES, strict=False):
        query = urlencode(dict.fromkeys(HOSTILE_QUERY_NAMES, value))
        status = _ask(world, role, f"{url}?{query}", row).status_code
        if status >= 500:
            wrong.append(f"{role} on {url} with every parameter {value[:12]!r}: {status}")
    return wrong


def test_the_table_has_a_column_for_every_role() -> None:
    missing = {ANON, *Role.values} - set(ROLES)
    assert not missing, (
        f"Roles without a column in TABLE: {sorted(missing)}. Add one to ROLES and to Row, and "
        "say in every row what the role gets."
    )


def test_the_table_has_no_rows_for_pages_that_are_gone() -> None:
    gone = sorted(set(TABLE) - set(ROUTES) - {ADMIN})
    assert not gone, f"Rows in TABLE for URL names that no longer exist: {gone}"


# ---------- Every read of case data is logged (issue 12 §4) ----------

# Pages that take a case or a personal link and show what is in it.
CASE_KWARGS = {"case_pk", "token"}
READS = sorted(
    name
    for name, route in ROUTES.items()
    if (CASE_KWARGS & set(route.kwargs) or name == "cases:detail")
    and name != "accounts:password_reset_confirm"  # a reset link holds no case
)


def _logged_reads(world: World, role: str, url: str) -> tuple[int, int]:
    """The status and how many log rows about a case one GET wrote (rolled back after)."""
    from kring.audit.models import AuditEvent

    with transaction.atomic():
        client = VerifiedClient()
        if role != ANON:
            client.force_login(world.users[role])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        status = client.get(url).status_code
        rows = AuditEvent.objects.filter(seq__gt=last, case__isnull=False).count()
        transaction.set_rollback(True)
    return status, rows


@pytest.mark.parametrize("name", READS)
def test_every_read_of_a_case_page_writes_a_log_row(world: World, name: str) -> None:
    row = _row(name)
    if row.how != GET:
        return  # a button: its action writes its own row (checked by each action's tests)
    url = _url(name, world.targets[row.target])
    expected = dict(zip(ROLES, row[2 : 2 + len(ROLES)], strict=True))
    readers = [role for role in ROLES if expected[role] == 200]
    unlogged = []
    for role in readers:
        status, rows = _logged_reads(world, role, url)
        if status == 200 and rows == 0:
            unlogged.append(role)
    assert not unlogged, f"{url} showed case data to {unlogged} without a log row"
