"""One order for both databases: a BM25-like score computed here from the keys.

Each query word counts once, by its best matching alternative: its inverse document
frequency, times the kind of key (own stem, synonym, near spelling, prefix), times where
it matched (question and phrasings count more than the answer). Documents that match
more of the query's words come first. Ties go to the language preferred, then to the
text (not to ids, which differ between databases), so that the order is the same on both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from .backends import Candidate
from .query import Query
from .vocabulary import Vocabulary

IN_TITLE, IN_BODY = 1.0, 0.45


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    matched_words: int


def rank(
    query: Query, candidates: list[Candidate], *, vocabulary: Vocabulary, prefer_language: str
) -> list[Ranked]:
    idf = {key: vocabulary.idf(key) for key in query.keys}
    scored = []
    for candidate in candidates:
        # A key is in a text when it stands between spaces: a substring search in C,
        # much faster than splitting hundreds of keys into a set for a few lookups.
        title = f" {candidate.keys_title} "
        body = f" {candidate.keys_body} "
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
        if matched:
            coverage = matched / len(query.words)
            scored.append(Ranked(candidate, score * (0.5 + 0.5 * coverage), matched))
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
