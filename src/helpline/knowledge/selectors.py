"""Reads of the knowledge base. Every selector takes the acting user."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from helpline.accounts import access
from helpline.accounts.models import User
from helpline.consultations.models import Consultation, Topic

from .citizenship import citizenship_group
from .models import (
    SOURCE_LANGUAGE,
    AnswerGiven,
    Article,
    ArticleRevision,
    ArticleTranslation,
    ArticleVersion,
    ReviewStatus,
    TranslationStatus,
)
from .search.backends import SearchFilters
from .search.engine import SearchHit, search
from .validity import validity_periods, version_on


def _require_reader(actor: User) -> None:
    if not access.can_read_knowledge(actor):
        raise PermissionDenied


def knowledge_search(
    *,
    actor: User,
    text: str,
    on_date: datetime.date | None = None,
    language: str = "",
    citizenship: str = "",
    citizenship_group_code: str = "",
    topic: Topic | None = None,
    top: int = 10,
    prefer_language: str = SOURCE_LANGUAGE,
) -> list[SearchHit]:
    """Published answers valid on `on_date` (today) for a question in any script.

    `citizenship` is an ISO country code (the caller's); it selects the citizenship
    group, as `citizenship_group_code` does directly.
    """
    _require_reader(actor)
    filters = SearchFilters(
        on_date=on_date or timezone.localdate(),
        language=language,
        citizenship_group=citizenship_group_code or citizenship_group(citizenship),
        topic=topic,
    )
    return search(text, filters, top=top, prefer_language=prefer_language)


@dataclass
class ArticleView:
    """An article as shown: the version for a date and the text in a language."""

    article: Article
    version: ArticleVersion
    translation: ArticleTranslation
    language: str  # the language asked for
    is_fallback: bool  # the text is Russian because the language asked for is missing
    valid_until: datetime.date | None  # effective last day of the version
    versions: list[ArticleVersion]  # every version the actor may see, newest first
    languages: list[str]  # languages available in this version
    on_date: datetime.date
    topics: list[Topic] = field(default_factory=list)


def _visible_versions(actor: User, article: Article) -> list[ArticleVersion]:
    versions = article.versions.prefetch_related("translations").order_by("-valid_from")
    if not access.can_edit_knowledge(actor):
        versions = versions.filter(review_status=ReviewStatus.PUBLISHED)
    return list(versions)


def _shown_translations(actor: User, version: ArticleVersion) -> dict[str, ArticleTranslation]:
    editor = access.can_edit_knowledge(actor)
    return {
        t.language: t
        for t in version.translations.all()
        if editor or t.status == TranslationStatus.PUBLISHED
    }


def article_view(
    *,
    actor: User,
    slug: str,
    on_date: datetime.date | None = None,
    language: str = SOURCE_LANGUAGE,
    version_id: uuid.UUID | None = None,
) -> ArticleView | None:
    """The article's version valid on `on_date` (or the version asked for), in `language`.

    A missing translation falls back to Russian (`is_fallback`). None when there is no
    such article or no version the actor may see for that date.
    """
    _require_reader(actor)
    article = Article.objects.filter(slug=slug).prefetch_related("topics").first()
    if article is None:
        return None
    day = on_date or timezone.localdate()
    versions = _visible_versions(actor, article)
    published = [v for v in versions if v.review_status == ReviewStatus.PUBLISHED]
    if version_id is not None:
        version = next((v for v in versions if v.pk == version_id), None)
    else:
        version = version_on(published, day)
    if version is None:
        return None
    translations = _shown_translations(actor, version)
    translation = translations.get(language) or translations.get(SOURCE_LANGUAGE)
    if translation is None:
        return None
    periods = validity_periods(published)
    return ArticleView(
        article=article,
        version=version,
        translation=translation,
        language=language,
        is_fallback=translation.language != language,
        valid_until=periods.get(version.pk, version.valid_until),
        versions=versions,
        languages=sorted(translations),
        on_date=day,
        topics=list(article.topics.all()),
    )


@dataclass(frozen=True)
class ArticleListFilters:
    topic: Topic | None = None
    review_status: str = ""
    missing_language: str = ""
    review_due: bool = False


def article_list(*, actor: User, filters: ArticleListFilters | None = None) -> QuerySet[Article]:
    """Articles for browsing and editing, with their versions and translations."""
    _require_reader(actor)
    filters = filters or ArticleListFilters()
    articles = Article.objects.all()
    if not access.can_edit_knowledge(actor):
        articles = articles.filter(versions__review_status=ReviewStatus.PUBLISHED).distinct()
    if filters.topic is not None:
        topic_ids = [filters.topic.pk, *filters.topic.children.values_list("pk", flat=True)]
        articles = articles.filter(topics__in=topic_ids).distinct()
    if filters.review_status:
        articles = articles.filter(versions__review_status=filters.review_status).distinct()
    if filters.missing_language:
        articles = articles.exclude(versions__translations__language=filters.missing_language)
    if filters.review_due:
        articles = articles.filter(versions__next_review_on__lte=timezone.localdate()).distinct()
    versions = ArticleVersion.objects.order_by("-valid_from")
    translations = ArticleTranslation.objects.all()
    if not access.can_edit_knowledge(actor):
        versions = versions.filter(review_status=ReviewStatus.PUBLISHED)
        translations = translations.filter(status=TranslationStatus.PUBLISHED)
    return articles.prefetch_related(
        "topics",
        Prefetch(
            "versions",
            queryset=versions.prefetch_related(Prefetch("translations", queryset=translations)),
        ),
    ).order_by("slug")


@dataclass
class ArticleChange:
    article: Article
    before: ArticleVersion | None  # valid on the earlier date (None: the article is new)
    after: ArticleVersion  # valid on the later date


def articles_changed_since(
    *, actor: User, since: datetime.date, until: datetime.date | None = None
) -> list[ArticleChange]:
    """Articles whose valid version on `until` (today) differs from the one on `since`."""
    _require_reader(actor)
    until = until or timezone.localdate()
    published = ArticleVersion.objects.filter(review_status=ReviewStatus.PUBLISHED)
    changed_ids = (
        published.filter(valid_from__gt=since, valid_from__lte=until)
        .values_list("article_id", flat=True)
        .distinct()
    )
    articles = Article.objects.filter(pk__in=changed_ids).prefetch_related(
        Prefetch(
            "versions",
            queryset=published.prefetch_related("translations"),
            to_attr="published_versions",
        ),
        "topics",
    )
    changes = []
    for article in articles.order_by("slug"):
        after = version_on(article.published_versions, until)
        if after is None:
            continue
        before = version_on(article.published_versions, since)
        if before is not None and before.pk == after.pk:
            continue
        changes.append(ArticleChange(article=article, before=before, after=after))
    return changes


def version_revisions(*, actor: User, version: ArticleVersion) -> QuerySet[ArticleRevision]:
    """The saved revisions of a version, newest first (editors only)."""
    if not access.can_edit_knowledge(actor):
        raise PermissionDenied
    return version.revisions.select_related("saved_by").order_by("-number")


def answers_given(*, actor: User, consultation: Consultation) -> list[AnswerGiven]:
    """The articles used to answer a consultation the actor may read."""
    if not access.can_read_centre(actor, consultation.centre_id):
        raise PermissionDenied
    return list(
        AnswerGiven.objects.filter(consultation=consultation)
        .select_related("version__article")
        .prefetch_related("version__translations")
    )
