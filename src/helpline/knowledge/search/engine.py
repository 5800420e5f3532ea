"""The search itself: parse, fetch candidates, rank, and build the hits."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from ..models import SearchDocument
from .backends import Candidate, SearchFilters, candidates
from .query import Query, query_parse
from .ranking import best_per_article, rank
from .snippets import highlight, snippet
from .vocabulary import Vocabulary, vocabulary

CANDIDATES_PER_HIT = 12  # candidates each retrieval step may return, per hit asked for
MIN_CANDIDATES = 60
RANKED_MAX = 800  # matches the engine may rank within the time goal


@dataclass
class SearchHit:
    article_id: uuid.UUID
    slug: str
    version_id: uuid.UUID
    language: str
    question: SafeString
    snippet: SafeString
    score: float
    valid_from: datetime.date
    valid_until: datetime.date | None
    is_demo: bool
    topic_codes: list[str] = field(default_factory=list)


def search(
    text: str, filters: SearchFilters, *, top: int = 10, prefer_language: str = "ru"
) -> list[SearchHit]:
    vocab = vocabulary()
    query = query_parse(text, vocabulary=vocab)
    if not query:
        return []
    found = _retrieve(query, filters, vocab, top=top)
    ranked = rank(query, list(found.values()), vocabulary=vocab, prefer_language=prefer_language)
    best = best_per_article(ranked, top=top)
    if not best:
        return []
    shown = {
        row[0]: row[1:]
        for row in SearchDocument.objects.filter(
            pk__in=[r.candidate.document_id for r in best]
        ).values_list(
            "pk",
            "translation__question",
            "translation__answer",
            "translation__version_id",
            "translation__version__valid_from",
            "valid_until",
            "article__slug",
            "article__is_demo",
        )
    }
    topics = vocab.topic_codes
    keys = query.keys
    hits = []
    for item in best:
        question, answer, version_id, valid_from, valid_until, slug, is_demo = shown[
            item.candidate.document_id
        ]
        hits.append(
            SearchHit(
                article_id=item.candidate.article_id,
                slug=slug,
                version_id=version_id,
                language=item.candidate.language,
                question=highlight(question, keys),
                snippet=snippet(answer, keys),
                score=item.score,
                valid_from=valid_from,
                valid_until=valid_until,
                is_demo=is_demo,
                topic_codes=topics.get(item.candidate.article_id, []),
            )
        )
    return hits


def _retrieve(
    query: Query, filters: SearchFilters, vocab: Vocabulary, *, top: int
) -> dict[int, Candidate]:
    """Candidates, most precise first: every word in the question or phrasings, every word
    anywhere, then any word; stop as soon as `top` articles are found.

    Each step asks the engine to rank only when the vocabulary says it will match at most
    RANKED_MAX documents: ranking costs time for every match, and a step that would match
    thousands (a query of very common words) takes the first matches instead.
    """
    steps = [(True, True), (True, False)] if len(query.words) > 1 else []
    steps += [(False, True), (False, False)]
    found: dict[int, Candidate] = {}
    for every_word, title_only in steps:
        per_word = [vocab.matches(word.alternatives, title_only=title_only) for word in query.words]
        estimate = min(per_word) if every_word else min(vocab.documents, sum(per_word))
        if estimate == 0:
            continue
        for candidate in candidates(
            query.words,
            filters,
            every_word=every_word,
            title_only=title_only,
            ranked=estimate <= RANKED_MAX,
            limit=max(MIN_CANDIDATES, CANDIDATES_PER_HIT * top),
        ):
            found.setdefault(candidate.document_id, candidate)
        if len({c.article_id for c in found.values()}) >= top:
            break
    return found
