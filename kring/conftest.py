"""Shared test fixtures: real database, real mail outbox, tasks run in-process."""

from __future__ import annotations

from typing import Any

import pytest

from kring.accounts.models import Region, Role, User
from kring.factories import UserFactory


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings: Any) -> None:
    # The production queue is the database; in tests each task runs when it is enqueued.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def utrecht(db: None) -> Region:
    return Region.objects.get(slug="utrecht")


@pytest.fixture
def groningen(db: None) -> Region:
    return Region.objects.get(slug="groningen")


@pytest.fixture
def manager(utrecht: Region) -> User:
    return UserFactory(role=Role.MANAGER, regions=[utrecht])


@pytest.fixture
def other_manager(groningen: Region) -> User:
    return UserFactory(role=Role.MANAGER, regions=[groningen])


@pytest.fixture
def office(db: None) -> User:
    return UserFactory(role=Role.OFFICE)


@pytest.fixture
def professional(db: None) -> User:
    return UserFactory(role=Role.PROFESSIONAL, with_organisation=True)


@pytest.fixture
def coordinator(db: None) -> User:
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def coordinator_client(client: Any, coordinator: User) -> Any:
    client.force_login(coordinator)
    return client


@pytest.fixture
def researcher(db: None) -> User:
    return UserFactory(role=Role.RESEARCHER)
