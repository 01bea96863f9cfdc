"""Issue 15 §2: the family's progress notes on their own page reach the coordinator: a mail
(that it happened and where, not what) and a notice with the notes on the plan page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from kring.accounts.models import User
from kring.plans.distribution.family_link import create_link
from kring.plans.tests.test_document import make_plan

pytestmark = pytest.mark.django_db
NOTE = "Oma haalt ze elke dinsdag op."


def test_a_progress_note_is_mailed_and_shown_to_the_coordinator(
    client: Any, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=coordinator.pk).update(email="coordinator@voorbeeld.nl")
    setup = make_plan(coordinator)
    _link, token = create_link(setup.plan, setup.main, by=coordinator)
    agreement = setup.agreements[1]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("plans:family_progress", args=[token, agreement.pk]),
            {f"a{agreement.pk}-progress": NOTE},
        )

    [notice] = mail.outbox
    assert notice.to == ["coordinator@voorbeeld.nl"]
    assert setup.plan.case.request.reference in notice.subject
    assert reverse("plans:plan_edit", args=[setup.plan.case_id]) in notice.body
    assert NOTE not in notice.body  # the family's words stay in Kring

    client.force_login(coordinator)
    page = client.get(reverse("plans:plan_edit", args=[setup.plan.case_id])).content.decode()
    assert 'data-testid="progress-notice"' in page
    shown = page.split('data-testid="family-progress"')[1].split("</p>")[0]
    assert NOTE in shown
