"""Saving drafted rows in bulk, with one ``executemany`` per table and batch.

Django's ``bulk_create`` compiles every value of every row in Python; for a million rows that
alone took minutes on a small machine. Here each table's column list, defaults and value
adapters are worked out once from the model, and the rows go to the driver as tuples. Requests
and cases carry primary keys handed out by the drafter; ``reset_sequences`` tells PostgreSQL
about them afterwards (SQLite keeps track by itself).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from kring.audit.models import AuditEvent
from kring.cases.models import Case
from kring.demo.drafts import Draft, Row
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
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


class _JsonCache:
    """JSON values repeat a lot (a move's old and new status): encode each one only once."""

    def __init__(self, encoder: Any) -> None:
        self.encoder, self.seen = encoder, dict[Any, Any]()

    def __call__(self, value: Any) -> Any:
        key = tuple(value.items()) if isinstance(value, dict) else tuple(value)
        if key not in self.seen:
            self.seen[key] = connection.ops.adapt_json_value(value, self.encoder)
        return self.seen[key]


class Writer:
    def __init__(self) -> None:
        self.requests = Table(Request, with_pk=True)
        self.persons = Table(MainPerson, with_pk=False)
        self.wishes = Table(Request.wish_languages.through, with_pk=False)
        self.cases = Table(Case, with_pk=True)
        self.events = Table(AuditEvent, with_pk=False)

    def write(self, drafts: list[Draft]) -> None:
        self.requests.insert(d.request for d in drafts)
        self.persons.insert(p for d in drafts for p in d.persons)
        self.wishes.insert(
            {"request_id": d.request["id"], "language_id": code}
            for d in drafts
            for code in d.languages
        )
        self.cases.insert(d.case for d in drafts)
        self.events.insert(e for d in drafts for e in d.events)


def next_ids() -> tuple[int, int]:
    """The first free primary keys of requests and cases."""
    return tuple(  # type: ignore[return-value]
        (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1 for model in (Request, Case)
    )


def tune_connection() -> None:
    """A larger page cache keeps SQLite's indexes in memory while a million rows go in."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB, for this connection only


def reset_sequences() -> None:
    """After inserting explicit keys, make PostgreSQL's id sequences continue after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Request, Case])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
