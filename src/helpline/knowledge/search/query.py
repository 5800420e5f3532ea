"""What a consultant typed → groups of alternative index keys, one group per word.

The parsing is shared with every search of the application: `common.search.query`.
"""

from __future__ import annotations

from helpline.common.search.query import (
    CONCEPT,
    FUZZY,
    PREFIX,
    STEM,
    Query,
    QueryWord,
    query_parse,
)

__all__ = ["CONCEPT", "FUZZY", "PREFIX", "STEM", "Query", "QueryWord", "query_parse"]
