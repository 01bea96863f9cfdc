"""A mother opens her family's plan through her own link on a phone and marks progress."""

import pytest

from kring.accounts.models import Role
from kring.cases.models import Status
from kring.factories import UserFactory, make_case, make_plan
from kring.plans.distribution.family_link import create_link, revoke_link
from kring.plans.models import Agreement, PlanStatus
from kring.preparation.models import Participant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_family_reads_its_plan_and_marks_progress(live_server, page):
    coordinator = UserFactory(role=Role.COORDINATOR)
    case = make_case(status=Status.HELD, coordinator=coordinator)
    plan = make_plan(case, agreements=5, final=True)
    assert plan.status == PlanStatus.FINAL
    mother = Participant.objects.filter(case=case).first()
    Participant.objects.filter(pk=mother.pk).update(is_main_person=True)
    mother.refresh_from_db()
    link, token = create_link(plan, mother, by=coordinator)

    page.goto(f"{live_server.url}/plan/mijn-plan/{token}/")
    first = Agreement.objects.filter(plan=plan).order_by("position", "id").first()
    assert page.get_by_text(first.what).first.is_visible()
    assert page.get_by_test_id("family-pdf").is_visible()
    page.locator("textarea, input[type=text]").first.fill("Gaat goed, elke dinsdag gedaan")
    page.get_by_role("button", name="Opslaan").first.click()
    page.wait_for_load_state()
    assert Agreement.objects.filter(plan=plan, progress__startswith="Gaat goed").exists()

    revoke_link(plan, link.pk, by=coordinator)
    response = page.goto(f"{live_server.url}/plan/mijn-plan/{token}/")
    assert response.status == 404
    assert page.get_by_test_id("refused").is_visible()
    assert "ingetrokken" in page.get_by_test_id("refused").inner_text()
    assert first.what not in page.content()
