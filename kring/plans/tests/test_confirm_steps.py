"""Issue 15 §2: the steps that cannot be taken back ask first (without JavaScript: the button
opens the question, the form under it takes the step), and a final plan offers the next step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.cases.models import Status
from kring.factories import a_case
from kring.plans.models import PlanStatus
from kring.plans.tests.test_editor import _ready, _url, case, circle  # noqa: F401 (fixtures)
from kring.preparation.models import PollSlot

pytestmark = pytest.mark.django_db


def _inside_confirmation(page: str, testid: str, action: str) -> str:
    """The confirmation block; the form with ``action`` must be inside it, and only there."""
    block = page.split(f'data-testid="{testid}"')[1].split("</details>")[0]
    assert f'action="{action}"' in block
    assert page.count(f'action="{action}"') == 1
    return block


def test_finalising_the_plan_asks_first_and_then_offers_sending_it(
    client,
    coordinator,
    case,  # noqa: F811
    circle,  # noqa: F811
):
    client.force_login(coordinator)
    plan = _ready(client, case, circle)
    page = client.get(_url("plan_edit", case)).content.decode()
    block = _inside_confirmation(page, "finalise-confirm", _url("plan_finalise", case))
    assert "Weet u het zeker?" in block and "Ja, het plan vaststellen" in block

    client.post(_url("plan_finalise", case), {"lock_version": plan.lock_version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FINAL
    page = client.get(_url("plan_edit", case)).content.decode()
    next_step = page.split('data-testid="next-step"')[1].split("</p>")[0]
    assert reverse("plans:plan_distribution", args=[case.pk]) in next_step


def test_picking_the_conference_date_asks_first(client, coordinator):
    preparing = a_case(at=Status.PREPARATION, coordinator=coordinator)
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    chosen = PollSlot.objects.create(case=preparing, starts_at=start)
    client.force_login(coordinator)
    page = client.get(reverse("preparation:poll", args=[preparing.pk])).content.decode()
    action = reverse("preparation:poll_choose", args=[preparing.pk, chosen.pk])
    block = _inside_confirmation(page, "choose-confirm", action)
    assert "Ja, deze datum vastleggen" in block
