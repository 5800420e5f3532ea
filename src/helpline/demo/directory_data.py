"""The demo directory: invented organisations and services loaded from `demo/directory/`.

`directory_load` reads and checks the files (`directory_files`, format in
`directory_format`) and writes them in one transaction, with ids derived from the keys of
the entries, so that loading again updates the same rows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from helpline.accounts.models import User
from helpline.common.models import Language
from helpline.demo.directory_files import DEMO_DIRECTORY_DIR, directory_read
from helpline.demo.directory_format import (
    SERVICE_FLAGS,
    SERVICE_TEXTS,
    DirectoryData,
    DirectoryDataError,
)
from helpline.directory.models import (
    Address,
    Contact,
    CostOption,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCategory,
)
from helpline.directory.search.indexing import services_reindex

__all__ = ["DEMO_DIRECTORY_DIR", "DirectoryDataError", "demo_id", "directory_load"]

DEMO_NAMESPACE = uuid.UUID("5f0c7a4e-2d4b-4c61-9a1e-d3c8b6a0e7f2")
ORGANIZATION_FIELDS = (
    "name", "alternate_name", "description", "email", "website", "legal_status", "is_demo",
)  # fmt: skip
LOCATION_FIELDS = (
    "organization", "location_type", "name", "alternate_name", "description", "transportation",
    "latitude", "longitude", "timezone",
)  # fmt: skip
SERVICE_FIELDS = (
    *SERVICE_TEXTS.values(), *SERVICE_FLAGS, "is_national", "cost", "status", "citizenships",
    "sexes", "minimum_age", "maximum_age", "organization", "verified_on", "verified_by",
    "archived_at", "is_demo",
)  # fmt: skip


def demo_id(kind: str, *parts: object) -> uuid.UUID:
    """The id of a demo entry: the same for the same key every time it is loaded."""
    return uuid.uuid5(DEMO_NAMESPACE, ":".join([kind, *(str(part) for part in parts)]))


# --- Writing ---------------------------------------------------------------------------


def directory_load(*, folder: Path = DEMO_DIRECTORY_DIR, today: date | None = None) -> int:
    """Load (or refresh) the demo directory from `folder`; returns how many services it has.

    All in one transaction: organisations, locations and services are created or updated
    in place (their ids come from their keys), their phones, hours, documents and the rest
    are replaced, and demo services no longer in the files are archived. The search index
    is updated for every service touched."""
    data = directory_read(folder)
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        _write(data, today=today, now=now)
    return len(data.services)


def _upsert(model: Any, objects: list[Any], fields: Iterable[str]) -> None:
    model.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=[*fields, "updated_at"],
    )


def _numbered(
    model: Any, kind: str, key: str, items: list[dict[str, Any]], **owner: Any
) -> list[Any]:
    """Rows of `model` hanging off the entry `key`, with ids derived from their place."""
    owner_kind = next(iter(owner)).removesuffix("_id")
    return [
        model(id=demo_id(kind, owner_kind, key, i), **owner, **item) for i, item in enumerate(items)
    ]


def _write(data: DirectoryData, *, today: date, now: datetime) -> None:
    organization_ids = {key: demo_id("organization", key) for key in data.organizations}
    location_ids = {key: demo_id("location", key) for key in data.locations}
    service_ids = {key: demo_id("service", key) for key in data.services}
    _write_entries(data, organization_ids, location_ids, service_ids, today=today, now=now)
    _clear_parts(
        list(organization_ids.values()), list(location_ids.values()), list(service_ids.values())
    )
    _write_parts(data, organization_ids, location_ids, service_ids)
    # Demo services that left the files stay (referrals point at them), archived.
    gone = list(
        Service.objects.filter(is_demo=True, archived_at__isnull=True)
        .exclude(pk__in=service_ids.values())
        .values_list("pk", flat=True)
    )
    Service.objects.filter(pk__in=gone).update(archived_at=now, updated_at=now)
    services_reindex(service_ids=[*service_ids.values(), *gone])


def _write_entries(
    data: DirectoryData,
    organization_ids: dict[str, uuid.UUID],
    location_ids: dict[str, uuid.UUID],
    service_ids: dict[str, uuid.UUID],
    *,
    today: date,
    now: datetime,
) -> None:
    """Organisations, locations and services: created, or updated in place."""
    organizations = [
        Organization(id=organization_ids[key], is_demo=True, **entry.values)
        for key, entry in data.organizations.items()
    ]
    _upsert(Organization, organizations, ORGANIZATION_FIELDS)
    default_zone = Location._meta.get_field("timezone").default
    locations = [
        Location(
            id=location_ids[key],
            organization_id=organization_ids[entry.organization],
            timezone=entry.timezone or default_zone,
            **{"latitude": None, "longitude": None, **entry.values},
        )
        for key, entry in data.locations.items()
    ]
    _upsert(Location, locations, LOCATION_FIELDS)
    usernames = {entry.verified_by for entry in data.services.values() if entry.verified_by}
    users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    services = []
    for key, entry in data.services.items():
        verified_on = None
        if entry.verified_days is not None:
            verified_on = today - timedelta(days=entry.verified_days)
        archived_at = None
        if entry.archived_days is not None:
            archived_at = now - timedelta(days=entry.archived_days)
        services.append(
            Service(
                id=service_ids[key],
                organization_id=organization_ids[entry.organization],
                verified_on=verified_on,
                verified_by_id=users.get(entry.verified_by) if verified_on else None,
                archived_at=archived_at,
                is_demo=True,
                **entry.values,
            )
        )
    _upsert(Service, services, SERVICE_FIELDS)


def _clear_parts(
    organization_pks: list[uuid.UUID], location_pks: list[uuid.UUID], service_pks: list[uuid.UUID]
) -> None:
    """Remove what hangs off the entries; `_write_parts` gives it back with the same ids."""
    ServiceAtLocation.objects.filter(service_id__in=service_pks).delete()
    Phone.objects.filter(organization_id__in=organization_pks).delete()
    Phone.objects.filter(location_id__in=location_pks).delete()
    Phone.objects.filter(service_id__in=service_pks).delete()
    Schedule.objects.filter(location_id__in=location_pks).delete()
    Schedule.objects.filter(service_id__in=service_pks).delete()
    Address.objects.filter(location_id__in=location_pks).delete()
    for model in (CostOption, RequiredDocument, Contact, ServiceArea):
        model.objects.filter(service_id__in=service_pks).delete()
    Service.categories.through.objects.filter(service_id__in=service_pks).delete()
    Service.languages.through.objects.filter(service_id__in=service_pks).delete()


def _write_parts(
    data: DirectoryData,
    organization_ids: dict[str, uuid.UUID],
    location_ids: dict[str, uuid.UUID],
    service_ids: dict[str, uuid.UUID],
) -> None:
    """Addresses, phones, hours, categories, languages, documents, costs, contacts, areas."""
    categories = dict(ServiceCategory.objects.values_list("code", "pk"))
    languages = dict(Language.objects.values_list("code", "pk"))
    category_link = Service.categories.through
    language_link = Service.languages.through
    rows: dict[Any, list[Any]] = defaultdict(list)
    for key, organization in data.organizations.items():
        pk = organization_ids[key]
        rows[Phone] += _numbered(Phone, "phone", key, organization.phones, organization_id=pk)
    for key, location in data.locations.items():
        pk = location_ids[key]
        if location.address:
            rows[Address].append(
                Address(id=demo_id("address", key), location_id=pk, **location.address)
            )
        rows[Phone] += _numbered(Phone, "phone", key, location.phones, location_id=pk)
        rows[Schedule] += _numbered(Schedule, "schedule", key, location.hours, location_id=pk)
    for key, service in data.services.items():
        pk = service_ids[key]
        rows[ServiceAtLocation] += [
            ServiceAtLocation(
                id=demo_id("service-at-location", key, location),
                service_id=pk,
                location_id=location_ids[location],
            )
            for location in dict.fromkeys(service.locations)
        ]
        rows[Phone] += _numbered(Phone, "phone", key, service.phones, service_id=pk)
        rows[Schedule] += _numbered(Schedule, "schedule", key, service.hours, service_id=pk)
        rows[category_link] += [
            category_link(service_id=pk, servicecategory_id=categories[code])
            for code in dict.fromkeys(service.categories)
        ]
        rows[language_link] += [
            language_link(service_id=pk, language_id=languages[code])
            for code in dict.fromkeys(service.languages)
        ]
        documents = [{"document": document} for document in service.documents]
        rows[RequiredDocument] += _numbered(
            RequiredDocument, "document", key, documents, service_id=pk
        )
        rows[CostOption] += _numbered(CostOption, "cost", key, service.cost_options, service_id=pk)
        rows[Contact] += _numbered(Contact, "contact", key, service.contacts, service_id=pk)
        if service.area:
            rows[ServiceArea].append(
                ServiceArea(id=demo_id("area", key), service_id=pk, name=service.area)
            )
    for model, objects in rows.items():
        model.objects.bulk_create(objects)
