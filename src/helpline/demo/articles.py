"""The demo knowledge base: Markdown files in `demo/knowledge/`, marked as demo content."""

from __future__ import annotations

from pathlib import Path

from helpline.knowledge.files.markdown import read_folder
from helpline.knowledge.services import articles_save

DEMO_KNOWLEDGE_DIR = Path(__file__).resolve().parent / "knowledge"


def knowledge_load() -> int:
    """Load (or refresh) the demo articles and rebuild the search index. Returns articles."""
    articles = read_folder(DEMO_KNOWLEDGE_DIR, is_demo=True)
    return len(articles_save(actor=None, articles=articles))
