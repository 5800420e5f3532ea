"""Writing a checked publication into the directory (inside the caller's transaction).

Organisations, locations and services are created or updated by id; nothing absent from
the publication is deleted, except the parts of what it holds: the phones, addresses,
schedules, contacts and the like of an organisation, location or service in the
publication become exactly those the publication gives it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import F

from helpline.accounts.models import User
from helpline.common.models import Language

from .. import models as directory
from ..search.indexing import services_reindex
from . import mapping
from .plan import Plan
from .validation import MODELS

BATCH = 500
# Parts of an object and what owns them, in the order they are written.
PARTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("address", (("location_id", "location"),)),
    ("service_at_location", (("service_id", "service"),)),
    ("contact", (
        ("organization_id", "organization"), ("service_id", "service"), ("location_id", "location"),
    )),
    ("phone", (
        ("organization_id", "organization"), ("location_id", "location"), ("service_id", "service"),
        ("service_at_location_id", "service_at_location"), ("contact_id", "contact"),
    )),
    ("schedule", (
        ("service_id", "service"), ("location_id", "location"),
        ("service_at_location_id", "service_at_location"),
    )),
    ("cost_option", (("service_id", "service"),)),
    ("required_document", (("service_id", "service"),)),
    ("service_area", (("service_id", "service"),)),
)  # fmt: skip


def _chunks(ids: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(ids)
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _existing(model: Any, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for chunk in _chunks(ids):
        found |= set(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _upsert(model: Any, rows: list[dict[str, Any]], *, skip: Iterable[str] = ()) -> None:
    if not rows:
        return
    fields = [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in {"created_at", *skip}
    ]
    model.objects.bulk_create(
        [model(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=fields,
        batch_size=BATCH,
    )


def _assurers(plan: Plan, rows: list[dict[str, Any]]) -> None:
    """Who verified each service: the user it names if that user verified it here before,
    else the name and e-mail as text."""
    users: dict[uuid.UUID, User] = {}
    for chunk in _chunks(row["id"] for row in rows):
        for service in directory.Service.objects.filter(
            pk__in=chunk, verified_by__isnull=False
        ).select_related("verified_by"):
            assert service.verified_by is not None
            users[service.pk] = service.verified_by
    for row in rows:
        name, email = plan.assurers.get(row["id"], ("", ""))
        user = users.get(row["id"])
        same = user is not None and (
            (email and email == user.email) or (not email and name and name == user.display_name)
        )
        row["verified_by_id"] = user.pk if same and user is not None else None
        row["verified_by_name"] = "" if same else mapping.assurer_join(name, email)


def _replace_parts(
    table: str, owners: tuple[tuple[str, str], ...], plan: Plan, held: dict[str, set[uuid.UUID]]
) -> None:
    """Delete the parts of the publication's objects that it no longer gives them."""
    model: Any = MODELS[table]
    keep = {row["id"] for row in plan.rows.get(table, [])}
    stale: set[uuid.UUID] = set()
    for field, owner in owners:
        for chunk in _chunks(held.get(owner, set())):
            found = model.objects.filter(**{f"{field}__in": chunk}).values_list("pk", flat=True)
            stale |= set(found) - keep
    for chunk in _chunks(stale):
        model.objects.filter(pk__in=chunk).delete()


def _links(plan: Plan, service_ids: set[uuid.UUID]) -> None:
    """Categories and languages of the publication's services."""
    categories = dict(directory.ServiceCategory.objects.values_list("code", "pk"))
    languages = dict(Language.objects.values_list("code", "pk"))
    for relation, wanted, pks, column in (
        (directory.Service.categories, plan.categories, categories, "servicecategory_id"),
        (directory.Service.languages, plan.languages, languages, "language_id"),
    ):
        through: Any = relation.through
        for chunk in _chunks(service_ids):
            through.objects.filter(service_id__in=chunk).delete()
        through.objects.bulk_create(
            [
                through(service_id=service_id, **{column: pks[code]})
                for service_id, codes in wanted.items()
                if service_id in service_ids
                for code in codes
            ],
            batch_size=BATCH,
        )


def write_plan(
    plan: Plan, *, actor: User | None, reindex: bool = True
) -> dict[str, tuple[int, int]]:
    """Write everything; returns (created, updated) for organisations, locations, services."""
    counts: dict[str, tuple[int, int]] = {}
    held: dict[str, set[uuid.UUID]] = {}
    for table in ("organization", "location", "service", "service_at_location", "contact"):
        held[table] = {row["id"] for row in plan.rows.get(table, [])}
    before = {
        table: _existing(MODELS[table], held[table])
        for table in ("organization", "location", "service")
    }
    for table in ("organization", "location", "service"):
        counts[table] = (len(held[table] - before[table]), len(held[table] & before[table]))
    _upsert(directory.Organization, plan.rows.get("organization", []))
    _upsert(directory.Location, plan.rows.get("location", []))
    services = plan.rows.get("service", [])
    _assurers(plan, services)
    for row in services:
        row["updated_by_id"] = actor.pk if actor is not None else None
    _upsert(directory.Service, services, skip=("revision",))
    for chunk in _chunks(before["service"]):
        directory.Service.objects.filter(pk__in=chunk).update(revision=F("revision") + 1)
    for pk, moment in plan.last_modified.items():
        directory.Service.objects.filter(pk=pk).update(updated_at=moment)
    for table, owners in PARTS:
        _replace_parts(table, owners, plan, held)
        _upsert(MODELS[table], plan.rows.get(table, []))
    _links(plan, held["service"])
    if reindex:
        affected = set(held["service"])
        for chunk in _chunks(held["organization"]):
            affected |= set(
                directory.Service.objects.filter(organization_id__in=chunk).values_list(
                    "pk", flat=True
                )
            )
        for chunk in _chunks(held["location"]):
            affected |= set(
                directory.ServiceAtLocation.objects.filter(location_id__in=chunk).values_list(
                    "service_id", flat=True
                )
            )
        services_reindex(service_ids=sorted(affected, key=str))
    return counts
