"""Shared test fixtures: real database, real mail outbox, tasks run in-process."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.backends.signals import connection_created

from kring.accounts.models import Region, Role, User
from kring.accounts.testing import VerifiedClient
from kring.factories import UserFactory


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The slowest tests first (a stable sort keeps the rest in order): with two xdist
    # workers one starts on the longest while the other works through the rest, instead of
    # one of them starting it near the end and running alone for minutes. Called before
    # pytest-django's own sort, which then puts the transactional tests (they empty the
    # database, the regions of the data migrations too) after all others again; within each
    # group the slow ones stay first.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings: Any) -> None:
    # The production queue is the database; in tests each task runs when it is enqueued.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(request: Any) -> None:
    # Rate-limit counters (django-ratelimit) live in the database cache: no test inherits
    # another's. A test in a transaction loses its own with the rollback; a transactional
    # test's would survive the flush (the cache table is no model's), so they go first.
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    if transactional or (marker is not None and marker.kwargs.get("transaction")):
        from django.core.cache import cache

        request.getfixturevalue("transactional_db")
        cache.clear()


@pytest.fixture
def client() -> VerifiedClient:
    # Replaces pytest-django's client: force_login also passes the second factor, so tests
    # about something else need not enrol (kring/accounts/testing.py).
    return VerifiedClient()


def _allow_emptying_the_log(connection: Any, **kwargs: Any) -> None:
    # Transactional tests empty every table with TRUNCATE, which PostgreSQL refuses on the
    # audit log (audit migration 0010) unless the connection says so; only tests do.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET kring.audit_allow_truncate = 'on'")


connection_created.connect(_allow_emptying_the_log)


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
