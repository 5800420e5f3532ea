"""Highlighted snippets: the passage of a text where the query's words are densest, and
whole texts with the matching words marked (the keys are the analyser's)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helpline.common.text.analyser import analyse, word_keys
from helpline.common.text.fold import WORD, fold, words

WINDOW = 28  # words in a snippet

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`]+")
_MARKUP = re.compile(r"[#>|]+|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)
_SPACES = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """Markdown without its markup, on one line."""
    text = _LINK.sub(r"\1", markdown)
    text = _MARKUP.sub(" ", _EMPHASIS.sub("", text))
    return _SPACES.sub(" ", text).strip()


def _highlight(text: str, spans: list[tuple[int, int]]) -> SafeString:
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def highlight(text: str, keys: set[str]) -> SafeString:
    """The whole text, escaped, with the words matching `keys` marked."""
    spans = [(token.start, token.end) for token in analyse(text) if token.keys & keys]
    return _highlight(text, spans)


def _word_matches(text: str, keys: set[str]) -> tuple[list[tuple[int, int]], list[bool]]:
    """Each indexed word of `text` and whether its stems or prefix are among `keys`.

    Lighter than `analyse`: synonym phrases are not looked for, which is what makes
    snippets cheap enough to draw for every hit.
    """
    spans, hits = [], []
    folded = fold(text)
    if len(folded) != len(text):  # rare: folding changed lengths, offsets need the slow way
        pairs = ((word, start, end) for word, start, end in words(text))
    else:
        pairs = ((m.group(), m.start(), m.end()) for m in WORD.finditer(folded))
    for word, start, end in pairs:
        found = word_keys(word)
        if found is None:
            continue
        spans.append((start, end))
        hits.append(found.prefix in keys or not keys.isdisjoint(found.stems))
    return spans, hits


def snippet(markdown: str, keys: set[str], *, window: int = WINDOW) -> SafeString:
    """About `window` words of the text (Markdown or plain) around its best cluster of
    matches."""
    text = plain_text(markdown)
    spans, hits = _word_matches(text, keys)
    if not spans:
        return _highlight(text[:200], [])
    best_start, best_count = 0, -1
    count = sum(hits[:window])
    for start in range(max(1, len(hits) - window + 1)):  # a sliding count of matches
        if start:
            count += hits[start + window - 1] - hits[start - 1]
        if count > best_count:
            best_start, best_count = start, count
    last = min(best_start + window, len(hits)) - 1
    begin = 0 if best_start == 0 else spans[best_start][0]
    finish = len(text) if last == len(hits) - 1 else spans[last][1]
    marked = [
        (spans[i][0] - begin, spans[i][1] - begin) for i in range(best_start, last + 1) if hits[i]
    ]
    result = _highlight(text[begin:finish], marked)
    prefix = "… " if begin else ""
    suffix = " …" if finish < len(text) else ""
    return mark_safe(prefix + result + suffix)  # noqa: S308 - result is escaped
