"""A manager assigns a coordinator directly: the same door and rules as an accepted offer."""

import pytest
from django.urls import reverse

from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, Status
from kring.coordinators.domain import OfferRefused, assign_directly
from kring.coordinators.models import Offer, OfferStatus
from kring.factories import CoordinatorProfileFactory, make_case

pytestmark = pytest.mark.django_db


def test_direct_assignment_through_the_case_page(client, manager, utrecht):
    case = make_case(status=Status.MATCHING)
    profile = CoordinatorProfileFactory(regions=[utrecht], status="ek2")
    client.force_login(manager)
    url = reverse("coordinators:offer_make", args=[case.pk])
    response = client.post(url, {"profile": profile.pk, "direct": "1"}, follow=True)
    assert "is nu de coördinator" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.coordinator) == (Status.ASSIGNED, profile.user)
    offer = Offer.objects.get(case=case)
    assert offer.status == OfferStatus.ACCEPTED
    moved = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED).latest("id")
    assert (moved.actor, moved.detail["new"]) == (manager, Status.ASSIGNED)
    profile.refresh_from_db()
    assert profile.load == 1


def test_direct_assignment_keeps_the_hard_rules(manager, groningen):
    case = make_case(status=Status.MATCHING)
    elsewhere = CoordinatorProfileFactory(regions=[groningen], status="ek2")
    with pytest.raises(OfferRefused):
        assign_directly(case, elsewhere, by=manager)
    case.refresh_from_db()
    assert (case.status, case.coordinator) == (Status.MATCHING, None)
    assert not Offer.objects.filter(case=case).exists()


def test_an_offer_on_a_withdrawn_case_cannot_be_accepted(client, manager, utrecht):
    from kring.cases.domain import decide

    case = make_case(status=Status.MATCHING)
    profile = CoordinatorProfileFactory(regions=[utrecht], status="ek2")
    client.force_login(manager)
    client.post(reverse("coordinators:offer_make", args=[case.pk]), {"profile": profile.pk})
    offer = Offer.objects.get(case=case)
    decide(case, Status.WITHDRAWN, by=manager, note="De familie wil het niet meer.")
    offer.refresh_from_db()
    profile.refresh_from_db()
    assert (offer.status, profile.load) == (OfferStatus.WITHDRAWN, 0)
    client.force_login(profile.user)
    response = client.post(reverse("coordinators:offer_accept", args=[offer.pk]), follow=True)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == Status.WITHDRAWN


@pytest.mark.parametrize("profile", ["9" * 30, "-1", "abc", "1\x00", ""])
def test_a_tampered_coordinator_id_is_refused_in_dutch(client, manager, profile):
    case = make_case(status=Status.MATCHING)
    client.force_login(manager)
    url = reverse("coordinators:offer_make", args=[case.pk])
    response = client.post(url, {"profile": profile, "direct": "1"}, follow=True)
    assert response.status_code in {200, 400}
    assert Case.objects.get(pk=case.pk).status == Status.MATCHING
    assert not Offer.objects.filter(case=case).exists()


@pytest.mark.parametrize("to", ["lost", "held", "x" * 200, "matching\x00"])
def test_a_tampered_decision_is_refused(client, manager, to):
    case = make_case()
    client.force_login(manager)
    response = client.post(f"/trajecten/{case.pk}/besluit/{to}/", follow=True)
    assert response.status_code in {200, 400, 404}
    assert Case.objects.get(pk=case.pk).status == Status.NEW


def test_another_regions_case_cannot_be_assigned(client, other_manager, utrecht):
    case = make_case(status=Status.MATCHING)
    profile = CoordinatorProfileFactory(regions=[utrecht], status="ek2")
    client.force_login(other_manager)
    url = reverse("coordinators:offer_make", args=[case.pk])
    assert client.post(url, {"profile": profile.pk, "direct": "1"}).status_code == 404
    assert Case.objects.get(pk=case.pk).coordinator is None


@pytest.mark.parametrize("note", ["Weg\x00", "x" * 501, "\u202egnikjiw"])
def test_a_hostile_reason_never_half_saves_a_decision(client, manager, note):
    case = make_case()
    client.force_login(manager)
    response = client.post(f"/trajecten/{case.pk}/besluit/rejected/", {"rejected-note": note})
    assert response.status_code in {302, 400}
    rejected = Case.objects.get(pk=case.pk)
    if response.status_code == 400:
        assert rejected.status == Status.NEW and rejected.exit_note == ""
    else:  # a right-to-left mark is text like any other
        assert (rejected.status, rejected.exit_note) == (Status.REJECTED, note)
