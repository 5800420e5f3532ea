"""Text → index keys, and query → groups of alternative keys.

Every word that is not a stop word gives:

- its *stem keys*: its own skeleton, the skeleton of its Russian Snowball stem (Latin
  words are first read back into Cyrillic, so "oformit" and "оформить" share the key
  `oform`), and for Latin words also the skeleton of its English stem. The word's own
  skeleton is kept because the Russian stemmer also cuts Tajik and Kyrgyz words, and
  does so differently when they are typed with Russian letters ("өлкө", "олко");
- its *prefix key*: the first five letters of its skeleton and a "5" marker. Turkic
  languages add suffixes to a stable root ("roʻyxat", "roʻyxatdan", "roʻyxatga"), and
  truncation to five letters is a well-tried stemmer for them;
- the *concept keys* of every synonym phrase it is part of.

Both the index and the query use this one function, so the two sides always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

from .fold import words
from .script import is_cyrillic, latin_to_cyrillic, skeleton
from .stemming import english_stem, russian_stem
from .vocabulary import concepts, stop_skeletons

PREFIX_LENGTH = 5
PREFIX_MARK = "5"


@dataclass(frozen=True, slots=True)
class WordKeys:
    plain: str  # the skeleton of the word itself
    stems: tuple[str, ...]
    prefix: str  # "" when the word is too short to have one


@dataclass(slots=True)
class Token:
    """One word of a text, where it is and the keys it is indexed under."""

    surface: str
    start: int
    end: int
    plain: str
    stems: tuple[str, ...]
    prefix: str
    concepts: set[str] = field(default_factory=set)

    @property
    def keys(self) -> set[str]:
        found = set(self.stems) | self.concepts
        if self.prefix:
            found.add(self.prefix)
        return found


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> WordKeys | None:
    """The keys of one folded word, or None for a stop word or a word without letters."""
    plain = skeleton(word)
    if not plain or plain in stop_skeletons():
        return None
    if is_cyrillic(word):
        stems = {plain, skeleton(russian_stem(word))}
    else:
        stems = {
            plain,
            skeleton(russian_stem(latin_to_cyrillic(word))),
            skeleton(english_stem(word)),
        }
    stems.discard("")
    prefix = plain[:PREFIX_LENGTH] + PREFIX_MARK if len(plain) > PREFIX_LENGTH else ""
    return WordKeys(plain=plain, stems=tuple(sorted(stems)), prefix=prefix)


MIN_ROOT = 4


LONG_ROOT = 6


def _matches(token: Token, phrase_word: WordKeys) -> bool:
    """Same stem, or the phrase word is the root of the token ("roʻyxat" in "roʻyxatdan").

    A long root may lose its last letter before a suffix: Turkic k/g and q/gʻ alternate
    ("fuqarolik" → "fuqaroligini", "жарандык" → "жарандыгын").
    """
    if set(token.stems) & set(phrase_word.stems):
        return True
    root = phrase_word.plain
    if len(root) >= LONG_ROOT:
        root = root[:-1]
    return len(root) >= MIN_ROOT and token.plain.startswith(root)


@cache
def _phrase_index() -> dict[str, list[tuple[str, tuple[WordKeys, ...]]]]:
    """Synonym phrases by the stems of their first word."""
    index: dict[str, list[tuple[str, tuple[WordKeys, ...]]]] = {}
    for concept in concepts():
        for phrase in concept.phrases:
            keyed = tuple(k for k in (word_keys(word) for word in phrase) if k is not None)
            if not keyed:
                continue
            for first in {*keyed[0].stems, keyed[0].plain[:MIN_ROOT]}:
                index.setdefault(first, []).append((concept.key, keyed))
    return index


@lru_cache(maxsize=200_000)
def _phrases_starting(keys: WordKeys) -> tuple[tuple[str, tuple[WordKeys, ...]], ...]:
    """The synonym phrases that may start at a word with these keys (once per word)."""
    index = _phrase_index()
    return tuple(
        {
            (concept, phrase)
            for key in (*keys.stems, keys.plain[:MIN_ROOT])
            for concept, phrase in index.get(key, ())
        }
    )


def _mark_concepts(tokens: list[Token], keys: list[WordKeys]) -> None:
    for position, word in enumerate(keys):
        for concept, phrase in _phrases_starting(word):
            span = tokens[position : position + len(phrase)]
            if len(span) == len(phrase) and all(map(_matches, span, phrase)):
                for covered in span:
                    covered.concepts.add(concept)


def analyse(text: str) -> list[Token]:
    """The indexable words of a text, with offsets into it, stems, prefixes and concepts."""
    tokens = []
    found = []
    for word, start, end in words(text):
        keys = word_keys(word)
        if keys is not None:
            tokens.append(Token(word, start, end, keys.plain, keys.stems, keys.prefix))
            found.append(keys)
    _mark_concepts(tokens, found)
    return tokens


def index_keys(text: str) -> str:
    """Everything a text is indexed under, each key once, as one space-separated string.

    Searches ask whether a text has a key, never how often: repeating keys would only
    make the index and every candidate read from it larger.
    """
    keys: dict[str, None] = {}
    for token in analyse(text):
        keys.update(dict.fromkeys(sorted(token.keys)))
    return " ".join(keys)
