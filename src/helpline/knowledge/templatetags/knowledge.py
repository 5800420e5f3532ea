"""Template helpers of the knowledge base: `{% load knowledge %}`."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from helpline.knowledge.rendering import markdown_html

register = template.Library()


@register.filter(name="markdown")
def markdown(text: str | None) -> SafeString:
    """`{{ answer|markdown }}`: the Markdown text as sanitised HTML."""
    return markdown_html(text)
