"""The shared questionnaire: its reference lists and every contact recorded with it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from helpline.accounts.models import Centre
from helpline.common.models import BaseModel, Language, ReferenceItem

# Bumped whenever a question is added, removed or changes meaning; every record keeps the
# version it was entered with, so that statistics can tell old answers from new ones.
QUESTIONNAIRE_VERSION = 1
MAX_TOPICS = 5
MAX_DURATION_MINUTES = 600
MAX_TOPIC_BIT = 62  # topic_mask is a signed 64-bit integer


class Topic(ReferenceItem):
    """A consultation topic. First level: the network's shared codes; second level: details."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("first-level topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Bit of a first-level topic in Consultation.topic_mask (0..62); fixed once given.
    bit = models.PositiveSmallIntegerField(_("bit"), null=True, blank=True, editable=False)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["bit"], name="topic_bit_unique"),
            models.CheckConstraint(
                name="topic_bit_first_level_only",
                condition=models.Q(bit__isnull=True)
                | models.Q(parent__isnull=True, bit__lte=MAX_TOPIC_BIT),
            ),
        ]

    @property
    def root(self) -> Topic:
        return self.parent if self.parent_id is not None else self  # type: ignore[return-value]


class Channel(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("channel")
        verbose_name_plural = _("channels")


class NonDataType(ReferenceItem):
    """A contact that carries no consultation: silent call, hang-up, wrong number..."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("non-data contact type")
        verbose_name_plural = _("non-data contact types")


class CallerRole(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("caller role")
        verbose_name_plural = _("caller roles")


class AgeBand(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")


class Education(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("education")
        verbose_name_plural = _("education levels")


class LegalStatus(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("legal status")
        verbose_name_plural = _("legal statuses")


class EmploymentStatus(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("employment status")
        verbose_name_plural = _("employment statuses")


class Region(ReferenceItem):
    """A federal subject of Russia (ISO 3166-2:RU code) where the caller stays."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["position", "name_ru"]


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Consultation(BaseModel):
    """One contact with the hotline or a centre, recorded with the shared questionnaire.

    There is deliberately no field for a caller's name, phone or address. A repeat caller
    is recognised only through ``caller_key``, an HMAC of the number under a deployment
    secret, and only when the caller agreed to give the number.
    """

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    started_at = models.DateTimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=0)
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT)
    non_data_type = models.ForeignKey(
        NonDataType,
        verbose_name=_("non-data contact"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    caller_role = models.ForeignKey(
        CallerRole, verbose_name=_("caller"), on_delete=models.PROTECT, null=True, blank=True
    )
    citizenship = CountryField(_("citizenship"), blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    age_band = models.ForeignKey(
        AgeBand, verbose_name=_("age"), on_delete=models.PROTECT, null=True, blank=True
    )
    education = models.ForeignKey(
        Education, verbose_name=_("education"), on_delete=models.PROTECT, null=True, blank=True
    )
    legal_status = models.ForeignKey(
        LegalStatus,
        verbose_name=_("legal status"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    employment_status = models.ForeignKey(
        EmploymentStatus,
        verbose_name=_("employment status"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region of stay"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    language = models.ForeignKey(
        Language,
        verbose_name=_("language of consultation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), through="ConsultationTopic", blank=True
    )
    # One bit per first-level topic (Topic.bit) of this contact's topics, kept by the
    # services: lets the list count contacts of a topic without a join.
    topic_mask = models.BigIntegerField(_("first-level topics"), default=0, editable=False)
    question = models.TextField(_("question"), blank=True)
    answer = models.TextField(_("answer given"), blank=True)
    psychological_support = models.BooleanField(_("psychological support given"), default=False)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    caller_key = models.CharField(_("repeat-caller key"), max_length=64, blank=True, editable=False)
    questionnaire_version = models.PositiveSmallIntegerField(
        _("questionnaire version"), default=QUESTIONNAIRE_VERSION, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-started_at"]
        indexes = [
            # The list is ordered by (started_at, id): every index it may walk has those
            # next, and then the columns its common filters test, so that counting the
            # matches reads the index alone.
            models.Index(
                fields=["-started_at", "-id", "centre", "citizenship", "topic_mask"],
                name="consultation_started",
            ),
            models.Index(
                fields=["centre", "-started_at", "-id", "citizenship", "topic_mask"],
                name="consultation_centre_started",
            ),
            models.Index(
                fields=["citizenship", "-started_at", "-id", "centre", "topic_mask"],
                name="consultation_cit_started",
            ),
            models.Index(
                fields=["consultant", "-started_at", "-id"], name="consultation_user_started"
            ),
            # Not partial: SQLite can use a partial index only when the query repeats its
            # condition with literal values, and Django binds parameters.
            models.Index(fields=["caller_key"], name="consultation_caller_key"),
            # Open follow-ups: done_at IS NULL, then the due date (NULL for no follow-up).
            models.Index(
                fields=["consultant", "follow_up_done_at", "follow_up_due"],
                name="consultation_user_follow_up",
            ),
            models.Index(
                fields=["centre", "follow_up_done_at", "follow_up_due"],
                name="consultation_centre_follow_up",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="consultation_duration_range",
                condition=models.Q(duration_minutes__lte=MAX_DURATION_MINUTES),
            ),
            models.CheckConstraint(
                name="consultation_follow_up_has_due_date",
                condition=models.Q(follow_up_needed=False) | models.Q(follow_up_due__isnull=False),
            ),
            models.CheckConstraint(
                name="consultation_non_data_has_no_answers",
                condition=models.Q(non_data_type__isnull=True)
                | models.Q(
                    caller_role__isnull=True,
                    citizenship="",
                    question="",
                    answer="",
                    follow_up_needed=False,
                    caller_key="",
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.centre}"

    @property
    def is_non_data(self) -> bool:
        return self.non_data_type_id is not None


class ConsultationTopic(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "topic"], name="consultation_topic_unique"
            )
        ]
        indexes = [models.Index(fields=["topic", "consultation"], name="consultation_topic_rev")]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.topic_id}"


class ConsultationChange(models.Model):
    """One saved edit of a consultation: who, when, which fields (old and new values)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"))
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-changed_at", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "version"], name="consultation_change_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} v{self.version}"
