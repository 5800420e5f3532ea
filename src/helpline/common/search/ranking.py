"""One score for both databases, computed here from the keys a document is indexed under.

Each query word counts once, by its best matching alternative: its inverse document
frequency, times the kind of key (own stem, synonym, near spelling, prefix), times where
it matched (the title — a question and its phrasings, a service's names and categories —
counts more than the body). Documents that match more of the query's words score higher.
Callers break ties by their documents' text, never by ids, which differ between
databases, so that the order is the same on both.
"""

from __future__ import annotations

from .query import Query
from .vocabulary import Vocabulary

IN_TITLE, IN_BODY = 1.0, 0.45


def query_idf(query: Query, vocabulary: Vocabulary) -> dict[str, float]:
    """The inverse document frequency of every key of the query."""
    return {key: vocabulary.idf(key) for key in query.keys}


def keys_score(
    query: Query, idf: dict[str, float], *, keys_title: str, keys_body: str
) -> tuple[float, int]:
    """The score of a document's keys (space-separated), and how many query words it matched.

    A document matching no word scores 0.
    """
    # A key is in a text when it stands between spaces: a substring search in C,
    # much faster than splitting hundreds of keys into a set for a few lookups.
    title = f" {keys_title} "
    body = f" {keys_body} "
    score = 0.0
    matched = 0
    for word in query.words:
        best = 0.0
        for key, weight in word.alternatives.items():
            spaced = f" {key} "
            place = IN_TITLE if spaced in title else IN_BODY if spaced in body else 0.0
            best = max(best, idf[key] * weight * place)
        if best:
            matched += 1
            score += best
    if not matched:
        return 0.0, 0
    coverage = matched / len(query.words)
    return score * (0.5 + 0.5 * coverage), matched
