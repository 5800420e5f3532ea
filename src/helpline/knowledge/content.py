"""An article as plain data: what the files, the spreadsheet and the demo carry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class TranslationData:
    language: str
    question: str
    answer: str
    phrasings: list[str] = field(default_factory=list)
    status: str = "published"


@dataclass
class VersionData:
    valid_from: datetime.date
    translations: dict[str, TranslationData]
    valid_until: datetime.date | None = None
    review_status: str = "published"
    reviewer: str = ""
    reviewed_on: datetime.date | None = None
    next_review_on: datetime.date | None = None
    references: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ArticleData:
    slug: str
    topics: list[str]
    citizenship: list[str]  # eaeu | visa_free | visa
    audience: list[str] = field(default_factory=lambda: ["migrant"])
    versions: list[VersionData] = field(default_factory=list)
    is_demo: bool = False
