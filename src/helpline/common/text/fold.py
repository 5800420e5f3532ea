"""Case and Unicode folding, and splitting text into words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Every way people type the Uzbek oʻ/gʻ sign and the ʼ (tutuq belgisi).
APOSTROPHES = "'’‘ʻʼ`´′ʹ"
_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES[1:], "'"))

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\W_]+'(?=\W|$)")


def fold(text: str) -> str:
    """Lower-case, compose, unify apostrophes and treat ё as е."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHE_TABLE)
    return text.casefold().replace("ё", "е")


def words(text: str) -> Iterator[tuple[str, int, int]]:
    """The words of `text` (folded), with their start and end offsets in the original.

    An apostrophe inside a word belongs to it (o'zbek, ro'yxat, g'isht), as does a
    closing one after o/g (o' at the end of a word).
    """
    folded = fold(text)
    if len(folded) != len(text):  # casefold can change lengths (ß → ss): map word by word
        for match in re.finditer(r"\S+", text):
            for word in WORD.findall(fold(match.group())):
                yield word, match.start(), match.end()
        return
    for match in WORD.finditer(folded):
        yield match.group(), match.start(), match.end()
