"""Two managers offer the last free place at the same moment: exactly one succeeds."""

import threading

import pytest
from django.db import connection

from kring.cases.models import Status
from kring.coordinators.domain import OfferRefused, make_offer
from kring.coordinators.models import CoordinatorProfile, Offer
from kring.coordinators.tests.test_offers import make_profile
from kring.factories import make_case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_offers_never_exceed_capacity(manager, other_manager, utrecht):
    other_manager.regions.add(utrecht)
    profile = make_profile(max_cases=1)
    cases = [make_case(status=Status.MATCHING) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def offer(case, by):
        try:
            barrier.wait()
            make_offer(case, profile, by=by)
            outcomes.append("offered")
        except OfferRefused:
            outcomes.append("refused")
        finally:
            # Each thread's own connection; close_old_connections() kept it (CONN_MAX_AGE),
            # and the test database could not be dropped at the end of the run.
            connection.close()

    threads = [
        threading.Thread(target=offer, args=(cases[0], manager)),
        threading.Thread(target=offer, args=(cases[1], other_manager)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["offered", "refused"]
    assert Offer.objects.filter(profile=profile).count() == 1
    assert CoordinatorProfile.objects.get(pk=profile.pk).load == 1
