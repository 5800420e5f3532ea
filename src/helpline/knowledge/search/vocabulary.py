"""The index in memory: document frequencies and near spellings of keys, and the topics
of every article (they change only with the index, which is then reloaded)."""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from helpline.common.text.analyser import PREFIX_MARK
from helpline.common.text.vocabulary import CONCEPT_PREFIX

from ..models import Article, SearchDocument, SearchIndexState, SearchTerm

MIN_FUZZY_LENGTH = 4


@dataclass
class Vocabulary:
    generation: str
    documents: int
    frequency: dict[str, int]
    title_frequency: dict[str, int]
    by_initial: dict[str, list[str]] = field(default_factory=dict)
    topic_codes: dict[uuid.UUID, list[str]] = field(default_factory=dict)  # by article

    def idf(self, key: str) -> float:
        df = self.frequency.get(key, 0)
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))

    def matches(self, keys: Iterable[str], *, title_only: bool = False) -> int:
        """At most how many documents contain any of `keys` (in the title only)."""
        counts = self.title_frequency if title_only else self.frequency
        return min(self.documents, sum(counts.get(key, 0) for key in keys))

    def __contains__(self, key: str) -> bool:
        return key in self.frequency

    def near(self, key: str) -> list[str]:
        """Stems of the index within one edit (two for long words) of `key`."""
        if len(key) < MIN_FUZZY_LENGTH:
            return []
        limit = 1 if len(key) <= 6 else 2
        candidates = self.by_initial.get(_initial(key), [])
        found = process.extract(
            key,
            candidates,
            scorer=Levenshtein.distance,
            score_cutoff=limit,
            limit=3,
        )
        return [match for match, _distance, _index in found]


_lock = threading.Lock()
_current: Vocabulary | None = None
_local_changes = threading.local()


def changed_here() -> None:
    """Called by the indexing after a change: this thread must not use its cached copy."""
    _local_changes.pending = True


def _changed_here() -> bool:
    pending = getattr(_local_changes, "pending", False)
    _local_changes.pending = False
    return pending


def _initial(key: str) -> str:
    """Near spellings are looked for among keys with the same first letter; vowels count
    as one letter, since an unstressed first vowel is a common slip ("аформить")."""
    return "a" if key[0] in "aeiou" else key[0]


def generation() -> str:
    return SearchIndexState.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def _is_stem(key: str) -> bool:
    return not key.startswith(CONCEPT_PREFIX) and not key.endswith(PREFIX_MARK)


RECHECK_SECONDS = 2.0  # how stale a process's vocabulary may be after an edit elsewhere
_checked_at = 0.0


def vocabulary() -> Vocabulary:
    """The vocabulary of the current index generation, loaded once per process.

    Whether the index changed is asked of the database at most every RECHECK_SECONDS
    (changes made by this process are seen at once): a search then needs no query for it.
    """
    global _current, _checked_at
    cached = _current
    now = time.monotonic()
    if cached is not None and now - _checked_at < RECHECK_SECONDS and not _changed_here():
        return cached
    current_generation = generation()
    _checked_at = now
    if cached is not None and cached.generation == current_generation:
        return cached
    with _lock:
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
        for key in frequency:
            if _is_stem(key) and len(key) >= MIN_FUZZY_LENGTH - 1:
                loaded.by_initial.setdefault(_initial(key), []).append(key)
        _current = loaded
    return loaded
