"""Referrals picked in the consultation form: read from the posted form, shown again.

The form posts, for each service picked, `referral_service=<id>`; `referral_consent=<id>`
when the caller agreed that their details be passed on; `referral_follow_up_<id>=<date>`.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .models import Service
from .referrals import MAX_REFERRALS_PER_CONSULTATION, ReferralPick


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def referral_picks(data: QueryDict) -> list[ReferralPick]:
    """The picks in a posted form. Ids that are not ids are ignored; a follow-up date that
    is not a date is an error naming the service."""
    ids = [pk for pk in (_uuid(raw) for raw in data.getlist("referral_service")) if pk is not None]
    ids = list(dict.fromkeys(ids))[: MAX_REFERRALS_PER_CONSULTATION + 1]
    consenting = {_uuid(raw) for raw in data.getlist("referral_consent")}
    picks = []
    for pk in ids:
        raw = data.get(f"referral_follow_up_{pk}", "").strip()
        try:
            follow_up = parse_date(raw) if raw else None
        except ValueError:
            follow_up = None
        if raw and follow_up is None:
            name = Service.objects.filter(pk=pk).values_list("name", flat=True).first() or ""
            raise ValidationError(
                {
                    "referrals": _(
                        "Referral to “%(service)s”: the follow-up date “%(value)s” is not a date."
                    )
                    % {"service": name, "value": raw[:20]}
                }
            )
        picks.append(
            ReferralPick(service_id=pk, consent_to_share=pk in consenting, follow_up_on=follow_up)
        )
    return picks


@dataclass(frozen=True)
class PickedRow:
    """A picked service shown again in the form (after an error, or when editing)."""

    service_id: uuid.UUID
    name: str
    organization: str
    consent_to_share: bool
    follow_up_on: str


def picked_rows(data: QueryDict) -> list[PickedRow]:
    """The services picked in a posted form, to show them again as they were."""
    ids = [pk for pk in (_uuid(raw) for raw in data.getlist("referral_service")) if pk]
    names: dict[Any, tuple[str, str]] = {
        pk: (name, organization)
        for pk, name, organization in Service.objects.filter(pk__in=ids).values_list(
            "pk", "name", "organization__name"
        )
    }
    consenting = set(data.getlist("referral_consent"))
    return [
        PickedRow(
            service_id=pk,
            name=names[pk][0],
            organization=names[pk][1],
            consent_to_share=str(pk) in consenting,
            follow_up_on=data.get(f"referral_follow_up_{pk}", ""),
        )
        for pk in dict.fromkeys(ids)
        if pk in names
    ]


def default_follow_up(today: datetime.date) -> datetime.date:
    from .referrals import DEFAULT_FOLLOW_UP_DAYS

    return today + datetime.timedelta(days=DEFAULT_FOLLOW_UP_DAYS)


_TEMPLATE_ROW = PickedRow(
    service_id=uuid.UUID(int=0), name="", organization="", consent_to_share=False, follow_up_on=""
)


def directory_cities() -> list[str]:
    """Cities where the directory has a service that is not archived."""
    from .models import Address

    cities = (
        Address.objects.filter(location__service_at_locations__service__archived_at__isnull=True)
        .exclude(city="")
        .values_list("city", flat=True)
        .distinct()
    )
    return sorted(set(cities))


def intake_referral_context(
    *,
    actor: Any,
    data: QueryDict | None = None,
    consultation: Any = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    """What the referral part of the consultation form needs to render."""
    from django.utils import timezone

    from .models import ServiceCategory
    from .referral_selectors import consultation_referrals

    cities = directory_cities()
    centre = getattr(consultation, "centre", None) or getattr(actor, "centre", None)
    city = centre.city if centre is not None and centre.city in cities else ""
    return {
        "picked_referrals": picked_rows(data) if data is not None else [],
        "existing_referrals": (
            list(consultation_referrals(actor=actor, consultation=consultation))
            if consultation is not None
            else []
        ),
        "referral_errors": errors or [],
        "referral_cities": cities,
        "referral_city": city,
        "referral_categories": list(ServiceCategory.objects.filter(is_active=True)),
        "referral_default_follow_up": default_follow_up(timezone.localdate()),
        "referral_template_row": _TEMPLATE_ROW,
    }
