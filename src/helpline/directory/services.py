"""Writes to the directory: coordinators create, edit, verify, archive and restore entries.

Every function checks that the actor may edit the directory (PermissionDenied otherwise),
checks its data (ValidationError keyed by field, or by ``<rows>-<n>-<field>`` for the
repeated parts: ``locations``, ``phones``, ``hours``), and writes in one transaction that
also brings the search index up to date, so that nothing is ever half-written.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from helpline.accounts import access
from helpline.accounts.models import User
from helpline.common.models import Language

from .entry_data import (
    SERVICE_FIELDS,
    LocationData,
    OrganizationData,
    PhoneData,
    ScheduleData,
    ServiceData,
    known_timezones,
)
from .models import (
    WEEKDAYS,
    Address,
    AddressType,
    Location,
    Organization,
    Phone,
    PhoneType,
    RequiredDocument,
    Schedule,
    ServedSex,
    Service,
    ServiceAtLocation,
    ServiceCategory,
)
from .phones import phone_normalise
from .search.indexing import services_reindex

ORGANIZATION_FIELDS = ("name", "alternate_name", "description", "email", "website", "legal_status")
MAX_DOCUMENT_LENGTH = 300


class StaleRevisionError(Exception):
    """Someone else saved the service since the editor opened it."""

    def __init__(self, current: Service) -> None:
        super().__init__("stale revision")
        self.current = current


def _require_editor(actor: User) -> None:
    if not access.can_edit_directory(actor):
        raise PermissionDenied


# --- Organisations ----------------------------------------------------------------------------


def _organization_write(organization: Organization, data: OrganizationData) -> None:
    for name in ORGANIZATION_FIELDS:
        setattr(organization, name, str(getattr(data, name) or "").strip())
    organization.full_clean()
    organization.save()


@transaction.atomic
def organization_create(*, actor: User, data: OrganizationData) -> Organization:
    """A new organisation. Refuses a name another organisation already has (pick that one)."""
    _require_editor(actor)
    name = data.name.strip()
    if name and Organization.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("An organisation with this name already exists: choose it from the list.")}
        )
    organization = Organization()
    _organization_write(organization, data)
    return organization


@transaction.atomic
def organization_update(
    *, actor: User, organization: Organization, data: OrganizationData
) -> Organization:
    """Change an organisation; its services are re-indexed (its name is in their text)."""
    _require_editor(actor)
    name = data.name.strip()
    if Organization.objects.filter(name__iexact=name).exclude(pk=organization.pk).exists():
        raise ValidationError({"name": _("Another organisation already has this name.")})
    _organization_write(organization, data)
    services_reindex(service_ids=list(organization.services.values_list("pk", flat=True)))
    return organization


# --- Checking a service's data ----------------------------------------------------------------


def _codes(model: Any, codes: Iterable[str], field: str, message: str) -> list[Any]:
    wanted = list(dict.fromkeys(codes))
    found = {item.code: item for item in model.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError({field: message % {"codes": ", ".join(unknown)}})
    return [found[code] for code in wanted]


def _check_location(index: int, row: LocationData, errors: dict) -> None:
    prefix = f"locations-{index}"
    if not row.address_1.strip():
        errors[f"{prefix}-address_1"] = _("Enter the street and building.")
    if not row.city.strip():
        errors[f"{prefix}-city"] = _("Enter the city.")
    if row.country not in countries:
        errors[f"{prefix}-country"] = _("Choose a country from the list.")
    if row.timezone not in known_timezones():
        errors[f"{prefix}-timezone"] = _("Choose a time zone from the list.")


def _check_schedule(index: int, row: ScheduleData, errors: dict) -> None:
    prefix = f"hours-{index}"
    if any(day not in WEEKDAYS for day in row.days):
        errors[f"{prefix}-days"] = _("Unknown day of the week.")
    elif not row.all_day and not row.days:
        errors[f"{prefix}-days"] = _("Tick at least one day.")
    if row.all_day:
        return
    if row.opens_at is None or row.closes_at is None:
        errors[f"{prefix}-opens_at"] = _("Enter both times, or tick “24 hours”.")
    elif row.opens_at == row.closes_at:  # closing before opening: open past midnight
        errors[f"{prefix}-closes_at"] = _(
            "The closing time must differ from the opening time (for all day, tick “24 hours”)."
        )


def _phone_numbers(rows: list[PhoneData], errors: dict) -> list[str]:
    numbers = []
    for index, row in enumerate(rows):
        try:
            numbers.append(phone_normalise(row.number))
        except ValidationError as exc:
            errors[f"phones-{index}-number"] = exc.messages[0]
            numbers.append("")
        if row.type and row.type not in PhoneType.values:
            errors[f"phones-{index}-type"] = _("Choose a type from the list.")
    return numbers


def _documents(lines: Iterable[str], errors: dict) -> list[str]:
    documents = list(dict.fromkeys(line.strip() for line in lines if line.strip()))
    for number, line in enumerate(documents, start=1):
        if len(line) > MAX_DOCUMENT_LENGTH:
            errors["documents"] = _("Line %(number)s is too long (at most %(max)s characters).") % {
                "number": number,
                "max": MAX_DOCUMENT_LENGTH,
            }
    return documents


def _checked(data: ServiceData) -> dict[str, Any]:
    """Everything in `data` that can be checked before writing; ValidationError lists all."""
    errors: dict[str, Any] = {}
    checked: dict[str, Any] = {}
    for field, model, message in (
        ("categories", ServiceCategory, _("Unknown category: %(codes)s")),
        ("languages", Language, _("Unknown language: %(codes)s")),
    ):
        try:
            checked[field] = _codes(model, getattr(data, field), field, message)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if "categories" in checked and not checked["categories"]:
        errors["categories"] = _("Choose at least one category.")
    citizenships = [code.strip().upper() for code in data.citizenships if code.strip()]
    if any(code not in countries for code in citizenships):
        errors["citizenships"] = _("Choose countries from the list.")
    checked["citizenships"] = list(dict.fromkeys(citizenships))
    if any(sex not in ServedSex.values for sex in data.sexes):
        errors["sexes"] = _("Choose women, men or both.")
    checked["sexes"] = [sex for sex in ServedSex.values if sex in data.sexes]
    low, high = data.minimum_age, data.maximum_age
    if low is not None and high is not None and low > high:
        errors["maximum_age"] = _("The maximum age must not be below the minimum age.")
    checked["documents"] = _documents(data.documents, errors)
    if data.no_documents_needed and checked["documents"]:
        errors["documents"] = _(
            "You ticked “no documents needed”: remove the documents or untick it."
        )
    for index, location in enumerate(data.locations):
        _check_location(index, location, errors)
    if not data.locations and not data.is_national:
        errors["locations"] = _(
            "Add at least one address, or tick “serves callers anywhere in the country”."
        )
    checked["numbers"] = _phone_numbers(data.phones, errors)
    for index, schedule in enumerate(data.schedules):
        _check_schedule(index, schedule, errors)
    if errors:
        raise ValidationError(errors)
    return checked


# --- Writing a service's parts ----------------------------------------------------------------


def _organization_for(actor: User, value: Organization | OrganizationData) -> Organization:
    if isinstance(value, Organization):
        return value
    try:
        return organization_create(actor=actor, data=value)
    except ValidationError as exc:
        raise ValidationError(
            {f"new_organization_{name}": messages for name, messages in exc.message_dict.items()}
        ) from exc


def _write_locations(service: Service, rows: list[LocationData]) -> set[uuid.UUID]:
    """Make the service's locations those of `rows`; returns the other services whose
    locations changed with them (a location may be shared within an organisation).

    A row whose id is not one of the service's locations (removed meanwhile by someone
    else, or never its own) makes a new location: nothing outside the service is touched.
    """
    links = {link.location_id: link for link in service.service_at_locations.all()}
    kept: set[uuid.UUID] = set()
    for row in rows:
        link = links.get(row.id) if row.id else None
        location = link.location if link else Location(organization=service.organization)
        if link and location.organization_id != service.organization_id:
            shared = ServiceAtLocation.objects.filter(location=location).exclude(service=service)
            if not shared.exists():
                location.organization = service.organization
        location.name = row.name.strip()
        location.transportation = row.transportation.strip()
        location.timezone = row.timezone
        location.save()
        addresses = list(location.addresses.all()) if link else []
        address = next((a for a in addresses if a.address_type != AddressType.POSTAL), None)
        address = address or Address(location=location, address_type=AddressType.PHYSICAL)
        address.address_1 = row.address_1.strip()
        address.address_2 = row.address_2.strip()
        address.city = row.city.strip()
        address.postal_code = row.postal_code.strip()
        address.state_province = row.state_province.strip()
        address.country = row.country
        address.save()
        if link is None:
            ServiceAtLocation.objects.create(service=service, location=location)
        kept.add(location.pk)
    for location_id, link in links.items():
        if location_id not in kept:
            link.delete()
            if not ServiceAtLocation.objects.filter(location_id=location_id).exists():
                Location.objects.filter(pk=location_id).delete()
    return set(
        ServiceAtLocation.objects.filter(location_id__in=kept)
        .exclude(service=service)
        .values_list("service_id", flat=True)
    )


def _byday(row: ScheduleData) -> str:
    """The days in week order; "24 hours" with no day ticked means every day."""
    days = row.days if row.days or not row.all_day else WEEKDAYS
    return ",".join(day for day in WEEKDAYS if day in days)


def _write_parts(service: Service, data: ServiceData, checked: dict[str, Any]) -> set[uuid.UUID]:
    service.categories.set(checked["categories"])
    service.languages.set(checked["languages"])
    wanted = checked["documents"]
    service.required_documents.exclude(document__in=wanted).delete()
    have = set(service.required_documents.values_list("document", flat=True))
    RequiredDocument.objects.bulk_create(
        RequiredDocument(service=service, document=line) for line in wanted if line not in have
    )
    service.phones.all().delete()
    Phone.objects.bulk_create(
        Phone(
            service=service,
            number=number,
            extension=row.extension,
            type=row.type,
            description=row.description.strip(),
            position=position,
        )
        for position, (row, number) in enumerate(zip(data.phones, checked["numbers"], strict=True))
    )
    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            byday=_byday(row),
            opens_at=None if row.all_day else row.opens_at,
            closes_at=None if row.all_day else row.closes_at,
            description=row.description.strip(),
        )
        for row in data.schedules
    )
    return _write_locations(service, data.locations)


def _write(actor: User, service: Service, data: ServiceData, checked: dict[str, Any]) -> Service:
    for name in SERVICE_FIELDS:
        value = getattr(data, name)
        setattr(service, name, value.strip() if isinstance(value, str) else value)
    service.citizenships = checked["citizenships"]
    service.sexes = checked["sexes"]
    service.updated_by = actor
    if data.mark_verified:
        service.verified_on = timezone.localdate()
        service.verified_by = actor
        service.verified_by_name = ""
    service.full_clean(exclude=["organization", "categories", "languages"])
    service.save()
    others = _write_parts(service, data, checked)
    # What was read before the write is stale now; the next read goes to the database.
    getattr(service, "_prefetched_objects_cache", {}).clear()
    services_reindex(service_ids=[service.pk, *others])
    return service


# --- Services ---------------------------------------------------------------------------------


@transaction.atomic
def service_create(*, actor: User, data: ServiceData) -> Service:
    """A new service with its locations, phones, hours and documents (and, if `data`
    carries a new organisation's details, that organisation)."""
    _require_editor(actor)
    checked = _checked(data)
    organization = _organization_for(actor, data.organization)
    return _write(actor, Service(organization=organization), data, checked)


@transaction.atomic
def service_update(
    *, actor: User, service: Service, data: ServiceData, expected_revision: int
) -> Service:
    """Replace what the edit screen shows of a service, as a new revision.

    Raises StaleRevisionError (carrying the service as saved) when someone saved it after
    `expected_revision` was read, ValidationError by field; on any error nothing is written.
    """
    _require_editor(actor)
    checked = _checked(data)
    updated = Service.objects.filter(pk=service.pk, revision=expected_revision).update(
        revision=F("revision") + 1
    )
    if not updated:
        current = Service.objects.select_related("updated_by").get(pk=service.pk)
        raise StaleRevisionError(current)
    service.refresh_from_db(fields=["revision"])
    service.organization = _organization_for(actor, data.organization)
    return _write(actor, service, data, checked)


@transaction.atomic
def service_verify(*, actor: User, service: Service, today: datetime.date | None = None) -> Service:
    """Record that `actor` checked the entry with the service on `today` (default: today)."""
    _require_editor(actor)
    service.verified_on = today or timezone.localdate()
    service.verified_by = actor
    service.verified_by_name = ""
    service.save(update_fields=["verified_on", "verified_by", "verified_by_name", "updated_at"])
    services_reindex(service_ids=[service.pk])
    return service


@transaction.atomic
def service_archive(*, actor: User, service: Service) -> Service:
    """Take a service out of search and the stale list; referrals to it stay readable."""
    _require_editor(actor)
    if service.archived_at is None:
        service.archived_at = timezone.now()
        service.updated_by = actor
        service.save(update_fields=["archived_at", "updated_by", "updated_at"])
        services_reindex(service_ids=[service.pk])
    return service


@transaction.atomic
def service_restore(*, actor: User, service: Service) -> Service:
    """Bring an archived service back into search."""
    _require_editor(actor)
    if service.archived_at is not None:
        service.archived_at = None
        service.updated_by = actor
        service.save(update_fields=["archived_at", "updated_by", "updated_at"])
        services_reindex(service_ids=[service.pk])
    return service
