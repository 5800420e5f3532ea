"""The search itself: parse, fetch candidates, rank, and build the hits."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from ..models import Article, ArticleTranslation
from .backends import Candidate, SearchFilters, candidates
from .query import query_parse
from .ranking import best_per_article, rank
from .snippets import highlight, snippet
from .vocabulary import vocabulary

CANDIDATES = 200


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
    found: dict[int, Candidate] = {}
    if len(query.words) > 1:
        for candidate in candidates(query, filters, every_word=True, limit=CANDIDATES):
            found[candidate.document_id] = candidate
    if len({c.article_id for c in found.values()}) < top:
        for candidate in candidates(query, filters, every_word=False, limit=CANDIDATES):
            found.setdefault(candidate.document_id, candidate)
    ranked = rank(query, list(found.values()), vocabulary=vocab, prefer_language=prefer_language)
    best = best_per_article(ranked, top=top)
    if not best:
        return []
    translations = {
        t.search_document.id: t
        for t in ArticleTranslation.objects.filter(
            search_document__id__in=[r.candidate.document_id for r in best]
        ).select_related("search_document", "version__article")
    }
    topics = _topic_codes([r.candidate.article_id for r in best])
    keys = query.keys
    hits = []
    for item in best:
        translation = translations[item.candidate.document_id]
        version = translation.version
        article: Article = version.article
        hits.append(
            SearchHit(
                article_id=article.pk,
                slug=article.slug,
                version_id=version.pk,
                language=translation.language,
                question=highlight(translation.question, keys),
                snippet=snippet(translation.answer, keys),
                score=item.score,
                valid_from=version.valid_from,
                valid_until=translation.search_document.valid_until,
                is_demo=article.is_demo,
                topic_codes=topics.get(article.pk, []),
            )
        )
    return hits


def _topic_codes(article_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    through = Article.topics.through
    codes: dict[uuid.UUID, list[str]] = {}
    rows = through.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "topic__code"
    )
    for article_id, code in rows.order_by("topic__code"):
        codes.setdefault(article_id, []).append(code)
    return codes
