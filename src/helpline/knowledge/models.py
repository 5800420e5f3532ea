"""Legal answers: articles, their versions in time, translations, and the search index.

An article answers one question. The law changes, so an article has versions, each valid
for a period; the version valid on a date is the one shown for that date. Each version
has translations in the five languages, each with its own status. Every save of a
version is kept as a revision, so that editors can see who changed what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpline.common.models import REFERENCE_LANGUAGES, BaseModel
from helpline.consultations.models import Consultation, Topic

KNOWLEDGE_LANGUAGES = REFERENCE_LANGUAGES  # ru first: the language every version must have
SOURCE_LANGUAGE = "ru"


class Language(models.TextChoices):
    RU = "ru", _("Russian")
    EN = "en", _("English")
    UZ = "uz", _("Uzbek")
    TG = "tg", _("Tajik")
    KY = "ky", _("Kyrgyz")


class CitizenshipGroup(models.TextChoices):
    EAEU = "eaeu", _("EAEU citizens")
    VISA_FREE = "visa_free", _("Visa-free, outside the EAEU")
    VISA = "visa", _("Citizens of visa countries")


class Audience(models.TextChoices):
    MIGRANT = "migrant", _("Migrants")
    EMPLOYER = "employer", _("Employers")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    OUTDATED = "outdated", _("Outdated")


class Article(BaseModel):
    slug = models.SlugField(_("identifier"), max_length=100, unique=True)
    topics = models.ManyToManyField(Topic, related_name="articles", verbose_name=_("topics"))
    topic_mask = models.BigIntegerField(_("first-level topics"), default=0, editable=False)
    for_eaeu = models.BooleanField(_("EAEU citizens"), default=True)
    for_visa_free = models.BooleanField(_("visa-free citizens"), default=True)
    for_visa = models.BooleanField(_("citizens of visa countries"), default=True)
    for_migrants = models.BooleanField(_("for migrants"), default=True)
    for_employers = models.BooleanField(_("for employers"), default=False)
    is_demo = models.BooleanField(_("demo content"), default=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.slug

    @property
    def citizenship_groups(self) -> list[str]:
        return [
            group
            for group, applies in (
                (CitizenshipGroup.EAEU, self.for_eaeu),
                (CitizenshipGroup.VISA_FREE, self.for_visa_free),
                (CitizenshipGroup.VISA, self.for_visa),
            )
            if applies
        ]


class ArticleVersion(BaseModel):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    review_status = models.CharField(
        _("review status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewer_name = models.CharField(_("reviewer"), max_length=150, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    references = models.JSONField(_("legal references"), default=list, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        ordering = ["article", "-valid_from"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "valid_from"], name="article_version_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="article_version_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article.slug} @ {self.valid_from}"

    @property
    def reviewer(self) -> str:
        if self.reviewed_by_id:
            return str(self.reviewed_by)
        return self.reviewer_name


class ArticleTranslation(BaseModel):
    version = models.ForeignKey(
        ArticleVersion, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    question = models.TextField(_("question"))
    phrasings = models.TextField(
        _("other phrasings"), blank=True, help_text=_("One per line: how people really ask.")
    )
    answer = models.TextField(_("answer"), help_text=_("Markdown."))
    status = models.CharField(
        _("translation status"),
        max_length=12,
        choices=TranslationStatus.choices,
        default=TranslationStatus.DRAFT,
    )

    class Meta:
        ordering = ["version", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="article_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} [{self.language}]"

    @property
    def phrasing_list(self) -> list[str]:
        return [line.strip() for line in self.phrasings.splitlines() if line.strip()]


class ArticleRevision(models.Model):
    """A snapshot of a version and its translations as saved: the edit history."""

    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    saved_at = models.DateTimeField(_("saved"), auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    snapshot = models.JSONField(_("content"))

    class Meta:
        ordering = ["version", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="article_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version} #{self.number}"


class AnswerGiven(models.Model):
    """An article a consultant used to answer a consultation."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="answers_given"
    )
    version = models.ForeignKey(
        ArticleVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("article")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("answer given")
        verbose_name_plural = _("answers given")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "version"], name="answer_given_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} ← {self.version_id} [{self.language}]"


class SearchDocument(models.Model):
    """One searchable text: a published translation of a published version.

    `keys_title` (question and phrasings) and `keys_body` (answer) hold the analyser's
    keys. The database indexes them: an FTS5 table on SQLite, a generated tsvector with a
    GIN index on PostgreSQL (both created by migration 0002).
    """

    translation = models.OneToOneField(
        ArticleTranslation, on_delete=models.CASCADE, related_name="search_document"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True)
    for_eaeu = models.BooleanField()
    for_visa_free = models.BooleanField()
    for_visa = models.BooleanField()
    topic_mask = models.BigIntegerField()
    keys_title = models.TextField()
    keys_body = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["article"], name="knowledge_search_article")]

    def __str__(self) -> str:
        return f"{self.article_id} [{self.language}]"


class SearchTerm(models.Model):
    """How many search documents contain a key (anywhere, and in the question or
    phrasings): the vocabulary for ranking, typos and the choice of retrieval."""

    key = models.CharField(max_length=64, unique=True)
    documents = models.PositiveIntegerField(default=0)
    title_documents = models.PositiveIntegerField(default=0)  # in question or phrasings

    def __str__(self) -> str:
        return self.key


class SearchIndexState(models.Model):
    """One row: a new random token whenever the index changes, so that every process
    reloads its vocabulary. Random, not a counter: a rolled-back change must not leave a
    number that a later, different change reuses."""

    token = models.CharField(max_length=32, default="")

    def __str__(self) -> str:
        return self.token
