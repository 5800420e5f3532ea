"""Knowledge test data, written through the services (so the search index and the revision
history are what the application itself would produce)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from helpline.accounts.models import User
from helpline.accounts.tests.factories import national
from helpline.knowledge import services
from helpline.knowledge.content import ArticleData, TranslationData, VersionData
from helpline.knowledge.models import Article, ArticleVersion

JAN_2025 = datetime.date(2025, 1, 1)


def knowledge_editor(**kw: Any) -> User:
    """Someone who may write the knowledge base (a national coordinator)."""
    return national(**kw)


def _texts(texts: Mapping[str, Any]) -> dict[str, dict[str, Any] | None]:
    translations: dict[str, dict[str, Any] | None] = {}
    for language, value in texts.items():
        if value is None:
            translations[language] = None
            continue
        if isinstance(value, tuple | list):
            question, answer = value
            value = {"question": question, "answer": answer}
        translations[language] = {"phrasings": "", "status": "published", **value}
    return translations


def article_make(
    *,
    slug: str = "patent-renewal",
    topics: Iterable[str] = ("patent",),
    citizenship: Iterable[str] = ("all",),
    audience: Iterable[str] = ("migrant",),
    actor: User | None = None,
) -> Article:
    return services.article_create(
        actor=actor or knowledge_editor(),
        slug=slug,
        topics=list(topics),
        citizenship=list(citizenship),
        audience=list(audience),
    )


def version_make(
    article: Article,
    *,
    valid_from: datetime.date = JAN_2025,
    texts: Mapping[str, Any] | None = None,
    review_status: str = "published",
    actor: User | None = None,
    copy_from: ArticleVersion | None = None,
    **fields: Any,
) -> ArticleVersion:
    """A version with its texts: {"ru": (question, answer)} or {"ru": {...fields}}."""
    actor = actor or knowledge_editor()
    version = services.version_create(
        actor=actor, article=article, valid_from=valid_from, copy_from=copy_from
    )
    texts = texts if texts is not None else {"ru": ("Как продлить патент?", "Оплатите НДФЛ.")}
    return services.version_save(
        actor=actor,
        version=version,
        expected_revision=version.revision,
        fields={"review_status": review_status, **fields},
        translations=_texts(texts),
    )


def article_with_version(
    *,
    slug: str = "patent-renewal",
    texts: Mapping[str, Any] | None = None,
    valid_from: datetime.date = JAN_2025,
    review_status: str = "published",
    topics: Iterable[str] = ("patent",),
    actor: User | None = None,
    **fields: Any,
) -> tuple[Article, ArticleVersion]:
    actor = actor or knowledge_editor()
    article = article_make(slug=slug, topics=topics, actor=actor)
    version = version_make(
        article,
        valid_from=valid_from,
        texts=texts,
        review_status=review_status,
        actor=actor,
        **fields,
    )
    return article, version


def version_edit(
    version: ArticleVersion,
    *,
    texts: Mapping[str, Any],
    actor: User | None = None,
    **fields: Any,
) -> ArticleVersion:
    """Save new texts on an existing version (one more revision)."""
    version.refresh_from_db()
    return services.version_save(
        actor=actor or knowledge_editor(),
        version=version,
        expected_revision=version.revision,
        fields=fields,
        translations=_texts(texts),
    )


def demo_article(
    slug: str = "demo-patent", question: str = "Демо: как получить патент?"
) -> Article:
    """An article marked as demo content (as `helpline demo` loads them)."""
    data = ArticleData(
        slug=slug,
        topics=["patent"],
        citizenship=["visa_free"],
        is_demo=True,
        versions=[
            VersionData(
                valid_from=JAN_2025,
                translations={
                    "ru": TranslationData(
                        language="ru", question=question, answer="Подайте заявление в МВД."
                    )
                },
            )
        ],
    )
    return services.articles_save(actor=None, articles=[data])[0]
