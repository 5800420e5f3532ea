"""Base models shared by every app: a uuid key with timestamps, and translatable reference lists."""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

REFERENCE_LANGUAGES = ("ru", "en", "uz", "tg", "ky")


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ReferenceItem(models.Model):
    """One entry of a reference list: a stable code and a label in each language.

    Codes never change once data uses them (they are what statistics and exports carry);
    labels may be edited by coordinators at any time. An item that is no longer offered
    is deactivated, not deleted, so that older records keep their meaning.
    """

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9_.-]*$",
                _("Use lowercase Latin letters, digits, dot, hyphen and underscore."),
            )
        ],
    )
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=200, blank=True)
    name_tg = models.CharField(_("name (Tajik)"), max_length=200, blank=True)
    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    def label_in(self, language: str | None) -> str:
        lang = (language or "ru").split("-")[0]
        if lang in REFERENCE_LANGUAGES:
            value = getattr(self, f"name_{lang}")
            if value:
                return str(value)
        return self.name_ru or self.name_en or self.code

    @property
    def label(self) -> str:
        return self.label_in(get_language())


class Language(ReferenceItem):
    """A language of consultation or spoken at a centre (ISO 639-1 code)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")
