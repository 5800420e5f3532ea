"""Scripts: Cyrillic ↔ Latin transliteration and the script-free skeleton of a word.

The skeleton is what index keys are made of. It maps Russian, Uzbek (both scripts),
Tajik and Kyrgyz letters to plain Latin and folds the spellings people use for the same
sound (ts/c/ц, kh/x/х/ҳ, zh/j/ж, ch/ч/ҷ, y/i/ы/й, w/v, q/k/қ, doubled letters), so that
"registratsiya", "registraciya" and "регистрация" have one skeleton.
"""

from __future__ import annotations

import re
import unicodedata

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch",
    "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ё": "e",
    # Tajik
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "ch", "қ": "k", "ғ": "g",  # ҷ is typed ч
    # Kyrgyz and Kazakh
    "ң": "ng", "ө": "o", "ү": "u", "ә": "a", "ұ": "u", "һ": "h", "і": "i",
    # Uzbek Cyrillic
    "ў": "o",
    # Ukrainian
    "ї": "i", "є": "e", "ґ": "g",
}  # fmt: skip

# Latin spellings of one sound, longest first. Applied after the Cyrillic map.
_LATIN_FOLDS = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("zh", "j"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("x", "h"),
    ("w", "v"),
    ("q", "k"),
    ("y", "i"),
)
_LATIN_FOLD_RE = re.compile("|".join(re.escape(a) for a, _ in _LATIN_FOLDS))
_LATIN_FOLD_MAP = dict(_LATIN_FOLDS)
_DOUBLED = re.compile(r"(.)\1+")
_NOT_KEY = re.compile(r"[^a-z0-9]")
_UZBEK_MODIFIED = re.compile(r"([og])'")


def is_cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)


def _strip_latin_diacritics(word: str) -> str:
    if word.isascii():
        return word
    out = []
    for char in word:
        if "\u00c0" <= char <= "\u024f":  # Latin-1 supplement and Latin Extended A/B
            char = unicodedata.normalize("NFD", char)[0]
        out.append(char)
    return "".join(out)


def skeleton(word: str) -> str:
    """The script-free form of a folded word: only a-z and 0-9."""
    word = _UZBEK_MODIFIED.sub(r"\1", word)
    word = "".join(CYRILLIC_TO_LATIN.get(char, char) for char in word)
    word = _strip_latin_diacritics(word)
    word = _NOT_KEY.sub("", word)
    while True:  # a fold can make a new pair ("qx" → "kh" → "h"): fold to a fixed point
        folded = _LATIN_FOLD_RE.sub(lambda match: _LATIN_FOLD_MAP[match.group()], word)
        folded = _DOUBLED.sub(r"\1", folded)
        if folded == word:
            return word
        word = folded


# Russian written in Latin letters, back to Cyrillic (longest first), so that the
# Russian stemmer can take its endings off: "oformit" → "оформит" → "оформ".
_LATIN_TO_CYRILLIC = (
    ("shch", "щ"), ("iya", "ия"), ("iye", "ие"), ("iyu", "ию"), ("sch", "щ"), ("yo", "ё"),
    ("yu", "ю"), ("ya", "я"), ("ye", "е"),
    ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("iy", "ий"),
    ("iu", "ю"), ("ia", "я"), ("'", "ь"),
    ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"),
    ("i", "и"), ("y", "ы"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"),
    ("h", "х"), ("c", "ц"), ("x", "х"), ("w", "в"), ("q", "к"),
)  # fmt: skip
_LATIN_TO_CYRILLIC_RE = re.compile("|".join(re.escape(a) for a, _ in _LATIN_TO_CYRILLIC))
_LATIN_TO_CYRILLIC_MAP = dict(_LATIN_TO_CYRILLIC)
_CYRILLIC_TO_LATIN_RE = re.compile("|".join(map(re.escape, CYRILLIC_TO_LATIN)))


def latin_to_cyrillic(word: str) -> str:
    """Russian typed in Latin letters, read back as Cyrillic (best effort)."""
    word = _strip_latin_diacritics(word)
    return _LATIN_TO_CYRILLIC_RE.sub(lambda match: _LATIN_TO_CYRILLIC_MAP[match.group()], word)


def cyrillic_to_latin(text: str) -> str:
    """A readable Latin transliteration of Cyrillic text (for display and file names)."""
    return _CYRILLIC_TO_LATIN_RE.sub(lambda match: CYRILLIC_TO_LATIN[match.group()], text)
