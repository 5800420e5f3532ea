"""Candidates from the database's own full-text engine: SQLite FTS5 or PostgreSQL.

Both get the same boolean query over the same keys, so both find the same documents;
each orders them by its own relevance only to choose which candidates to return when
there are more than asked for. The final order is `ranking`'s, the same on both.

Ranking in the engine costs time for every match, so `engine` asks for it only when the
vocabulary's document counts say the matches are few; a query of very common words
gets the first matches in the engine's own order instead (then the same on both engines
only up to which of the many equally weak matches are returned).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection

from helpline.common.search.expressions import fts5_expression, tsquery_expression
from helpline.consultations.models import Topic

from .query import QueryWord


@dataclass(frozen=True)
class SearchFilters:
    on_date: datetime.date
    language: str = ""  # search only texts in this language
    citizenship_group: str = ""  # eaeu | visa_free | visa
    topic: Topic | None = None


@dataclass(frozen=True)
class Candidate:
    document_id: int
    article_id: uuid.UUID
    language: str
    keys_title: str
    keys_body: str


def _filter_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
    clauses = ["d.valid_from <= %s", "(d.valid_until IS NULL OR d.valid_until >= %s)"]
    params: list[Any] = [filters.on_date, filters.on_date]
    if filters.language:
        clauses.append("d.language = %s")
        params.append(filters.language)
    if filters.citizenship_group in {"eaeu", "visa_free", "visa"}:
        clauses.append(f"d.for_{filters.citizenship_group} = %s")
        params.append(True)
    topic = filters.topic
    if topic is not None:
        if topic.parent_id is None and topic.bit is not None:
            clauses.append("(d.topic_mask & %s) <> 0")
            params.append(1 << topic.bit)
        else:
            clauses.append(
                "d.article_id IN (SELECT article_id FROM knowledge_article_topics"
                " WHERE topic_id = %s)"
            )
            params.append(topic.pk)
    return " AND ".join(clauses), params


def candidates(
    words: list[QueryWord],
    filters: SearchFilters,
    *,
    every_word: bool,
    title_only: bool,
    ranked: bool,
    limit: int,
) -> list[Candidate]:
    """Documents matching every word (or any), in the question and phrasings only or
    anywhere. Ranked by the engine when asked (its cost grows with the matches), else
    in the engine's own order, stopping at `limit`."""
    where, params = _filter_sql(filters)
    columns = "d.id, d.article_id, d.language, d.keys_title, d.keys_body"
    # Only fixed column names and fixed clauses are formatted in; every value is bound.
    if connection.vendor == "postgresql":
        expression = tsquery_expression(words, every_word=every_word)
        vector = "d.title_vector" if title_only else "d.search_vector"
        # Ranked by the (short) question and phrasings: ranking by the whole vector would
        # read every match's large vector from storage.
        order = " ORDER BY ts_rank(d.title_vector, q) DESC, d.id" if ranked else ""
        sql = (
            f"SELECT {columns} FROM knowledge_searchdocument d,"  # noqa: S608
            " to_tsquery('simple', %s) q"
            f" WHERE {vector} @@ q AND {where}{order} LIMIT %s"
        )
    else:
        expression = fts5_expression(
            words, every_word=every_word, column="keys_title" if title_only else ""
        )
        order = " ORDER BY bm25(knowledge_search_fts, 2.0, 1.0), d.id" if ranked else ""
        sql = (
            f"SELECT {columns} FROM knowledge_search_fts f"  # noqa: S608
            " JOIN knowledge_searchdocument d ON d.id = f.rowid"
            f" WHERE knowledge_search_fts MATCH %s AND {where}{order} LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, *params, limit])
        return [Candidate(row[0], uuid.UUID(str(row[1])), row[2], row[3], row[4]) for row in cursor]
