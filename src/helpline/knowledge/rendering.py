"""Answers are written in Markdown; this turns them into safe HTML for the screens.

markdown-it-py renders CommonMark (with tables and strikethrough) with raw HTML off, so
any tag typed in an answer comes out as text; nh3 then keeps only the tags and links an
answer needs, whatever the renderer produced.
"""

from __future__ import annotations

from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "s",
        "del",
        "a",
        "code",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
        "br",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer nofollow"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def _image_as_text(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """Answers carry no pictures (pages must work offline): an image shows its description."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_markdown.add_render_rule("image", _image_as_text)
_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


def markdown_html(text: str | None) -> SafeString:
    """Markdown as sanitised HTML: safe to put in a page as it is."""
    if not text:
        return mark_safe("")
    rendered = _markdown.render(str(text))
    return mark_safe(_cleaner.clean(rendered).strip())  # noqa: S308 - sanitised by nh3
