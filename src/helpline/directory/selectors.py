"""Reads of the directory's entries. Every selector takes the acting user.

All staff read the directory; the lists that exist to keep it current (entries not
verified for a long time, archived entries) are for those who edit it.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet

from helpline.accounts import access
from helpline.accounts.models import User

from .models import STALE_AFTER_DAYS, Organization, Service
from .presentation import SERVICE_CARD_PREFETCH

# What a row of a list of services shows: organisation, cities, who verified it.
_LIST_PREFETCH = ("service_at_locations__location__addresses",)


def _require_reader(actor: User) -> None:
    if not access.can_read_directory(actor):
        raise PermissionDenied


def _require_editor(actor: User) -> None:
    if not access.can_edit_directory(actor):
        raise PermissionDenied


def stale_cutoff(today: datetime.date) -> datetime.date:
    """An entry last verified on or before this day has not been verified for 180 days."""
    return today - datetime.timedelta(days=STALE_AFTER_DAYS)


def is_stale(service: Service, today: datetime.date) -> bool:
    return service.verified_on is None or service.verified_on <= stale_cutoff(today)


def service_detail(*, actor: User, service_id: uuid.UUID) -> Service:
    """One service (archived ones too: referrals point at them) with everything its page and
    edit screen show, in a fixed number of queries. Raises Service.DoesNotExist."""
    _require_reader(actor)
    return (
        Service.objects.select_related("organization", "verified_by", "updated_by")
        .prefetch_related(*SERVICE_CARD_PREFETCH, "contacts", "cost_options")
        .get(pk=service_id)
    )


@dataclass
class StaleServices:
    """Services not verified for 180 days or never, oldest first, and how many there are."""

    services: QuerySet[Service]
    total: int
    never_verified: int
    cutoff: datetime.date

    @property
    def verified_long_ago(self) -> int:
        return self.total - self.never_verified


def services_stale(*, actor: User, today: datetime.date) -> StaleServices:
    """Entries in use (not archived) last verified on or before `today` minus 180 days, or
    never: those never verified first, then the longest unverified."""
    _require_editor(actor)
    cutoff = stale_cutoff(today)
    stale = Service.objects.filter(archived_at__isnull=True).filter(
        Q(verified_on__isnull=True) | Q(verified_on__lte=cutoff)
    )
    counts = stale.aggregate(
        total=Count("pk"), never=Count("pk", filter=Q(verified_on__isnull=True))
    )
    services = (
        stale.select_related("organization", "verified_by")
        .prefetch_related(*_LIST_PREFETCH)
        .order_by(F("verified_on").asc(nulls_first=True), "name", "pk")
    )
    return StaleServices(
        services=services, total=counts["total"], never_verified=counts["never"], cutoff=cutoff
    )


def services_archived(*, actor: User) -> QuerySet[Service]:
    """Archived entries, the most recently archived first."""
    _require_editor(actor)
    return (
        Service.objects.filter(archived_at__isnull=False)
        .select_related("organization", "updated_by")
        .prefetch_related(*_LIST_PREFETCH)
        .order_by("-archived_at", "name")
    )


def organization_list(*, actor: User) -> QuerySet[Organization]:
    """Organisations by name, each with how many services in use and archived it has."""
    _require_reader(actor)
    return Organization.objects.annotate(
        services_active=Count("services", filter=Q(services__archived_at__isnull=True)),
        services_archived=Count("services", filter=Q(services__archived_at__isnull=False)),
    ).order_by("name", "pk")
