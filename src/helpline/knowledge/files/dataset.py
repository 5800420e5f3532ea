"""The knowledge base read from the database as plain data, for export."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from helpline.consultations.models import Topic

from ..content import ArticleData, TranslationData, VersionData
from ..models import KNOWLEDGE_LANGUAGES, Article, ArticleTranslation, ArticleVersion


def articles_as_data(queryset: QuerySet[Article] | None = None) -> list[ArticleData]:
    """Every article of `queryset` (default: all) with all its versions and translations.

    Four queries whatever the size: articles, topics, versions with their reviewers,
    translations. The reviewer is the user name of a reviewer who has an account (as the
    import looks it up), otherwise the name typed in.
    """
    articles = (Article.objects.all() if queryset is None else queryset).order_by("slug")
    articles = articles.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("code")),
        Prefetch(
            "versions",
            queryset=ArticleVersion.objects.order_by("valid_from")
            .select_related("reviewed_by")
            .prefetch_related(
                Prefetch("translations", queryset=ArticleTranslation.objects.order_by("language"))
            ),
        ),
    )
    return [_article(article) for article in articles]


def _article(article: Article) -> ArticleData:
    audience = [
        group
        for group, applies in (
            ("migrant", article.for_migrants),
            ("employer", article.for_employers),
        )
        if applies
    ]
    return ArticleData(
        slug=article.slug,
        topics=[topic.code for topic in article.topics.all()],
        citizenship=[str(group) for group in article.citizenship_groups],
        audience=audience,
        versions=[_version(version) for version in article.versions.all()],
        is_demo=article.is_demo,
    )


def _version(version: ArticleVersion) -> VersionData:
    translations = {t.language: t for t in version.translations.all()}
    return VersionData(
        valid_from=version.valid_from,
        valid_until=version.valid_until,
        review_status=version.review_status,
        reviewer=version.reviewed_by.get_username()
        if version.reviewed_by
        else version.reviewer_name,
        reviewed_on=version.reviewed_on,
        next_review_on=version.next_review_on,
        references=[dict(reference) for reference in version.references or []],
        translations={
            language: TranslationData(
                language=language,
                question=translations[language].question,
                answer=translations[language].answer,
                phrasings=translations[language].phrasing_list,
                status=translations[language].status,
            )
            for language in KNOWLEDGE_LANGUAGES
            if language in translations
        },
    )
