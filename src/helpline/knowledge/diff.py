"""What changed between two versions or two revisions of an article, word by word.

Both sides are `services.snapshot()` dicts (the same shape the revision history stores),
so a diff between two versions and one between two saves of a version are the same thing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import KNOWLEDGE_LANGUAGES, ArticleVersion, Language, ReviewStatus, TranslationStatus
from .services import snapshot

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)

DATE_FIELDS = ("valid_from", "valid_until", "reviewed_on", "next_review_on")


@dataclass
class FieldChange:
    field: str  # the snapshot key: "answer", "valid_until", ...
    label: str  # translated, for people
    language: str  # "" for a field of the version, else the translation's language
    before: str
    after: str
    html: SafeString  # the after text with deletions and insertions marked

    @property
    def language_label(self) -> str:
        return _language_label(self.language) if self.language else ""


def _language_label(code: str) -> str:
    try:
        return str(Language(code).label)
    except ValueError:
        return code


def _version_labels() -> dict[str, str]:
    return {
        "valid_from": _("Valid from"),
        "valid_until": _("Valid until"),
        "review_status": _("Review status"),
        "reviewer": _("Reviewer"),
        "reviewed_on": _("Reviewed on"),
        "next_review_on": _("Next review"),
        "references": _("Legal references"),
    }


def _translation_labels() -> dict[str, str]:
    return {
        "question": _("Question"),
        "phrasings": _("Other phrasings"),
        "answer": _("Answer"),
        "status": _("Translation status"),
    }


def _date_text(value: Any) -> str:
    if not value:
        return ""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return date_format(day, "j E Y")


def references_text(references: Iterable[Mapping[str, Any]] | None) -> str:
    """Legal references one per line, "law | article | url", as editors type them."""
    lines = []
    for reference in references or []:
        parts = [str(reference.get(key) or "").strip() for key in ("law", "article", "url")]
        while parts and not parts[-1]:
            parts.pop()
        if parts:
            lines.append(" | ".join(parts))
    return "\n".join(lines)


def _choice_text(choices: type[ReviewStatus] | type[TranslationStatus], value: Any) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _version_text(field: str, value: Any) -> str:
    if field in DATE_FIELDS:
        return _date_text(value)
    if field == "references":
        return references_text(value)
    if field == "review_status":
        return _choice_text(ReviewStatus, value)
    return "" if value is None else str(value)


def _translation_text(field: str, value: Any) -> str:
    if field == "status":
        return _choice_text(TranslationStatus, value)
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    return "" if value is None else str(value)


def word_diff(before: str, after: str) -> SafeString:
    """The after text, escaped, with removed words in <del> and added words in <ins>.

    Changes separated only by spaces are shown as one ("<del>a b</del><ins>c d</ins>"),
    which reads better than alternating single words.
    """
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    out: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        gone, came = "".join(removed), "".join(added)
        if gone.strip():
            out.append(f"<del>{escape(gone)}</del>")
        if came.strip():
            out.append(f"<ins>{escape(came)}</ins>")
        elif came:
            out.append(escape(came))
        removed.clear()
        added.clear()

    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag != "equal":
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
            continue
        text = "".join(old[i1:i2])
        if (removed or added) and text.isspace() and position + 1 < len(opcodes):
            removed.append(text)
            added.append(text)
            continue
        flush()
        out.append(escape(text))
    flush()
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _change(field: str, label: str, language: str, before: str, after: str) -> FieldChange:
    return FieldChange(
        field=field,
        label=label,
        language=language,
        before=before,
        after=after,
        html=word_diff(before, after),
    )


def _ordered_languages(codes: Iterable[str]) -> list[str]:
    present = set(codes)
    known = [code for code in KNOWLEDGE_LANGUAGES if code in present]
    return known + sorted(present - set(known))


def snapshot_diff(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    *,
    languages: Iterable[str] | None = None,
) -> list[FieldChange]:
    """The fields that differ between two snapshots (before None: everything is new).

    Version fields come first, then each language's fields (only `languages`, if given).
    """
    old = before or {}
    changes: list[FieldChange] = []
    for field, label in _version_labels().items():
        was = _version_text(field, old.get(field))
        now = _version_text(field, after.get(field))
        if was != now:
            changes.append(_change(field, label, "", was, now))
    old_translations = old.get("translations") or {}
    new_translations = after.get("translations") or {}
    codes = (
        list(languages)
        if languages is not None
        else _ordered_languages([*old_translations, *new_translations])
    )
    labels = _translation_labels()
    for language in codes:
        was_values = old_translations.get(language) or {}
        now_values = new_translations.get(language) or {}
        for field, label in labels.items():
            was = _translation_text(field, was_values.get(field))
            now = _translation_text(field, now_values.get(field))
            if was != now:
                changes.append(_change(field, label, language, was, now))
    return changes


def version_diff(
    before_version: ArticleVersion | None,
    after_version: ArticleVersion,
    languages: Iterable[str] | None = None,
) -> list[FieldChange]:
    """What differs between two versions of an article (before None: a new article)."""
    before = snapshot(before_version) if before_version is not None else None
    return snapshot_diff(before, snapshot(after_version), languages=languages)
