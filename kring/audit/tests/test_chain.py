"""The log as a hash chain: every tampering shows, and a log that cannot be written stops the
request (NEN 7513)."""

from __future__ import annotations

import random
from datetime import timedelta
from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import F

from kring.accounts.models import Role
from kring.audit.chain import CONTENT, digest, verify
from kring.audit.log import record
from kring.audit.models import Action, AuditEvent, ChainHead, Outcome
from kring.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db
raw = AuditEvent._base_manager  # past the model's own refusal, as someone with SQL access


def test_rows_written_through_record_form_an_intact_chain(manager):
    case = make_case()
    for n in range(5):
        record(manager, Action.CASE_VIEWED, case=case, obj=case, n=n, text="één")
    assert verify() is None
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    assert all(b.prev_hash == a.hash for a, b in pairwise(rows))
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"{len(rows)} rows, head {rows[-1].hash}" in out.getvalue()


def test_audit_verify_names_the_first_broken_row_and_exits_with_1(manager):
    for n in range(4):
        record(manager, Action.INBOX_VIEWED, n=n)
    second = AuditEvent.objects.get(seq=2)
    _allow_tampering()
    raw.filter(pk=second.pk).update(actor_role=Role.OFFICE)
    with pytest.raises(CommandError, match=rf"row 2 \(id {second.pk}\)") as refused:
        call_command("audit_verify")
    assert refused.value.returncode == 1


def test_the_walk_in_pages_checks_every_row_across_the_page_boundaries(manager):
    """verify() reads the log a page at a time (no server-side cursor): a row changed on the
    third page of three is found, and an intact chain passes whatever the page size."""
    for n in range(8):
        record(manager, Action.INBOX_VIEWED, n=n)
    assert [verify(page=size) for size in (1, 3, 8, 100)] == [None] * 4
    seventh = AuditEvent.objects.get(seq=7)
    _allow_tampering()
    raw.filter(pk=seventh.pk).update(actor_role=Role.OFFICE)
    broken = verify(page=3)
    assert broken is not None and (broken.seq, broken.pk) == (7, seventh.pk)


# ---------- 1,000 random tamperings, each on the same chain and rolled back after it ----------

# Long enough for every kind of tampering at every distance from the ends; each check walks
# the chain from its first row, so a thousand checks of a longer chain only cost time.
CHAIN_LENGTH = 250
KINDS = ("change", "delete", "swap", "forge_middle", "forge_end")
TEXT_FIELDS = ("actor_role", "object_type", "object_id", "outcome", "prev_hash", "hash")


def _allow_tampering() -> None:
    """On PostgreSQL the table's owner switches the append-only triggers off (rolled back
    with the test): the chain must catch what the triggers no longer stop."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The rows' deferred foreign-key checks first: PostgreSQL alters no table with
            # checks still pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")


def _change(rng: random.Random, row: dict[str, Any], world: dict[str, Any]) -> None:
    name = rng.choice((*TEXT_FIELDS, "action", "detail", "at", "actor_id", "case_id", "seq"))
    value: Any
    if name in TEXT_FIELDS:
        value = row[name][:-1] + ("x" if not row[name].endswith("x") else "y")
    elif name == "action":
        value = Action.CASE_MOVED if row["action"] != Action.CASE_MOVED else Action.CASE_VIEWED
    elif name == "detail":
        value = {**row["detail"], "n": row["detail"]["n"] + 1}
    elif name == "at":
        value = row["at"] + timedelta(microseconds=rng.choice((1, -1, 10**6)))
    elif name == "seq":
        value = row["seq"] + 10**6
    else:
        choices = [pk for pk in world[name] if pk != row[name]]
        value = rng.choice(choices)
    raw.filter(pk=row["pk"]).update(**{name: value})


def _swap(rng: random.Random, row: dict[str, Any], rows: list[dict[str, Any]]) -> int:
    """Two rows trade their content (who, what, when) and keep their places in the chain."""
    other = rng.choice([r for r in rows if r["pk"] != row["pk"]])
    for one, two in ((row, other), (other, row)):
        raw.filter(pk=one["pk"]).update(**{name: two[name] for name in CONTENT})
    return min(row["seq"], other["seq"])


def _forge(row: dict[str, Any], *, at_end: bool) -> None:
    """A made-up row with a correctly computed hash, after ``row`` (the others moved up)."""
    if not at_end:
        raw.filter(seq__gt=row["seq"]).update(seq=F("seq") + 10**6)
        raw.filter(seq__gt=10**6).update(seq=F("seq") - 10**6 + 1)
    forged = {**{name: row[name] for name in CONTENT}, "action": Action.CASE_MOVED}
    seq = row["seq"] + 1
    own = digest(row["hash"], seq, forged)
    raw.bulk_create([AuditEvent(seq=seq, prev_hash=row["hash"], hash=own, **forged)])


def _tamper(rng: random.Random, kind: str, row: dict[str, Any], world: dict[str, Any]) -> int:
    """Tamper; the first place in the chain that changed."""
    if kind == "change":
        _change(rng, row, world)
    elif kind == "delete":
        raw.filter(pk=row["pk"]).delete()
    elif kind == "swap":
        return _swap(rng, row, world["rows"])
    else:
        _forge(row, at_end=kind == "forge_end")
    return int(row["seq"])


def test_a_thousand_random_tamperings_are_each_caught(manager, office):
    rng = random.Random(7513)
    cases = [make_case() for _ in range(3)]
    users = [manager, office, UserFactory(role=Role.COORDINATOR)]
    for n in range(CHAIN_LENGTH):
        user, case = rng.choice([*users, None]), rng.choice([*cases, None])
        outcome = rng.choice(list(Outcome))
        record(user, rng.choice(list(Action)), case=case, outcome=outcome, n=n)
    assert verify() is None
    rows = list(raw.order_by("seq").values("pk", "seq", "prev_hash", "hash", *CONTENT))
    world = {
        "rows": rows,
        "actor_id": [None, *(u.pk for u in users)],
        "case_id": [None, *(c.pk for c in cases)],
    }
    _allow_tampering()
    missed, tried = [], set()
    for _ in range(1000):
        row = rng.choice(rows)
        # Forging at the end means after the last row.
        kind = rng.choice(KINDS)
        target = rows[-1] if kind == "forge_end" else row
        with transaction.atomic():
            first = _tamper(rng, kind, target, world)
            broken = verify()
            transaction.set_rollback(True)
        # The break shows at the tampered row or the one or two after it, or at the head.
        if broken is None or not (broken.seq is None or 0 <= broken.seq - first <= 2):
            missed.append((kind, first, broken))
        tried.add(kind)
    assert not missed
    assert tried == set(KINDS)
    assert verify() is None  # every tampering was rolled back


# ---------- Writers cannot fork the chain ----------


def test_the_chain_head_moves_with_every_row_and_a_lost_head_is_noticed(manager):
    record(manager, Action.INBOX_VIEWED)
    record(manager, Action.INBOX_VIEWED)
    head = ChainHead.objects.get()
    last = AuditEvent.objects.get(seq=2)
    assert (head.seq, head.hash) == (2, last.hash)
    ChainHead.objects.all().delete()
    broken = verify()
    assert broken is not None
    assert broken.seq == 2  # rows beyond a head that says nothing


# ---------- Fail closed ----------


def _refuse_log_inserts() -> None:
    """A real database refusal of every new log row (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION audit_down() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'log down'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER audit_down BEFORE INSERT ON audit_auditevent "
                "FOR EACH ROW EXECUTE FUNCTION audit_down()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER audit_down BEFORE INSERT ON audit_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'log down'); END"
            )


def test_a_case_page_whose_read_cannot_be_logged_answers_503_and_shows_nothing(
    client, manager, utrecht
):
    case = make_case(region=utrecht, question="Hoe houden we Noor veilig thuis?")
    client.force_login(manager)
    assert "Noor veilig" in client.get(f"/trajecten/{case.pk}/").content.decode()
    _refuse_log_inserts()
    response = client.get(f"/trajecten/{case.pk}/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Noor veilig" not in page
    assert "niet vastleggen" in page
    with pytest.raises(DatabaseError, match="log down"), transaction.atomic():
        AuditEvent.objects.create(action=Action.INBOX_VIEWED, seq=10**9, prev_hash="", hash="")


@pytest.mark.postgres
def test_postgresql_refuses_to_truncate_the_log(manager):
    record(manager, Action.INBOX_VIEWED)
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL kring.audit_allow_truncate = 'off'")
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.exists()
