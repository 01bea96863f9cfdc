"""Hostile input on every form: never an error page, never half a save.

The URL configuration is the list of pages (walked, not written down). A small world of
cases in every stage is built once with the factories; each role crawls the site from the
pages without parameters and the world's personal links, and every form it meets is posted
with values hypothesis makes hostile: very long text, NUL, RTL overrides, emoji, huge and
negative numbers, impossible dates, the other case's ids, missing and duplicated fields.
"""

from __future__ import annotations

import shutil
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from kring.accounts.models import Region, Role, User
from kring.accounts.testing import VerifiedClient
from kring.cases.models import Status
from kring.factories import CoordinatorProfileFactory, UserFactory, a_case, make_plan, walk_to
from kring.lib.forms import StyledFormMixin

pytestmark = pytest.mark.django_db

ANON = "anonymous"
ROLES = [ANON, *Role.values]
# Files and pictures hold no form; rendering PDFs would only make the crawl slow.
_SKIPPED_SUFFIXES = (".pdf", ".csv", ".svg", ".ics")
# Pages the crawl cannot reach, with the reason.
EXPECTED_UNREACHED = {
    "accounts:password_reset_confirm": "reached only through the link in a reset mail",
    # JSON with a key only (no page links them); kring/api/tests and schemathesis give them
    # hostile input.
    "api:get_referral": "an API address, answered only with a key",
    "api:get_invoice_pdf": "an API address, answered only with a key",
    "api:list_referrals": "the same address as api:create_referral, which the crawl reaches",
    "api:set_webhook": "the same address as api:get_webhook (PUT), which the crawl reaches",
    "api:switch_off_webhook": "the same address as api:get_webhook (DELETE)",
    # A button with nothing to fill in, only beside a message given up after six attempts;
    # kring/api/tests/test_webhooks.py walks one there and posts it twice, and with other ids.
    "koppelingen:resend": "shown only for a failed webhook message",
    # A button with nothing to fill in, beside a webhook that is on; the crawl's world has
    # none (it takes a name that resolves): kring/api/tests/test_own_webhook.py presses it.
    "koppelingen:webhook_off": "shown only beside a webhook that is on",
}


# ---------- The URL configuration ----------


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if inner.startswith("admin:"):
                # Django's own, for the office only; its one form with rules of ours (the
                # matching weights) has its own tests below.
                continue
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            # The named groups, for path() and re_path() alike (rosetta's are re_path()s).
            yield Route(f"{namespace}{entry.name}", tuple(entry.pattern.regex.groupindex))


ROUTES = sorted(
    {route.name: route for route in _walk(get_resolver().url_patterns)}.values(),
    key=lambda r: r.name,
)


# ---------- Forms in a page ----------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "textarea"
    values: list[str] = field(default_factory=list)  # the page's own value(s) or options


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, FormField] = field(default_factory=dict)


class _PageParser(HTMLParser):
    """The forms (with their fields) and the same-site links of one page."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action") or self.base, a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is not None and a.get("name"):
            self._field(tag, a)
        elif tag == "option" and self._select is not None:
            self._select.values.append(a.get("value", ""))

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        kind = a.get("type", "text") if tag in {"input", "button"} else tag
        if tag == "button":
            kind = "button"
        found = self._form.fields.setdefault(a["name"], FormField(a["name"], kind))
        if tag == "select":
            self._select = found
        elif "value" in a:
            found.values.append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _route_of(path: str) -> tuple[str, dict[str, Any]] | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name, match.kwargs


# ---------- A small world: the own region's cases in every stage, and another case ----------


@dataclass
class World:
    users: dict[str, User]
    start_paths: list[str]  # personal links that only a mail or a letter would give
    other_ids: list[str]  # ids of the other region's case and its objects


def _circle(case: Any) -> list[Any]:
    from kring.preparation.models import Category, Participant

    main = Participant.objects.create(
        case=case,
        name="Sanne de Vries",
        relation="moeder",
        category=Category.HOUSEHOLD,
        is_main_person=True,
        email="sanne@voorbeeld.nl",
    )
    aunt = Participant.objects.create(
        case=case, name="Lies Bakker", relation="tante", category=Category.FAMILY, named_by=main
    )
    return [main, aunt]


def _everyone_comes(case: Any, coordinator: User) -> None:
    """The circle said yes, recorded the way the coordinator does on the circle page."""
    from kring.preparation.circle.domain import update_participant
    from kring.preparation.models import InvitationStatus, Participant

    for participant in Participant.objects.filter(case=case):
        participant.status = InvitationStatus.COMES
        update_participant(participant, ["status"], by=coordinator)


def _involve(case: Any, coordinator: User, professional: User) -> Any:
    """The professional, invited during the preparation, joined the case and set a safety
    condition."""
    from kring.preparation.professionals.domain import (
        add_conditions,
        invite_professional,
        link_existing_professional,
    )

    involvement = invite_professional(
        case,
        name="Jeugdconsulent",
        email=professional.email,
        organisation=professional.organisation.name,
        role="",
        by=coordinator,
    )
    link_existing_professional(involvement, professional)
    add_conditions(involvement, ["Papa drinkt niet bij de kinderen."], by=professional)
    return involvement


def _prepared_case(coordinator: User, professional: User, *, region: str = "utrecht") -> Any:
    """A case in preparation: a circle, two poll slots, a professional with a condition."""
    from kring.accounts.models import Region
    from kring.preparation.models import PollSlot

    case = a_case(
        at=Status.PREPARATION,
        coordinator=coordinator,
        region=Region.objects.get(slug=region),
        referrer=professional,
        compelled_help="pressured",
    )
    _circle(case)
    soon = timezone.now().replace(microsecond=0) + timedelta(days=20)
    for days in (0, 2):
        PollSlot.objects.create(case=case, starts_at=soon + timedelta(days=days))
    _involve(case, coordinator, professional)
    return case


def _planned_case(coordinator: User) -> Any:
    """A date and a place are set: invitations (by mail, or a letter) can go out."""
    from kring.preparation.models import Preparation

    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    _circle(case)
    _everyone_comes(case, coordinator)
    Preparation.objects.update_or_create(
        case=case,
        defaults={
            "venue": "Buurthuis De Kring",
            "conference_at": timezone.now() + timedelta(days=9),
        },
    )
    return case


def _held_case(
    coordinator: User, professional: User, *, status: str = Status.HELD, final: bool = True
) -> Any:
    """A case past its conference with a final plan (with ``final``, as the professional
    accepted it) and a professional who set a condition and was there for the information."""
    from kring.plans.conference.domain import (
        ConferenceRecord,
        attendance_participants,
        record_conference,
    )
    from kring.plans.models import Phase

    case = a_case(
        at=Status.PLANNED,
        coordinator=coordinator,
        compelled_help="pressured",
        referrer=professional,
    )
    _circle(case)
    involvement = _involve(case, coordinator, professional)
    present = set(attendance_participants(case).values_list("pk", flat=True))
    record = ConferenceRecord(
        held_on=timezone.localdate(),
        place="Buurthuis De Kring",
        participants=dict.fromkeys(Phase.values, present),
        professionals={Phase.INFORMATION: {involvement.pk}},
    )
    record_conference(case, record, by=coordinator)
    make_plan(case, final=final)
    return walk_to(case, status)


def build_world() -> World:
    """One case in each stage that has pages of its own, in Utrecht, and one in Groningen."""
    from kring.cases.domain import pause_case
    from kring.coordinators.domain import make_offer
    from kring.coordinators.models import Unavailability
    from kring.plans.distribution.family_link import create_link
    from kring.plans.writing import acceptance
    from kring.preparation.logistics.domain import send_invitations
    from kring.preparation.logistics.mailing import issue_poll_link
    from kring.preparation.models import Participant, ProfessionalInvolvement
    from kring.preparation.professionals.links import issue_invitation_link

    users: dict[str, User] = {
        role: UserFactory(role=role, regions=["utrecht"], with_organisation=True)
        for role in Role.values
    }
    coordinator, professional = users[Role.COORDINATOR], users[Role.PROFESSIONAL]
    profile = CoordinatorProfileFactory(user=coordinator, regions=["utrecht"], max_cases=20)
    today = timezone.localdate()
    Unavailability.objects.create(
        profile=profile, starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=40)
    )
    a_case(at=Status.NEW)  # new, in the inbox
    offered = a_case(at=Status.MATCHING)
    make_offer(offered, profile, by=users[Role.MANAGER])
    a_case(at=Status.MATCHING)  # waiting for an offer (the batch page)
    a_case(at=Status.ASSIGNED, coordinator=coordinator)
    prepared = _prepared_case(coordinator, professional)
    _everyone_comes(prepared, coordinator)
    not_joined = ProfessionalInvolvement.objects.create(
        case=prepared,
        name="Huisarts",
        email="huisarts@voorbeeld.nl",
        organisation=professional.organisation,
        invited_at=timezone.now(),
        invited_by=coordinator,
    )
    pause_case(_prepared_case(coordinator, professional), by=coordinator, reason="ziekte")
    planned = _planned_case(coordinator)
    # The crawl opens each page once per stage, and a main person (listed first) cannot be
    # removed: start at someone who can.
    # Invitations sent: the aunt has no e-mail, so hers is a letter to confirm as posted.
    send_invitations(planned, by=coordinator)
    # Someone named after the invitations went out, who comes but is not invited yet: the
    # send button is back, and (with no invitation) he can still be removed.
    aunt = Participant.objects.create(
        case=planned, name="Kees Bakker", relation="oom", category="family", named_by_id=None
    )
    _everyone_comes(planned, coordinator)
    _held_case(coordinator, professional, final=False)  # a draft: the editor's own forms
    awaiting = _held_case(coordinator, professional, final=False)
    acceptance.finalise(awaiting.plan, lock_version=awaiting.plan.lock_version, by=coordinator)
    final = _held_case(coordinator, professional)
    main = Participant.objects.get(case=final, is_main_person=True)
    _link, family_token = create_link(final.plan, main, by=coordinator)
    _held_case(coordinator, professional, status=Status.PLAN_SENT)
    _held_case(coordinator, professional, status=Status.FOLLOWED_UP)
    other = _prepared_case(
        UserFactory(role=Role.COORDINATOR),
        UserFactory(role=Role.PROFESSIONAL, with_organisation=True),
        region="groningen",
    )
    attending = Participant.objects.filter(case=prepared).first()
    assert attending is not None
    # Links store only a hash: the world hands out a token as a mail would.
    poll_token = issue_poll_link(attending, by=None, channel="test")
    invitation_token = issue_invitation_link(not_joined)
    # An invitation to the professional's own address, taken up from their list.
    ProfessionalInvolvement.objects.create(
        case=planned,
        name="Zelfde professional",
        email=professional.email,
        organisation=professional.organisation,
        invited_at=timezone.now(),
        invited_by=coordinator,
    )
    _subject_requests(users[Role.OFFICE], final.request.requester_name)
    from kring.money.testing import money_world  # a line to review, a receipt, an invoice

    money_world(users)
    from kring.api.testing import api_world  # a key, for the rotate and revoke buttons

    api_world(users)
    return World(
        users=users,
        start_paths=[
            f"/voorbereiding/prikker/{poll_token}/",
            f"/voorbereiding/professional/{invitation_token}/",
            f"/plan/mijn-plan/{family_token}/",
            f"/voorbereiding/{planned.pk}/kring/{aunt.pk}/",
            *_coordinators_path(users),
        ],
        other_ids=_ids_of_case(other),
    )


def _coordinators_path(users: dict[str, User]) -> list[str]:
    """Applications and sessions, coaching and meetings, questionnaires: made as the access
    table makes them (kring/tests/access_parts/), with Groningen's people as the others.
    Returns the personal links among them, which only a mail would give."""
    from kring.tests import access_rows
    from kring.tests.access_parts import coaching, evaluation, training

    theirs = {
        role: UserFactory(role=role, regions=["groningen"], with_organisation=True)
        for role in Role.values
    }
    CoordinatorProfileFactory(user=theirs[Role.COORDINATOR], regions=["groningen"])
    parts = access_rows.World(users=users)
    for part in (training, coaching, evaluation):
        part.build(parts, users, theirs)
    _training_stages(users)
    _meeting_that_took_place(users[Role.MANAGER])
    return [
        reverse("training:self_report", kwargs=parts.targets["training/link"]),
        reverse("evaluation:answer", kwargs=parts.targets["evaluation/answer"]),
    ]


def _training_stages(users: dict[str, User]) -> None:
    """Applications at the stages whose page has a form of its own, a group under way with an
    open invitation, and a paused coordinator (the resume button)."""
    from kring.training import domain as training
    from kring.training.models import SessionKind, Stage
    from kring.training.testing import apply, ready_for_matching, session, walk

    utrecht = Region.objects.get(slug="utrecht")
    trainer, office = users[Role.TRAINER], users[Role.OFFICE]

    def hold(user: User) -> Any:
        return a_case(at=Status.FOLLOWED_UP, coordinator=user, region=utrecht)

    def at(stage: str, email: str) -> Any:
        application = apply(utrecht, email=email)
        return walk(application, stage, trainer=trainer, office=office, hold_conference=hold)

    at(Stage.INFO_MEETING, "na-voorlichting@voorbeeld.nl")  # take part
    at(Stage.SELF_REPORT, "verslag-binnen@voorbeeld.nl")  # the trainers' decision
    at(Stage.EVALUATED, "beoordeeld@voorbeeld.nl")  # the certificate
    first = at(Stage.ACCEPTED, "eerste-conferentie@voorbeeld.nl")
    ready_for_matching(first)
    hold(first.user)  # the first conference held: the evaluation's form
    decided = at(Stage.DECIDED, "besloten@voorbeeld.nl")
    training.invite(session(SessionKind.EK1, trainer), [decided], by=trainer)  # attendance
    paused = CoordinatorProfileFactory(regions=["utrecht"])
    training.pause_coordinator(paused, reason="Verbouwing", by=users[Role.MANAGER])


def _meeting_that_took_place(manager: User) -> None:
    """A regional meeting with its invitations, since past: attendance can be recorded."""
    from kring.coaching.domain import invite, plan_meeting
    from kring.coaching.models import Meeting, MeetingKind

    meeting = plan_meeting(
        kind=MeetingKind.REGIONAL,
        region=Region.objects.get(slug="utrecht"),
        starts_at=timezone.now() + timedelta(hours=1),
        place="Regiokantoor",
        topic="Intervisie",
        by=manager,
    )
    invite(meeting, by=manager)
    # Time passes: the meeting was this morning (plan_meeting takes only future moments).
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))


def _subject_requests(office: User, name: str) -> None:
    """A data subject's requests for access and erasure, open on the office's page."""
    from kring.privacy.models import SubjectRequest

    today = timezone.localdate()
    for kind in ("access", "erasure"):
        SubjectRequest.objects.create(
            kind=kind, subject_name=name, received_on=today, due_on=today, entered_by=office
        )


def _ids_of_case(case: Any) -> list[str]:
    """The ids of a case and of everything hanging from it: what a tamperer would try."""
    ids = {case.pk, case.request_id}
    for relation in ("participants", "poll_slots", "professionals", "offers"):
        ids |= set(getattr(case, relation).values_list("pk", flat=True))
    return sorted(str(pk) for pk in ids)


# ---------- Crawling as each role ----------


@dataclass
class Found:
    role: str
    page: str
    form: Form


@dataclass
class Site:
    world: World
    reached: set[str] = field(default_factory=set)  # route names some role opened or posts to
    forms: dict[str, list[Found]] = field(default_factory=dict)  # route name → forms posting there
    opened: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # kwargs seen


def client_for(world: World, role: str) -> Client:
    client = VerifiedClient()
    if role != ANON:
        client.force_login(world.users[role])
    return client


def _worth_visiting(path: str) -> bool:
    plain = urlsplit(path).path
    return not plain.endswith(_SKIPPED_SUFFIXES) and not plain.startswith(("/beheer/", "/static/"))


def _stage(route: tuple[str, dict[str, Any]]) -> tuple[str, str]:
    """A page and the stage of its case: the crawl opens each page once per stage."""
    from kring.cases.models import Case

    name, kwargs = route
    case_pk = kwargs.get("case_pk", kwargs.get("pk") if name.startswith("cases:") else None)
    if case_pk is None:  # a page of its own (an offer, a professional's part): a few of each
        return name, str(kwargs)
    stage = Case.objects.filter(pk=case_pk).values_list("status", "paused_at", "plan__status")
    return name, str(stage.first())


def crawl(site: Site, role: str, per_route: int = 1) -> None:
    """Breadth first over same-site links; ``per_route`` pages of each route and stage."""
    client = client_for(site.world, role)
    plain_routes = [r for r in ROUTES if not r.kwargs]
    queue = [reverse(r.name) for r in plain_routes] + list(site.world.start_paths)
    seen: set[str] = set()
    per_stage: dict[tuple[str, str], int] = {}
    while queue:
        path = urlsplit(queue.pop(0)).path
        route = _route_of(path)
        if path in seen or route is None:
            continue
        seen.add(path)
        site.reached.add(route[0])
        stage = _stage(route)
        if per_stage.get(stage, 0) >= per_route or not _worth_visiting(path):
            continue
        response = client.get(path)
        assert response.status_code < 500, (role, path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        per_stage[stage] = per_stage.get(stage, 0) + 1
        site.opened.setdefault((route[0], role), route[1])
        parser = _PageParser(path)
        parser.feed(response.content.decode())
        queue += parser.links
        for form in parser.forms:
            target = _route_of(form.action)
            if target is not None:
                site.reached.add(target[0])
                site.forms.setdefault(target[0], []).append(Found(role, path, form))


@pytest.fixture(scope="module")
def own_catalogues(tmp_path_factory: Any) -> Iterator[None]:
    """The crawl posts to the translators' screens, which write the catalogues (and reload
    them): it gets a copy of its own, so the tests after it in this process find them as
    they were. Leaving override_settings resets Django's loaded translations."""
    target = tmp_path_factory.mktemp("catalogues") / "locale"
    shutil.copytree(django_settings.LOCALE_PATHS[0], target)
    with override_settings(LOCALE_PATHS=[str(target)]):
        yield


@pytest.fixture(scope="module")
def site(own_catalogues: None, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Site]:
    """Built and crawled once; every test's own changes are rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = Site(build_world())
        for role in ROLES:
            crawl(built, role)
        yield built
        transaction.set_rollback(True)


# ---------- Hostile values ----------

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "Sanne\x00de Vries",
    "\u202egnirts\u202c",
    "👨‍👩‍👧‍👦🏳️‍🌈",
    "x" * 5000,
    "<script>alert(1)</script>",
    "'; DROP TABLE cases_case; --",
]
NASTY_NUMBERS = [
    "-1",
    "0",
    str(2**31),
    str(2**63),
    str(2**70),
    str(-(2**70)),
    "1e400",
    "NaN",
    "inf",
    "-inf",
    "1,5",
    "٣",
]
NASTY_DATES = [
    "9999-12-31",
    "0000-00-00",
    "0001-01-01",
    "2023-02-30",
    "10000-01-01",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "2026-13-45T25:61",
]


def _value(form_field: FormField, other_ids: list[str]) -> st.SearchStrategy[str]:
    own = st.sampled_from(form_field.values) if form_field.values else st.just("")
    nasty = st.sampled_from(NASTY_TEXT + NASTY_NUMBERS + NASTY_DATES + other_ids)
    return st.one_of(own, nasty, st.text(max_size=30))


_DATE_KINDS = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M", "time": "%H:%M"}
_CHOICE_KINDS = {"select", "radio", "checkbox", "button", "submit"}


def _plausible(form_field: FormField) -> str:
    """A value the form would accept on its own: the page's, or a made-up ordinary one."""
    given = [value for value in form_field.values if value]
    if given:
        return given[0]
    if form_field.kind in _DATE_KINDS:
        return (timezone.localtime() + timedelta(days=10)).strftime(_DATE_KINDS[form_field.kind])
    return {"number": "3", "email": "iemand@voorbeeld.nl"}.get(form_field.kind, "Zomaar een tekst")


def _class_of(form_field: FormField) -> str:
    if form_field.kind in _DATE_KINDS:
        return "date"
    if form_field.kind == "number" or (form_field.values and form_field.values[0].isdigit()):
        return "number"
    return "choice" if form_field.kind in _CHOICE_KINDS else "text"


def _worst_cases(form: Form, other_ids: list[str]) -> list[dict[str, list[str]]]:
    """Deterministic first examples: an otherwise fine form with one kind of field poisoned."""
    far = {
        kind: "9999-12-31T23:59"[: len(now)]
        for kind, now in (
            ("date", "2026-01-01"),
            ("datetime-local", "2026-01-01T00:00"),
            ("time", ""),
        )
    }
    poison = {
        "number": lambda f: str(2**70),
        "date": lambda f: far.get(f.kind) or "25:61",
        "text": lambda f: _plausible(f) + "\x00",
        "choice": lambda f: other_ids[0] if other_ids else str(2**70),
    }
    kinds = {_class_of(f) for f in form.fields.values()}
    return [
        {
            name: [bad(f) if _class_of(f) == kind else _plausible(f)]
            for name, f in form.fields.items()
        }
        for kind, bad in poison.items()
        if kind in kinds
    ]


def _form_data(form: Form, other_ids: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    """Every field hostile, kept as the page had it, missing, or sent twice."""
    return st.fixed_dictionaries(
        {
            name: st.lists(_value(form_field, other_ids), min_size=0, max_size=2)
            for name, form_field in form.fields.items()
        }
    )


_NOT_COUNTED = {"audit", "sessions", "admin", "contenttypes"}


def _row_counts() -> tuple[int, ...]:
    """Rows per table in one query, leaving out the logs a refused request rightly writes."""
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for model in apps.get_models()
        if model._meta.app_label not in _NOT_COUNTED and not model.__name__.endswith("Use")
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        return tuple(cursor.fetchone())


def _is_form_error(response: Any) -> bool:
    body = response.content
    return b"kring-form-errors" in body or b"utrecht-form-field-error-message" in body


def _forms_for(site: Site, route: Route, per_role: int = 2) -> list[Found]:
    """The forms posting to a route: per role, up to ``per_role`` with different fields."""
    unique: dict[tuple[str, str, frozenset[str]], Found] = {}
    for found in site.forms.get(route.name, []):
        key = (found.role, found.form.method, frozenset(found.form.fields))
        if sum(role == found.role for role, _m, _f in unique) < per_role:
            unique.setdefault(key, found)
    return list(unique.values())


def _attack(site: Site, found: Found, examples: int) -> None:
    client = client_for(site.world, found.role)
    form = found.form

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(data=_form_data(form, site.world.other_ids))
    def attack(data: dict[str, list[str]]) -> None:
        with transaction.atomic():
            before = _row_counts()
            send = client.post if form.method == "post" else client.get
            response = send(form.action, data)
            assert response.status_code < 500, (found.role, form.action, data)
            if _is_form_error(response):
                assert _row_counts() == before, (found.role, form.action, data)
            transaction.set_rollback(True)

    for worst in _worst_cases(form, site.world.other_ids):
        attack = example(data=worst)(attack)
    attack()


def _tampered_addresses(site: Site) -> Iterator[tuple[str, str]]:
    """Each opened page with its ids swapped for a huge number or the other case's ids."""
    for (name, role), kwargs in site.opened.items():
        ids = [key for key, value in kwargs.items() if isinstance(value, int)]
        for swap in [str(2**70), *site.world.other_ids[:2]]:
            if ids:
                path = reverse(name, kwargs={**kwargs, **dict.fromkeys(ids, swap)})
                yield role, path


def _open_tampered(site: Site) -> list[str]:
    """GET and POST every tampered address; the ones that answered 5xx."""
    failed = []
    for role, path in _tampered_addresses(site):
        client = client_for(site.world, role)
        for send in (client.get, client.post):
            try:
                status = send(path).status_code
            except Exception as failure:  # reported with the form failures
                failed.append(f"{path} as {role}: {_where(failure)}")
            else:
                if status >= 500:
                    failed.append(f"{path} as {role}: {status}")
    return failed


def _where(failure: BaseException) -> str:
    """The exception and the project's own frames it passed through."""
    frames = [
        f"{frame.filename.split('/kring/', 1)[-1]}:{frame.lineno} {frame.line}"
        for frame in traceback.extract_tb(failure.__traceback__)
        if "/kring/" in frame.filename and "/tests/" not in frame.filename
    ]
    return f"{failure!r}"[:500] + "".join(f"\n    {line}" for line in frames[-4:])


@pytest.mark.slow
def test_every_form_and_address_survives_hostile_input(site: Site) -> None:
    """One test, so that a parallel run crawls the world once."""
    unreached = {r.name for r in ROUTES} - site.reached
    not_reached = sorted(unreached - set(EXPECTED_UNREACHED))
    assert not not_reached, f"the crawl should reach every page; not reached: {not_reached}"
    reached_after_all = sorted(set(EXPECTED_UNREACHED) - unreached)
    assert not reached_after_all, f"reached now, not expected: {reached_after_all}"
    failures = _open_tampered(site)
    for route in ROUTES:
        forms = _forms_for(site, route)
        for found in forms:
            try:  # a few examples per route, shared by the roles that reach it
                _attack(site, found, examples=max(1, 6 // len(forms)))
            except Exception as failure:  # every form is tried; all failures reported together
                failures.append(f"{route.name} as {found.role}: {_where(failure)}")
    assert not failures, "\n\n".join(failures)


# ---------- The 500s found before this file existed, one by one ----------


@pytest.mark.parametrize("token", ["niet-een-uuid", "\x00", "1" * 200])
def test_a_tampered_form_token_gets_a_dutch_error_and_keeps_what_was_typed(client, token):
    from kring.intake.models import Request
    from kring.intake.tests.test_public_form import URL, valid_data

    before = Request.objects.count()
    response = client.post(URL, valid_data(submission_token=token))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Het formulier was beschadigd" in page
    assert "Fatima el Amrani" in page
    assert Request.objects.count() == before
    # The page carries a fresh token, so sending it again goes through.
    fresh = response.context["form"].data["submission_token"]
    assert client.post(URL, valid_data(submission_token=fresh)).status_code == 302
    assert Request.objects.count() == before + 1


def test_a_tampered_token_on_a_referral_is_refused_the_same_way(client, professional):
    from kring.intake.models import Request
    from kring.intake.tests.test_referral import URL, referral_data

    client.force_login(professional)
    before = Request.objects.count()
    response = client.post(URL, referral_data(submission_token="x"))
    assert response.status_code == 200
    assert "Het formulier was beschadigd" in response.content.decode()
    assert Request.objects.count() == before


def test_a_nul_character_in_a_search_answers_400_in_dutch(client, manager):
    client.force_login(manager)
    response = client.get("/trajecten/inbox/", {"status": "new\x00"})
    assert response.status_code == 400
    assert "ongeldig teken" in response.content.decode()
    assert client.get("/trajecten/inbox/", {"status": "new"}).status_code == 200


class _Probe(StyledFormMixin, forms.Form):
    on = forms.DateField(required=False)
    at = forms.DateTimeField(required=False)
    count = forms.IntegerField(required=False)
    people = forms.ModelMultipleChoiceField(queryset=Region.objects.all(), required=False)
    region = forms.ModelChoiceField(queryset=Region.objects.all(), required=False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("on", "9999-12-31"),
        ("on", "0001-01-01"),
        ("at", "9999-12-31T23:59"),
        ("count", str(2**70)),
        ("count", str(-(2**40))),
        ("people", str(2**70)),
        ("region", str(2**70)),
    ],
)
def test_every_styled_form_bounds_dates_numbers_and_ids(name, value):
    form = _Probe({name: value})
    assert not form.is_valid()
    assert list(form.errors) == [name]


def test_ordinary_values_still_pass_the_bounds(utrecht):
    form = _Probe({"on": "2031-05-01", "count": "12", "people": [utrecht.pk], "region": utrecht.pk})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "values",
    [
        '{"language": NaN}',
        '{"language": Infinity}',
        '{"language": ""}',
        '{"language": -1}',
        '{"taal": 3}',
        '{"distance_scale_km": 0}',
        "[1, 2]",
        '{"language": 1e400}',
    ],
)
def test_matching_weights_refuse_what_the_engine_cannot_use(values):
    from kring.coordinators.forms import MatchingWeightsForm

    form = MatchingWeightsForm({"values": values})
    assert not form.is_valid()
    assert form.errors["values"]


def test_matching_weights_in_the_admin_show_the_error_instead_of_breaking_matching(client, office):
    from kring.coordinators.models import MatchingWeights

    office.is_staff = office.is_superuser = True
    office.save()
    client.force_login(office)
    response = client.post(
        "/beheer/coordinators/matchingweights/add/", {"values": '{"language": NaN}'}
    )
    assert response.status_code == 200
    assert "tussen 0 en 1000" in response.content.decode()
    assert not MatchingWeights.objects.exists()  # the world above has no weights either
    ok = client.post("/beheer/coordinators/matchingweights/add/", {"values": '{"language": 30}'})
    assert ok.status_code == 302
    assert MatchingWeights.objects.get().values == {"language": 30}


def test_an_id_beyond_the_database_in_an_address_answers_404(coordinator_client):
    # The follow-up page looks the case up by its foreign key after a refusal; SQLite raised.
    response = coordinator_client.post(f"/plan/{2**70}/nazorg/")
    assert response.status_code == 404


def test_a_nul_in_the_reason_for_giving_up_a_date_is_refused_in_dutch(
    coordinator_client, coordinator
):
    # The reason went into the log unchecked, and PostgreSQL refuses NUL in its JSON.
    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    url = reverse("preparation:give_up_date", args=[case.pk])
    response = coordinator_client.post(url, {"reason": "ziek\x00"}, follow=True)
    assert "Null-tekens zijn niet toegestaan" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.PLANNED


def test_a_superscript_digit_as_an_id_is_a_form_error_not_a_crash() -> None:
    """'³' passes str.isdigit() but not int(): the id guard must not crash on it."""
    from kring.lib.forms import _is_huge_id

    assert _is_huge_id("³") is False
    assert _is_huge_id(str(2**70)) is True
