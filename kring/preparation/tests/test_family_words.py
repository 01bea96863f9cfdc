"""Issue 15 §2: the coordinator reads what the requester wrote (the family's own question, not
a dossier) on the workspace, and the case page shows the life areas."""

import pytest
from django.urls import reverse

from kring.cases.models import Status
from kring.coordinators.models import Language
from kring.factories import a_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(coordinator):
    case = a_case(
        at=Status.PREPARATION,
        coordinator=coordinator,
        situation="Mijn zus kan de zorg niet meer aan.",
        question="Wat is er nodig zodat de kinderen thuis blijven?",
        life_domains=["parenting", "finances"],
        wish_gender="female",
        language_required=True,
        wish_culture="Marokkaans",
        wish_religion="Islam",
    )
    case.request.wish_languages.set(Language.objects.filter(code="ara")[:1])
    return case


def test_the_coordinator_reads_the_family_s_own_words_on_the_workspace(case, coordinator_client):
    page = coordinator_client.get(reverse("preparation:workspace", args=[case.pk])).content.decode()
    words = page.split('data-testid="family-words"')[1].split("</section>")[0]
    assert "Mijn zus kan de zorg niet meer aan." in words
    assert "Wat is er nodig zodat de kinderen thuis blijven?" in words
    assert "Opvoeding en gezin, Geld en schulden" in words
    assert "noodzakelijk" in words
    # Culture and religion are special-category data, for matching only.
    assert "Marokkaans" not in page and "Islam" not in page


def test_the_case_page_shows_the_life_areas(case, client, manager):
    client.force_login(manager)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    areas = page.split('data-testid="life-domains">')[1].split("</dd>")[0]
    assert "Opvoeding en gezin" in areas
