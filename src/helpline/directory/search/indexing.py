"""Keeping the directory's search index in step with its entries.

A service that may be offered (not archived, not inactive or closed for good) has one
search document: the analyser's keys of its names, organisation and categories (in every
language) as its title, of its description, eligibility and places as its body, its
facets (see `facets`), a sort key, and its weekly opening intervals. The term table
counts the documents of every key, as the knowledge base's does.

Called by the directory's services inside their transactions; never by views.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from helpline.common.search.terms import generation_bump, terms_adjust
from helpline.common.text.analyser import index_keys
from helpline.common.text.fold import fold

from ..models import (
    Address,
    AddressType,
    CostLevel,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
    ServiceOpenInterval,
    ServiceSearchDocument,
    ServiceSearchState,
    ServiceSearchTerm,
    ServiceStatus,
)
from . import facets as facet
from .hours import weekly_intervals, zone_name
from .vocabulary import changed_here

BATCH = 1000
NOT_OFFERED = (ServiceStatus.INACTIVE, ServiceStatus.DEFUNCT)
_LEADING_MARKS = re.compile(r"^[\W_]+")


def sort_key(name: str) -> str:
    """The name folded (case, ё), without leading quotes or marks: «Берёзка» → березка»."""
    return _LEADING_MARKS.sub("", fold(name)).strip()[:250]


def _merge_keys(*texts: str, without: Iterable[str] = ()) -> str:
    seen = dict.fromkeys(without)
    keys: dict[str, None] = {}
    for text in texts:
        for key in text.split():
            if key not in seen:
                keys[key] = None
    return " ".join(keys)


class Categories:
    """Every category, its parents and the keys of its names in the five languages."""

    def __init__(self) -> None:
        rows = ServiceCategory.objects.all()
        self.parent: dict[int, int | None] = {}
        self.names: dict[int, str] = {}
        for category in rows:
            self.parent[category.pk] = category.parent_id
            self.names[category.pk] = "\n".join(
                getattr(category, f"name_{lang}") for lang in ("ru", "en", "uz", "tg", "ky")
            )
        self._keys: dict[int, str] = {}

    def with_parents(self, pks: Iterable[int]) -> list[int]:
        found: dict[int, None] = {}
        for pk in pks:
            seen = 0
            current: int | None = pk
            while current is not None and current in self.parent and seen < 10:
                found[current] = None
                current = self.parent[current]
                seen += 1
        return list(found)

    def keys(self, pk: int) -> str:
        if pk not in self._keys:
            self._keys[pk] = index_keys(self.names.get(pk, ""))
        return self._keys[pk]


@dataclass
class Place:
    """A location of a service as the index needs it."""

    location: Location
    cities: list[str] = field(default_factory=list)  # of its physical addresses
    texts: list[str] = field(default_factory=list)  # location name, cities, districts
    schedules: list[Schedule] = field(default_factory=list)  # at this location


@dataclass
class Related:
    """What a batch of services' documents are made of besides the services themselves."""

    categories: dict[uuid.UUID, list[int]] = field(default_factory=lambda: defaultdict(list))
    languages: dict[uuid.UUID, list[int]] = field(default_factory=lambda: defaultdict(list))
    places: dict[uuid.UUID, list[Place]] = field(default_factory=lambda: defaultdict(list))
    schedules: dict[uuid.UUID, list[Schedule]] = field(default_factory=lambda: defaultdict(list))


def _related(services: list[Service]) -> Related:
    ids = [service.pk for service in services]
    related = Related()
    for service_id, category_id in Service.categories.through.objects.filter(
        service_id__in=ids
    ).values_list("service_id", "servicecategory_id"):
        related.categories[service_id].append(category_id)
    for service_id, language_id in Service.languages.through.objects.filter(
        service_id__in=ids
    ).values_list("service_id", "language_id"):
        related.languages[service_id].append(language_id)
    links = list(
        ServiceAtLocation.objects.filter(service_id__in=ids)
        .select_related("location")
        .order_by("created_at", "id")
    )
    location_ids = {link.location_id for link in links}
    addresses: dict[uuid.UUID, list[Address]] = defaultdict(list)
    for address in Address.objects.filter(location_id__in=location_ids).order_by(
        "address_type", "city", "address_1"
    ):
        addresses[address.location_id].append(address)
    by_location: dict[uuid.UUID, list[Schedule]] = defaultdict(list)
    by_link: dict[uuid.UUID, list[Schedule]] = defaultdict(list)
    link_ids = [link.pk for link in links]
    for schedule in Schedule.objects.filter(service_id__in=ids):
        if schedule.service_at_location_id is None:
            related.schedules[schedule.service_id].append(schedule)  # type: ignore[index]
    for schedule in Schedule.objects.filter(service_at_location_id__in=link_ids):
        by_link[schedule.service_at_location_id].append(schedule)  # type: ignore[index]
    for schedule in Schedule.objects.filter(
        location_id__in=location_ids, service__isnull=True, service_at_location__isnull=True
    ):
        by_location[schedule.location_id].append(schedule)  # type: ignore[index]
    for link in links:
        location = link.location
        physical = [a for a in addresses[location.pk] if a.address_type != AddressType.POSTAL]
        cities = list(dict.fromkeys(a.city.strip() for a in physical if a.city.strip()))
        texts = [location.name, location.alternate_name]
        for address in physical:
            texts += [address.city, address.region, address.state_province]
        # The hours at this location: its own for this service, else the service's, else
        # the location's.
        schedules = (
            by_link[link.pk] or related.schedules[link.service_id] or by_location[location.pk]
        )
        related.places[link.service_id].append(
            Place(location, cities, [t for t in texts if t], schedules)
        )
    return related


@dataclass
class Built:
    document: ServiceSearchDocument
    intervals: list[ServiceOpenInterval]
    labels: dict[str, str]  # facet key → what it stands for (a city's name, a zone)


def document_build(
    service: Service, related: Related, categories: Categories, *, day: datetime.date
) -> Built:
    organization = service.organization
    category_ids = categories.with_parents(related.categories[service.pk])
    places = related.places[service.pk]
    keys_name = index_keys(f"{service.name}\n{service.alternate_name}")
    keys_title = _merge_keys(
        keys_name,
        index_keys(f"{organization.name}\n{organization.alternate_name}"),
        *(categories.keys(pk) for pk in category_ids),
    )
    body = [service.description, service.eligibility_description]
    body += [text for place in places for text in place.texts]
    keys_body = _merge_keys(index_keys("\n".join(body)), without=keys_title.split())
    labels: dict[str, str] = {}
    found: set[str] = set()
    hours: set[str] = set()
    for place in places:
        for city in place.cities:
            key = facet.city_facet(city)
            if key:
                found.add(key)
                labels.setdefault(key, city)
    found.update(facet.category_facet(pk) for pk in category_ids)
    found.update(facet.language_facet(pk) for pk in related.languages[service.pk])
    citizenships = [facet.citizenship_facet(str(code)) for code in service.citizenships or []]
    found.update(citizenships if any(citizenships) else [facet.EVERY_CITIZENSHIP])
    if service.cost == CostLevel.FREE:
        found.add(facet.FREE)
    if service.is_national:
        found.add(facet.NATIONAL)
    document = ServiceSearchDocument(
        service=service,
        sort_key=sort_key(service.name),
        keys_title=keys_title,
        keys_name=keys_name,
        keys_body=keys_body,
        is_national=service.is_national,
    )
    intervals: list[ServiceOpenInterval] = []
    if places:
        for place in places:
            zone = zone_name(place.location.timezone)
            for city in place.cities or [""]:
                for starts, ends in weekly_intervals(place.schedules, day=day):
                    intervals.append(
                        ServiceOpenInterval(
                            document=document,
                            place=facet.city_key(city)[:100],
                            zone=zone,
                            starts=starts,
                            ends=ends,
                        )
                    )
    else:
        zone = zone_name("")
        for starts, ends in weekly_intervals(related.schedules[service.pk], day=day):
            intervals.append(
                ServiceOpenInterval(
                    document=document, place="", zone=zone, starts=starts, ends=ends
                )
            )
    for interval in intervals:
        key = facet.zone_facet(interval.zone)
        found.add(key)
        labels.setdefault(key, interval.zone)
        for hour in range(interval.starts // 60, (interval.ends - 1) // 60 + 1):
            hours.add(facet.open_facet(interval.zone, hour))
    document.facets = facet.facets_text(found)
    document.hours = facet.facets_text(hours)
    return Built(document, _unique(intervals), labels)


def _unique(intervals: list[ServiceOpenInterval]) -> list[ServiceOpenInterval]:
    seen: dict[tuple[str, str, int, int], ServiceOpenInterval] = {}
    for interval in intervals:
        seen.setdefault((interval.place, interval.zone, interval.starts, interval.ends), interval)
    return list(seen.values())


def _document_keys(document: ServiceSearchDocument) -> set[str]:
    return {
        *document.keys_title.split(),
        *document.keys_body.split(),
        *document.facets.split(),
        *document.hours.split(),
    }


def _offered(services: Iterable[uuid.UUID] | None = None) -> Iterator[list[Service]]:
    """The services that may be offered, in batches, by name."""
    rows = Service.objects.filter(archived_at__isnull=True).exclude(status__in=NOT_OFFERED)
    if services is not None:
        rows = rows.filter(pk__in=list(services))
    rows = rows.select_related("organization").order_by("name", "id")
    batch: list[Service] = []
    for service in rows.iterator(chunk_size=BATCH):
        batch.append(service)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(built: list[Built]) -> None:
    ServiceSearchDocument.objects.bulk_create([item.document for item in built])
    intervals = []
    for item in built:
        for interval in item.intervals:
            interval.document = item.document  # now with its pk
            intervals.append(interval)
    ServiceOpenInterval.objects.bulk_create(intervals, batch_size=BATCH)


def _bump_generation() -> None:
    generation_bump(model=ServiceSearchState, changed_here=changed_here)


@transaction.atomic
def services_reindex(*, service_ids: Iterable[uuid.UUID]) -> None:
    """Re-analyse these services (created, edited, archived or deleted) into the index.

    Every write to a service or to what its search text is made of (organisation,
    locations, addresses, schedules, categories, languages) calls this inside its
    transaction, after the write. A service archived, made inactive or deleted leaves the
    index; the counts of its keys are taken out of the term table.
    """
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return
    change: Counter[str] = Counter()
    title_change: Counter[str] = Counter()
    old = ServiceSearchDocument.objects.filter(service_id__in=ids)
    for document in old.only("keys_title", "keys_body", "facets", "hours"):
        change.subtract(_document_keys(document))
        title_change.subtract(set(document.keys_title.split()))
    ServiceOpenInterval.objects.filter(document__service_id__in=ids).delete()
    old.delete()
    categories = Categories()
    day = timezone.localdate()
    labels: dict[str, str] = {}
    for services in _offered(ids):
        related = _related(services)
        built = [document_build(s, related, categories, day=day) for s in services]
        _insert(built)
        for item in built:
            document = item.document
            change.update(_document_keys(document))
            title_change.update(set(document.keys_title.split()))
            labels.update(item.labels)
    terms_adjust(
        model=ServiceSearchTerm,
        change=change,
        title_change=title_change,
        new_row=lambda key: {"label": labels.get(key, "")[:250]},
    )
    _bump_generation()


@transaction.atomic
def directory_index_rebuild() -> int:
    """Rebuild the whole index (after an import, a change of the analyser or of the
    categories' names, or to repair it). Returns how many services it holds."""
    ServiceOpenInterval.objects.all().delete()
    ServiceSearchDocument.objects.all().delete()
    ServiceSearchTerm.objects.all().delete()
    if connection.vendor == "postgresql":
        # After a bulk import the planner has no statistics of the new rows.
        with connection.cursor() as cursor:
            for table in ("directory_service", "directory_serviceatlocation", "directory_schedule"):
                cursor.execute(f"ANALYZE {table}")
    categories = Categories()
    day = timezone.localdate()
    counts: Counter[str] = Counter()
    title_counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    total = 0
    for services in _offered():
        related = _related(services)
        built = [document_build(s, related, categories, day=day) for s in services]
        _insert(built)
        total += len(built)
        for item in built:
            document = item.document
            counts.update(_document_keys(document))
            title_counts.update(set(document.keys_title.split()))
            for key, label in item.labels.items():
                labels.setdefault(key, label)
    ServiceSearchTerm.objects.bulk_create(
        [
            ServiceSearchTerm(
                key=key,
                documents=n,
                title_documents=title_counts[key],
                label=labels.get(key, "")[:250],
            )
            for key, n in counts.items()
        ],
        batch_size=BATCH,
    )
    if connection.vendor == "sqlite":  # merge the FTS5 segments the bulk insert left behind
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO directory_search_fts(directory_search_fts) VALUES ('optimize')"
            )
    _bump_generation()
    return total
