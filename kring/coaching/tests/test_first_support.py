"""A trained candidate's (EK1) first conference is supported by a regional manager."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kring.accounts.models import Role
from kring.audit.models import Action, AuditEvent
from kring.cases.domain import decide
from kring.cases.models import Case, Status
from kring.coordinators.domain import (
    OfferRefused,
    accept_offer,
    assign_directly,
    make_offer,
    propose,
)
from kring.coordinators.matching import (
    Candidate,
    CandidateArrays,
    MatchRequest,
    explain_blocks,
    rank,
)
from kring.coordinators.models import CoordinatorStatus, OfferStatus
from kring.coordinators.tests.test_offers import make_profile
from kring.factories import UserFactory, make_case
from kring.preparation.workspace.domain import start_preparation

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def _candidate(status: str) -> Candidate:
    return Candidate(
        id=1,
        name="Nieuw",
        lat=None,
        lon=None,
        status=status,
        vog_valid_until=date(2027, 1, 1),
        independence_valid_until=date(2027, 1, 1),
        regions=frozenset({7}),
    )


def test_the_engine_leaves_an_ek1_coordinator_out_without_support_and_says_why():
    unsupported = MatchRequest(id=1, variant="family", region_id=7, first_conference_support=False)
    supported = MatchRequest(id=1, variant="family", region_id=7, first_conference_support=True)
    ek1, certified = _candidate("ek1"), _candidate("certified")
    assert explain_blocks(unsupported, ek1, TODAY) == [
        "eerste conferentie: geen regiomanager vrij voor begeleiding"
    ]
    assert explain_blocks(supported, ek1, TODAY) == []
    assert explain_blocks(unsupported, certified, TODAY) == []  # only first conferences
    assert rank(unsupported, CandidateArrays([ek1]), TODAY) == []
    assert [r.candidate_id for r in rank(supported, CandidateArrays([ek1]), TODAY)] == [1]


def test_without_a_manager_in_the_region_an_ek1_coordinator_is_not_proposed(office):
    case = make_case(status=Status.MATCHING)
    newcomer = make_profile(status=CoordinatorStatus.EK1)
    shortlist = propose(case)
    assert newcomer.pk not in [p.profile.pk for p in shortlist]
    assert "geen regiomanager vrij voor begeleiding" in " ".join(shortlist.notes)
    with pytest.raises(OfferRefused, match="geen regiomanager vrij voor begeleiding"):
        make_offer(case, newcomer, by=office)


def test_accepting_records_the_offering_manager_and_every_case_page_shows_it(manager, client):
    UserFactory(role=Role.MANAGER, regions=["utrecht"])  # a colleague, not chosen
    case = make_case(status=Status.MATCHING)
    newcomer = make_profile(status=CoordinatorStatus.EK1)
    shortlist = propose(case)
    assert newcomer.pk in [p.profile.pk for p in shortlist]
    assert shortlist.notes == []
    offer = make_offer(case, newcomer, by=manager)
    accept_offer(offer, by=newcomer.user)
    case.refresh_from_db()
    assert case.supporting_manager == manager
    event = AuditEvent.objects.get(action=Action.SUPPORTING_MANAGER_SET, case=case)
    assert event.detail["manager"] == manager.pk
    client.force_login(manager)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert 'data-testid="supporting-manager"' in page.content.decode()
    client.force_login(newcomer.user)
    workspace = client.get(reverse("preparation:workspace", args=[case.pk]))
    assert str(manager) in workspace.content.decode()
    assert 'data-testid="supporting-manager"' in workspace.content.decode()


def test_a_manager_at_the_limit_supports_no_more_and_a_waiting_offer_is_withdrawn(
    manager, settings
):
    settings.KRING_SUPPORT_MAX_FIRST_CONFERENCES = 1
    first, second = (make_case(status=Status.MATCHING) for _ in range(2))
    one, other = (make_profile(status=CoordinatorStatus.EK1) for _ in range(2))
    waiting = make_offer(second, other, by=manager)  # made while the manager was free
    accept_offer(make_offer(first, one, by=manager), by=one.user)
    # The manager supports one first conference in progress: nobody is free now.
    assert other.pk not in [p.profile.pk for p in propose(second)]
    with pytest.raises(OfferRefused, match="geen regiomanager vrij"):
        accept_offer(waiting, by=other.user)
    waiting.refresh_from_db()
    assert waiting.status == OfferStatus.WITHDRAWN
    assert Case.objects.get(pk=second.pk).coordinator is None
    # Once that conference's course ends, the manager is free again.
    start_preparation(Case.objects.get(pk=first.pk), by=one.user)
    decide(Case.objects.get(pk=first.pk), Status.WITHDRAWN, by=manager, note="Gezin ziet af.")
    third = make_case(status=Status.MATCHING)
    assert other.pk in [p.profile.pk for p in propose(third)]


def test_the_least_busy_free_manager_supports_when_the_office_assigns(office, settings):
    settings.KRING_SUPPORT_MAX_FIRST_CONFERENCES = 2
    busy = UserFactory(role=Role.MANAGER, regions=["utrecht"])
    idle = UserFactory(role=Role.MANAGER, regions=["utrecht"])
    cases = [make_case(status=Status.MATCHING) for _ in range(2)]
    first, second = (make_profile(status=CoordinatorStatus.EK1) for _ in range(2))
    accept_offer(make_offer(cases[0], first, by=busy), by=first.user)
    assign_directly(cases[1], second, by=office)
    assert Case.objects.get(pk=cases[0].pk).supporting_manager == busy
    assert Case.objects.get(pk=cases[1].pk).supporting_manager == idle


def test_a_certified_coordinator_gets_no_supporting_manager(manager):
    case = make_case(status=Status.MATCHING)
    certified = make_profile(status=CoordinatorStatus.CERTIFIED)
    accept_offer(make_offer(case, certified, by=manager), by=certified.user)
    case.refresh_from_db()
    assert case.supporting_manager is None
    assert not AuditEvent.objects.filter(action=Action.SUPPORTING_MANAGER_SET).exists()
