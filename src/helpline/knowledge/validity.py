"""Which version of an article is valid when.

A version is valid from its `valid_from` until its own `valid_until`, or until the day
before the next published version starts, whichever comes first.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from .models import ArticleVersion


def validity_periods(versions: Iterable[ArticleVersion]) -> dict[uuid.UUID, datetime.date | None]:
    """The effective last day of each of an article's published versions (None: open)."""
    ordered = sorted(versions, key=lambda version: version.valid_from)
    periods: dict[uuid.UUID, datetime.date | None] = {}
    for position, version in enumerate(ordered):
        until = version.valid_until
        if position + 1 < len(ordered):
            day_before_next = ordered[position + 1].valid_from - datetime.timedelta(days=1)
            until = day_before_next if until is None else min(until, day_before_next)
        periods[version.pk] = until
    return periods


def version_on(versions: Iterable[ArticleVersion], day: datetime.date) -> ArticleVersion | None:
    """The version valid on `day`, among an article's published versions."""
    candidates = list(versions)
    periods = validity_periods(candidates)
    for version in candidates:
        until = periods[version.pk]
        if version.valid_from <= day and (until is None or day <= until):
            return version
    return None
