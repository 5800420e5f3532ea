"""Highlighted snippets: the passage of an answer where the query's words are densest.

Shared with every search of the application: `common.search.snippets`.
"""

from __future__ import annotations

from helpline.common.search.snippets import WINDOW, highlight, plain_text, snippet

__all__ = ["WINDOW", "highlight", "plain_text", "snippet"]
