"""Personal links (issue 12 §5): only hashes stored, expiry, the closed-case stop, throttled
and logged failures, and the migration that hashed the old plain tokens in place."""

from __future__ import annotations

import importlib
import io
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.cases.domain import decide
from kring.cases.models import Case, Status
from kring.factories import OrganisationFactory, make_case
from kring.lib.tokens import hash_token
from kring.preparation.logistics.domain import choose_slot
from kring.preparation.models import (
    Category,
    InvitationStatus,
    Participant,
    PollSlot,
    Preparation,
    ProfessionalInvolvement,
)
from kring.preparation.professionals.domain import invite_professional

pytestmark = pytest.mark.django_db

POLL = "/voorbereiding/prikker/"
JOIN = "/voorbereiding/professional/"


@pytest.fixture
def case(coordinator: User) -> Case:
    return make_case(status=Status.PREPARATION, coordinator=coordinator)


def _person(case: Case, name: str = "Ana de Vries") -> Participant:
    return Participant.objects.create(
        case=case,
        name=name,
        category=Category.FAMILY,
        status=InvitationStatus.COMES,
        email=f"{name.split()[0].lower()}@voorbeeld.nl",
    )


def _token_in(body: str, prefix: str) -> str:
    return body.split(prefix)[1].split("/")[0]


def _mailed_poll_token(
    client: Any, case: Case, mailoutbox: list[Any], capture: Any, *, day: int = 10
) -> str:
    PollSlot.objects.create(case=case, starts_at=timezone.now() + timedelta(days=day))
    with capture(execute=True):
        client.post(reverse("preparation:poll_send_links", args=[case.pk]))
    return _token_in(mailoutbox[-1].body, POLL)


def _mailed_invitation_token(
    case: Case, coordinator: User, mailoutbox: list[Any], capture: Any
) -> str:
    with capture(execute=True):
        invite_professional(
            case,
            name="Petra de Wit",
            email="petra@jeugdbescherming.example",
            organisation=OrganisationFactory(name="Jeugdbescherming Midden").name,
            role="",
            by=coordinator,
        )
    return _token_in(mailoutbox[-1].body, JOIN)


@pytest.fixture
def mailed(
    coordinator_client: Any,
    coordinator: User,
    case: Case,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> tuple[str, str]:
    """The raw tokens of a poll link and an invitation, as their mails carried them."""
    capture = django_capture_on_commit_callbacks
    _person(case)
    poll = _mailed_poll_token(coordinator_client, case, mailoutbox, capture)
    return poll, _mailed_invitation_token(case, coordinator, mailoutbox, capture)


# ---------- Only a hash is stored ----------


def test_a_dump_of_the_rows_holds_no_raw_token(
    coordinator_client: Any, mailed: tuple[str, str]
) -> None:
    poll, invitation = mailed
    dump = io.StringIO()
    call_command(
        "dumpdata", "preparation.participant", "preparation.professionalinvolvement", stdout=dump
    )
    rows = dump.getvalue()
    log = io.StringIO()
    call_command("dumpdata", "audit", stdout=log)

    assert hash_token(poll) in rows and hash_token(invitation) in rows
    for token in (poll, invitation):
        assert token not in rows
        assert token not in log.getvalue()
    # ... and the mailed links work.
    assert coordinator_client.get(f"{POLL}{poll}/").status_code == 200
    assert coordinator_client.get(f"{JOIN}{invitation}/").status_code in {200, 403}


def test_a_new_link_replaces_the_old_one(
    coordinator_client: Any,
    case: Case,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = _person(case)
    mailed = _mailed_poll_token(
        coordinator_client, case, mailoutbox, django_capture_on_commit_callbacks
    )
    response = coordinator_client.post(reverse("preparation:poll_link", args=[case.pk, ana.pk]))
    shown = _token_in(response.content.decode(), POLL)

    assert response.status_code == 200
    assert coordinator_client.get(f"{POLL}{shown}/").status_code == 200
    old = coordinator_client.get(f"{POLL}{mailed}/")
    assert old.status_code == 404 and "Deze link klopt niet" in old.content.decode()


# ---------- Expiry ----------


def test_a_poll_link_works_a_week_after_the_date_is_fixed_and_then_says_so(
    coordinator_client: Any,
    coordinator: User,
    case: Case,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _person(case)
    token = _mailed_poll_token(
        coordinator_client, case, mailoutbox, django_capture_on_commit_callbacks
    )
    choose_slot(case, PollSlot.objects.get(case=case).pk, by=coordinator)
    url = f"{POLL}{token}/"
    Preparation.objects.filter(case=case).update(date_fixed_at=timezone.now() - timedelta(days=6))
    assert coordinator_client.get(url).status_code == 200  # shows the chosen date

    Preparation.objects.filter(case=case).update(date_fixed_at=timezone.now() - timedelta(days=8))
    response = coordinator_client.get(url)

    assert response.status_code == 404
    assert "Deze link is verlopen" in response.content.decode()
    refused = AuditEvent.objects.get(action=Action.PERSONAL_LINK_REFUSED)
    assert refused.case_id == case.pk and refused.outcome == "denied"
    assert refused.detail == {"kind": "poll", "reason": "expired"}


def test_an_invitation_works_fourteen_days(
    client: Any,
    coordinator: User,
    case: Case,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = _mailed_invitation_token(
        case, coordinator, mailoutbox, django_capture_on_commit_callbacks
    )
    involvement = ProfessionalInvolvement.objects.get(case=case)
    assert involvement.token_expires_at is not None
    days = (involvement.token_expires_at - timezone.now()).total_seconds() / 86400
    assert 13.9 < days <= 14
    assert client.get(f"{JOIN}{token}/").status_code == 200

    ProfessionalInvolvement.objects.filter(pk=involvement.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(f"{JOIN}{token}/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Deze link is verlopen" in body and "Petra" not in body


# ---------- The closed-case stop ----------


def test_every_link_stops_when_the_case_ends(
    client: Any, manager: User, case: Case, mailed: tuple[str, str]
) -> None:
    poll, invitation = mailed
    decide(case, Status.WITHDRAWN, by=manager, note="De familie wil niet verder.")
    client.logout()

    for url in (f"{POLL}{poll}/", f"{JOIN}{invitation}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Het traject is afgerond of gestopt" in response.content.decode()
    reasons = AuditEvent.objects.filter(action=Action.PERSONAL_LINK_REFUSED, case=case)
    assert {(e.detail["kind"], e.detail["reason"]) for e in reasons} == {
        ("poll", "closed"),
        ("professional", "closed"),
    }


# ---------- Throttled and logged failures ----------


def test_failed_guesses_are_throttled_per_address(
    client: Any,
    coordinator_client: Any,
    case: Case,
    settings: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _person(case)
    token = _mailed_poll_token(
        coordinator_client, case, mailoutbox, django_capture_on_commit_callbacks
    )
    settings.KRING_LINK_FAILURE_RATE = "3/10m"
    for _ in range(10):  # using one's own link is never a failure
        assert client.get(f"{POLL}{token}/").status_code == 200
    for url in (f"{POLL}geraden1/", f"{JOIN}geraden2/", "/plan/mijn-plan/geraden3/"):
        assert client.get(url).status_code == 404

    blocked = [client.get(f"{POLL}{token}/"), client.get(f"{JOIN}nogmaals/")]
    elsewhere = client.get(f"{POLL}{token}/", REMOTE_ADDR="192.0.2.7")

    for response in blocked:
        assert response.status_code == 429
        assert "Te veel pogingen" in response.content.decode()
    assert elsewhere.status_code == 200  # another address has its own count
    events = AuditEvent.objects.filter(action=Action.PERSONAL_LINK_REFUSED)
    assert [e.detail["reason"] for e in events.order_by("id")] == ["unknown"] * 3 + [
        "throttled"
    ] * 2
    assert all(e.outcome == "denied" for e in events)
    assert not any("geraden" in str(e.detail) or token in str(e.detail) for e in events)


# ---------- The migration ----------


def test_the_migration_hashes_old_tokens_so_old_links_keep_working(
    client: Any, coordinator: User, case: Case
) -> None:
    ana = _person(case)
    involvement = ProfessionalInvolvement.objects.create(
        case=case,
        name="Karim",
        email="karim@wijkteam.example",
        organisation=OrganisationFactory(),
        invited_at=timezone.now() - timedelta(days=2),
        invited_by=coordinator,
    )
    PollSlot.objects.create(case=case, starts_at=timezone.now() + timedelta(days=9))
    # Before the migration the columns held the plain tokens (renamed, not rewritten).
    Participant.objects.filter(pk=ana.pk).update(poll_token_hash="oude-prikker-link")
    ProfessionalInvolvement.objects.filter(pk=involvement.pk).update(token_hash="oude-uitnodiging")
    migration = importlib.import_module("kring.preparation.migrations.0003_personal_links_hashed")

    migration.hash_in_place(apps, None)

    ana.refresh_from_db()
    involvement.refresh_from_db()
    assert ana.poll_token_hash == hash_token("oude-prikker-link")
    assert involvement.token_hash == hash_token("oude-uitnodiging")
    assert involvement.token_expires_at == involvement.invited_at + timedelta(days=14)
    assert client.get(f"{POLL}oude-prikker-link/").status_code == 200
    assert client.get(f"{JOIN}oude-uitnodiging/").status_code == 200
