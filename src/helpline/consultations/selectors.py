"""Reads of consultations, always limited to what the acting user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from helpline.accounts import access
from helpline.accounts.models import User

from .models import Consultation, ConsultationChange, ConsultationTopic, Topic

SORTS = {
    "-started_at": ("-started_at", "-id"),
    "started_at": ("started_at", "id"),
    "-duration": ("-duration_minutes", "-started_at"),
    "duration": ("duration_minutes", "-started_at"),
}
DEFAULT_PERIOD_DAYS = 30


@dataclass(frozen=True)
class ConsultationFilters:
    """What the list is filtered by. Empty values mean "any"."""

    date_from: date | None = None
    date_to: date | None = None
    centre_id: Any = None
    channel_id: Any = None
    topic_id: Any = None
    citizenship: str = ""
    sex: str = ""
    consultant_id: Any = None
    kind: str = ""  # "data" | "non_data"
    follow_up: str = ""  # "open" | "due"
    sort: str = "-started_at"

    @classmethod
    def default(cls) -> ConsultationFilters:
        today = timezone.localdate()
        return cls(date_from=today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), date_to=today)


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def visible_consultations(*, actor: User) -> QuerySet[Consultation]:
    """Every consultation the actor may read (own centre, or all for network roles)."""
    return Consultation.objects.filter(access.centre_scope(actor))


def _filter_topic(qs: QuerySet[Consultation], topic_id: Any) -> QuerySet[Consultation]:
    """A first-level topic (and so its second level) by its bit; a second-level one exactly."""
    topic = Topic.objects.filter(pk=topic_id).only("id", "parent_id", "bit").first()
    if topic is None:
        return qs.none()
    if topic.parent_id is None and topic.bit is not None:
        return qs.alias(topic_hit=F("topic_mask").bitand(1 << topic.bit)).filter(topic_hit__gt=0)
    return qs.filter(
        Exists(ConsultationTopic.objects.filter(consultation_id=OuterRef("pk"), topic_id=topic.pk))
    )


def consultation_list(*, actor: User, filters: ConsultationFilters) -> QuerySet[Consultation]:
    """The consultations the actor may see, filtered and sorted, ready for a list page.

    The number of queries needed to show a page does not depend on the page size:
    references are joined and topics are prefetched in one query.
    """
    qs = visible_consultations(actor=actor)
    f = filters
    if f.date_from:
        qs = qs.filter(started_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(started_at__lt=_day_start(f.date_to + timedelta(days=1)))
    if f.centre_id:
        qs = qs.filter(centre_id=f.centre_id)
    if f.channel_id:
        qs = qs.filter(channel_id=f.channel_id)
    if f.citizenship:
        qs = qs.filter(citizenship=f.citizenship)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.consultant_id:
        qs = qs.filter(consultant_id=f.consultant_id)
    if f.kind == "data":
        qs = qs.filter(non_data_type__isnull=True)
    elif f.kind == "non_data":
        qs = qs.filter(non_data_type__isnull=False)
    if f.follow_up == "open":
        qs = qs.filter(follow_up_needed=True, follow_up_done_at__isnull=True)
    elif f.follow_up == "due":
        qs = qs.filter(
            follow_up_needed=True,
            follow_up_done_at__isnull=True,
            follow_up_due__lte=timezone.localdate(),
        )
    if f.topic_id:
        qs = _filter_topic(qs, f.topic_id)
    # Only the topics are prefetched (one query); labels of the small reference lists are
    # looked up by id (presentation.list_rows), so the database walks one index in list
    # order and stops after a page.
    return qs.prefetch_related(
        Prefetch(
            "topics",
            queryset=Topic.objects.only(
                "id", "code", "name_ru", "name_en", "name_uz", "name_tg", "name_ky"
            ),
        ),
    ).order_by(*SORTS.get(f.sort, SORTS["-started_at"]))


def consultation_get(*, actor: User, pk: Any) -> Consultation:
    """One consultation if the actor may read it; Consultation.DoesNotExist otherwise."""
    return (
        visible_consultations(actor=actor)
        .select_related(
            "centre",
            "consultant",
            "channel",
            "non_data_type",
            "caller_role",
            "age_band",
            "education",
            "legal_status",
            "employment_status",
            "region",
            "language",
            "updated_by",
        )
        .prefetch_related("topics__parent")
        .get(pk=pk)
    )


def consultation_changes(
    *, actor: User, consultation: Consultation
) -> QuerySet[ConsultationChange]:
    if not access.can_read_centre(actor, consultation.centre_id):
        return ConsultationChange.objects.none()
    return consultation.changes.select_related("actor")


@dataclass(frozen=True)
class EarlierContacts:
    """Earlier contacts of one repeat caller: how many in the network, which ones I may open."""

    total: int
    visible: list[Consultation]


def earlier_contacts(
    *,
    actor: User,
    caller_key: str,
    before: datetime | None = None,
    exclude_pk: Any = None,
    limit: int = 10,
) -> EarlierContacts:
    if not caller_key or not access.is_active_staff(actor):
        return EarlierContacts(total=0, visible=[])
    qs = Consultation.objects.filter(caller_key=caller_key)
    if before is not None:
        qs = qs.filter(started_at__lt=before)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    total = qs.count()
    visible = list(
        qs.filter(access.centre_scope(actor))
        .select_related("centre", "channel")
        .prefetch_related("topics")
        .order_by("-started_at")[:limit]
    )
    return EarlierContacts(total=total, visible=visible)


def follow_ups_due(*, actor: User, within_days: int = 7, limit: int = 20) -> QuerySet[Consultation]:
    """My open follow-ups due within the next days (overdue first). Coordinators: the centre's."""
    horizon = timezone.localdate() + timedelta(days=within_days)
    qs = visible_consultations(actor=actor).filter(
        follow_up_needed=True, follow_up_done_at__isnull=True, follow_up_due__lte=horizon
    )
    if actor.role == "consultant":
        qs = qs.filter(consultant=actor)
    return (
        qs.select_related("channel", "centre")
        .prefetch_related("topics")
        .order_by("follow_up_due", "started_at")[:limit]
    )


def my_latest_consultations(*, actor: User, limit: int = 10) -> QuerySet[Consultation]:
    return (
        visible_consultations(actor=actor)
        .filter(consultant=actor)
        .select_related("channel", "non_data_type", "centre")
        .prefetch_related("topics")
        .order_by("-started_at")[:limit]
    )
