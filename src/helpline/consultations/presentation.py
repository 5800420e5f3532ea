"""Turning stored history (codes, ISO dates) back into what people read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import dateformat, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django_countries import countries

from helpline.common.models import Language

from .models import (
    AgeBand,
    CallerRole,
    Channel,
    Consultation,
    ConsultationChange,
    Education,
    EmploymentStatus,
    LegalStatus,
    NonDataType,
    Region,
    Sex,
    Topic,
)

CODED = {
    "channel": Channel,
    "caller_role": CallerRole,
    "age_band": AgeBand,
    "education": Education,
    "legal_status": LegalStatus,
    "employment_status": EmploymentStatus,
    "region": Region,
    "language": Language,
    "non_data_type": NonDataType,
    "topics": Topic,
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    change: ConsultationChange
    fields: list[FieldChange]


def _field_label(name: str) -> str:
    if name == "topics":
        return str(_("Topics"))
    if name == "caller_key":
        return str(_("Repeat-caller link"))
    return str(Consultation._meta.get_field(name).verbose_name)


def _display(name: str, value: Any, labels: dict[str, dict[str, str]]) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if name in CODED:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(name, {}).get(c, c) for c in codes)
    if name == "citizenship":
        return str(countries.name(value) or value)
    if name == "sex":
        return str(Sex(value).label) if value in Sex.values else str(value)
    if name in ("started_at", "follow_up_done_at"):
        dt = parse_datetime(str(value))
        return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else str(value)
    if name == "follow_up_due":
        d = parse_date(str(value))
        return d.isoformat() if d else str(value)
    return str(value)


def history_rows(changes: list[ConsultationChange]) -> list[HistoryRow]:
    """Readable rows of the change history, with labels looked up in one query per list."""
    wanted: dict[str, set[str]] = {}
    for change in changes:
        for name, pair in change.changes.items():
            if name in CODED:
                for value in pair:
                    wanted.setdefault(name, set()).update(
                        value if isinstance(value, list) else [value] if value else []
                    )
    labels = {
        name: {item.code: item.label for item in CODED[name].objects.filter(code__in=codes)}
        for name, codes in wanted.items()
    }
    return [
        HistoryRow(
            change=change,
            fields=[
                FieldChange(
                    label=_field_label(name),
                    old=_display(name, pair[0], labels),
                    new=_display(name, pair[1], labels),
                )
                for name, pair in change.changes.items()
            ],
        )
        for change in changes
    ]


@dataclass(frozen=True)
class ListRow:
    """One line of the consultation list, with every value ready to print."""

    pk: Any
    started: str
    centre: str
    consultant: str
    channel: str
    non_data: str
    caller_role: str
    citizenship: str
    sex: str
    topics: list[str]
    duration: int
    follow_up: str


def _labels(model: Any) -> dict[Any, str]:
    return {item.pk: item.label for item in model.objects.all()}


def list_rows(consultations: list[Consultation]) -> list[ListRow]:
    """Rows of a list page. Reference labels are read once per list, not once per row
    (the reference lists are a few dozen rows); topics come prefetched."""
    from helpline.accounts.models import Centre, User

    fmt_dt, fmt_d = get_format("SHORT_DATETIME_FORMAT"), get_format("SHORT_DATE_FORMAT")
    channels, non_data, roles = _labels(Channel), _labels(NonDataType), _labels(CallerRole)
    sexes = {value: str(label) for value, label in Sex.choices}
    centres = dict(
        Centre.objects.filter(pk__in={c.centre_id for c in consultations}).values_list("pk", "city")
    )
    people = {
        u.pk: u.display_name
        for u in User.objects.filter(pk__in={c.consultant_id for c in consultations}).only(
            "id", "username", "first_name", "last_name"
        )
    }
    done = str(_("done"))
    return [
        ListRow(
            pk=c.pk,
            started=dateformat.format(timezone.localtime(c.started_at), fmt_dt),
            centre=centres.get(c.centre_id, ""),
            consultant=people.get(c.consultant_id, ""),
            channel=channels.get(c.channel_id, ""),
            non_data=non_data.get(c.non_data_type_id, "") if c.non_data_type_id else "",
            caller_role=roles.get(c.caller_role_id, "") if c.caller_role_id else "",
            citizenship=str(c.citizenship.code or ""),
            sex=sexes.get(c.sex, ""),
            topics=[t.label for t in c.topics.all()],
            duration=c.duration_minutes,
            follow_up=(
                (done if c.follow_up_done_at else dateformat.format(c.follow_up_due, fmt_d))
                if c.follow_up_needed and c.follow_up_due
                else ""
            ),
        )
        for c in consultations
    ]
