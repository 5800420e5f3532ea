"""Writing a million rows fast: prepared multi-row INSERTs (COPY on PostgreSQL), a big
SQLite cache while loading, and drawing the next batch in a forked process."""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

SQLITE_LOAD_CACHE_KIB = 1024 * 1024


class BulkInsert:
    """A prepared multi-row INSERT of one model, fed with ``executemany``.

    ``bulk_create`` spends ~200 µs per row of this 30-column model preparing values field by
    field; here the columns come from the model's own metadata, values that need it are
    adapted with the backend's own functions (uuid, datetime, date), and every other column
    gets the field's default once. That keeps a million contacts within a couple of minutes.
    """

    def __init__(self, model: Any, values: Sequence[str]) -> None:
        ops = connection.ops
        fields = [
            f for f in model._meta.concrete_fields if not f.primary_key or f.attname in values
        ]
        missing = [
            f.attname
            for f in fields
            if f.attname not in values and not f.has_default() and not f.null and not f.blank
        ]
        if missing:
            raise ValueError(f"No value for {model.__name__}.{', '.join(missing)}")
        self.columns = [f.attname for f in fields]
        # Values a row may leave out (the primary key never: its default is random).
        self.defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}
        self.adapters: list[tuple[int, Callable[[Any], Any]]] = []
        for i, f in enumerate(fields):
            kind = (f.target_field if f.is_relation else f).get_internal_type()
            if kind == "UUIDField":
                self.adapters.append((i, _uuid_adapter(f)))
            elif kind == "DateTimeField":
                self.adapters.append((i, _datetime_adapter()))
            elif kind == "DateField":
                self.adapters.append((i, ops.adapt_datefield_value))
        qn = ops.quote_name
        # Table and column names come from the model and are quoted by the backend.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            qn(model._meta.db_table),
            ", ".join(qn(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
        self.copy_sql = ""
        if connection.vendor == "postgresql":
            self.copy_sql = "COPY {} ({}) FROM STDIN".format(
                qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
            )

    def row(self, values: dict[str, Any]) -> list[Any]:
        get = values.get
        row = [get(c, d) for c, d in self.defaults.items()]
        for i, adapt in self.adapters:
            if row[i] is not None:
                row[i] = adapt(row[i])
        return row

    def execute(self, rows: list[list[Any]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.copy_sql:  # PostgreSQL: COPY is several times faster than INSERTs
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)


def _uuid_adapter(field: Any) -> Callable[[Any], Any]:
    """What UUIDField.get_db_prep_value does with a uuid.UUID, without its checks."""
    if connection.features.has_native_uuid_field:
        return lambda value: value
    return lambda value: value.hex


def _datetime_adapter() -> Callable[[datetime], Any]:
    """The backend's adapt_datetimefield_value, or a faster equivalent for SQLite's text.

    The fast one is used only if it gives the same text as the backend for a sample.
    """
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return adapt
    tz = connection.timezone

    def fast(value: datetime) -> str:
        return str(value.astimezone(tz).replace(tzinfo=None))

    sample = datetime(2024, 3, 9, 23, 30, 5, 120, tzinfo=ZoneInfo("Europe/Moscow"))
    return fast if fast(sample) == adapt(sample) else adapt


@contextmanager
def _big_cache() -> Iterator[None]:
    """SQLite: a page cache big enough for the indexes while loading (1 GiB at most)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        saved = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {saved}")


Batch = tuple[list[list[Any]], list[list[Any]]]


def _in_background(batches: Iterator[Batch]) -> Iterator[Batch]:
    """Draw the batches in a forked process while this one writes the previous ones.

    Drawing and writing then run on two cores (threads would fight over the GIL). Only the
    child draws, in order, so the data are those of the seed; only this process touches the
    database: the child ends with os._exit and never uses the inherited connection.
    """
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: draw in turn
        yield from batches
        return
    reader, writer = ctx.Pipe(duplex=False)

    def produce() -> None:
        reader.close()
        try:
            for batch in batches:
                writer.send_bytes(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
            writer.send_bytes(pickle.dumps(None))
        except BaseException as exc:  # handed to the parent
            writer.send_bytes(pickle.dumps(RuntimeError(f"demo generator failed: {exc!r}")))
        finally:
            writer.close()

    child = ctx.Process(target=produce, name="demo-generator", daemon=True)
    child.start()
    writer.close()
    try:
        while True:
            item = pickle.loads(reader.recv_bytes())  # noqa: S301 - our own child's data
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        reader.close()
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)
