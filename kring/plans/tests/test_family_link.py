"""The main person's own link: one plan only, nothing after revocation or expiry, the token
never stored in clear, every use logged."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.factories import UserFactory
from kring.plans.distribution.family_link import create_link, revoke_link
from kring.plans.models import Agreement, FamilyLink, FamilyLinkUse, PlanStatus
from kring.plans.tests.test_document import PlanSetup, make_plan, pdf_text

pytestmark = pytest.mark.django_db

TOKEN_IN_URL = re.compile(r"/plan/mijn-plan/([A-Za-z0-9_-]+)/")


@pytest.fixture
def setup(coordinator: User) -> PlanSetup:
    return make_plan(coordinator, prefix="A: ")


@pytest.fixture
def other(coordinator: User) -> PlanSetup:
    return make_plan(coordinator, prefix="B: ")


def page(token: str) -> str:
    return reverse("plans:family_plan", args=[token])


def link_for(setup: PlanSetup, coordinator: User) -> str:
    _link, token = create_link(setup.plan, setup.main, by=coordinator)
    return token


# ---------- Making a link ----------


def test_coordinator_makes_a_link_shown_once_and_only_its_hash_is_stored(
    client: Any, coordinator: User, setup: PlanSetup
) -> None:
    client.force_login(coordinator)
    create = reverse("plans:family_link_create", args=[setup.case.pk, setup.main.pk])

    response = client.post(create, {"channel": "screen"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = TOKEN_IN_URL.search(response.content.decode()).group(1)  # type: ignore[union-attr]
    assert len(token) >= 43
    link = FamilyLink.objects.get(plan=setup.plan)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.token_hash != token
    assert not FamilyLink.objects.filter(token_hash__contains=token).exists()
    assert not AuditEvent.objects.filter(detail__icontains=token).exists()
    assert link.participant == setup.main
    assert link.expires_at > timezone.now() + timedelta(days=364)
    assert AuditEvent.objects.filter(
        action=Action.FAMILY_LINK_CREATED, case=setup.case, actor=coordinator
    ).exists()
    # The distribution page lists the link but cannot show the token again.
    listing = client.get(reverse("plans:plan_distribution", args=[setup.case.pk]))
    assert 'data-testid="family-link"' in listing.content.decode()
    assert token not in listing.content.decode()


def test_a_new_link_replaces_the_previous_one(coordinator: User, setup: PlanSetup) -> None:
    first = link_for(setup, coordinator)
    second = link_for(setup, coordinator)

    assert FamilyLink.objects.filter(plan=setup.plan, revoked_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(
        action=Action.FAMILY_LINK_REVOKED, detail__reason="replaced"
    ).exists()
    assert Client().get(page(first)).status_code == 404
    assert Client().get(page(second)).status_code == 200


def test_link_mailed_to_the_main_person_opens_the_plan(
    client: Any, coordinator: User, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(coordinator)
    create = reverse("plans:family_link_create", args=[setup.case.pk, setup.main.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create, {"channel": "email"})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["fatima@voorbeeld.nl"]]
    token = TOKEN_IN_URL.search(mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    link = FamilyLink.objects.get(plan=setup.plan)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert AuditEvent.objects.get(action=Action.FAMILY_LINK_CREATED).detail["channel"] == "email"
    client.logout()
    assert client.get(page(token)).status_code == 200


def test_only_main_persons_of_a_final_plan_get_a_link(
    client: Any, coordinator: User, setup: PlanSetup
) -> None:
    client.force_login(coordinator)
    grandma = reverse("plans:family_link_create", args=[setup.case.pk, setup.grandma.pk])
    assert client.post(grandma, {"channel": "screen"}).status_code == 404

    draft = make_plan(coordinator, status=PlanStatus.DRAFT)
    create = reverse("plans:family_link_create", args=[draft.case.pk, draft.main.pk])
    assert client.post(create, {"channel": "screen"}).status_code == 302
    assert not FamilyLink.objects.exists()


def test_coordinator_of_another_case_cannot_make_or_revoke_links(
    client: Any, coordinator: User, setup: PlanSetup
) -> None:
    token = link_for(setup, coordinator)
    link = FamilyLink.objects.get()
    client.force_login(UserFactory(role="coordinator"))

    create = reverse("plans:family_link_create", args=[setup.case.pk, setup.main.pk])
    revoke = reverse("plans:family_link_revoke", args=[setup.case.pk, link.pk])
    assert client.post(create, {"channel": "screen"}).status_code == 404
    assert client.post(revoke).status_code == 404

    assert FamilyLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None
    client.logout()
    assert client.get(page(token)).status_code == 200


# ---------- Opening it ----------


def test_the_link_opens_exactly_its_own_plan_and_every_use_is_logged(
    client: Any, coordinator: User, setup: PlanSetup, other: PlanSetup
) -> None:
    token = link_for(setup, coordinator)
    link_for(other, coordinator)

    response = client.get(page(token))

    assert response.status_code == 200
    html = response.content.decode()
    for agreement in setup.agreements:
        assert agreement.what in html
    assert "B: " not in html
    assert html.count('data-testid="agreement"') == len(setup.agreements)
    assert "fatima@voorbeeld.nl" not in html and "0612345678" not in html
    link = FamilyLink.objects.get(plan=setup.plan)
    assert list(FamilyLinkUse.objects.values_list("link_id", "action")) == [(link.pk, "view")]
    event = AuditEvent.objects.get(action=Action.FAMILY_LINK_USED)
    assert event.actor is None
    assert event.case == setup.case
    assert event.detail["use"] == "view"


def test_the_pdf_through_the_link_is_the_links_plan(
    client: Any, coordinator: User, setup: PlanSetup, other: PlanSetup
) -> None:
    token = link_for(setup, coordinator)

    response = client.get(reverse("plans:family_plan_pdf", args=[token]))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert setup.agreements[0].what in text
    assert "B: " not in text
    assert FamilyLinkUse.objects.get().action == "pdf"
    assert AuditEvent.objects.filter(action=Action.FAMILY_LINK_USED, case=setup.case).count() == 1


def test_nothing_after_revocation(client: Any, coordinator: User, setup: PlanSetup) -> None:
    token = link_for(setup, coordinator)
    link = FamilyLink.objects.get()
    assert not revoke_link(setup.plan, link.pk + 1000, by=coordinator)
    client.force_login(coordinator)
    client.post(reverse("plans:family_link_revoke", args=[setup.case.pk, link.pk]))
    client.logout()
    agreement = setup.agreements[0]

    responses = [
        client.get(page(token)),
        client.get(reverse("plans:family_plan_pdf", args=[token])),
        client.post(
            reverse("plans:family_progress", args=[token, agreement.pk]),
            {f"a{agreement.pk}-progress": "Gaat goed"},
        ),
    ]

    for response in responses:
        assert response.status_code == 404
        assert "Deze link is ingetrokken." in response.content.decode()
        assert agreement.what not in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.progress == ""
    assert not FamilyLinkUse.objects.exists()
    assert AuditEvent.objects.filter(action=Action.FAMILY_LINK_REVOKED, actor=coordinator).exists()
    refused = AuditEvent.objects.filter(action=Action.FAMILY_LINK_REFUSED, case=setup.case)
    assert refused.count() == 3
    assert {e.detail["reason"] for e in refused} == {"revoked"}


def test_nothing_after_expiry(client: Any, coordinator: User, setup: PlanSetup) -> None:
    token = link_for(setup, coordinator)
    FamilyLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(page(token))

    assert response.status_code == 404
    assert "Deze link is verlopen" in response.content.decode()
    assert AuditEvent.objects.get(action=Action.FAMILY_LINK_REFUSED).detail["reason"] == "expired"
    assert not FamilyLinkUse.objects.exists()


def test_an_unknown_token_is_refused_and_logged_without_the_token(
    client: Any, setup: PlanSetup
) -> None:
    response = client.get(page("x" * 43))

    assert response.status_code == 404
    assert "Deze link klopt niet" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.FAMILY_LINK_REFUSED).exists()
    refused = AuditEvent.objects.get(action=Action.PERSONAL_LINK_REFUSED)
    assert refused.case is None and refused.detail == {"kind": "family", "reason": "unknown"}


# ---------- Progress ----------


def test_main_person_marks_progress_on_an_agreement(
    client: Any, coordinator: User, setup: PlanSetup
) -> None:
    token = link_for(setup, coordinator)
    agreement = setup.agreements[1]

    response = client.post(
        reverse("plans:family_progress", args=[token, agreement.pk]),
        {f"a{agreement.pk}-progress": "  Oma haalt ze elke dinsdag op.  "},
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#afspraak-{agreement.pk}")
    agreement.refresh_from_db()
    assert agreement.progress == "Oma haalt ze elke dinsdag op."
    assert agreement.progress_at is not None
    assert FamilyLinkUse.objects.get().action == "progress"
    event = AuditEvent.objects.get(action=Action.FAMILY_LINK_USED)
    assert event.detail == {"use": "progress", "agreement": agreement.pk}
    assert "Oma haalt ze elke dinsdag op." in client.get(page(token)).content.decode()


def test_progress_too_long_is_refused_next_to_the_field_with_the_text_kept(
    client: Any, coordinator: User, setup: PlanSetup
) -> None:
    token = link_for(setup, coordinator)
    agreement = setup.agreements[0]
    text = "lang " * 50

    response = client.post(
        reverse("plans:family_progress", args=[token, agreement.pk]),
        {f"a{agreement.pk}-progress": text},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "hoogstens 200 tekens" in html
    assert f'id="id_a{agreement.pk}-progress_error"' in html
    assert text.strip() in html
    agreement.refresh_from_db()
    assert agreement.progress == "" and agreement.progress_at is None


def test_a_token_for_plan_a_cannot_touch_plan_b(
    client: Any, coordinator: User, setup: PlanSetup, other: PlanSetup
) -> None:
    token = link_for(setup, coordinator)
    foreign: Agreement = other.agreements[0]

    response = client.post(
        reverse("plans:family_progress", args=[token, foreign.pk]),
        {f"a{foreign.pk}-progress": "Overgenomen"},
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.progress == ""
    assert not FamilyLinkUse.objects.filter(action="progress").exists()
