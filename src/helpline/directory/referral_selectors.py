"""Reads of referrals, limited to what the acting user may see.

Consultants and centre coordinators see their centre's referrals; national coordinators
and administrators see the network's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from helpline.accounts import access

from .models import (
    FAILED_REFERRAL_STATUSES,
    OPEN_REFERRAL_STATUSES,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)

if TYPE_CHECKING:
    from helpline.accounts.models import User
    from helpline.consultations.models import Consultation

# A service "keeps failing" when at least this many referrals to it ended in failure
# and failures are at least this share of its outcomes.
FAILING_MIN_FAILURES = 3
FAILING_MIN_SHARE = 0.5


def visible_referrals(*, actor: User) -> QuerySet[Referral]:
    return Referral.objects.filter(access.centre_scope(actor))


def referral_get(*, actor: User, pk: Any) -> Referral:
    """One referral the actor may see (Referral.DoesNotExist otherwise)."""
    return (
        visible_referrals(actor=actor)
        .select_related("consultation", "service", "centre")
        .get(pk=pk)
    )


def referral_changes(*, actor: User, referral: Referral) -> QuerySet[ReferralStatusChange]:
    if not access.can_read_centre(actor, referral.centre_id):
        return ReferralStatusChange.objects.none()
    return referral.changes.select_related("changed_by").order_by("changed_at", "id")


def consultation_referrals(*, actor: User, consultation: Consultation) -> QuerySet[Referral]:
    return (
        visible_referrals(actor=actor)
        .filter(consultation=consultation)
        .select_related("follow_up_by", "category")
        .order_by("created_at")
    )


def referral_follow_ups_due(
    *, actor: User, within_days: int = 7, limit: int = 20
) -> QuerySet[Referral]:
    """Open referrals to follow up within the next days, overdue first.

    A consultant sees the ones they follow up; a centre coordinator the centre's."""
    horizon = timezone.localdate() + datetime.timedelta(days=within_days)
    qs = visible_referrals(actor=actor).filter(
        status__in=OPEN_REFERRAL_STATUSES, follow_up_on__lte=horizon
    )
    if actor.role == "consultant":
        qs = qs.filter(follow_up_by=actor)
    elif access.sees_all_centres(actor):
        return qs.none()
    return qs.select_related("consultation").order_by("follow_up_on", "created_at")[:limit]


@dataclass(frozen=True)
class ReferralFilters:
    status: str = ""  # a ReferralStatus, "open", "due" or "failed"
    service_id: Any = None
    centre_id: Any = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _filtered(qs: QuerySet[Referral], filters: ReferralFilters) -> QuerySet[Referral]:
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES)
    elif filters.status == "due":
        qs = qs.filter(status__in=OPEN_REFERRAL_STATUSES, follow_up_on__lte=timezone.localdate())
    elif filters.status == "failed":
        qs = qs.filter(status__in=FAILED_REFERRAL_STATUSES)
    elif filters.status in ReferralStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.service_id:
        qs = qs.filter(service_id=filters.service_id)
    if filters.centre_id:
        qs = qs.filter(centre_id=filters.centre_id)
    if filters.date_from:
        qs = qs.filter(consultation__started_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(consultation__started_at__date__lte=filters.date_to)
    return qs


def referral_list(*, actor: User, filters: ReferralFilters) -> QuerySet[Referral]:
    return (
        _filtered(visible_referrals(actor=actor), filters)
        .select_related("consultation", "centre", "follow_up_by")
        .order_by("-created_at", "-id")
    )


@dataclass
class ServiceOutcomes:
    """How the referrals to one service ended."""

    service_id: Any
    service_name: str
    organization_name: str
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    last_referral: datetime.datetime | None = None

    @property
    def open(self) -> int:
        return sum(self.counts.get(status, 0) for status in OPEN_REFERRAL_STATUSES)

    @property
    def failed(self) -> int:
        return sum(self.counts.get(status, 0) for status in FAILED_REFERRAL_STATUSES)

    @property
    def finished(self) -> int:
        return self.total - self.open

    @property
    def failure_share(self) -> float | None:
        return self.failed / self.finished if self.finished else None

    @property
    def keeps_failing(self) -> bool:
        share = self.failure_share
        return (
            self.failed >= FAILING_MIN_FAILURES and share is not None and share >= FAILING_MIN_SHARE
        )


def referral_outcomes(*, actor: User, filters: ReferralFilters) -> list[ServiceOutcomes]:
    """Outcomes per service for coordinators, the failing ones first.

    Referrals to a deleted entry are grouped by the name they were given under."""
    if not access.sees_referral_outcomes(actor):
        return []
    qs = _filtered(
        visible_referrals(actor=actor), ReferralFilters(**{**filters.__dict__, "status": ""})
    )
    rows = qs.values("service_id", "service_name", "organization_name", "status").annotate(
        n=Count("id"), last=Max("created_at")
    )
    by_service: dict[Any, ServiceOutcomes] = {}
    for row in rows:
        key = row["service_id"] or ("name", row["service_name"], row["organization_name"])
        outcome = by_service.get(key)
        if outcome is None:
            outcome = by_service[key] = ServiceOutcomes(
                service_id=row["service_id"],
                service_name=row["service_name"],
                organization_name=row["organization_name"],
                total=0,
            )
        outcome.total += row["n"]
        outcome.counts[row["status"]] = outcome.counts.get(row["status"], 0) + row["n"]
        if outcome.last_referral is None or row["last"] > outcome.last_referral:
            outcome.last_referral = row["last"]
            # the newest referral's snapshot names the group
            outcome.service_name = row["service_name"]
            outcome.organization_name = row["organization_name"]
    return sorted(
        by_service.values(),
        key=lambda o: (
            not o.keeps_failing,
            -(o.failure_share or 0.0),
            -o.total,
            o.service_name,
        ),
    )


def referral_counts(*, actor: User) -> dict[str, int]:
    """Open and overdue referrals in the actor's scope (for the list's header)."""
    today = timezone.localdate()
    return visible_referrals(actor=actor).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_REFERRAL_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_REFERRAL_STATUSES, follow_up_on__lt=today)),
    )
