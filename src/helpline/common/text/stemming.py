"""Russian and English Snowball stems (PyStemmer), computed once per distinct word."""

from __future__ import annotations

import threading
from functools import lru_cache

import Stemmer

_local = threading.local()


def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(language)
    return stemmers[language]


@lru_cache(maxsize=200_000)
def russian_stem(word: str) -> str:
    return _stemmer("russian").stemWord(word)


@lru_cache(maxsize=200_000)
def english_stem(word: str) -> str:
    return _stemmer("english").stemWord(word)
