"""Writes for centres and users."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from helpline.common.models import Language

from .models import Centre, Role, User

REFERENCE_EDITORS_GROUP = "Reference data editors"
REFERENCE_MODELS = (
    ("common", "language"),
    ("consultations", "topic"),
    ("consultations", "channel"),
    ("consultations", "nondatatype"),
    ("consultations", "callerrole"),
    ("consultations", "ageband"),
    ("consultations", "education"),
    ("consultations", "legalstatus"),
    ("consultations", "employmentstatus"),
    ("consultations", "region"),
)


def reference_editors_group() -> Group:
    """The group whose members may edit reference lists in the admin (never delete)."""
    group, _created = Group.objects.get_or_create(name=REFERENCE_EDITORS_GROUP)
    perms = Permission.objects.filter(
        content_type__app_label__in={a for a, _m in REFERENCE_MODELS},
        content_type__model__in={m for _a, m in REFERENCE_MODELS},
        codename__regex=r"^(view|add|change)_",
    )
    group.permissions.set(perms)
    return group


@transaction.atomic
def centre_create(
    *,
    code: str,
    name: str,
    city: str,
    organisation: str,
    phone: str = "",
    working_hours: str = "",
    language_codes: Iterable[str] = (),
) -> Centre:
    centre = Centre.objects.create(
        code=code,
        name=name,
        city=city,
        organisation=organisation,
        phone=phone,
        working_hours=working_hours,
    )
    centre.languages.set(Language.objects.filter(code__in=list(language_codes)))
    return centre


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    centre: Centre | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a person with a role. Coordinators and administrators get the admin site."""
    role = Role(role)
    if role in (Role.CONSULTANT, Role.CENTRE_COORDINATOR) and centre is None:
        raise ValueError("A consultant or centre coordinator belongs to a centre.")
    user = User(
        username=username,
        role=role,
        centre=centre,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role in (Role.CENTRE_COORDINATOR, Role.ADMINISTRATOR),
        is_superuser=role == Role.ADMINISTRATOR,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if role == Role.CENTRE_COORDINATOR:
        user.groups.add(reference_editors_group())
    return user
