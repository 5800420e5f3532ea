"""What a consultant typed → groups of alternative index keys, one group per word."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpline.common.text.analyser import analyse

from .vocabulary import Vocabulary

# How much a match on each kind of key counts, relative to the word's own stem.
STEM, CONCEPT, FUZZY, PREFIX = 1.0, 0.9, 0.6, 0.5


@dataclass
class QueryWord:
    surface: str
    alternatives: dict[str, float] = field(default_factory=dict)  # key → weight


@dataclass
class Query:
    text: str
    words: list[QueryWord]

    @property
    def keys(self) -> set[str]:
        return {key for word in self.words for key in word.alternatives}

    def __bool__(self) -> bool:
        return bool(self.words)


def query_parse(text: str, *, vocabulary: Vocabulary) -> Query:
    """Words whose keys the index knows; a word the index cannot match is left out.

    A word none of whose stems is in the index gets the index's stems within one or two
    edits of it instead ("регистрацыя" → `registrac`).
    """
    words = []
    for token in analyse(text[:500]):
        alternatives: dict[str, float] = {}
        for stem in token.stems:
            if stem in vocabulary:
                alternatives[stem] = STEM
        if not alternatives:
            for stem in token.stems:
                for near in vocabulary.near(stem):
                    alternatives.setdefault(near, FUZZY)
        for concept in token.concepts:
            if concept in vocabulary:
                alternatives.setdefault(concept, CONCEPT)
        if token.prefix and token.prefix in vocabulary:
            alternatives.setdefault(token.prefix, PREFIX)
        if alternatives:
            words.append(QueryWord(token.surface, alternatives))
    return Query(text=text, words=words)
