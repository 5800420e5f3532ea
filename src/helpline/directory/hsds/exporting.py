"""The whole directory as HSDS 3.0 tables: one list of rows per HSDS table.

Both the JSON document and the CSV datapackage are made from these tables, and an import
reads either back into the same tables, so both formats carry exactly the same data.
Rows come in a fixed order (by name, then id, or by their owner), so that exporting the
same directory twice gives the same bytes.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation

from helpline.accounts import access
from helpline.accounts.models import User

from ..models import (
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
from . import mapping
from .fields import EXPORTED, TABLES

Row = dict[str, Any]
Tables = dict[str, list[Row]]

# Who a phone, schedule or contact belongs to, in the order its owner is looked for.
OWNERS = ("organization", "location", "service", "service_at_location", "contact")


def number(value: Decimal | None) -> int | float | None:
    """A decimal as JSON writes it: 150 rather than 150.00, 55.7512 as it is."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def time_text(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def stamp(value: datetime.datetime | None) -> str | None:
    """A moment in UTC with milliseconds, as HSDS asks: 2025-03-15T10:30:45.123Z."""
    if value is None:
        return None
    value = value.astimezone(datetime.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def make_row(table: str, **values: Any) -> Row:
    """A row with the table's fields in their order; empty optional fields left out,
    empty required ones written as "" (HSDS requires the field, our data may lack it)."""
    row: Row = {}
    for field in TABLES[table].fields:
        value = values.get(field.name)
        if isinstance(value, Decimal):
            value = number(value)
        elif value is not None and not isinstance(value, str | int | float):
            value = str(value)
        if value is None or value == "":
            if field.required:
                row[field.name] = ""
            continue
        row[field.name] = value
    return row


def _owner_key(item: Any) -> tuple[int, str]:
    for index, owner in enumerate(OWNERS):
        owner_id = getattr(item, f"{owner}_id", None)
        if owner_id is not None:
            return index, str(owner_id)
    return len(OWNERS), ""


def _part_key(item: Any, field: str) -> tuple[str, str, str]:
    return str(item.service_id), getattr(item, field), str(item.pk)


def _owner_ids(item: Any, owners: Iterable[str]) -> dict[str, Any]:
    return {f"{owner}_id": getattr(item, f"{owner}_id") for owner in owners}


class _Export:
    def __init__(self, language: str) -> None:
        self.language = language
        self.tables: Tables = {name: [] for name in EXPORTED}
        self.citizenships: set[str] = set()

    def attribute(self, entity: str, link_id: Any, code: str, value: str = "") -> None:
        category = code.startswith("category:")
        term = code.partition(":")[2] if category else code
        term_id = mapping.category_term_id(term) if category else mapping.term_id(code)
        self.tables["attribute"].append(
            make_row(
                "attribute",
                id=mapping.attribute_id(link_id, code),
                link_id=link_id,
                taxonomy_term_id=term_id,
                link_entity=entity,
                value=value,
            )
        )

    def organizations(self) -> None:
        for org in sorted(Organization.objects.all(), key=lambda o: (o.name, str(o.pk))):
            self.tables["organization"].append(
                make_row(
                    "organization",
                    id=org.pk,
                    name=org.name,
                    alternate_name=org.alternate_name,
                    description=org.description,
                    email=org.email,
                    website=org.website,
                    legal_status=org.legal_status,
                )
            )
            if org.is_demo:
                self.attribute("organization", org.pk, "demo")

    def locations(self) -> None:
        for loc in sorted(Location.objects.all(), key=lambda o: (o.name, str(o.pk))):
            self.tables["location"].append(
                make_row(
                    "location",
                    id=loc.pk,
                    location_type=loc.location_type,
                    url=loc.url,
                    organization_id=loc.organization_id,
                    name=loc.name,
                    alternate_name=loc.alternate_name,
                    description=loc.description,
                    transportation=loc.transportation,
                    latitude=loc.latitude,
                    longitude=loc.longitude,
                )
            )
            self.attribute("location", loc.pk, "timezone", loc.timezone)
        addresses = sorted(
            Address.objects.all(),
            key=lambda a: (str(a.location_id), a.address_type, a.city, a.address_1, str(a.pk)),
        )
        for address in addresses:
            self.tables["address"].append(
                make_row(
                    "address",
                    **{name: getattr(address, name) for name in TABLES["address"].columns},
                )
            )

    def services(self) -> None:
        services = (
            Service.objects.select_related("verified_by")
            .prefetch_related("categories", "languages")
            .order_by()
        )
        for service in sorted(services, key=lambda s: (s.name, str(s.pk))):
            self.service(service)

    def service(self, service: Service) -> None:
        if service.verified_by is not None:
            assurer, email = service.verified_by.display_name, service.verified_by.email
        else:
            assurer, email = mapping.assurer_split(service.verified_by_name)
        values = {
            name: getattr(service, name)
            for name in TABLES["service"].columns
            if hasattr(Service, name) and name != "id"
        }
        values.update(
            id=service.pk,
            organization_id=service.organization_id,
            assured_date=date_text(service.verified_on),
            assurer_email=email,
            last_modified=stamp(service.updated_at),
        )
        self.tables["service"].append(make_row("service", **values))
        pk = service.pk
        categories = sorted(service.categories.all(), key=lambda c: (c.position, c.code))
        for category in categories:
            self.attribute("service", pk, f"category:{category.code}")
        for country in service.citizenships:
            self.citizenships.add(country)
            self.attribute("service", pk, f"citizenship:{country}")
        for sex in mapping.SEXES:
            if sex in service.sexes:
                self.attribute("service", pk, f"sex:{sex}")
        if service.cost:
            self.attribute("service", pk, f"cost:{service.cost}")
        for code, field in mapping.FLAGS.items():
            if getattr(service, field):
                self.attribute("service", pk, code)
        if service.archived_at:
            self.attribute("service", pk, "archived", stamp(service.archived_at) or "")
        if assurer:
            self.attribute("service", pk, "assurer", assurer)
        if service.is_demo:
            self.attribute("service", pk, "demo")
        for language in sorted(service.languages.all(), key=lambda item: item.code):
            self.tables["language"].append(
                make_row(
                    "language",
                    id=mapping.language_id(pk, language.code),
                    service_id=pk,
                    name=language.label_in(self.language),
                    code=language.code,
                )
            )

    def parts(self) -> None:
        """Everything that belongs to a service, location, organisation or contact."""
        links = sorted(
            ServiceAtLocation.objects.all(), key=lambda x: (str(x.service_id), str(x.location_id))
        )
        for link in links:
            self.tables["service_at_location"].append(
                make_row(
                    "service_at_location",
                    id=link.pk,
                    service_id=link.service_id,
                    location_id=link.location_id,
                    description=link.description,
                )
            )
        phones = sorted(
            Phone.objects.all(), key=lambda p: (*_owner_key(p), p.position, p.number, str(p.pk))
        )
        for phone in phones:
            self.tables["phone"].append(
                make_row(
                    "phone",
                    id=phone.pk,
                    **_owner_ids(phone, OWNERS),
                    number=phone.number,
                    extension=phone.extension,
                    type=phone.type,
                    description=phone.description,
                )
            )
        contacts = sorted(Contact.objects.all(), key=lambda c: (*_owner_key(c), c.name, str(c.pk)))
        for contact in contacts:
            values = {name: getattr(contact, name) for name in ("name", "title", "department")}
            self.tables["contact"].append(
                make_row(
                    "contact",
                    id=contact.pk,
                    **_owner_ids(contact, ("organization", "service", "location")),
                    **values,
                    email=contact.email,
                )
            )
        self.schedules()
        self.service_parts()

    def schedules(self) -> None:
        def key(item: Schedule) -> tuple[Any, ...]:
            times = tuple(
                (t is not None, t or datetime.time()) for t in (item.opens_at, item.closes_at)
            )
            return (*_owner_key(item), item.byday, *times, str(item.pk))

        for item in sorted(Schedule.objects.all(), key=key):
            self.tables["schedule"].append(
                make_row(
                    "schedule",
                    id=item.pk,
                    **_owner_ids(item, ("service", "location", "service_at_location")),
                    valid_from=date_text(item.valid_from),
                    valid_to=date_text(item.valid_to),
                    freq=item.freq,
                    byday=item.byday,
                    description=item.description,
                    opens_at=time_text(item.opens_at),
                    closes_at=time_text(item.closes_at),
                    attending_type=item.attending_type,
                    notes=item.notes,
                )
            )

    def service_parts(self) -> None:
        parts: tuple[tuple[Any, str, str], ...] = (
            (ServiceArea, "service_area", "name"),
            (RequiredDocument, "required_document", "document"),
            (CostOption, "cost_option", "option"),
        )
        for model, table, sort_field in parts:
            items = sorted(model.objects.all(), key=functools.partial(_part_key, field=sort_field))
            for item in items:
                values = {
                    name: getattr(item, name)
                    for name in TABLES[table].columns
                    if hasattr(model, name) and name not in ("valid_from", "valid_to")
                }
                values.update(
                    id=item.pk,
                    service_id=item.service_id,
                    valid_from=date_text(getattr(item, "valid_from", None)),
                    valid_to=date_text(getattr(item, "valid_to", None)),
                )
                self.tables[table].append(make_row(table, **values))

    def taxonomies(self) -> None:
        for name in (mapping.TAXONOMY, mapping.CATEGORY_TAXONOMY):
            self.tables["taxonomy"].append(
                make_row(
                    "taxonomy",
                    id=mapping.taxonomy_id(name),
                    name=name,
                    description=mapping.taxonomy_description(name),
                )
            )
        own = mapping.TAXONOMY
        codes = [*mapping.FIXED_CODES, *(f"citizenship:{c}" for c in sorted(self.citizenships))]
        for code in codes:
            self.tables["taxonomy_term"].append(
                make_row(
                    "taxonomy_term",
                    id=mapping.term_id(code),
                    code=code,
                    name=mapping.term_name(code),
                    description=mapping.term_description(code),
                    taxonomy=own,
                    language=self.language,
                    taxonomy_id=mapping.taxonomy_id(own),
                )
            )
        categories = ServiceCategory.objects.select_related("parent").order_by("position", "code")
        for category in categories:
            self.tables["taxonomy_term"].append(
                make_row(
                    "taxonomy_term",
                    id=category.hsds_id,
                    code=category.code,
                    name=category.label_in(self.language),
                    description=category.description,
                    parent_id=category.parent.hsds_id if category.parent else None,
                    taxonomy=mapping.CATEGORY_TAXONOMY,
                    language=self.language,
                    taxonomy_id=mapping.taxonomy_id(mapping.CATEGORY_TAXONOMY),
                )
            )

    def run(self) -> Tables:
        self.organizations()
        self.locations()
        self.services()
        self.parts()
        self.taxonomies()
        return self.tables


def directory_tables(*, actor: User | None, language: str | None = None) -> Tables:
    """Every organisation, location and service (archived and demo ones too, marked by
    attributes) as HSDS tables. Term and language names are in `language` (default: the
    installation's). `actor` None is the command line; a user must edit the directory."""
    if actor is not None and not access.can_edit_directory(actor):
        raise PermissionDenied
    code = (language or settings.LANGUAGE_CODE).split("-")[0]
    with translation.override(code):
        return _Export(code).run()
