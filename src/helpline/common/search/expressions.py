"""A parsed query as a full-text expression of SQLite FTS5 or PostgreSQL (`to_tsquery`).

Each query word is an OR of its alternative keys; the words are joined by AND (every
word) or OR (any). Keys hold only a-z and 0-9, so they need no quoting beyond FTS5's
string quotes, and never meet an operator of either syntax.
"""

from __future__ import annotations

from .query import QueryWord


def fts5_expression(words: list[QueryWord], *, every_word: bool, column: str = "") -> str:
    """`("a" OR "b") AND ("c")`, restricted to one column of the table when given."""
    groups = [" OR ".join(f'"{key}"' for key in word.alternatives) for word in words]
    expression = (" AND " if every_word else " OR ").join(f"({group})" for group in groups)
    return f"{column} : ({expression})" if column else expression


def tsquery_expression(words: list[QueryWord], *, every_word: bool) -> str:
    """`(a | b) & (c)`, for `to_tsquery('simple', ...)`."""
    groups = [" | ".join(word.alternatives) for word in words]
    return (" & " if every_word else " | ").join(f"({group})" for group in groups)
