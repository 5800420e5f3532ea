"""Highlighted snippets: the passage of an answer where the query's words are densest."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helpline.common.text.analyser import analyse

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


def snippet(markdown: str, keys: set[str]) -> SafeString:
    """About WINDOW words of the answer around its best cluster of matches."""
    text = plain_text(markdown)
    tokens = analyse(text)
    if not tokens:
        return _highlight(text[:200], [])
    hits = [bool(token.keys & keys) for token in tokens]
    best_start, best_count = 0, -1
    for start in range(max(1, len(tokens) - WINDOW + 1)):
        count = sum(hits[start : start + WINDOW])
        if count > best_count:
            best_start, best_count = start, count
    window = tokens[best_start : best_start + WINDOW]
    begin = 0 if best_start == 0 else window[0].start
    finish = len(text) if best_start + WINDOW >= len(tokens) else window[-1].end
    spans = [(token.start - begin, token.end - begin) for token in window if token.keys & keys]
    result = _highlight(text[begin:finish], spans)
    prefix = "… " if begin else ""
    suffix = " …" if finish < len(text) else ""
    return mark_safe(prefix + result + suffix)  # noqa: S308 - result is escaped
