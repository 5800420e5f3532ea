"""The term table of an index (how many documents hold each key) and its generation token,
kept in step by the indexing inside its transaction.

A term model has `key` (unique), `documents` and `title_documents`; a state model has one
row (pk 1) with a `token`.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db.models import F


def terms_adjust(
    *,
    model: Any,
    change: Counter[str],
    title_change: Counter[str],
    new_row: Callable[[str], dict[str, Any]] | None = None,
) -> None:
    """Add `change` to the documents of each key (and `title_change` to its title
    documents); keys no document holds any more are deleted. `new_row(key)` gives the
    other fields of a key's row when it is first created."""
    keys = {key for key, n in change.items() if n} | {key for key, n in title_change.items() if n}
    if not keys:
        return
    model.objects.bulk_create(
        [model(key=key, documents=0, **(new_row(key) if new_row else {})) for key in keys],
        ignore_conflicts=True,
    )
    for key in keys:
        model.objects.filter(key=key).update(
            documents=F("documents") + change[key],
            title_documents=F("title_documents") + title_change[key],
        )
    model.objects.filter(documents__lte=0).delete()


def generation_bump(*, model: Any, changed_here: Callable[[], None]) -> None:
    """A new random token for the index: every process reloads its vocabulary.

    Random, not a counter: a rolled-back change must not leave a number that a later,
    different change reuses."""
    changed_here()
    token = uuid.uuid4().hex
    if not model.objects.filter(pk=1).update(token=token):
        model.objects.update_or_create(pk=1, defaults={"token": token})
