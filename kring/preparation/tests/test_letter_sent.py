"""Issue 15 §2: a printed letter counts as sent, and is logged so, only when the coordinator
says it was posted or handed over; opening its PDF is not sending it."""

from typing import Any

import pytest
from django.urls import reverse

from kring.audit.models import Action, AuditEvent
from kring.preparation.models import Invitation
from kring.preparation.tests.test_logistics import case, person, plan  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _sent_rows(case: Any) -> int:  # noqa: F811
    return AuditEvent.objects.filter(case=case, action=Action.INVITATION_LETTER_SENT).count()


def test_a_letter_is_sent_when_the_coordinator_says_so(
    coordinator_client: Any,
    case: Any,  # noqa: F811
) -> None:
    plan(case)
    oma = person(case, "Riet Jansen", address="Kerkstraat 1, 3511 AB Utrecht")
    invitations = reverse("preparation:invitations", args=[case.pk])
    confirm = reverse("preparation:invitation_letter_sent", args=[case.pk, oma.pk])

    # Before the invitations go out there is no letter to confirm.
    page = coordinator_client.post(confirm, follow=True).content.decode()
    assert "nog geen brief gemaakt" in page

    coordinator_client.post(reverse("preparation:invitations_send", args=[case.pk]))
    letter = Invitation.objects.get(participant=oma)
    assert letter.channel == Invitation.Channel.LETTER and letter.letter_sent_at is None
    coordinator_client.get(reverse("preparation:invitation_letter", args=[case.pk, oma.pk]))
    assert _sent_rows(case) == 0  # opening the PDF sends nothing
    page = coordinator_client.get(invitations).content.decode()
    assert 'data-testid="letter-to-send"' in page and f'action="{confirm}"' in page

    assert coordinator_client.post(confirm).status_code == 302
    letter.refresh_from_db()
    assert letter.letter_sent_at is not None
    assert _sent_rows(case) == 1
    coordinator_client.post(confirm)  # a second click
    assert _sent_rows(case) == 1
    assert 'data-testid="letter-sent"' in coordinator_client.get(invitations).content.decode()
