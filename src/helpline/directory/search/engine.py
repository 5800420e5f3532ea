"""The search itself: choose how to read the documents, read them, rank them.

With words typed, retrieval goes from precise to loose as in the knowledge base's search
(every word in the title, every word anywhere, any word in the title, any word
anywhere), the facets joined to each step, and the candidates are ranked here, the same
way on both databases. With nothing typed the results are in name order, read either
from the full-text index (a rare facet) or from the sort index (common facets only): the
vocabulary's counts of the facet keys say which reads fewer rows.

A city filter shows the services located there first, then the national ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from helpline.common.search.query import Query
from helpline.common.search.ranking import keys_score, query_idf

from .backends import (
    Candidate,
    Filters,
    facet_matches,
    name_order,
    text_candidates,
)
from .vocabulary import DirectoryVocabulary

NAME_BONUS = 0.2
CANDIDATES_PER_HIT = 8  # candidates each retrieval step may return, per hit asked for
MIN_CANDIDATES = 60
RANKED_MAX = 800  # matches the engine may rank within the time goal
# The relative costs of reading documents, measured (bench/directory_bench.py): a match of
# the full-text index, joined and sorted; the exact "open now" test of a document; a row
# read in name order from the sort index and tested against the facets.
MATCH_COST, OPEN_TEST_COST, SCAN_ROW_COST = 0.3, 3.0, 1.4
FIRST_CHUNK_MIN, CHUNK_MAX = 64, 8000


@dataclass(frozen=True)
class Found:
    candidate: Candidate
    score: float | None  # None: nothing typed, in name order


def facet_share(filters: Filters, vocabulary: DirectoryVocabulary) -> float:
    """The expected share of documents with the facets (as if they were independent)."""
    total = max(vocabulary.documents, 1)
    share = 1.0
    for group in filters.groups:
        share *= min(total, sum(vocabulary.count(key) for key in group)) / total
    for key in filters.excluded:
        share *= 1 - vocabulary.count(key) / total
    if filters.hours:
        share *= min(total, sum(vocabulary.count(key) for key in filters.hours)) / total
    return share


def browse(filters: Filters, vocabulary: DirectoryVocabulary, *, top: int) -> list[Found]:
    """The first `top` documents by name that pass the filters, read the cheaper way: every
    document with the facets from the full-text index, then sorted, or the documents in
    name order until `top` pass. The vocabulary's counts give the cost of each."""
    total = vocabulary.documents
    share = facet_share(filters, vocabulary)
    if total == 0 or share == 0 or filters.nothing_open:
        return []
    matches = total * share
    to_read = top / share
    per_match = MATCH_COST + (OPEN_TEST_COST if filters.open_now else 0.0)
    indexed = bool(filters.groups or filters.hours)
    if indexed and matches * per_match <= to_read * SCAN_ROW_COST:
        found = facet_matches(filters, limit=top)
    else:
        chunk = min(max(math.ceil(to_read * 1.5), FIRST_CHUNK_MIN), CHUNK_MAX)
        # Read in name order for at most as long as the full-text index would take.
        budget = max(chunk, math.ceil(matches * per_match / SCAN_ROW_COST)) if indexed else total
        found, stopped = name_order(
            filters, limit=top, chunk=chunk, max_chunk=CHUNK_MAX, budget=budget
        )
        if stopped is not None:
            found += facet_matches(filters, limit=top - len(found), after=stopped)
    return [Found(candidate, None) for candidate in found]


def _retrieve(
    query: Query, filters: Filters, vocabulary: DirectoryVocabulary, *, top: int
) -> dict[int, Candidate]:
    """Candidates, most precise first; stop as soon as `top` services are found.

    Each step asks the engine to rank only when the vocabulary says it will match at most
    RANKED_MAX documents (its estimate includes the share of the facets).
    """
    share = facet_share(filters, vocabulary)
    if share == 0 or filters.nothing_open:
        return {}
    steps = [(True, True), (True, False)] if len(query.words) > 1 else []
    steps += [(False, True), (False, False)]
    found: dict[int, Candidate] = {}
    for every_word, title_only in steps:
        per_word = [
            vocabulary.matches(word.alternatives, title_only=title_only) for word in query.words
        ]
        estimate = min(per_word) if every_word else min(vocabulary.documents, sum(per_word))
        if estimate == 0:
            continue
        for candidate in text_candidates(
            query.words,
            filters,
            every_word=every_word,
            title_only=title_only,
            ranked=estimate * share <= RANKED_MAX,
            limit=max(MIN_CANDIDATES, CANDIDATES_PER_HIT * top),
        ):
            found.setdefault(candidate.document_id, candidate)
        if len(found) >= top:
            break
    return found


def text_search(
    query: Query, filters: Filters, vocabulary: DirectoryVocabulary, *, top: int
) -> list[Found]:
    """The best `top` documents for the words, ranked; ties by name (not by ids, which
    differ between databases)."""
    candidates = _retrieve(query, filters, vocabulary, top=top)
    idf = query_idf(query, vocabulary)
    scored = []
    for candidate in candidates.values():
        score, matched = keys_score(
            query, idf, keys_title=candidate.keys_title, keys_body=candidate.keys_body
        )
        if matched:
            # The words in the service's own name count a little more than the same words
            # in its organisation's or its categories' names.
            in_name, _words = keys_score(query, idf, keys_title=candidate.keys_name, keys_body="")
            scored.append(Found(candidate, score + NAME_BONUS * in_name))
    scored.sort(
        key=lambda f: (
            -round(f.score or 0.0, 9),
            f.candidate.sort_key,
            f.candidate.keys_title,
            f.candidate.document_id,
        )
    )
    return scored[:top]


def search(
    query: Query | None,
    filters: Filters,
    vocabulary: DirectoryVocabulary,
    *,
    top: int,
    national: Filters | None = None,
) -> tuple[list[Found], int]:
    """The first `top` documents: with `filters`, then (if fewer) with `national`.

    Returns them and how many came from `filters`. `query` None: nothing typed."""

    def run(chosen: Filters, count: int) -> list[Found]:
        if query is None:
            return browse(chosen, vocabulary, top=count)
        return text_search(query, chosen, vocabulary, top=count)

    first = run(filters, top)
    if national is None or len(first) >= top:
        return first, len(first)
    return first + run(national, top - len(first)), len(first)
