"""Checks across objects: ids used twice, and ids that point at nothing.

An object may point at one in the same publication or at one already in the directory
(a file of new services for an existing organisation). Objects that HSDS lets appear
twice in a nested document (a location inside its organisation and inside a service at
location) are merged when their copies agree.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from .. import models as directory
from .errors import ImportProblem, shown
from .fields import LABELS
from .records import Record
from .validation import Clean

# Tables whose ids other objects point at, and where the directory keeps them.
TARGETS = {
    "organization": directory.Organization,
    "location": directory.Location,
    "service": directory.Service,
    "service_at_location": directory.ServiceAtLocation,
    "contact": directory.Contact,
}
# table -> (field, table pointed at, required here though HSDS lets it be absent)
POINTERS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "service": (("organization_id", "organization", False),),
    "location": (("organization_id", "organization", False),),
    "address": (("location_id", "location", True),),
    "service_at_location": (("service_id", "service", False), ("location_id", "location", False)),
    "phone": (
        ("organization_id", "organization", False),
        ("location_id", "location", False),
        ("service_id", "service", False),
        ("service_at_location_id", "service_at_location", False),
        ("contact_id", "contact", False),
    ),
    "contact": (
        ("organization_id", "organization", False),
        ("service_id", "service", False),
        ("location_id", "location", False),
    ),
    "schedule": (
        ("service_id", "service", False),
        ("location_id", "location", False),
        ("service_at_location_id", "service_at_location", False),
    ),
    "cost_option": (("service_id", "service", False),),
    "required_document": (("service_id", "service", True),),
    "service_area": (("service_id", "service", True),),
    "language": (("service_id", "service", False), ("location_id", "location", False)),
}
# Objects that must belong to at least one of these.
OWNED_BY = {
    "phone": (
        "organization_id", "location_id", "service_id", "service_at_location_id", "contact_id",
    ),
    "contact": ("organization_id", "service_id", "location_id"),
    "schedule": ("service_id", "location_id", "service_at_location_id"),
    "language": ("service_id", "location_id", "phone_id"),
}  # fmt: skip


def where(record: Record) -> str:
    if record.row is not None:
        return _("%(source)s, row %(row)s") % {"source": record.source, "row": record.row}
    return record.source


def merge(cleans: list[Clean]) -> tuple[dict[str, dict[uuid.UUID, Clean]], list[ImportProblem]]:
    """The objects of each table by id; an id used twice is a problem, unless one of the
    two is nested in another object and both say the same."""
    tables: dict[str, dict[uuid.UUID, Clean]] = defaultdict(dict)
    problems: list[ImportProblem] = []
    for clean in cleans:
        if clean.id is None:
            continue
        first = tables[clean.table].get(clean.id)
        if first is None:
            tables[clean.table][clean.id] = clean
            continue
        if not first.record.nested and not clean.record.nested:
            problems.append(
                clean.problem(
                    "id",
                    _("the id %(id)s is used twice (also %(other)s)")
                    % {"id": clean.id, "other": where(first.record)},
                )
            )
            continue
        for name, value in clean.data.items():
            if name in first.data and first.data[name] != value:
                problems.append(
                    clean.problem(
                        name,
                        _("“%(value)s” differs from the same object in %(other)s")
                        % {"value": shown(value), "other": where(first.record)},
                    )
                )
            else:
                first.data[name] = value
    return tables, problems


def known_ids(tables: dict[str, dict[uuid.UUID, Clean]]) -> dict[str, set[uuid.UUID]]:
    """The ids that may be pointed at: those of the publication, and those pointed at that
    the directory holds."""
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for table, pointers in POINTERS.items():
        for clean in tables.get(table, {}).values():
            for field, target, _required in pointers:
                value = clean.data.get(field)
                if value is not None and value not in tables.get(target, {}):
                    wanted[target].add(value)
    for clean in tables.get("attribute", {}).values():
        entity, link = clean.data.get("link_entity"), clean.data.get("link_id")
        if entity in TARGETS and link is not None and link not in tables.get(entity, {}):
            wanted[entity].add(link)
    found: dict[str, set[uuid.UUID]] = {}
    for target, ids in wanted.items():
        model: Any = TARGETS[target]
        found[target] = set()
        for start in range(0, len(ids), 500):
            chunk = list(ids)[start : start + 500]
            found[target] |= set(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    for target in TARGETS:
        found[target] = found.get(target, set()) | set(tables.get(target, {}))
    return found


def check_pointers(
    tables: dict[str, dict[uuid.UUID, Clean]], known: dict[str, set[uuid.UUID]]
) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    for table, pointers in POINTERS.items():
        for clean in tables.get(table, {}).values():
            for field, target, required in pointers:
                value = clean.data.get(field)
                if value is None:
                    # (a field HSDS requires, or a wrong value, was reported already)
                    if required and not clean.record.values.get(field):
                        problems.append(
                            clean.problem(
                                field,
                                _("is required: a %(object)s belongs to a %(target)s")
                                % {"object": LABELS[table], "target": LABELS[target]},
                            )
                        )
                    continue
                if value not in known[target]:
                    problems.append(
                        clean.problem(
                            field,
                            _("there is no %(target)s with the id %(id)s")
                            % {"target": LABELS[target], "id": value},
                        )
                    )
            owners = OWNED_BY.get(table)
            if owners and not any(clean.data.get(owner) for owner in owners):
                problems.append(
                    clean.problem(
                        owners[0],
                        _("a %(object)s must belong to something: give one of %(fields)s")
                        % {"object": LABELS[table], "fields": ", ".join(owners)},
                    )
                )
    return problems
