"""The index in memory: document frequencies and near spellings of keys, and the topics
of every article (they change only with the index, which is then reloaded).

The vocabulary itself and its reloading are shared with every search of the application
(`common.search.vocabulary`); this module loads the knowledge base's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from helpline.common.search import vocabulary as shared

from ..models import Article, SearchDocument, SearchIndexState, SearchTerm

MIN_FUZZY_LENGTH = shared.MIN_FUZZY_LENGTH


@dataclass
class Vocabulary(shared.Vocabulary):
    topic_codes: dict[uuid.UUID, list[str]] = field(default_factory=dict)  # by article


def generation() -> str:
    return SearchIndexState.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def _load(current_generation: str) -> Vocabulary:
    frequency, title_frequency = {}, {}
    for key, documents, title_documents in SearchTerm.objects.values_list(
        "key", "documents", "title_documents"
    ):
        frequency[key] = documents
        if title_documents:
            title_frequency[key] = title_documents
    loaded = Vocabulary(
        generation=current_generation,
        documents=SearchDocument.objects.count(),
        frequency=frequency,
        title_frequency=title_frequency,
    )
    through = Article.topics.through
    for article_id, code in through.objects.values_list("article_id", "topic__code").order_by(
        "topic__code"
    ):
        loaded.topic_codes.setdefault(article_id, []).append(code)
    loaded.index_near_spellings()
    return loaded


_cache = shared.VocabularyCache(generation=generation, load=_load)


def changed_here() -> None:
    """Called by the indexing after a change: this thread must not use its cached copy."""
    _cache.changed_here()


def vocabulary() -> Vocabulary:
    """The vocabulary of the current index generation, loaded once per process.

    Whether the index changed is asked of the database at most every two seconds
    (changes made by this process are seen at once): a search then needs no query for it.
    """
    return _cache.get()
