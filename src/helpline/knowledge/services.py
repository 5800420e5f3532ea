"""Writes to the knowledge base. Every write re-indexes what it changed, in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from helpline.accounts import access
from helpline.accounts.models import User
from helpline.consultations.models import Consultation, Topic
from helpline.consultations.services import topic_mask_for

from .content import ArticleData, VersionData
from .models import (
    KNOWLEDGE_LANGUAGES,
    SOURCE_LANGUAGE,
    AnswerGiven,
    Article,
    ArticleRevision,
    ArticleTranslation,
    ArticleVersion,
    CitizenshipGroup,
    ReviewStatus,
)
from .search.indexing import article_reindex, index_rebuild

VERSION_FIELDS = (
    "valid_from",
    "valid_until",
    "review_status",
    "reviewer_name",
    "reviewed_on",
    "next_review_on",
    "references",
)
TRANSLATION_FIELDS = ("question", "phrasings", "answer", "status")


class StaleRevisionError(Exception):
    """Someone else saved the version since it was opened."""

    def __init__(self, current: ArticleVersion) -> None:
        super().__init__("stale revision")
        self.current = current


def _require_editor(actor: User) -> None:
    if not access.can_edit_knowledge(actor):
        raise PermissionDenied


def _topics(codes: Iterable[str]) -> list[Topic]:
    codes = list(dict.fromkeys(codes))
    found = {t.code: t for t in Topic.objects.filter(code__in=codes).select_related("parent")}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError(
            {"topics": _("Unknown topic: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    if not found:
        raise ValidationError({"topics": _("Choose at least one topic.")})
    return [found[code] for code in codes]


def _article_fields(article: Article, citizenship: Iterable[str], audience: Iterable[str]) -> None:
    groups = set(citizenship)
    if "all" in groups:
        groups = {group.value for group in CitizenshipGroup}
    unknown = groups - {group.value for group in CitizenshipGroup}
    if unknown or not groups:
        raise ValidationError({"citizenship": _("Choose who the article applies to.")})
    article.for_eaeu = CitizenshipGroup.EAEU in groups
    article.for_visa_free = CitizenshipGroup.VISA_FREE in groups
    article.for_visa = CitizenshipGroup.VISA in groups
    audiences = set(audience) or {"migrant"}
    if audiences - {"migrant", "employer"}:
        raise ValidationError({"audience": _("Choose migrants, employers or both.")})
    article.for_migrants = "migrant" in audiences
    article.for_employers = "employer" in audiences


def snapshot(version: ArticleVersion) -> dict[str, Any]:
    """A version and its translations as plain JSON, for the revision history and diffs."""
    return {
        "valid_from": version.valid_from.isoformat(),
        "valid_until": version.valid_until.isoformat() if version.valid_until else None,
        "review_status": version.review_status,
        "reviewer": version.reviewer,
        "reviewed_on": version.reviewed_on.isoformat() if version.reviewed_on else None,
        "next_review_on": version.next_review_on.isoformat() if version.next_review_on else None,
        "references": version.references,
        "translations": {
            t.language: {field: getattr(t, field) for field in TRANSLATION_FIELDS}
            for t in sorted(version.translations.all(), key=lambda t: t.language)
        },
    }


def _record_revision(version: ArticleVersion, actor: User | None) -> None:
    ArticleRevision.objects.create(
        version=version, number=version.revision, saved_by=actor, snapshot=snapshot(version)
    )


def _reviewer(name: str) -> tuple[User | None, str]:
    user = User.objects.filter(username=name).first() if name else None
    return user, "" if user else name


@transaction.atomic
def article_create(
    *,
    actor: User,
    slug: str,
    topics: Iterable[str],
    citizenship: Iterable[str],
    audience: Iterable[str] = ("migrant",),
) -> Article:
    """A new article, without versions yet."""
    _require_editor(actor)
    article = Article(slug=slug)
    _article_fields(article, citizenship, audience)
    topic_list = _topics(topics)
    article.topic_mask = topic_mask_for(topic_list)
    article.full_clean()
    article.save()
    article.topics.set(topic_list)
    return article


@transaction.atomic
def article_update(
    *,
    actor: User,
    article: Article,
    topics: Iterable[str],
    citizenship: Iterable[str],
    audience: Iterable[str],
) -> Article:
    """Change who an article applies to and its topics; the index follows."""
    _require_editor(actor)
    _article_fields(article, citizenship, audience)
    topic_list = _topics(topics)
    article.topic_mask = topic_mask_for(topic_list)
    article.save()
    article.topics.set(topic_list)
    article_reindex(article)
    return article


@transaction.atomic
def version_create(
    *,
    actor: User,
    article: Article,
    valid_from: datetime.date,
    copy_from: ArticleVersion | None = None,
) -> ArticleVersion:
    """A new version of the law, starting on `valid_from`, as a draft.

    It starts as a copy of `copy_from` (the current version, usually), so that editors
    change only what the law changed; the diff then shows exactly that.
    """
    _require_editor(actor)
    if article.versions.filter(valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("A version starting on this date already exists.")})
    version = ArticleVersion.objects.create(
        article=article,
        valid_from=valid_from,
        review_status=ReviewStatus.DRAFT,
        references=list(copy_from.references) if copy_from else [],
    )
    if copy_from is not None:
        ArticleTranslation.objects.bulk_create(
            ArticleTranslation(
                version=version,
                language=t.language,
                question=t.question,
                phrasings=t.phrasings,
                answer=t.answer,
                status="draft",
            )
            for t in copy_from.translations.all()
        )
    _record_revision(version, actor)
    return version


def _validate_translations(translations: Mapping[str, Mapping[str, Any] | None]) -> None:
    errors = {}
    for language, values in translations.items():
        if language not in KNOWLEDGE_LANGUAGES:
            errors[f"{language}-question"] = _("Unknown language.")
            continue
        if values is None:
            continue
        for field in ("question", "answer"):
            if not str(values.get(field, "")).strip():
                errors[f"{language}-{field}"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def version_save(
    *,
    actor: User,
    version: ArticleVersion,
    expected_revision: int,
    fields: Mapping[str, Any],
    translations: Mapping[str, Mapping[str, Any] | None],
) -> ArticleVersion:
    """Save a version and its translations (None removes one) as a new revision.

    Raises StaleRevisionError when someone saved the version after `expected_revision`
    was read, ValidationError by field; on any error nothing is written.
    """
    _require_editor(actor)
    _validate_translations(translations)
    present = {lang for lang, values in translations.items() if values is not None}
    existing = set(version.translations.values_list("language", flat=True))
    if SOURCE_LANGUAGE not in (existing - set(translations)) | present:
        raise ValidationError({f"{SOURCE_LANGUAGE}-question": _("The Russian text is required.")})
    updated = ArticleVersion.objects.filter(pk=version.pk, revision=expected_revision).update(
        revision=F("revision") + 1
    )
    if not updated:
        raise StaleRevisionError(ArticleVersion.objects.get(pk=version.pk))
    version.refresh_from_db()
    changes = dict(fields)
    if "reviewer" in changes:
        version.reviewed_by, version.reviewer_name = _reviewer(changes.pop("reviewer"))
    for field in VERSION_FIELDS:
        if field in changes:
            setattr(version, field, changes[field])
    version.full_clean(exclude=["article"])
    version.save()
    for language, values in translations.items():
        if values is None:
            version.translations.filter(language=language).delete()
            continue
        phrasings = values.get("phrasings", "")
        if isinstance(phrasings, list | tuple):
            phrasings = "\n".join(phrasings)
        ArticleTranslation.objects.update_or_create(
            version=version,
            language=language,
            defaults={
                "question": values["question"].strip(),
                "phrasings": phrasings.strip(),
                "answer": values["answer"].strip(),
                "status": values.get("status") or "published",
            },
        )
    _record_revision(version, actor)
    article_reindex(version.article)
    return version


def _version_write(article: Article, data: VersionData, actor: User | None) -> None:
    version = ArticleVersion.objects.filter(article=article, valid_from=data.valid_from).first()
    if version is None:
        version = ArticleVersion(article=article, valid_from=data.valid_from, revision=0)
    current = snapshot(version) if version.pk else None
    version.valid_until = data.valid_until
    version.review_status = data.review_status
    version.reviewed_by, version.reviewer_name = _reviewer(data.reviewer)
    version.reviewed_on = data.reviewed_on
    version.next_review_on = data.next_review_on
    version.references = data.references
    version.save()
    version.translations.exclude(language__in=list(data.translations)).delete()
    for language, translation in data.translations.items():
        ArticleTranslation.objects.update_or_create(
            version=version,
            language=language,
            defaults={
                "question": translation.question,
                "phrasings": "\n".join(translation.phrasings),
                "answer": translation.answer,
                "status": translation.status,
            },
        )
    if snapshot(version) != current:
        version.revision += 1
        version.save(update_fields=["revision"])
        _record_revision(version, actor)


@transaction.atomic
def articles_save(
    *, actor: User | None, articles: Iterable[ArticleData], reindex: bool = True
) -> list[Article]:
    """Create or replace articles by slug (import, demo). Validated data only.

    Versions are matched by their start date; versions and translations not in the data
    are kept out of caution for versions, removed for translations of a given version.
    A revision is recorded only where something changed.
    """
    if actor is not None:
        _require_editor(actor)
    saved = []
    for data in articles:
        article = Article.objects.filter(slug=data.slug).first() or Article(slug=data.slug)
        _article_fields(article, data.citizenship, data.audience)
        topic_list = _topics(data.topics)
        article.topic_mask = topic_mask_for(topic_list)
        article.is_demo = data.is_demo
        article.save()
        article.topics.set(topic_list)
        for version in data.versions:
            _version_write(article, version, actor)
        saved.append(article)
    if reindex:
        index_rebuild()
    return saved


@transaction.atomic
def answers_given_record(
    *,
    actor: User,
    consultation: Consultation,
    version_ids: Iterable[object],
    language: str,
) -> list[AnswerGiven]:
    """Store the articles used to answer a consultation (replacing the earlier choice)."""
    if not access.can_edit_centre_records(actor, consultation.centre_id):
        raise PermissionDenied
    versions = list(
        ArticleVersion.objects.filter(
            pk__in=list(version_ids), review_status=ReviewStatus.PUBLISHED
        )
    )
    AnswerGiven.objects.filter(consultation=consultation).exclude(version__in=versions).delete()
    known = set(
        AnswerGiven.objects.filter(consultation=consultation).values_list("version_id", flat=True)
    )
    language = language if language in KNOWLEDGE_LANGUAGES else SOURCE_LANGUAGE
    return AnswerGiven.objects.bulk_create(
        AnswerGiven(consultation=consultation, version=v, language=language)
        for v in versions
        if v.pk not in known
    )
