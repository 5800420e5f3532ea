"""Who may do what. Every selector and service asks these questions, never a view alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Role

if TYPE_CHECKING:
    from django.db.models import Q

    from .models import Centre, User

CENTRE_ROLES = {Role.CONSULTANT, Role.CENTRE_COORDINATOR}
NETWORK_ROLES = {Role.NATIONAL_COORDINATOR, Role.ADMINISTRATOR}


def is_active_staff(actor: User | None) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.is_active)


def sees_all_centres(actor: User) -> bool:
    return is_active_staff(actor) and (actor.role in NETWORK_ROLES or actor.is_superuser)


def centre_scope(actor: User, *, field: str = "centre") -> Q:
    """A filter restricting rows with a centre to those the actor may read."""
    from django.db.models import Q

    if not is_active_staff(actor):
        return Q(pk__in=[])
    if sees_all_centres(actor):
        return Q()
    if actor.centre_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}_id": actor.centre_id})


def can_read_centre(actor: User, centre_id: object) -> bool:
    if sees_all_centres(actor):
        return True
    return is_active_staff(actor) and actor.centre_id is not None and actor.centre_id == centre_id


def can_record(actor: User, centre: Centre) -> bool:
    """Recording contacts is the work of a centre's consultants and coordinators."""
    if not is_active_staff(actor):
        return False
    if actor.role == Role.ADMINISTRATOR or actor.is_superuser:
        return True
    return actor.role in CENTRE_ROLES and actor.centre_id == centre.pk


def can_edit_centre_records(actor: User, centre_id: object) -> bool:
    if not is_active_staff(actor):
        return False
    if actor.role == Role.ADMINISTRATOR or actor.is_superuser:
        return True
    return actor.role in CENTRE_ROLES and actor.centre_id == centre_id


def may_record_anything(actor: User) -> bool:
    return is_active_staff(actor) and (
        actor.role in CENTRE_ROLES or actor.role == Role.ADMINISTRATOR or actor.is_superuser
    )


def sees_centre_column(actor: User) -> bool:
    return sees_all_centres(actor)


def can_read_knowledge(actor: User) -> bool:
    return is_active_staff(actor)


def is_coordinator(actor: User) -> bool:
    """Centre and national coordinators, and administrators."""
    return is_active_staff(actor) and (
        actor.role in {Role.CENTRE_COORDINATOR, Role.NATIONAL_COORDINATOR, Role.ADMINISTRATOR}
        or actor.is_superuser
    )


def can_edit_knowledge(actor: User) -> bool:
    """Coordinators and administrators write the knowledge base; consultants read it."""
    return is_coordinator(actor)


def can_read_directory(actor: User) -> bool:
    return is_active_staff(actor)


def can_edit_directory(actor: User) -> bool:
    """Coordinators keep the directory current; consultants search it and refer to it."""
    return is_coordinator(actor)


def can_follow_up_referral(actor: User, centre_id: object) -> bool:
    """A centre's consultants and coordinators follow up the referrals the centre made."""
    return can_edit_centre_records(actor, centre_id)


def sees_referral_outcomes(actor: User) -> bool:
    """Outcomes per service: coordinators (a centre's own, or the network's)."""
    return is_coordinator(actor)
