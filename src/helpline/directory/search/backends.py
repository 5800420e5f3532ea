"""The SQL of the directory's search, for SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Three ways to read documents, which `engine` chooses between:

- `text_candidates`: the documents matching the typed words and the facets, from the
  full-text index (ranked by the engine only when the matches are few, as in the
  knowledge base's search);
- `facet_matches`: nothing typed, a rare facet: every document with the facets, from the
  full-text index, sorted by name;
- `name_order`: nothing typed, only common facets: the documents in name order from the
  sort index, each tested against the filters, until enough pass.

"Open now" is first a facet like the others (the hours of the week a service is open in),
then exactly, to the minute, for the few documents that pass (`open_documents`: an
indexed range test of their open intervals).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection

from helpline.common.search.expressions import fts5_expression, tsquery_expression
from helpline.common.search.query import QueryWord

DOCUMENTS = "directory_servicesearchdocument"
INTERVALS = "directory_serviceopeninterval"
FTS = "directory_search_fts"


@dataclass(frozen=True)
class Filters:
    """What every document returned must satisfy."""

    groups: tuple[tuple[str, ...], ...] = ()  # for each group: one of these facets
    excluded: tuple[str, ...] = ()  # none of these facets
    hours: tuple[str, ...] = ()  # open in one of these hours (one per time zone in use)
    open_now: bool = False
    open_at: tuple[tuple[str, int], ...] = ()  # (zone, local minute of the week now)
    place: str = ""  # with open_now: only hours at this place (city key) count

    @property
    def nothing_open(self) -> bool:
        return self.open_now and not self.open_at


@dataclass(frozen=True)
class Candidate:
    document_id: int
    service: Any  # the service's id as the database returns it (see `service_id`)
    sort_key: str
    is_national: bool
    keys_title: str = ""
    keys_body: str = ""
    keys_name: str = ""

    @property
    def service_id(self) -> uuid.UUID:
        """Made only for the hits: hundreds of candidates may be read for ten."""
        if isinstance(self.service, uuid.UUID):
            return self.service
        return uuid.UUID(str(self.service))


def open_documents(filters: Filters, document_ids: list[int]) -> set[int]:
    """Which of these documents are open now: an interval holds the local minute of the
    week now in its zone (at the place searched, when there is one).

    One indexed read for a few documents; the hours' facets have already kept only
    those open in the hour, so that it keeps almost all of them."""
    if not document_ids or not filters.open_at:
        return set()
    zones = " OR ".join(
        "(i.zone = %s AND i.starts <= %s AND i.ends > %s)" for _zone in filters.open_at
    )
    params: list[Any]
    if connection.vendor == "postgresql":
        documents, params = "i.document_id = ANY(%s)", [list(document_ids)]
    else:
        documents = "i.document_id IN (" + ", ".join(["%s"] * len(document_ids)) + ")"
        params = list(document_ids)
    place = ""
    if filters.place:
        place = " AND i.place = %s"
        params.append(filters.place)
    for zone, minute in filters.open_at:
        params += [zone, minute, minute]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT i.document_id FROM {INTERVALS} i"  # noqa: S608 - fixed names
            f" WHERE {documents}{place} AND ({zones})",
            params,
        )
        return {row[0] for row in cursor.fetchall()}


def _open_only(filters: Filters, found: list[Candidate]) -> list[Candidate]:
    if not filters.open_now:
        return found
    open_now = open_documents(filters, [candidate.document_id for candidate in found])
    return [candidate for candidate in found if candidate.document_id in open_now]


def _like_sql(filters: Filters) -> tuple[str, list[Any]]:
    """The facet filters as tests of the `facets` and `hours` columns (keys between
    spaces), the hours last: the longest column, read only when the others pass."""
    parts, params = [], []
    for group in filters.groups:
        parts.append("(" + " OR ".join("d.facets LIKE %s" for _key in group) + ")")
        params += [f"% {key} %" for key in group]
    for key in filters.excluded:
        parts.append("d.facets NOT LIKE %s")
        params.append(f"% {key} %")
    if filters.hours:
        parts.append("(" + " OR ".join("d.hours LIKE %s" for _key in filters.hours) + ")")
        params += [f"% {key} %" for key in filters.hours]
    return " AND ".join(parts), params


def _all_groups(filters: Filters) -> list[tuple[str, ...]]:
    return [*filters.groups, filters.hours] if filters.hours else list(filters.groups)


def _fts5_facets(filters: Filters, text: str = "") -> str:
    parts = [f"({text})"] if text else []
    parts += [
        "(" + " OR ".join(f'"{key}"' for key in group) + ")" for group in _all_groups(filters)
    ]
    expression = " AND ".join(parts)
    if filters.excluded:
        expression += " NOT (" + " OR ".join(f'"{key}"' for key in filters.excluded) + ")"
    return expression


def _tsquery_facets(filters: Filters, text: str = "") -> str:
    """The words and facets (not the hours: they have a vector of their own)."""
    parts = [f"({text})"] if text else []
    parts += ["(" + " | ".join(group) + ")" for group in filters.groups]
    parts += [f"!{key}" for key in filters.excluded]
    return " & ".join(parts)


def _pg_index_sql(filters: Filters, vector: str, text: str = "") -> tuple[str, list[Any]]:
    """The full-text conditions on PostgreSQL: words and facets on `vector`, the hours on
    their own vector."""
    parts, params = [], []
    expression = _tsquery_facets(filters, text)
    if expression:
        parts.append(f"{vector} @@ to_tsquery('simple', %s)")
        params.append(expression)
    if filters.hours:
        parts.append("d.hours_vector @@ to_tsquery('simple', %s)")
        params.append(" | ".join(filters.hours))
    return " AND ".join(parts), params


COLUMNS = "d.id, d.service_id, d.sort_key, d.is_national"


def _index_matches(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of a read of full-text matches, through the GIN indexes only on PostgreSQL.

    With a LIMIT, the planner likes to read the table (or an index in some order) testing
    every row until enough match, as if testing a row cost nothing; here it means reading
    each row's vectors, which do not fit in the row and are stored apart. The GIN index
    gives every match at once, and only those rows are read. The settings are made and
    put back in the same round trip as the query (several statements, one transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return list(cursor.fetchall())
        cursor.execute(f"{_GIN_ONLY}{sql}{_GIN_RESET}", params)
        cursor.nextset()  # past the two settings
        cursor.nextset()
        return list(cursor.fetchall())


_GIN_ONLY = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
_GIN_RESET = "; SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT"


def _candidate(row: tuple[Any, ...]) -> Candidate:
    return Candidate(row[0], row[1], row[2], bool(row[3]), *row[4:7])


def text_candidates(
    words: list[QueryWord],
    filters: Filters,
    *,
    every_word: bool,
    title_only: bool,
    ranked: bool,
    limit: int,
) -> list[Candidate]:
    """Documents with the facets that match every word (or any), in the title only or
    anywhere. Ranked by the engine when asked, else in its own order, stopping at `limit`."""
    columns = f"{COLUMNS}, d.keys_title, d.keys_body, d.keys_name"
    # Only fixed names and clauses are formatted in; every value is bound.
    if connection.vendor == "postgresql":
        text = tsquery_expression(words, every_word=every_word)
        vector = "d.title_vector" if title_only else "d.search_vector"
        match_sql, match_params = _pg_index_sql(filters, vector, text)
        order = ""
        if ranked:
            order = " ORDER BY ts_rank(d.title_vector, to_tsquery('simple', %s)) DESC, d.id"
        sql = (
            f"SELECT {columns} FROM {DOCUMENTS} d"  # noqa: S608
            f" WHERE {match_sql}{order} LIMIT %s"
        )
        params = [*match_params, *([text] if ranked else []), limit]
    else:
        text = fts5_expression(
            words, every_word=every_word, column="keys_title" if title_only else ""
        )
        order = f" ORDER BY bm25({FTS}, 2.0, 1.0, 0.0, 0.0), d.id" if ranked else ""
        sql = (
            f"SELECT {columns} FROM {FTS} f JOIN {DOCUMENTS} d ON d.id = f.rowid"  # noqa: S608
            f" WHERE {FTS} MATCH %s{order} LIMIT %s"
        )
        params = [_fts5_facets(filters, text), limit]
    if ranked:  # every match is read anyway, through the index
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    else:
        rows = _index_matches(sql, params)
    return _open_only(filters, [_candidate(row) for row in rows])


def facet_matches(
    filters: Filters, *, limit: int, after: tuple[str, int] | None = None
) -> list[Candidate]:
    """Every document with the facets (at least one group or hours), by name, up to
    `limit`; only those after a position in the name order, when given. "Open now" is
    tested on the first ones by name only, in rounds until `limit` pass."""
    found: list[Candidate] = []
    take = limit + limit // 2 + 4 if filters.open_now else limit
    while True:
        where, params = "", list[Any]()
        if after is not None:
            where, params = " AND (d.sort_key, d.id) > (%s, %s)", [*after]
        if connection.vendor == "postgresql":
            # Materialised: the matches from the full-text indexes, then sorted. Left to
            # itself the planner may walk the sort index testing each row instead, which
            # is slow when the names that match come late (every "Консульство...").
            match_sql, match_params = _pg_index_sql(filters, "d.title_vector")
            sql = (
                f"WITH m AS MATERIALIZED (SELECT {COLUMNS} FROM {DOCUMENTS} d"  # noqa: S608
                f" WHERE {match_sql}{where})"
                " SELECT * FROM m d ORDER BY d.sort_key, d.id LIMIT %s"
            )
            params = [*match_params, *params, take]
        else:
            sql = (
                f"SELECT {COLUMNS} FROM {FTS} f JOIN {DOCUMENTS} d ON d.id = f.rowid"  # noqa: S608
                f" WHERE {FTS} MATCH %s{where} ORDER BY d.sort_key, d.id LIMIT %s"
            )
            params = [_fts5_facets(filters), *params, take]
        rows = [_candidate(row) for row in _index_matches(sql, params)]
        found += _open_only(filters, rows)
        if len(found) >= limit or len(rows) < take:
            return found[:limit]
        after = (rows[-1].sort_key, rows[-1].document_id)
        take *= 4


Position = tuple[str, int]  # (sort key, document id) of the last document read


def name_order(
    filters: Filters, *, limit: int, chunk: int, max_chunk: int, budget: int
) -> tuple[list[Candidate], Position | None]:
    """The first `limit` documents by name that pass the filters, read from the sort index
    in chunks, the facets tested by the database as each row is read ("open now" then
    for those that pass). The first chunk has `chunk` rows; the next ones are sized by
    the share of rows that passed so far.

    Stops after about `budget` rows: names and filters may go together (every hostel's
    name starts with "Хостел"), so that the rows that pass are far apart. Returns what it
    found and, when it stopped early, where, for `facet_matches` to go on from there.
    """
    like_sql, like_params = _like_sql(filters)
    test = like_sql or "1 = 1"
    found: list[Candidate] = []
    after: Position | None = None
    read = 0
    with connection.cursor() as cursor:
        while True:
            where = " WHERE (d.sort_key, d.id) > (%s, %s)" if after else ""
            sql = (
                f"SELECT {COLUMNS}, CASE WHEN {test} THEN 1 ELSE 0 END"  # noqa: S608
                f" FROM {DOCUMENTS} d{where} ORDER BY d.sort_key, d.id LIMIT %s"
            )
            cursor.execute(sql, [*like_params, *(after or ()), chunk])
            rows = 0
            passed: list[Candidate] = []
            last: tuple[Any, ...] = ()
            enough = False
            for last in cursor:  # SQLite reads the rows as they are asked for
                rows += 1
                if last[4]:
                    passed.append(_candidate(last[:4]))
                    if len(found) + len(passed) >= limit:
                        enough = True
                        break
            read += rows
            found += _open_only(filters, passed)
            if len(found) >= limit:
                return found[:limit], None
            if rows < chunk and not enough:
                return found, None
            after = (last[2], last[0])
            if read >= budget:
                return found, after
            share = max(len(found), 1) / read
            wanted = math.ceil((limit - len(found)) / share * 1.5)
            chunk = min(max(wanted, chunk), max_chunk, max(budget - read, 1))
