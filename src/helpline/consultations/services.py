"""Writes of the questionnaire: recording, editing and closing contacts; reference lists."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from helpline.accounts import access
from helpline.accounts.models import Centre, User
from helpline.common.models import Language

from . import reference_data
from .caller_key import caller_key as make_caller_key
from .models import (
    MAX_DURATION_MINUTES,
    MAX_TOPIC_BIT,
    MAX_TOPICS,
    AgeBand,
    CallerRole,
    Channel,
    Consultation,
    ConsultationChange,
    ConsultationTopic,
    Education,
    EmploymentStatus,
    LegalStatus,
    NonDataType,
    Region,
    Topic,
)

# Questionnaire answers a consultant fills in (besides topics and the phone number).
ANSWER_FIELDS = (
    "started_at",
    "duration_minutes",
    "channel",
    "caller_role",
    "citizenship",
    "sex",
    "age_band",
    "education",
    "legal_status",
    "employment_status",
    "region",
    "language",
    "question",
    "answer",
    "psychological_support",
    "follow_up_needed",
    "follow_up_due",
    "notes",
)
# Fields that a non-data contact must leave empty.
DATA_ONLY_FIELDS = (
    "caller_role",
    "citizenship",
    "sex",
    "age_band",
    "education",
    "legal_status",
    "employment_status",
    "region",
    "language",
    "question",
    "answer",
    "notes",
)
HISTORY_FIELDS = (*ANSWER_FIELDS, "topics", "caller_key", "non_data_type")


class StaleVersionError(Exception):
    """The consultation was changed by someone else since the editor loaded it."""

    def __init__(self, current: Consultation) -> None:
        super().__init__("stale version")
        self.current = current


def _empty(value: Any) -> bool:
    return value in (None, "", False)


def _validate(data: Mapping[str, Any], topics: list[Topic], non_data: NonDataType | None) -> None:
    errors: dict[str, list[str]] = {}
    duration = data.get("duration_minutes") or 0
    if duration < 0 or duration > MAX_DURATION_MINUTES:
        errors.setdefault("duration_minutes", []).append(
            _("Duration must be between 0 and %(max)s minutes.") % {"max": MAX_DURATION_MINUTES}
        )
    started_at = data.get("started_at")
    if started_at and started_at > timezone.now() + timedelta(minutes=5):
        errors.setdefault("started_at", []).append(_("The start time cannot be in the future."))
    if non_data is not None:
        filled = [f for f in DATA_ONLY_FIELDS if not _empty(data.get(f))]
        if filled or topics or data.get("follow_up_needed"):
            errors.setdefault("non_data_type", []).append(
                _("A non-data contact has no questionnaire answers.")
            )
    else:
        if not topics:
            errors.setdefault("topics", []).append(_("Choose at least one topic."))
        if len(topics) > MAX_TOPICS:
            errors.setdefault("topics", []).append(
                _("Choose at most %(max)s topics.") % {"max": MAX_TOPICS}
            )
        if data.get("follow_up_needed") and not data.get("follow_up_due"):
            errors.setdefault("follow_up_due", []).append(_("Give the date by which to follow up."))
    if errors:
        raise ValidationError(errors)


def topic_mask_for(topics: Iterable[Topic]) -> int:
    """Bits of the first-level topics of ``topics`` (a second-level topic counts as its parent)."""
    mask = 0
    for topic in topics:
        root = topic.root
        if root.bit is not None:
            mask |= 1 << root.bit
    return mask


def _history_value(field: str, value: Any) -> Any:
    """How a value is kept in the history: codes for lists, ISO text for dates."""
    if field == "topics":
        return sorted(t.code for t in value)
    if field == "caller_key":
        return bool(value)
    if hasattr(value, "code"):
        return value.code
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if field == "citizenship":
        return str(value or "")
    return value


@transaction.atomic
def consultation_create(
    *,
    actor: User,
    centre: Centre,
    data: Mapping[str, Any],
    topics: Iterable[Topic] = (),
    caller_phone: str = "",
) -> Consultation:
    """Record a contact with the full questionnaire.

    ``caller_phone`` is used only to compute the repeat-caller key and is then dropped.
    Raises ValidationError (by field) or PermissionDenied; on error nothing is written.
    """
    if not access.can_record(actor, centre):
        raise PermissionDenied
    topic_list = list(dict.fromkeys(topics))
    _validate(data, topic_list, None)
    values = {f: data[f] for f in ANSWER_FIELDS if f in data}
    values.setdefault("started_at", timezone.now())
    values["follow_up_due"] = (
        values.get("follow_up_due") if values.get("follow_up_needed") else None
    )
    consultation = Consultation(
        centre=centre,
        consultant=actor,
        caller_key=make_caller_key(caller_phone) if caller_phone else "",
        topic_mask=topic_mask_for(topic_list),
        **values,
    )
    consultation.full_clean(exclude=["topics"])
    consultation.save()
    ConsultationTopic.objects.bulk_create(
        ConsultationTopic(consultation=consultation, topic=t) for t in topic_list
    )
    return consultation


@transaction.atomic
def consultation_record_non_data(
    *,
    actor: User,
    centre: Centre,
    non_data_type: NonDataType,
    channel: Channel | None = None,
    started_at: datetime | None = None,
) -> Consultation:
    """One click: a silent call, hang-up, wrong number, prank or test. Nothing else asked."""
    if not access.can_record(actor, centre):
        raise PermissionDenied
    consultation = Consultation.objects.create(
        centre=centre,
        consultant=actor,
        started_at=started_at or timezone.now(),
        channel=channel or Channel.objects.get(code="hotline"),
        non_data_type=non_data_type,
    )
    return consultation


@transaction.atomic
def consultation_update(
    *,
    actor: User,
    consultation: Consultation,
    data: Mapping[str, Any],
    topics: Iterable[Topic] | None,
    expected_version: int,
    caller_phone: str = "",
    forget_caller: bool = False,
) -> Consultation:
    """Save an edit if nobody saved another one since ``expected_version`` was read.

    The update is a single conditional UPDATE on (id, version), so two editors can never
    both win; the loser gets StaleVersionError with the current record. Every saved edit
    is kept in the history with who, when and the old and new values of changed fields.
    """
    if not access.can_edit_centre_records(actor, consultation.centre_id):
        raise PermissionDenied
    current = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if current.version != expected_version:
        raise StaleVersionError(current)
    old_topics = list(current.topics.select_related("parent"))
    new_topics = list(dict.fromkeys(topics)) if topics is not None else old_topics
    non_data = current.non_data_type
    _validate(data, new_topics if non_data is None else [], non_data)

    changes: dict[str, list[Any]] = {}
    values: dict[str, Any] = {}
    for field in ANSWER_FIELDS:
        if field not in data:
            continue
        new = data[field]
        if field == "follow_up_due" and not data.get("follow_up_needed", current.follow_up_needed):
            new = None
        old = getattr(current, field)
        if _history_value(field, old) != _history_value(field, new):
            changes[field] = [_history_value(field, old), _history_value(field, new)]
            values[field] = new
    if sorted(t.pk for t in old_topics) != sorted(t.pk for t in new_topics):
        values["topic_mask"] = topic_mask_for(new_topics)
        changes["topics"] = [
            _history_value("topics", old_topics),
            _history_value("topics", new_topics),
        ]
    new_key = current.caller_key
    if forget_caller:
        new_key = ""
    elif caller_phone:
        new_key = make_caller_key(caller_phone)
    if new_key != current.caller_key:
        changes["caller_key"] = [bool(current.caller_key), bool(new_key)]
        values["caller_key"] = new_key
    if not changes:
        return current

    for field, value in values.items():
        setattr(current, field, value)
    current.full_clean(exclude=["topics"])
    updated = Consultation.objects.filter(pk=current.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
    )
    if updated != 1:  # pragma: no cover - guarded by the row lock above
        raise StaleVersionError(Consultation.objects.get(pk=current.pk))
    if "topics" in changes:
        ConsultationTopic.objects.filter(consultation=current).delete()
        ConsultationTopic.objects.bulk_create(
            ConsultationTopic(consultation=current, topic=t) for t in new_topics
        )
    ConsultationChange.objects.create(
        consultation=current, actor=actor, version=expected_version + 1, changes=changes
    )
    current.refresh_from_db()
    return current


@transaction.atomic
def consultation_follow_up_complete(*, actor: User, consultation: Consultation) -> Consultation:
    """Mark the follow-up of a contact as done (kept in the history)."""
    if not access.can_edit_centre_records(actor, consultation.centre_id):
        raise PermissionDenied
    if not consultation.follow_up_needed or consultation.follow_up_done_at is not None:
        return consultation
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        follow_up_done_at=now, version=F("version") + 1, updated_by=actor, updated_at=now
    )
    consultation.refresh_from_db()
    ConsultationChange.objects.create(
        consultation=consultation,
        actor=actor,
        version=consultation.version,
        changes={"follow_up_done_at": [None, now.isoformat()]},
    )
    return consultation


REFERENCE_LISTS: tuple[tuple[type, list[reference_data.Label]], ...] = (
    (Language, reference_data.LANGUAGES),
    (Channel, reference_data.CHANNELS),
    (NonDataType, reference_data.NON_DATA_TYPES),
    (CallerRole, reference_data.CALLER_ROLES),
    (AgeBand, reference_data.AGE_BANDS),
    (Education, reference_data.EDUCATION),
    (LegalStatus, reference_data.LEGAL_STATUSES),
    (EmploymentStatus, reference_data.EMPLOYMENT_STATUSES),
)
REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"


def _label_fields(label: reference_data.Label, position: int) -> dict[str, Any]:
    _code, ru, en, uz, tg, ky = label
    return {
        "name_ru": ru,
        "name_en": en,
        "name_uz": uz,
        "name_tg": tg,
        "name_ky": ky,
        "position": position,
    }


@transaction.atomic
def reference_data_sync(*, models_module: Any = None) -> None:
    """Create the shipped reference lists; existing items keep their (edited) labels.

    Also used by migrations, which pass their historical models as ``models_module``.
    """

    def model(cls: Any) -> Any:
        if models_module is None:
            return cls
        return models_module.get_model(cls._meta.app_label, cls.__name__)

    for cls, items in REFERENCE_LISTS:
        for position, label in enumerate(items):
            model(cls).objects.get_or_create(code=label[0], defaults=_label_fields(label, position))
    topic_model = model(Topic)
    used_bits = set(topic_model.objects.exclude(bit=None).values_list("bit", flat=True))
    for position, (label, children) in enumerate(reference_data.TOPICS):
        parent, _created = topic_model.objects.get_or_create(
            code=label[0], defaults=_label_fields(label, position * 100)
        )
        if parent.bit is None:
            parent.bit = min(set(range(MAX_TOPIC_BIT + 1)) - used_bits)
            used_bits.add(parent.bit)
            parent.save(update_fields=["bit"])
        for child_position, child in enumerate(children, start=1):
            topic_model.objects.get_or_create(
                code=child[0],
                defaults={
                    **_label_fields(child, position * 100 + child_position),
                    "parent": parent,
                },
            )
    region_model = model(Region)
    with REGIONS_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            region_model.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name_ru": row["name_ru"],
                    "name_en": row["name_en"],
                    "name_uz": row.get("name_uz") or "",
                    "name_tg": row.get("name_tg") or "",
                    "name_ky": row.get("name_ky") or "",
                },
            )
