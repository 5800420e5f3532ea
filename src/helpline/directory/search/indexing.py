"""Keeping the directory's search index in step with its entries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable


def services_reindex(*, service_ids: Iterable[uuid.UUID]) -> None:
    """Re-analyse these services (created, edited, archived or deleted) into the index.

    Every write to a service or to what its search text is made of (organisation,
    locations, addresses, categories, languages) calls this inside its transaction."""
    list(service_ids)
