"""The services of the hits, with everything their cards show, in two queries.

`presentation.service_card` reads a service through its relations (`service.phones.all()`,
`link.location.addresses.all()`...). Django's `prefetch_related` would load them, but it
runs a query per relation and builds a query set per object and relation: for twenty
services on a small server that is some 30 ms, more than a whole search may take. Here
one query reads the services with their organisations and locations, and one more, a
UNION of one indexed read per relation, their phones, hours, addresses, documents,
languages and categories, and the open intervals of the hits' search documents. The rows
become model instances holding only those fields (any other is deferred: read from the
database if ever asked for), put where `prefetch_related` would put them. The cards are
then made by the same `service_card` as everywhere else.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Model
from django.db.models.base import ModelState

from helpline.common.models import Language

from ..models import (
    Address,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
)

M = TypeVar("M", bound=Model)
Row = tuple[Any, ...]
Interval = tuple[int, str, str, int, int]  # document, place, zone, starts, ends

# The relations loaded here (exactly those `service_card` reads); any other is read from
# the database as usual.
SERVICE_RELATIONS = (
    "phones", "schedules", "languages", "categories", "required_documents",
    "service_at_locations",
)  # fmt: skip
LOCATION_RELATIONS = ("addresses", "phones", "schedules")
LABELS = ("name_ru", "name_en", "name_uz", "name_tg", "name_ky")
PHONES, HOURS = "directory_phone", "directory_schedule"

# Every row read: kind, service id, location id, own id (text), a number, then text
# columns (NULL where a kind has fewer).
# What a service row holds in its text columns, in order (booleans, numbers and JSON
# as text; the link to a location in the id columns).
SERVICE_TEXTS = (
    "s.name", "s.description", "s.status", "s.eligibility_description",
    "CAST(s.minimum_age AS TEXT)", "CAST(s.maximum_age AS TEXT)",
    "CAST(s.citizenships AS TEXT)", "CAST(s.sexes AS TEXT)", "s.cost",
    "CAST(s.walk_ins AS TEXT)", "CAST(s.no_documents_needed AS TEXT)",
    "CAST(s.no_registration_needed AS TEXT)", "CAST(s.is_national AS TEXT)",
    "CAST(s.is_demo AS TEXT)", "CAST(s.organization_id AS TEXT)", "o.name", "l.timezone",
    "CAST(sl.created_at AS TEXT)",
)  # fmt: skip
SERVICE_FIELDS = (
    "name", "description", "status", "eligibility_description", "minimum_age",
    "maximum_age", "citizenships", "sexes", "cost", "walk_ins", "no_documents_needed",
    "no_registration_needed", "is_national", "is_demo",
)  # fmt: skip
_INTEGERS = ("minimum_age", "maximum_age")
_JSON = ("citizenships", "sexes")
_BOOLEANS = ("walk_ins", "no_documents_needed", "no_registration_needed", "is_national", "is_demo")
_TRUE = {"1", "true", "t"}


def _uuid(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))


def _time(value: Any) -> datetime.time | None:
    if value is None or isinstance(value, datetime.time):
        return value
    return datetime.time.fromisoformat(str(value))


def _make(model: type[M], names: Sequence[str], values: Sequence[Any]) -> M:
    """An instance as the ORM loads one with only these fields (the others deferred: read
    from the database if ever asked for), without running `__init__` over every field of
    the model, which is most of the time here. The values are already Python values."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, values, strict=True))
    state = ModelState()
    state.adding = False
    state.db = DEFAULT_DB_ALIAS
    instance._state = state
    return instance


def _loaded(instance: Model, names: Sequence[str]) -> None:
    instance._prefetched_objects_cache = {name: [] for name in names}  # type: ignore[attr-defined]


def _cache(instance: Model, name: str) -> list[Any]:
    cache: dict[str, list[Any]] = instance._prefetched_objects_cache  # type: ignore[attr-defined]
    return cache[name]


def _in(column: str, values: list[Any]) -> tuple[str, list[Any]]:
    """`column` is one of `values`. PostgreSQL gets one array, so that the text of the
    query is always the same (parsed once by the driver, planned faster); SQLite a list."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    if not values:
        return f"{column} IN (NULL)", []
    return f"{column} IN (" + ", ".join(["%s"] * len(values)) + ")", values


def _selective(condition: str) -> str:
    """A condition on a column that is mostly empty (a phone or schedule belongs to a
    service or to a location): SQLite's statistics count the empty rows as one value
    shared by all, take an index lookup for a read of the whole table and scan it instead,
    unless told that the condition is selective."""
    return f"unlikely({condition})" if connection.vendor == "sqlite" else condition


def _branch(
    kind: str, ids: tuple[str, str, str, str], texts: Sequence[str], rest: str, width: int = 6
) -> str:
    """One SELECT of a UNION: the kind, four id columns, then `width` text columns."""
    padded = [*texts, *(["NULL"] * (width - len(texts)))]
    return f"SELECT '{kind}', {', '.join(ids)}, {', '.join(padded)} {rest}"


def _services_query(services: list[Any]) -> tuple[str, list[Any]]:
    """The services, their organisations and their locations (a row per location)."""
    condition, params = _in("s.id", services)
    sql = _branch(
        "v",
        ("s.id", "sl.location_id", "CAST(sl.id AS TEXT)", "0"),
        SERVICE_TEXTS,
        "FROM directory_service s"
        " JOIN directory_organization o ON o.id = s.organization_id"
        " LEFT JOIN directory_serviceatlocation sl ON sl.service_id = s.id"
        " LEFT JOIN directory_location l ON l.id = sl.location_id"
        f" WHERE {condition} AND s.archived_at IS NULL",
        width=len(SERVICE_TEXTS),
    )
    return sql, params


def _relations_query(
    services: list[Any], locations: list[Any], documents: list[int]
) -> tuple[str, list[Any]]:
    """Every other relation, one indexed read each (a list of ids each: a subquery for
    the locations makes PostgreSQL plan for longer than it reads)."""
    of_services, service_params = _in("service_id", services)
    of_locations, location_params = _in("location_id", locations)
    of_documents, document_params = _in("document_id", documents)
    of_links = of_services.replace("service_id", "t.service_id")
    phone = ("number", "CAST(extension AS TEXT)", "type", "description")
    schedule = ("byday", "CAST(opens_at AS TEXT)", "CAST(closes_at AS TEXT)", "description")
    labels = [f"x.{name}" for name in LABELS]
    own = ("service_id", "location_id", "CAST(id AS TEXT)")
    branches = [
        (
            _branch(
                "p", (*own, "position"), phone, f"FROM {PHONES} WHERE {_selective(of_services)}"
            ),
            service_params,
        ),
        (
            _branch(
                "p", (*own, "position"), phone, f"FROM {PHONES} WHERE {_selective(of_locations)}"
            ),
            location_params,
        ),
        (
            _branch("s", (*own, "0"), schedule, f"FROM {HOURS} WHERE {_selective(of_services)}"),
            service_params,
        ),
        (
            _branch("s", (*own, "0"), schedule, f"FROM {HOURS} WHERE {_selective(of_locations)}"),
            location_params,
        ),
        (
            _branch(
                "a",
                ("NULL", "location_id", "CAST(id AS TEXT)", "0"),
                ("address_1", "address_2", "city", "address_type"),
                f"FROM directory_address WHERE {of_locations}",
            ),
            location_params,
        ),
        (
            _branch(
                "d",
                ("service_id", "NULL", "CAST(id AS TEXT)", "0"),
                ("document",),
                f"FROM directory_requireddocument WHERE {of_services}",
            ),
            service_params,
        ),
        (
            _branch(
                "l",
                ("t.service_id", "NULL", "CAST(x.id AS TEXT)", "x.position"),
                ("x.code", *labels),
                "FROM directory_service_languages t"
                f" JOIN common_language x ON x.id = t.language_id WHERE {of_links}",
            ),
            service_params,
        ),
        (
            _branch(
                "c",
                ("t.service_id", "NULL", "CAST(x.id AS TEXT)", "x.position"),
                ("x.code", *labels),
                "FROM directory_service_categories t"
                " JOIN directory_servicecategory x ON x.id = t.servicecategory_id"
                f" WHERE {of_links}",
            ),
            service_params,
        ),
        (
            _branch(
                "o",
                ("NULL", "NULL", "CAST(document_id AS TEXT)", "starts"),
                ("place", "zone", "CAST(ends AS TEXT)"),
                f"FROM directory_serviceopeninterval WHERE {of_documents}",
            ),
            document_params,
        ),
    ]
    sql = " UNION ALL ".join(branch for branch, _params in branches)
    return sql, [value for _branch_sql, params in branches for value in params]


def _read(sql: str, params: list[Any], rows: dict[str, list[Row]], seen: set[Row]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            # A phone or schedule of a service and of its location comes twice: keep one.
            key = row[:4] if row[0] in "ps" else row
            if key not in seen:
                seen.add(key)
                rows[row[0]].append(row)


@dataclass
class CardsRead:
    services: dict[uuid.UUID, Service]  # ready for `service_card`
    intervals: list[Interval]  # of the search documents asked for


def services_for_cards(
    service_ids: Sequence[uuid.UUID], *, intervals_of: Sequence[int] = ()
) -> CardsRead:
    """The services that exist and are not archived, ready for `service_card`, and the
    open intervals of these search documents (read in the same query)."""
    read = CardsRead({}, [])
    if not service_ids:
        return read
    field = Service._meta.pk
    assert field is not None
    ids = [field.get_db_prep_value(value, connection) for value in service_ids]
    seen: set[Row] = set()
    rows: dict[str, list[Row]] = {kind: [] for kind in "vpsadlco"}
    _read(*_services_query(ids), rows, seen)
    # Rows are matched to their owners by the ids as the database returns them.
    by_service: dict[Any, Service] = {}
    by_location: dict[Any, Location] = {}
    for row in sorted(rows["v"], key=lambda r: (str(r[1]), r[-1] or "", r[3] or "")):
        _service_row(row, by_service, by_location)
    if not by_service:
        return read
    _read(*_relations_query(list(by_service), list(by_location), list(intervals_of)), rows, seen)
    _relations(rows, by_service, by_location)
    read.services = {service.pk: service for service in by_service.values()}
    read.intervals = [(int(row[3]), row[5], row[6], row[4], int(row[7])) for row in rows["o"]]
    return read


def _service_row(
    row: Row, by_service: dict[Any, Service], by_location: dict[Any, Location]
) -> None:
    _kind, raw_id, location_id, link_id, _n, *texts = row
    service = by_service.get(raw_id)
    if service is None:
        values = dict(zip(SERVICE_FIELDS, texts, strict=False))
        for name in _INTEGERS:
            values[name] = int(values[name]) if values[name] is not None else None
        for name in _JSON:
            values[name] = json.loads(values[name]) if values[name] else []
        for name in _BOOLEANS:
            values[name] = str(values[name]).lower() in _TRUE
        organization_id = _uuid(texts[len(SERVICE_FIELDS)])
        service = _make(
            Service,
            ("id", "organization_id", *values),
            (_uuid(raw_id), organization_id, *values.values()),
        )
        service.organization = _make(
            Organization, ("id", "name"), (organization_id, texts[len(SERVICE_FIELDS) + 1])
        )
        _loaded(service, SERVICE_RELATIONS)
        by_service[raw_id] = service
    if link_id is None:
        return
    location = by_location.get(location_id)
    if location is None:
        zone = texts[len(SERVICE_FIELDS) + 2]
        location = _make(Location, ("id", "timezone"), (_uuid(location_id), zone))
        _loaded(location, LOCATION_RELATIONS)
        by_location[location_id] = location
    link = _make(
        ServiceAtLocation,
        ("id", "service_id", "location_id"),
        (_uuid(link_id), service.pk, location.pk),
    )
    link.location = location
    _cache(service, "service_at_locations").append(link)


def _relations(
    rows: dict[str, list[Row]], by_service: dict[Any, Service], by_location: dict[Any, Location]
) -> None:
    """Every other relation of the cards, each in the order of its model's
    `Meta.ordering` (sorted here, so that both databases give the same)."""
    for _kind, service_id, location_id, _id, _n, *values in sorted(
        rows["p"], key=lambda r: (r[4], r[5], r[3])
    ):
        extension = int(values[1]) if values[1] is not None else None
        phone = _make(
            Phone,
            ("number", "extension", "type", "description"),
            (values[0], extension, values[2], values[3]),
        )
        _owners(by_service, by_location, service_id, location_id, "phones", phone)
    for _kind, service_id, location_id, _id, _n, *values in sorted(
        rows["s"], key=lambda r: (r[5], r[6] or "", r[3])
    ):
        schedule = _make(
            Schedule,
            ("byday", "opens_at", "closes_at", "description"),
            (values[0], _time(values[1]), _time(values[2]), values[3]),
        )
        _owners(by_service, by_location, service_id, location_id, "schedules", schedule)
    for _kind, _service_id, location_id, _id, _n, *values in sorted(
        rows["a"], key=lambda r: (r[8], r[7], r[5], r[3])
    ):
        if location_id in by_location:
            address = _make(Address, ("address_1", "address_2", "city", "address_type"), values[:4])
            _cache(by_location[location_id], "addresses").append(address)
    for _kind, service_id, _location_id, _id, _n, document, *_rest in sorted(
        rows["d"], key=lambda r: (r[5], r[3])
    ):
        if service_id in by_service:
            needed = _make(RequiredDocument, ("document",), (document,))
            _cache(by_service[service_id], "required_documents").append(needed)
    for kind, model, name in (("l", Language, "languages"), ("c", ServiceCategory, "categories")):
        items: dict[str, Any] = {}  # one instance per language or category
        for _kind, service_id, _location_id, pk, position, code, *labels in sorted(
            rows[kind], key=lambda r: (r[4], r[5])
        ):
            if service_id not in by_service:
                continue
            item = items.get(pk)
            if item is None:
                item = _make(
                    model,
                    ("id", "position", "code", *LABELS),
                    (int(pk), position, code, *labels[: len(LABELS)]),
                )
                items[pk] = item
            _cache(by_service[service_id], name).append(item)


def _owners(
    services: dict[Any, Service],
    locations: dict[Any, Location],
    service_id: Any,
    location_id: Any,
    name: str,
    item: Model,
) -> None:
    """A phone or schedule, in the list of its service and in that of its location (as
    `service.phones.all()` and `location.phones.all()` would each find it)."""
    if service_id in services:
        _cache(services[service_id], name).append(item)
    if location_id in locations:
        _cache(locations[location_id], name).append(item)
