"""An index in memory: how many documents hold each key, and the near spellings of keys.

Each search (knowledge, directory) loads its own `Vocabulary` from its own term table
and keeps it in a `VocabularyCache`, which reloads it when that index changes.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from helpline.common.text.analyser import PREFIX_MARK
from helpline.common.text.vocabulary import CONCEPT_PREFIX

MIN_FUZZY_LENGTH = 4


def initial(key: str) -> str:
    """Near spellings are looked for among keys with the same first letter; vowels count
    as one letter, since an unstressed first vowel is a common slip ("аформить")."""
    return "a" if key[0] in "aeiou" else key[0]


def is_stem(key: str) -> bool:
    """A key made from a word's letters: not a synonym concept, not a five-letter prefix,
    not any other marked key (those hold a letter the analyser never outputs: see
    `script.skeleton`, which folds y, w, q and x away)."""
    return (
        not key.startswith(CONCEPT_PREFIX)
        and not key.endswith(PREFIX_MARK)
        and not any(letter in key for letter in "ywqx")
    )


@dataclass
class Vocabulary:
    generation: str
    documents: int
    frequency: dict[str, int]
    title_frequency: dict[str, int]
    by_initial: dict[str, list[str]] = field(default_factory=dict)

    def idf(self, key: str) -> float:
        df = self.frequency.get(key, 0)
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))

    def matches(self, keys: Iterable[str], *, title_only: bool = False) -> int:
        """At most how many documents contain any of `keys` (in the title only)."""
        counts = self.title_frequency if title_only else self.frequency
        return min(self.documents, sum(counts.get(key, 0) for key in keys))

    def __contains__(self, key: str) -> bool:
        return key in self.frequency

    def index_near_spellings(self) -> None:
        """Group the stems by initial, for `near` (call once, after loading)."""
        for key in self.frequency:
            if is_stem(key) and len(key) >= MIN_FUZZY_LENGTH - 1:
                self.by_initial.setdefault(initial(key), []).append(key)

    def near(self, key: str) -> list[str]:
        """Stems of the index within one edit (two for long words) of `key`."""
        if len(key) < MIN_FUZZY_LENGTH:
            return []
        limit = 1 if len(key) <= 6 else 2
        candidates = self.by_initial.get(initial(key), [])
        found = process.extract(
            key,
            candidates,
            scorer=Levenshtein.distance,
            score_cutoff=limit,
            limit=3,
        )
        return [match for match, _distance, _index in found]


V = TypeVar("V", bound=Vocabulary)

RECHECK_SECONDS = 2.0  # how stale a process's vocabulary may be after an edit elsewhere


class VocabularyCache(Generic[V]):
    """The vocabulary of an index's current generation, loaded once per process.

    `generation()` reads the index's current token (a new random one after every change);
    `load(token)` builds the vocabulary. Whether the index changed is asked of the
    database at most every `recheck_seconds`; changes made by this thread are seen at once
    (the indexing calls `changed_here`).
    """

    def __init__(
        self,
        *,
        generation: Callable[[], str],
        load: Callable[[str], V],
        recheck_seconds: float = RECHECK_SECONDS,
    ) -> None:
        self._generation = generation
        self._load = load
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._current: V | None = None
        self._checked_at = 0.0
        self._local_changes = threading.local()

    def changed_here(self) -> None:
        """Called by the indexing after a change: this thread must not use its cached copy."""
        self._local_changes.pending = True

    def _changed_here(self) -> bool:
        pending = getattr(self._local_changes, "pending", False)
        self._local_changes.pending = False
        return bool(pending)

    def get(self) -> V:
        cached = self._current
        now = time.monotonic()
        if (
            cached is not None
            and now - self._checked_at < self.recheck_seconds
            and not self._changed_here()
        ):
            return cached
        current_generation = self._generation()
        self._checked_at = now
        if cached is not None and cached.generation == current_generation:
            return cached
        with self._lock:
            loaded = self._load(current_generation)
            self._current = loaded
        return loaded
