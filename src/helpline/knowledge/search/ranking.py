"""One order for both databases: a BM25-like score computed here from the keys
(`common.search.ranking`, shared with every search).

Each query word counts once, by its best matching alternative: its inverse document
frequency, times the kind of key (own stem, synonym, near spelling, prefix), times where
it matched (question and phrasings count more than the answer). Documents that match
more of the query's words come first. Ties go to the language preferred, then to the
text (not to ids, which differ between databases), so that the order is the same on both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from helpline.common.search import ranking as shared
from helpline.common.search.ranking import keys_score, query_idf

from .backends import Candidate
from .query import Query
from .vocabulary import Vocabulary

IN_TITLE, IN_BODY = shared.IN_TITLE, shared.IN_BODY


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    matched_words: int


def rank(
    query: Query, candidates: list[Candidate], *, vocabulary: Vocabulary, prefer_language: str
) -> list[Ranked]:
    idf = query_idf(query, vocabulary)
    scored = []
    for candidate in candidates:
        score, matched = keys_score(
            query, idf, keys_title=candidate.keys_title, keys_body=candidate.keys_body
        )
        if matched:
            scored.append(Ranked(candidate, score, matched))
    scored.sort(
        key=lambda r: (
            -round(r.score, 9),
            r.candidate.language != prefer_language,
            r.candidate.keys_title,
            r.candidate.document_id,
        )
    )
    return scored


def best_per_article(ranked: list[Ranked], *, top: int) -> list[Ranked]:
    """The best-scoring document of each article, in rank order."""
    seen: set[uuid.UUID] = set()
    best = []
    for item in ranked:
        if item.candidate.article_id in seen:
            continue
        seen.add(item.candidate.article_id)
        best.append(item)
        if len(best) == top:
            break
    return best
