"""Saving drafted rows in bulk, with one ``executemany`` per table and batch.

Django's ``bulk_create`` compiles every value of every row in Python; for a million rows that
alone took minutes on a small machine. Here each table's column list, defaults and value
adapters are worked out once from the model, and the rows go to the driver as tuples. Requests
and cases carry primary keys handed out by the drafter; ``reset_sequences`` tells PostgreSQL
about them afterwards (SQLite keeps track by itself).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from kring.audit.chain import chained
from kring.audit.models import AuditEvent
from kring.cases.models import Case
from kring.demo.drafts import Draft, Row
from kring.demo.rows import TABLES, Extra
from kring.intake.models import MainPerson, Request

BATCH = 5000


class Table:
    """How to insert dict rows (keyed by attribute name) into one model's table."""

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.names = [str(f.attname) for f in fields]
        # Columns a row does not mention get the model's default, as in Model.__init__.
        self.defaults = {str(f.attname): f.get_default() for f in fields if not f.primary_key}
        self.adapters = [(str(f.attname), a) for f in fields if (a := _adapter(f))]
        self.pick = operator.itemgetter(*self.names)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"

    def insert(self, rows: Iterable[Row]) -> None:
        values = [self._values(row) for row in rows]
        with connection.cursor() as cursor:
            for start in range(0, len(values), BATCH):
                cursor.executemany(self.sql, values[start : start + BATCH])

    def _values(self, row: Row) -> tuple[Any, ...]:
        full = {**self.defaults, **row}
        for name, adapt in self.adapters:
            full[name] = adapt(full[name])
        return self.pick(full)


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """The driver-level conversion a field needs (what ``get_db_prep_save`` would do)."""
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if connection.vendor == "sqlite" else None
    if isinstance(field, models.JSONField):
        return _JsonCache(field.encoder)
    return None


def _sqlite_datetime(value: datetime | None) -> str | None:
    """Django's SQLite format: naive UTC text (``adapt_datetimefield_value``, but faster)."""
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is None:  # naive: taken as local time, as Django would
        return str(value.astimezone(UTC).replace(tzinfo=None))
    return str(value.replace(tzinfo=None) - offset)


class _JsonCache:
    """JSON values repeat a lot (a move's old and new status): encode each one only once."""

    def __init__(self, encoder: Any) -> None:
        self.encoder, self.seen = encoder, dict[Any, Any]()

    def __call__(self, value: Any) -> Any:
        key = tuple(value.items()) if isinstance(value, dict) else tuple(value)
        if key not in self.seen:
            self.seen[key] = connection.ops.adapt_json_value(value, self.encoder)
        return self.seen[key]


class Tuples:
    """Insert rows that are already tuples in the order of ``columns`` (attribute names).

    The fast path for the big tables of circles and plans: no dict per row, no defaults to
    merge. Every column the rows leave out must be nullable; datetimes, times and JSON come in
    already adapted (``Adapt``).
    """

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        fields = {str(f.attname): f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        missing = [
            name
            for name, f in fields.items()
            if name not in columns and not f.null and not f.primary_key
        ]
        if unknown or missing:
            raise ValueError(f"{model.__name__}: unknown {unknown}, missing {missing}")
        quote = connection.ops.quote_name
        names = ", ".join(quote(str(fields[name].column)) for name in columns)
        marks = ", ".join(["%s"] * len(columns))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(self.sql, rows[start : start + BATCH])


class Adapt:
    """The driver-level values of datetimes, times and JSON for the tuple rows."""

    def __init__(self) -> None:
        sqlite = connection.vendor == "sqlite"
        self.datetime: Callable[[datetime | None], Any] = _sqlite_datetime if sqlite else _same
        self.time: Callable[[time], Any] = str if sqlite else _same
        # SQLite keeps JSON as text: compact, and "ë" as itself (plan snapshots are large).
        self.json: Callable[[Any], Any] = _compact_json if sqlite else _adapted_json


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _adapted_json(value: Any) -> Any:
    return connection.ops.adapt_json_value(value, None)


def _same(value: Any) -> Any:
    return value


class Writer:
    def __init__(self) -> None:
        self.requests = Table(Request, with_pk=True)
        self.persons = Table(MainPerson, with_pk=False)
        self.wishes = Table(Request.wish_languages.through, with_pk=False)
        self.cases = Table(Case, with_pk=True)
        self.events = Table(AuditEvent, with_pk=False)
        self.extra = {name: Tuples(model, columns) for name, (model, columns) in TABLES.items()}

    def write_extra(self, extra: Extra) -> None:
        """The circles, conferences and plans of a batch (parents before children)."""
        for name, table in self.extra.items():
            rows = getattr(extra, name)
            if rows:
                table.insert(rows)

    def write(self, drafts: list[Draft]) -> None:
        self.requests.insert(d.request for d in drafts)
        self.persons.insert(p for d in drafts for p in d.persons)
        self.wishes.insert(
            {"request_id": d.request["id"], "language_id": code}
            for d in drafts
            for code in d.languages
        )
        self.cases.insert(d.case for d in drafts)
        # Through the log's hash chain like every other row (audit/chain.py).
        events = [{**self.events.defaults, **e} for d in drafts for e in d.events]
        self.events.insert(chained(events))


def next_ids() -> tuple[int, int]:
    """The first free primary keys of requests and cases."""
    return first_free(Request), first_free(Case)


def first_free(model: type[models.Model]) -> int:
    """The first free primary key of a table whose keys the demo hands out itself."""
    return int(model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def tune_connection() -> None:
    """A larger page cache keeps SQLite's indexes in memory while a million rows go in."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB, for this connection only


WRITTEN: tuple[type[models.Model], ...] = (
    Request,
    MainPerson,
    Request.wish_languages.through,
    Case,
    AuditEvent,
    *(model for model, _ in TABLES.values()),
)


@contextmanager
def indexes_built_afterwards() -> Iterator[None]:
    """On SQLite, drop the secondary indexes of the tables the demo fills and build them again
    at the end: building an index over a million sorted rows at once is far cheaper than
    keeping it up to date row by row. Unique indexes are built again too, so a duplicate
    still fails (and rolls the whole demo back). Must run inside the demo's transaction.

    Indexes that belong to the table's definition (its primary key, inline UNIQUE) stay.
    """
    if connection.vendor != "sqlite":
        yield
        return
    tables = [model._meta.db_table for model in WRITTEN]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name",
            tables,
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)


def reset_sequences() -> None:
    """After inserting explicit keys, make PostgreSQL's id sequences continue after them."""
    keyed: list[type[models.Model]] = [Request, Case, *(model for model, _ in TABLES.values())]
    statements = connection.ops.sequence_reset_sql(no_style(), keyed)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
