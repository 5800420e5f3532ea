"""Stop words and synonyms, read from the data files in `common/data/`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .fold import fold, words
from .script import skeleton

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CONCEPT_PREFIX = "zz"


def _lines(name: str) -> list[tuple[int, str]]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


@cache
def stop_skeletons() -> frozenset[str]:
    """Stop words of every language, as skeletons."""
    found: set[str] = set()
    for _number, line in _lines("stopwords.txt"):
        found.update(skeleton(fold(word)) for word in line.split())
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Concept:
    key: str  # the index key shared by every phrase of the concept
    phrases: tuple[tuple[str, ...], ...]  # each phrase as the raw folded words


_CONCEPT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@cache
def concepts() -> tuple[Concept, ...]:
    """The synonym concepts. A malformed line fails loudly, naming the line."""
    found = []
    for number, line in _lines("synonyms.txt"):
        name, sep, rest = line.partition(":")
        name = name.strip()
        if not sep or not _CONCEPT_NAME.match(name):
            raise ValueError(f"synonyms.txt line {number}: expected 'concept: phrase; ...'")
        phrases = tuple(
            tuple(word for word, _start, _end in words(phrase))
            for phrase in rest.split(";")
            if phrase.strip()
        )
        if not phrases:
            raise ValueError(f"synonyms.txt line {number}: no phrases for {name!r}")
        found.append(Concept(key=CONCEPT_PREFIX + name.replace("_", ""), phrases=phrases))
    return tuple(found)
