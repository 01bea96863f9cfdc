"""The coordinator's own profile page, the manager's pool and the manager's profile page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kring.accounts.models import Organisation, Postcode, Region, Role, User
from kring.accounts.testing import VerifiedClient, seen_on
from kring.audit.models import Action, AuditEvent
from kring.coordinators.models import (
    Affiliation,
    CoordinatorProfile,
    CoordinatorStatus,
    Unavailability,
)
from kring.factories import CoordinatorProfileFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

MY_PROFILE = reverse("coordinators:my_profile")
POOL = reverse("coordinators:pool")


def client_for(user: User) -> Client:
    client = VerifiedClient()
    client.force_login(user)
    return client


def profile_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "profile",
        "languages": ["nld"],
        "evenings_weekends": "on",
        "max_travel_km": "40",
        "cultural_backgrounds": "",
        "religion": "",
        "declared_relationships": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_post(profile: CoordinatorProfile, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "status": profile.status,
        "vog_issued_on": profile.vog_issued_on.isoformat() if profile.vog_issued_on else "",
        "independence_declared_on": "",
        "regions": [r.pk for r in profile.regions.all()],
        "home_postcode": "",
        "max_travel_km": str(profile.max_travel_km),
        "birth_year": "",
        "gender": "",
        "max_cases": str(profile.max_cases),
        "languages": [lang.code for lang in profile.languages.all()],
        "organisations": [],
        "declared_relationships": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def own_profile(coordinator: User, utrecht: Region) -> CoordinatorProfile:
    return CoordinatorProfileFactory(user=coordinator, regions=[utrecht])


@pytest.fixture
def utrecht_profile(utrecht: Region) -> CoordinatorProfile:
    return CoordinatorProfileFactory(
        regions=[utrecht], religion="Islam", religion_consent_at=timezone.now()
    )


@pytest.fixture
def groningen_profile(groningen: Region) -> CoordinatorProfile:
    return CoordinatorProfileFactory(regions=[groningen])


# --- My profile -------------------------------------------------------------------------


def test_my_profile_shows_an_empty_profile_and_the_first_save_makes_it(coordinator: User) -> None:
    client = client_for(coordinator)
    response = client.get(MY_PROFILE)
    assert response.status_code == 200
    assert "Mijn profiel" in response.content.decode()
    assert not CoordinatorProfile.objects.filter(user=coordinator).exists()  # a GET writes nothing
    assert client.post(MY_PROFILE, profile_post()).status_code == 302
    assert CoordinatorProfile.objects.get(user=coordinator).max_travel_km == 40


def test_coordinator_edits_languages_and_availability(
    coordinator: User, own_profile: CoordinatorProfile
) -> None:
    response = client_for(coordinator).post(
        MY_PROFILE,
        profile_post(languages=["nld", "tir"], evenings_weekends=None, max_travel_km="25"),
    )
    assert response.status_code == 302
    own_profile.refresh_from_db()
    assert set(own_profile.languages.values_list("code", flat=True)) == {"nld", "tir"}
    assert own_profile.evenings_weekends is False
    assert own_profile.max_travel_km == 25
    assert AuditEvent.objects.filter(action=Action.PROFILE_UPDATED, actor=coordinator).exists()


def test_own_save_does_not_touch_load(coordinator: User, own_profile: CoordinatorProfile) -> None:
    client = client_for(coordinator)
    client.get(MY_PROFILE)
    # An offer lands while the page is open.
    CoordinatorProfile.objects.filter(pk=own_profile.pk).update(load=2)
    client.post(MY_PROFILE, profile_post())
    own_profile.refresh_from_db()
    assert own_profile.load == 2


def test_religion_without_consent_is_refused(
    coordinator: User, own_profile: CoordinatorProfile
) -> None:
    response = client_for(coordinator).post(
        MY_PROFILE, profile_post(religion="Christendom", languages=["tir"])
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Zet een vinkje als je toestemming geeft" in body
    assert 'value="Christendom"' in body  # the input is kept
    own_profile.refresh_from_db()
    assert own_profile.religion == ""
    assert own_profile.religion_consent_at is None
    assert not own_profile.languages.filter(code="tir").exists()  # nothing half-saved


def test_religion_with_consent_is_stored_and_clearing_removes_consent(
    coordinator: User, own_profile: CoordinatorProfile
) -> None:
    client = client_for(coordinator)
    response = client.post(MY_PROFILE, profile_post(religion="Christendom", religion_consent="on"))
    assert response.status_code == 302
    own_profile.refresh_from_db()
    assert own_profile.religion == "Christendom"
    assert own_profile.religion_consent_at is not None

    client.post(MY_PROFILE, profile_post(religion="", religion_consent="on"))
    own_profile.refresh_from_db()
    assert own_profile.religion == ""
    assert own_profile.religion_consent_at is None


def test_unavailability_added_and_end_before_start_refused(
    coordinator: User, own_profile: CoordinatorProfile
) -> None:
    client = client_for(coordinator)
    start = timezone.localdate() + timedelta(days=10)
    bad = {"action": "unavailability", "starts_on": start, "ends_on": start - timedelta(days=1)}
    response = client.post(MY_PROFILE, bad)
    assert response.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()
    assert not Unavailability.objects.exists()

    good = {**bad, "ends_on": start + timedelta(days=7), "reason": "Vakantie"}
    assert client.post(MY_PROFILE, good).status_code == 302
    period = Unavailability.objects.get()
    assert period.profile == own_profile
    assert "Vakantie" in client.get(MY_PROFILE).content.decode()


def test_coordinator_deletes_own_period_but_not_anothers(
    coordinator: User, own_profile: CoordinatorProfile, utrecht_profile: CoordinatorProfile
) -> None:
    today = timezone.localdate()
    mine = Unavailability.objects.create(profile=own_profile, starts_on=today, ends_on=today)
    theirs = Unavailability.objects.create(profile=utrecht_profile, starts_on=today, ends_on=today)
    client = client_for(coordinator)
    url = "coordinators:unavailability_delete"
    assert client.get(reverse(url, args=[mine.pk])).status_code == 405
    assert client.post(reverse(url, args=[theirs.pk])).status_code == 404
    assert client.post(reverse(url, args=[mine.pk])).status_code == 302
    assert list(Unavailability.objects.all()) == [theirs]


def test_vog_expired_warning(coordinator: User, own_profile: CoordinatorProfile) -> None:
    own_profile.vog_issued_on = date(2015, 1, 1)
    own_profile.save()
    body = client_for(coordinator).get(MY_PROFILE).content.decode()
    assert "Je VOG is verlopen: je krijgt geen nieuwe trajecten" in body


def test_vog_expiring_soon_warning(coordinator: User, own_profile: CoordinatorProfile) -> None:
    own_profile.vog_issued_on = (timezone.localdate() + timedelta(days=10)).replace(
        year=timezone.localdate().year - 3
    )
    own_profile.save()
    body = client_for(coordinator).get(MY_PROFILE).content.decode()
    assert 'data-testid="vog-warning"' in body
    assert "Je VOG is verlopen" not in body


def test_my_profile_shows_only_own_special_category_data(
    coordinator: User, own_profile: CoordinatorProfile, utrecht_profile: CoordinatorProfile
) -> None:
    body = client_for(coordinator).get(MY_PROFILE).content.decode()
    assert "Islam" not in body
    assert escape(str(utrecht_profile.user)) not in body


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROFESSIONAL, Role.RESEARCHER])
def test_only_managers_and_office_open_the_pool(
    role: str, utrecht_profile: CoordinatorProfile
) -> None:
    client = client_for(UserFactory(role=role))
    assert client.get(POOL).status_code == 403
    edit = reverse("coordinators:profile_edit", args=[utrecht_profile.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, edit_post(utrecht_profile)).status_code == 403


def test_manager_and_office_cannot_open_my_profile(manager: User, office: User) -> None:
    assert client_for(manager).get(MY_PROFILE).status_code == 403
    assert client_for(office).get(MY_PROFILE).status_code == 403


# --- The pool ---------------------------------------------------------------------------


def test_manager_sees_only_own_regions(
    manager: User, utrecht_profile: CoordinatorProfile, groningen_profile: CoordinatorProfile
) -> None:
    client = client_for(manager)
    body = client.get(POOL).content.decode()
    assert escape(str(utrecht_profile.user)) in body
    assert escape(str(groningen_profile.user)) not in body
    other = reverse("coordinators:profile_edit", args=[groningen_profile.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, edit_post(groningen_profile, max_cases="5")).status_code == 404


def test_office_sees_all(
    office: User, utrecht_profile: CoordinatorProfile, groningen_profile: CoordinatorProfile
) -> None:
    client = client_for(office)
    body = client.get(POOL).content.decode()
    assert escape(str(utrecht_profile.user)) in body
    assert escape(str(groningen_profile.user)) in body
    edit = reverse("coordinators:profile_edit", args=[groningen_profile.pk])
    assert client.get(edit).status_code == 200


def test_pool_never_shows_special_category_data(
    office: User, utrecht_profile: CoordinatorProfile
) -> None:
    utrecht_profile.cultural_backgrounds = "Kaapverdiaans-Zeeuws"
    utrecht_profile.save()
    body = client_for(office).get(POOL).content.decode()
    assert escape(str(utrecht_profile.user)) in body
    assert "Islam" not in body
    assert "Kaapverdiaans-Zeeuws" not in body


def test_pool_filters(manager: User, utrecht: Region) -> None:
    speaker = CoordinatorProfileFactory(regions=[utrecht], languages=["tir"])
    paused = CoordinatorProfileFactory(regions=[utrecht], status=CoordinatorStatus.PAUSED)
    client = client_for(manager)

    body = client.get(POOL, {"language": "tir"}).content.decode()
    assert escape(str(speaker.user)) in body and escape(str(paused.user)) not in body

    body = client.get(POOL, {"status": "paused"}).content.decode()
    assert escape(str(paused.user)) in body and escape(str(speaker.user)) not in body

    body = client.get(POOL, {"q": paused.user.last_name}).content.decode()
    assert escape(str(paused.user)) in body


def test_pool_shows_expired_vog_and_load(manager: User, utrecht: Region) -> None:
    CoordinatorProfileFactory(regions=[utrecht], vog_issued_on=date(2015, 1, 1))
    full = CoordinatorProfileFactory(regions=[utrecht], max_cases=1)
    CoordinatorProfile.objects.filter(pk=full.pk).update(load=1)
    body = client_for(manager).get(POOL).content.decode()
    assert "verlopen" in body
    assert "bezet" in body and "vrij" in body


def _pool_queries(user: User) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(POOL).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICE])
def test_pool_query_count_is_constant(role: str, utrecht: Region) -> None:
    user = UserFactory(role=role, regions=[utrecht])
    CoordinatorProfileFactory(regions=[utrecht], languages=["nld", "tir"])
    one = _pool_queries(user)
    for _ in range(4):
        profile = CoordinatorProfileFactory(regions=[utrecht], languages=["nld", "eng"])
        profile.home_postcode_id = "3511"
        profile.save()
    assert _pool_queries(user) == one


# --- The manager's profile page ---------------------------------------------------------


def test_manager_edits_profile_and_it_is_logged(
    manager: User, utrecht_profile: CoordinatorProfile, utrecht: Region
) -> None:
    org = OrganisationFactory()
    edit = reverse("coordinators:profile_edit", args=[utrecht_profile.pk])
    before = utrecht_profile.status
    data = edit_post(
        utrecht_profile,
        status=CoordinatorStatus.STOPPED,  # no field takes it: the status has its own actions
        home_postcode="3511",
        max_cases="3",
        birth_year="1975",
        organisations=[org.pk],
        languages=["nld", "tur"],
    )
    response = client_for(manager).post(edit, data)
    assert response.status_code == 302
    utrecht_profile.refresh_from_db()
    assert utrecht_profile.status == before
    assert utrecht_profile.home_postcode_id == "3511"
    assert utrecht_profile.max_cases == 3
    assert set(utrecht_profile.languages.values_list("code", flat=True)) == {"nld", "tur"}
    assert list(Affiliation.objects.filter(profile=utrecht_profile)) == [
        Affiliation.objects.get(organisation=org)
    ]
    assert utrecht_profile.religion == "Islam"  # not the manager's to change
    event = AuditEvent.objects.get(action=Action.PROFILE_UPDATED)
    assert event.actor == manager and event.object_id == str(utrecht_profile.pk)


def test_affiliations_are_replaced(office: User, utrecht_profile: CoordinatorProfile) -> None:
    old, new = OrganisationFactory(), OrganisationFactory()
    Affiliation.objects.create(profile=utrecht_profile, organisation=old)
    edit = reverse("coordinators:profile_edit", args=[utrecht_profile.pk])
    client_for(office).post(edit, edit_post(utrecht_profile, organisations=[new.pk]))
    orgs = Organisation.objects.filter(affiliated_coordinators__profile=utrecht_profile)
    assert list(orgs) == [new]


@pytest.mark.parametrize(
    ("postcode", "error"), [("1000", "Onbekende postcode."), ("12", "Vul de vier cijfers")]
)
def test_unknown_postcode_is_refused(
    manager: User, utrecht_profile: CoordinatorProfile, postcode: str, error: str
) -> None:
    assert not Postcode.objects.filter(pc4="1000").exists()
    edit = reverse("coordinators:profile_edit", args=[utrecht_profile.pk])
    response = client_for(manager).post(
        edit, edit_post(utrecht_profile, home_postcode=postcode, max_cases="4")
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert f'value="{postcode}"' in response.content.decode()
    utrecht_profile.refresh_from_db()
    assert utrecht_profile.max_cases == 2
    assert not AuditEvent.objects.filter(action=Action.PROFILE_UPDATED).exists()


def test_max_cases_below_load_is_refused(
    manager: User, utrecht_profile: CoordinatorProfile
) -> None:
    CoordinatorProfile.objects.filter(pk=utrecht_profile.pk).update(load=2)
    edit = reverse("coordinators:profile_edit", args=[utrecht_profile.pk])
    response = client_for(manager).post(edit, edit_post(utrecht_profile, max_cases="1"))
    assert response.status_code == 400
    assert "Deze coördinator heeft nu al 2 trajecten of aanbiedingen." in (
        response.content.decode()
    )
    utrecht_profile.refresh_from_db()
    assert utrecht_profile.max_cases == 2


def test_max_cases_limited_to_five(manager: User, utrecht_profile: CoordinatorProfile) -> None:
    edit = reverse("coordinators:profile_edit", args=[utrecht_profile.pk])
    response = client_for(manager).post(edit, edit_post(utrecht_profile, max_cases="6"))
    assert response.status_code == 400
    utrecht_profile.refresh_from_db()
    assert utrecht_profile.max_cases == 2


def test_manager_chooses_only_own_regions_and_keeps_others(
    manager: User, utrecht: Region, groningen: Region
) -> None:
    profile = CoordinatorProfileFactory(regions=[utrecht, groningen])
    edit = reverse("coordinators:profile_edit", args=[profile.pk])
    client = client_for(manager)
    form = client.get(edit).context["form"]
    assert list(form.fields["regions"].queryset) == [utrecht]
    # Choosing another manager's region is refused.
    response = client.post(edit, edit_post(profile, regions=[utrecht.pk, groningen.pk]))
    assert response.status_code == 400
    # Saving with only the own region keeps the other manager's region.
    assert client.post(edit, edit_post(profile, regions=[utrecht.pk])).status_code == 302
    assert set(profile.regions.all()) == {utrecht, groningen}


def test_manager_sees_religion_read_only_only_with_consent(
    manager: User, utrecht_profile: CoordinatorProfile
) -> None:
    edit = reverse("coordinators:profile_edit", args=[utrecht_profile.pk])
    client = client_for(manager)
    response = client.get(edit)
    assert "Islam" in response.content.decode()
    assert "religion" not in response.context["form"].fields
    client.post(edit, edit_post(utrecht_profile, religion="Boeddhisme"))
    utrecht_profile.refresh_from_db()
    assert utrecht_profile.religion == "Islam"


# --- Two people, one profile -----------------------------------------------------------


def test_a_managers_stale_form_does_not_undo_what_the_coordinator_saved(
    manager: User, own_profile: CoordinatorProfile
) -> None:
    edit = reverse("coordinators:profile_edit", args=[own_profile.pk])
    manager_client = client_for(manager)
    shown = seen_on(manager_client.get(edit).content)
    # Meanwhile the coordinator changes the travel distance on their phone.
    coordinator = client_for(own_profile.user)
    mine = profile_post(max_travel_km="75", seen=seen_on(coordinator.get(MY_PROFILE).content))
    assert coordinator.post(MY_PROFILE, mine).status_code == 302
    stale = edit_post(own_profile, max_cases="4", seen=shown)
    refused = manager_client.post(edit, stale)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Iemand heeft deze gegevens intussen ook opgeslagen" in page
    assert 'data-testid="saved-elsewhere"' in page and "<dd>75</dd>" in page
    own_profile.refresh_from_db()
    assert (own_profile.max_travel_km, own_profile.max_cases) == (75, 2)
    # Having read it, the manager keeps the 75 and saves the new maximum.
    again = {**stale, "max_travel_km": "75", "seen": seen_on(refused.content)}
    assert manager_client.post(edit, again).status_code == 302
    own_profile.refresh_from_db()
    assert (own_profile.max_travel_km, own_profile.max_cases) == (75, 4)


def test_the_coordinators_second_device_is_refused_and_shown_the_first(
    own_profile: CoordinatorProfile,
) -> None:
    client = client_for(own_profile.user)
    laptop = seen_on(client.get(MY_PROFILE).content)
    phone = seen_on(client.get(MY_PROFILE).content)
    assert client.post(MY_PROFILE, profile_post(max_travel_km="60", seen=phone)).status_code == 302
    stale = profile_post(max_travel_km="40", declared_relationships="Buurvrouw", seen=laptop)
    refused = client.post(MY_PROFILE, stale)
    assert refused.status_code == 409
    assert "<dd>60</dd>" in refused.content.decode()
    assert "Buurvrouw" in refused.content.decode()  # what was typed, kept
    own_profile.refresh_from_db()
    assert (own_profile.max_travel_km, own_profile.declared_relationships) == (60, "")
    # The same values as stored (a double submit of the first save) are no conflict.
    same = profile_post(max_travel_km="60", seen=phone)
    assert client.post(MY_PROFILE, same).status_code == 302
