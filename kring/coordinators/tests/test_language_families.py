"""Issue 15 §2: choosing languages. A family name ("Arabisch, alle varianten") can be picked
on the request form, the profile and the pool filter; the server expands it to every variety.
The plain <select multiple> works without JavaScript; the page loads the searchable widget."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from kring.accounts.models import Region, User
from kring.coordinators.models import CoordinatorProfile, Language
from kring.coordinators.tests.test_profiles import (
    MY_PROFILE,
    POOL,
    client_for,
    own_profile,  # noqa: F401 (fixture)
    profile_post,
)
from kring.factories import CoordinatorProfileFactory
from kring.intake.models import Request
from kring.intake.tests.test_public_form import valid_data
from kring.lib.language_select import FAMILIES, expand

pytestmark = pytest.mark.django_db
ARABIC = set(next(codes for key, _label, codes in FAMILIES if key == "ara"))


def _arabic_in_the_list() -> set[str]:
    return set(Language.objects.filter(code__in=ARABIC).values_list("code", flat=True))


def test_every_family_names_real_codes_and_expands_once() -> None:
    assert expand(["familie-ara", "ary", "nld"]).count("ary") == 1
    assert expand(["nld"]) == ["nld"]
    listed = set(Language.objects.values_list("code", flat=True))
    for key, _label, codes in FAMILIES:
        assert len(listed.intersection(codes)) >= 2, key


def test_the_request_form_offers_the_family_and_stores_every_variety(client: Any) -> None:
    page = client.get(reverse("intake:public_request")).content.decode()
    assert 'value="familie-ara"' in page and "Arabisch, alle varianten" in page
    assert "data-kring-multiselect" in page and "tom-select.popular.min.js" in page
    assert "Ctrl" not in page  # no more Ctrl-click

    data = valid_data(wish_languages=["familie-ara"], language_required="on")
    assert client.post(reverse("intake:public_request"), data).status_code == 302
    wished = set(Request.objects.get().wish_languages.values_list("code", flat=True))
    assert wished == _arabic_in_the_list() and len(wished) > 5


def test_an_unknown_language_value_is_refused_next_to_the_field(client: Any) -> None:
    data = valid_data(wish_languages=["familie-klingon"])
    page = client.post(reverse("intake:public_request"), data).content.decode()
    assert "Kies een taal uit de lijst." in page.split('id="id_wish_languages_error"')[1][:300]
    assert not Request.objects.exists()


def test_the_coordinator_picks_a_family_on_the_profile(
    coordinator: User,
    own_profile: CoordinatorProfile,  # noqa: F811
) -> None:
    client = client_for(coordinator)
    assert "Arabisch, alle varianten" in client.get(MY_PROFILE).content.decode()
    client.post(MY_PROFILE, profile_post(languages=["nld", "familie-ara"]))
    spoken = set(own_profile.languages.values_list("code", flat=True))
    assert spoken == {"nld"} | _arabic_in_the_list()
    # The saved varieties show as chosen when the page opens again.
    page = client.get(MY_PROFILE).content.decode()
    assert '<option value="ary" selected>' in page


def test_the_pool_filter_finds_every_speaker_of_a_family(manager: User, utrecht: Region) -> None:
    moroccan = CoordinatorProfileFactory(regions=[utrecht])
    moroccan.languages.set(Language.objects.filter(code="ary"))
    egyptian = CoordinatorProfileFactory(regions=[utrecht])
    egyptian.languages.set(Language.objects.filter(code="arz"))
    frisian = CoordinatorProfileFactory(regions=[utrecht])
    frisian.languages.set(Language.objects.filter(code="fry"))
    page = client_for(manager).get(POOL, {"language": "familie-ara"}).content.decode()
    # As the page writes them: a name such as Van 't Riet comes out escaped.
    assert escape(moroccan.user) in page and escape(egyptian.user) in page
    assert escape(frisian.user) not in page


def test_an_offered_coordinator_is_in_the_region_s_pool_list_marked_as_offered(
    manager: User, utrecht: Region
) -> None:
    """Issue 15 §2 said the offered coordinator was missing from the pool list; it is there,
    with its open offer marked."""
    from kring.cases.models import Status
    from kring.coordinators.domain import make_offer
    from kring.coordinators.tests.test_offers import make_profile
    from kring.factories import a_case

    offered = make_profile()
    make_offer(a_case(at=Status.MATCHING), offered, by=manager)
    page = client_for(manager).get(POOL).content.decode()
    row = page.split(str(offered.user))[1].split("</tr>")[0]
    assert 'data-testid="open-offer"' in row
