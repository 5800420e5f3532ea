"""Writes of referrals: made during a consultation, then followed up to an outcome.

A referral copies what the caller was given (service, organisation, phone, address,
hours, what to bring) at the moment it is made, so that it stays readable when the
directory entry is edited or archived. Its status moves forward only:

    given → contacted → accepted → received | declined | no_show | unreachable | closed

and every change is kept with who made it and when.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpline.accounts import access

from .models import (
    OPEN_REFERRAL_STATUSES,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
)
from .presentation import SERVICE_CARD_PREFETCH, service_card

if TYPE_CHECKING:
    from helpline.accounts.models import User
    from helpline.consultations.models import Consultation

MAX_REFERRALS_PER_CONSULTATION = 10
DEFAULT_FOLLOW_UP_DAYS = 3
MAX_FOLLOW_UP_DAYS = 366

_RANK = {
    ReferralStatus.GIVEN: 0,
    ReferralStatus.CONTACTED: 1,
    ReferralStatus.ACCEPTED: 2,
}
FINAL_RANK = 3


class StaleReferralError(Exception):
    """The referral was changed by someone else since the form was opened."""

    def __init__(self, current: Referral) -> None:
        super().__init__("stale referral")
        self.current = current


def status_rank(status: str) -> int:
    return _RANK.get(ReferralStatus(status), FINAL_RANK)


def next_statuses(status: str) -> list[ReferralStatus]:
    """The statuses a referral may move to from `status` (none once it has an outcome)."""
    rank = status_rank(status)
    if rank == FINAL_RANK:
        return []
    return [choice for choice in ReferralStatus if status_rank(choice) > rank]


@dataclass(frozen=True)
class ReferralPick:
    """A service picked in the intake form, with what the consultant said about it."""

    service_id: uuid.UUID
    consent_to_share: bool = False
    follow_up_on: datetime.date | None = None


def _snapshot(service: Service) -> dict[str, object]:
    card = service_card(service)
    first_category = next(iter(service.categories.all()), None)
    return {
        "service": service,
        "category": first_category,
        "service_name": card.name[:250],
        "organization_name": card.organization[:250],
        "phone": "; ".join(card.phones)[:200],
        "address": "; ".join(card.addresses or card.cities)[:400],
        "hours": "; ".join(card.hours)[:400],
        "documents": "\n".join(card.documents),
    }


def _follow_up_in_range(value: datetime.date | None, *, today: datetime.date) -> bool:
    if value is None:
        return True
    earliest = today - datetime.timedelta(days=1)  # a late-night call entered after midnight
    return earliest <= value <= today + datetime.timedelta(days=MAX_FOLLOW_UP_DAYS)


FOLLOW_UP_RANGE = gettext_lazy("The follow-up date must be between today and one year ahead.")


def referrals_record(
    *, actor: User, consultation: Consultation, picks: list[ReferralPick]
) -> list[Referral]:
    """Referrals made during `consultation` to the picked services (each service once).

    Services already referred to in this consultation are left as they are, so saving an
    edited consultation again does not duplicate them. An archived or unknown service
    is refused with an error naming it."""
    if not access.can_follow_up_referral(actor, consultation.centre_id):
        raise PermissionDenied
    if consultation.is_non_data and picks:
        raise ValidationError({"referrals": _("A non-data contact cannot have referrals.")})
    wanted = list({pick.service_id: pick for pick in picks}.values())
    already = set(
        Referral.objects.filter(consultation=consultation).values_list("service_id", flat=True)
    )
    wanted = [pick for pick in wanted if pick.service_id not in already]
    if len(already) + len(wanted) > MAX_REFERRALS_PER_CONSULTATION:
        raise ValidationError(
            {
                "referrals": _("At most %(count)d referrals can be made in one consultation.")
                % {"count": MAX_REFERRALS_PER_CONSULTATION}
            }
        )
    if not wanted:
        return []
    services = {
        service.pk: service
        for service in Service.objects.filter(
            pk__in=[pick.service_id for pick in wanted], archived_at__isnull=True
        )
        .select_related("organization")
        .prefetch_related(*SERVICE_CARD_PREFETCH[1:])
    }
    missing = [pick.service_id for pick in wanted if pick.service_id not in services]
    if missing:
        raise ValidationError(
            {"referrals": _("A service picked for a referral is archived or no longer exists.")}
        )
    now = timezone.now()
    today = timezone.localdate()
    made = []
    with transaction.atomic():
        for pick in wanted:
            if not _follow_up_in_range(pick.follow_up_on, today=today):
                raise ValidationError(
                    {
                        "referrals": _("Referral to “%(service)s”: %(error)s")
                        % {"service": services[pick.service_id].name, "error": FOLLOW_UP_RANGE}
                    }
                )
            referral = Referral.objects.create(
                consultation=consultation,
                centre_id=consultation.centre_id,
                consent_to_share=pick.consent_to_share,
                follow_up_on=pick.follow_up_on,
                follow_up_by=actor,
                status=ReferralStatus.GIVEN,
                status_changed_at=now,
                **_snapshot(services[pick.service_id]),
            )
            ReferralStatusChange.objects.create(
                referral=referral,
                status_from="",
                status=ReferralStatus.GIVEN,
                changed_by=actor,
                changed_at=now,
            )
            made.append(referral)
    return made


def referral_status_change(
    *,
    actor: User,
    referral: Referral,
    status: str,
    follow_up_on: datetime.date | None = None,
    expected_revision: int | None = None,
) -> Referral:
    """Move a referral forward and record who did it and when.

    An open status keeps a follow-up date (the one given, else the old one); an outcome
    ends the follow-up. Moving backwards or changing an outcome is refused."""
    if not access.can_follow_up_referral(actor, referral.centre_id):
        raise PermissionDenied
    if status not in ReferralStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    with transaction.atomic():
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        if expected_revision is not None and current.revision != expected_revision:
            raise StaleReferralError(current)
        if ReferralStatus(status) not in next_statuses(current.status):
            raise ValidationError(
                {
                    "status": _("A referral that is “%(current)s” cannot become “%(new)s”.")
                    % {
                        "current": current.get_status_display(),
                        "new": ReferralStatus(status).label,
                    }
                }
            )
        now = timezone.now()
        if status in OPEN_REFERRAL_STATUSES:
            if not _follow_up_in_range(follow_up_on, today=timezone.localdate()):
                raise ValidationError({"follow_up_on": FOLLOW_UP_RANGE})
            current.follow_up_on = follow_up_on or current.follow_up_on
        ReferralStatusChange.objects.create(
            referral=current,
            status_from=current.status,
            status=status,
            changed_by=actor,
            changed_at=now,
        )
        current.status = status
        current.status_changed_at = now
        current.revision += 1
        current.save(
            update_fields=["status", "status_changed_at", "follow_up_on", "revision", "updated_at"]
        )
    return current
