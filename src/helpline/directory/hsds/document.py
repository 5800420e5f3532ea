"""The HSDS JSON document: tables nested into HSDS objects, and objects read back into rows.

The document holds the collections of the HSDS API, each in the API's list shape (a page
holding every object):

    {"hsds_version": "3.0",
     "organizations": {"total_items": 2, ..., "contents": [organization, ...]},
     "services": {...}, "locations": {...}, "taxonomies": {...}, "taxonomy_terms": {...}}

Each object is a full HSDS object: an organisation with its phones, contacts, locations
(with their addresses, phones, schedules) and attributes; a service with its phones,
schedules, service areas, service at locations, languages, cost options, required
documents, contacts and attributes (each with its taxonomy term). Services are not
repeated inside organisations; "locations" holds only locations of no organisation.

Reading accepts more: any HSDS collection at the top ("services", or the tabular names
"service" and "services.csv"), as a page or a plain list, and objects nested in any way
the HSDS schemas allow. An object found twice (a location inside a service at location and
inside its organisation) is one object if both copies agree.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from .errors import ImportProblem, shown
from .exporting import Row, Tables
from .fields import BY_PATH, BY_PLURAL, HSDS_VERSION, LABELS, TABLES
from .records import Notes, Record, object_label

# Arrays of objects that belong to the object holding them: (key, table, link field).
ARRAYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "organization": (
        ("phones", "phone", "organization_id"),
        ("contacts", "contact", "organization_id"),
        ("locations", "location", "organization_id"),
        ("services", "service", "organization_id"),
        ("programs", "program", "organization_id"),
        ("funding", "funding", "organization_id"),
        ("organization_identifiers", "organization_identifier", "organization_id"),
    ),
    "service": (
        ("phones", "phone", "service_id"),
        ("schedules", "schedule", "service_id"),
        ("service_areas", "service_area", "service_id"),
        ("service_at_locations", "service_at_location", "service_id"),
        ("languages", "language", "service_id"),
        ("funding", "funding", "service_id"),
        ("cost_options", "cost_option", "service_id"),
        ("required_documents", "required_document", "service_id"),
        ("contacts", "contact", "service_id"),
    ),
    "service_at_location": (
        ("contacts", "contact", "service_at_location_id"),
        ("phones", "phone", "service_at_location_id"),
        ("schedules", "schedule", "service_at_location_id"),
    ),
    "location": (
        ("languages", "language", "location_id"),
        ("addresses", "address", "location_id"),
        ("contacts", "contact", "location_id"),
        ("accessibility", "accessibility", "location_id"),
        ("phones", "phone", "location_id"),
        ("schedules", "schedule", "location_id"),
    ),
    "contact": (("phones", "phone", "contact_id"),),
    "phone": (("languages", "language", "phone_id"),),
}
# Single objects inside an object: (key, table, the holder's field with their id).
OBJECTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "service": (
        ("organization", "organization", "organization_id"),
        ("program", "program", "program_id"),
    ),
    "service_at_location": (
        ("location", "location", "location_id"),
        ("service", "service", "service_id"),
    ),
    "attribute": (("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
    "taxonomy_term": (("taxonomy_detail", "taxonomy", "taxonomy_id"),),
}
NO_ATTRIBUTES = {"attribute", "taxonomy_term", "taxonomy", "metadata"}
# What an export nests (everything else is at the top or linked by id).
EXPORT_SKIP = {("organization", "services")}
MAX_DEPTH = 12  # deeper than HSDS objects nest (an organisation in its service in...)


def _children(table: str) -> list[tuple[str, str, dict[str, str]]]:
    """(key, child table, {child field: what it takes}) of the arrays an object may hold;
    "@id" is the holder's id, "@table" its table name."""
    found = [(key, child, {link: "@id"}) for key, child, link in ARRAYS.get(table, ())]
    if table not in NO_ATTRIBUTES:
        found.append(("attributes", "attribute", {"link_id": "@id", "link_entity": "@table"}))
    if table != "metadata":
        found.append(("metadata", "metadata", {"resource_id": "@id", "resource_type": "@table"}))
    return found


# --- Writing ------------------------------------------------------------------------------


def page(contents: list[Any]) -> dict[str, Any]:
    """The HSDS API's list shape, holding everything on one page."""
    return {
        "total_items": len(contents),
        "total_pages": 1 if contents else 0,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def tables_document(tables: Tables) -> dict[str, Any]:
    """The tables as the JSON document described above."""
    index: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for table, rows in tables.items():
        for row in rows:
            for name, value in row.items():
                if name.endswith("_id") or name == "link_id":
                    index[(table, name, str(value))].append(row)
    terms = {row["id"]: row for row in tables.get("taxonomy_term", [])}

    def nest(table: str, row: Row) -> dict[str, Any]:
        obj: dict[str, Any] = dict(row)
        for key, child, links in _children(table):
            if (table, key) in EXPORT_SKIP:
                continue
            link = next(iter(links))
            found = index.get((child, link, str(row["id"])), [])
            if child == "attribute":
                found = [item for item in found if item["link_entity"] == table]
            if found:
                obj[key] = [nest(child, item) for item in found]
        if table == "attribute" and row["taxonomy_term_id"] in terms:
            obj["taxonomy_term"] = dict(terms[row["taxonomy_term_id"]])
        return obj

    return {
        "hsds_version": HSDS_VERSION,
        "organizations": page([nest("organization", r) for r in tables["organization"]]),
        "services": page([nest("service", r) for r in tables["service"]]),
        "locations": page(
            [nest("location", r) for r in tables["location"] if "organization_id" not in r]
        ),
        "taxonomies": page([dict(r) for r in tables["taxonomy"]]),
        "taxonomy_terms": page([dict(r) for r in tables["taxonomy_term"]]),
    }


def document_bytes(tables: Tables) -> bytes:
    text = json.dumps(tables_document(tables), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


# --- Reading ------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.records: list[Record] = []
        self.problems: list[ImportProblem] = []
        self.notes = Notes()

    def problem(self, source: str, field: str, message: str) -> None:
        self.problems.append(ImportProblem(source, None, field, message))

    def walk(
        self, table: str, obj: dict[str, Any], source: str, nested: bool, depth: int = 0
    ) -> None:
        spec = TABLES[table]
        if depth > MAX_DEPTH:
            self.problem(source, "", _("The objects are nested too deeply."))
            return
        children = _children(table)
        holders = {key for key, _child, _links in children}
        holders |= {key for key, _child, _fk in OBJECTS.get(table, ())}
        values = {key: value for key, value in obj.items() if key in spec.by_name}
        for key in obj:
            if key not in spec.by_name and key not in holders:
                self.notes.add("unknown_field", table, key)
        self.records.append(Record(table, values, source, nested=nested))
        own_id = values.get("id")
        for key, child, links in children:
            items = obj.get(key)
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem(source, key, _("must be a list of objects"))
                continue
            for position, item in enumerate(items, start=1):
                label = object_label(
                    child, position, item.get("id") if isinstance(item, dict) else None
                )
                where = f"{source}, {label}"
                if not isinstance(item, dict):
                    self.problem(where, "", _("must be an object"))
                    continue
                item = dict(item)
                for field, wanted in links.items():
                    expected = own_id if wanted == "@id" else table
                    if child == "metadata":  # not kept: only filled in
                        item.setdefault(field, expected)
                    else:
                        self.link(item, field, expected, where, table)
                self.walk(child, item, where, True, depth + 1)
        for key, child, fk in OBJECTS.get(table, ()):
            item = obj.get(key)
            if item is None:
                continue
            where = f"{source}, {object_label(child)}"
            if not isinstance(item, dict):
                self.problem(where, "", _("must be an object"))
                continue
            self.link(values, fk, item.get("id"), source, child)
            self.walk(child, item, where, True, depth + 1)

    def link(self, item: dict[str, Any], field: str, expected: Any, where: str, other: str) -> None:
        """Fill `field` of `item` with `expected`, or say that the two disagree."""
        if expected is None or expected == "":
            return
        given = item.get(field)
        if given is None or given == "":
            item[field] = expected
        elif str(given).lower() != str(expected).lower():
            self.problem(
                where,
                field,
                _("“%(given)s” does not match the %(other)s it belongs to (%(expected)s)")
                % {
                    "given": shown(given),
                    "other": LABELS.get(other, other),
                    "expected": shown(expected),
                },
            )

    def document(self, data: Any, name: str) -> None:
        if not isinstance(data, dict):
            self.problem(name, "", _("The file must hold a JSON object with HSDS collections."))
            return
        version = data.get("hsds_version")
        if version is not None and not str(version).startswith("3."):
            self.problem(
                name,
                "hsds_version",
                _("This is HSDS %(version)s; only HSDS 3.0 can be read.")
                % {"version": shown(version)},
            )
        for key, value in data.items():
            if key == "hsds_version":
                continue
            spec = BY_PLURAL.get(key) or TABLES.get(key) or BY_PATH.get(key)
            if spec is None:
                self.notes.add("unknown_key", key)
                continue
            items = value.get("contents") if isinstance(value, dict) else value
            if not isinstance(items, list):
                self.problem(key, "", _("must be a list of objects, or a page with “contents”"))
                continue
            for position, item in enumerate(items, start=1):
                identifier = item.get("id") if isinstance(item, dict) else None
                where = object_label(spec.name, position, identifier)
                if not isinstance(item, dict):
                    self.problem(where, "", _("must be an object"))
                    continue
                self.walk(spec.name, item, where, False)


def document_records(data: Any, name: str) -> tuple[list[Record], list[ImportProblem], Notes]:
    """The records of a parsed JSON document, and the problems of its shape."""
    reader = _Reader()
    reader.document(data, name)
    return reader.records, reader.problems, reader.notes
