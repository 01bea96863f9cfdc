"""A trainer records who was at the information meeting, sees a tick was forgotten, and sets
it right on the same page: the candidate takes the step after all, and the page says so."""

import pytest

from kring.accounts.models import Region, Role
from kring.factories import UserFactory
from kring.tests.browser.helpers import log_in
from kring.tests.browser.test_accessibility import listen, scan
from kring.training.models import Application, SessionKind, Stage
from kring.training.testing import apply, session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_forgotten_tick_is_set_right(live_server, page):
    trainer = UserFactory(email="trainer@kring.example", role=Role.TRAINER)
    utrecht = Region.objects.get(slug="utrecht")
    meeting = session(SessionKind.INFO, trainer)
    came = apply(utrecht, email="fatima@voorbeeld.nl", first_name="Fatima")
    forgotten = apply(utrecht, email="kees@voorbeeld.nl", first_name="Kees")
    heard = listen(page)
    log_in(page, live_server.url, trainer.email)
    page.wait_for_url(lambda url: "/account/" not in url)

    page.goto(f"{live_server.url}/opleiding/bijeenkomsten/{meeting.pk}/")
    page.get_by_label("Fatima").first.check()
    page.get_by_label("Kees").first.check()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_label("Fatima").check()
    page.get_by_role("button", name="Aanwezigheid vastleggen").click()
    page.get_by_text("Aanwezigheid vastgelegd: 1 aanwezig.").wait_for()
    assert Application.objects.get(pk=forgotten.pk).stage == Stage.APPLIED

    page.get_by_text("Aanwezigheid corrigeren").click()
    page.get_by_label("Wie").select_option(label=f"{forgotten} (nu: afwezig)")
    page.get_by_label("Ja, wel aanwezig").check()
    page.get_by_role("button", name="Correctie vastleggen").click()
    # Without a reason: said next to the field, the choices kept, nothing changed.
    page.get_by_text("Dit veld is verplicht.").first.wait_for()
    assert page.get_by_label("Ja, wel aanwezig").is_checked()
    assert Application.objects.get(pk=forgotten.pk).stage == Stage.APPLIED
    page.get_by_label("Wat was er mis?").fill("Vergeten aan te vinken.")
    page.get_by_role("button", name="Correctie vastleggen").click()

    page.get_by_text("De aanwezigheid is gecorrigeerd.").wait_for()
    assert "aanwezig (gecorrigeerd: Vergeten aan te vinken.)" in page.inner_text("main")
    assert Application.objects.get(pk=forgotten.pk).stage == Stage.INFO_MEETING
    assert Application.objects.get(pk=came.pk).stage == Stage.INFO_MEETING
    page.get_by_text("Aanwezigheid corrigeren").click()
    assert scan(page) + heard == []
