"""Training fixtures: a trainer, and a first conference held by a new coordinator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kring.accounts.models import Region, Role, User
from kring.cases.models import Case, Status
from kring.factories import UserFactory, a_case


@pytest.fixture
def trainer(db: None) -> User:
    return UserFactory(role=Role.TRAINER, email="trainer@kring.example")


@pytest.fixture
def hold(utrecht: Region, manager: User) -> Callable[[User], Case]:
    """A case in Utrecht of this coordinator, its conference held and followed up (a manager
    of the region is there to support a first conference)."""

    def held(user: User) -> Case:
        return a_case(at=Status.FOLLOWED_UP, coordinator=user, region=utrecht)

    return held


@pytest.fixture
def walker(trainer: User, office: User, hold: Any) -> Callable[..., Any]:
    from kring.training.testing import walk

    def go(application: Any, to: str, **kwargs: Any) -> Any:
        return walk(application, to, trainer=trainer, office=office, hold_conference=hold, **kwargs)

    return go
