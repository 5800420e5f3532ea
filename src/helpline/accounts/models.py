"""Centres of the network and the people who work in them."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpline.common.models import BaseModel, Language


class Centre(BaseModel):
    """A centre of the network, run by a partner organisation in one city."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    organisation = models.CharField(_("operating organisation"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    working_hours = models.CharField(_("working hours"), max_length=200, blank=True)
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Consultant")
    CENTRE_COORDINATOR = "centre_coordinator", _("Centre coordinator")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A person who works with the system. Callers are never users and never stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.CONSULTANT)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_centre_role_needs_centre",
                condition=~models.Q(role__in=["consultant", "centre_coordinator"])
                | models.Q(centre__isnull=False),
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
