"""Search documents: one per published translation of a published version.

Called by the knowledge services inside their transactions; never by views.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator

from django.db import connection, transaction

from helpline.common.search.terms import generation_bump, terms_adjust
from helpline.common.text.analyser import index_keys

from ..models import (
    Article,
    ArticleTranslation,
    ReviewStatus,
    SearchDocument,
    SearchIndexState,
    SearchTerm,
    TranslationStatus,
)
from ..validity import validity_periods
from .snippets import plain_text
from .vocabulary import changed_here

BATCH = 2000


def _documents(article: Article) -> list[SearchDocument]:
    translations = list(
        ArticleTranslation.objects.filter(
            version__article=article,
            version__review_status=ReviewStatus.PUBLISHED,
            status=TranslationStatus.PUBLISHED,
        ).select_related("version")
    )
    periods = validity_periods({t.version.pk: t.version for t in translations}.values())
    return [
        document_build(article, translation, valid_until=periods[translation.version.pk])
        for translation in translations
    ]


def document_build(
    article: Article, translation: ArticleTranslation, *, valid_until: datetime.date | None
) -> SearchDocument:
    version = translation.version
    return SearchDocument(
        translation=translation,
        article=article,
        language=translation.language,
        valid_from=version.valid_from,
        valid_until=valid_until,
        for_eaeu=article.for_eaeu,
        for_visa_free=article.for_visa_free,
        for_visa=article.for_visa,
        topic_mask=article.topic_mask,
        keys_title=index_keys(f"{translation.question}\n{translation.phrasings}"),
        keys_body=index_keys(plain_text(translation.answer)),
    )


def _document_keys(keys_title: str, keys_body: str) -> set[str]:
    return set(keys_title.split()) | set(keys_body.split())


def _bump_generation() -> None:
    generation_bump(model=SearchIndexState, changed_here=changed_here)


def _count_terms(change: Counter[str], title_change: Counter[str]) -> None:
    terms_adjust(model=SearchTerm, change=change, title_change=title_change)


@transaction.atomic
def article_reindex(article: Article) -> None:
    """Replace the article's search documents and adjust the term counts."""
    change: Counter[str] = Counter()
    title_change: Counter[str] = Counter()
    old = SearchDocument.objects.filter(article=article)
    for keys_title, keys_body in old.values_list("keys_title", "keys_body"):
        change.subtract(_document_keys(keys_title, keys_body))
        title_change.subtract(set(keys_title.split()))
    old.delete()
    documents = _documents(article)
    SearchDocument.objects.bulk_create(documents)
    for document in documents:
        change.update(_document_keys(document.keys_title, document.keys_body))
        title_change.update(set(document.keys_title.split()))
    _count_terms(change, title_change)
    _bump_generation()


def _published_translations() -> Iterator[list[ArticleTranslation]]:
    """Every published translation of a published version, one list per article."""
    translations = (
        ArticleTranslation.objects.filter(
            version__review_status=ReviewStatus.PUBLISHED, status=TranslationStatus.PUBLISHED
        )
        .select_related("version__article")
        .order_by("version__article_id", "version__valid_from", "language")
    )
    group: list[ArticleTranslation] = []
    for translation in translations.iterator(chunk_size=BATCH):
        if group and group[0].version.article_id != translation.version.article_id:
            yield group
            group = []
        group.append(translation)
    if group:
        yield group


@transaction.atomic
def index_rebuild() -> int:
    """Rebuild the whole index (after an import, or to repair it). Returns documents."""
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    if connection.vendor == "postgresql":
        # After a bulk import the planner has no statistics for the new rows, believes a
        # handful of versions are published and rescans every translation for each one.
        with connection.cursor() as cursor:
            for table in (
                "knowledge_article",
                "knowledge_articleversion",
                "knowledge_articletranslation",
            ):
                cursor.execute(f"ANALYZE {table}")
    counts: Counter[str] = Counter()
    title_counts: Counter[str] = Counter()
    total = 0
    batch: list[SearchDocument] = []
    for group in _published_translations():
        article = group[0].version.article
        periods = validity_periods({t.version.pk: t.version for t in group}.values())
        for translation in group:
            document = document_build(
                article, translation, valid_until=periods[translation.version.pk]
            )
            counts.update(_document_keys(document.keys_title, document.keys_body))
            title_counts.update(set(document.keys_title.split()))
            batch.append(document)
        if len(batch) >= BATCH:
            SearchDocument.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)
    total += len(batch)
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(key=key, documents=n, title_documents=title_counts[key])
            for key, n in counts.items()
        ],
        batch_size=BATCH,
    )
    if connection.vendor == "sqlite":  # merge the FTS5 segments the bulk insert left behind
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO knowledge_search_fts(knowledge_search_fts) VALUES ('optimize')"
            )
    _bump_generation()
    return total
