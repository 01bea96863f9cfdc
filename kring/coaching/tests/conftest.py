"""Coaching fixtures: a coordinator in Utrecht (the manager's region) and one in Groningen."""

import pytest

from kring.coordinators.tests.test_offers import make_profile


@pytest.fixture
def coached():
    return make_profile(regions=("utrecht",))


@pytest.fixture
def theirs():
    return make_profile(regions=("groningen",))
