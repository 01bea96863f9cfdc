"""The database going away in the middle of a request (issue 17 §2): a Dutch 503, nothing
half written, and the app answers again within five seconds of the database coming back.

A real PostgreSQL session is ended under a request that has written its first rows: the
public request form is held on a table lock (another session has it) after it wrote the
request, then its backend is terminated and the database refuses new connections for a
moment (``ALLOW_CONNECTIONS false``), as in a restart or a failover. The requests run in one
long-lived thread with its own connection, as in a server's worker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from kring.intake.models import Request
from kring.intake.tests.test_public_form import valid_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
FORM = reverse("intake:public_request")


def _dsn(dbname: str) -> str:
    db = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=dbname, user=db["USER"], password=db["PASSWORD"] or None,
        host=db["HOST"], port=db["PORT"] or None,
    )  # fmt: skip


@pytest.fixture
def server() -> Iterator[ThreadPoolExecutor]:
    """One thread that answers requests one after another, keeping its connection."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool
        pool.submit(connections.close_all).result()


def _ask(server: ThreadPoolExecutor, method: str, path: str, data: Any = None) -> Any:
    client = Client(raise_request_exception=False)
    send = client.post if method == "post" else client.get
    return server.submit(send, path, data).result(timeout=30)


def test_the_database_gone_mid_request_answers_503_writes_nothing_and_recovers(
    server: ThreadPoolExecutor, manager: Any
) -> None:
    name = connection.settings_dict["NAME"]
    assert _ask(server, "get", FORM).status_code == 200  # the thread has its connection
    admin = psycopg.connect(_dsn("postgres"), autocommit=True)
    locker = psycopg.connect(_dsn(name))
    try:
        locker.execute("LOCK TABLE cases_case IN EXCLUSIVE MODE")  # reads pass, writes wait
        pending = server.submit(Client(raise_request_exception=False).post, FORM, valid_data())
        waiting: list[tuple[int]] = []
        deadline = time.monotonic() + 20
        while not waiting and time.monotonic() < deadline:
            waiting = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                [name],
            ).fetchall()
        assert waiting, "the request never reached the case table"
        # The request has written its Request row and waits to open the case: now the
        # database goes away (its sessions end, new ones are refused).
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(%s)", [waiting[0][0]])
        locker.rollback()
        response = pending.result(timeout=30)
        assert response.status_code == 503
        page = response.content.decode()
        assert "Even niet beschikbaar" in page and 'lang="nl"' in page
        assert response["Retry-After"]
        assert Request.objects.count() == 0, "half a request was written"
        assert _ask(server, "get", FORM).status_code == 503  # still away: no connection
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        back = time.monotonic()
        locker.close()
        admin.close()

    while (status := _ask(server, "get", FORM).status_code) != 200:
        assert status == 503
        assert time.monotonic() - back < 5, (
            "not answering five seconds after the database came back"
        )
        time.sleep(0.1)
    assert time.monotonic() - back < 5
    assert _ask(server, "post", FORM, valid_data()).status_code == 302
    assert Request.objects.count() == 1
