"""Reads of the directory's search: the search itself and the values of its filters.
Every selector takes the acting user."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString

from helpline.accounts import access
from helpline.accounts.models import User
from helpline.common.models import Language
from helpline.common.search.query import Query, query_parse
from helpline.common.search.snippets import highlight, snippet

from ..models import ServiceCategory, ServiceStatus
from ..presentation import ServiceCard, service_card
from . import facets as facet
from .backends import Filters
from .cards import Interval, services_for_cards
from .engine import Found, search
from .hours import is_open, week_minute
from .vocabulary import City, DirectoryVocabulary, vocabulary

DEFAULT_LIMIT = 10  # each hit is a whole card: enough to choose from while on a call
MAX_LIMIT = 100
SNIPPET_WORDS = 24


@dataclass(frozen=True)
class ServiceSearchQuery:
    """What a consultant asks the directory for. Every part is optional."""

    text: str = ""  # any language, script or spelling
    city: str = ""  # a city's name as the directory writes it; "" anywhere
    category: str = ""  # a category's code; its subcategories are included
    language: str = ""  # a language's code: services whose staff speak it
    citizenship: str = ""  # the caller's citizenship (ISO code): services open to it
    open_now: bool = False
    free_only: bool = False
    limit: int = DEFAULT_LIMIT
    now: datetime.datetime | None = None  # "now" for open_now and the flags; default: now


@dataclass
class ServiceSearchHit:
    card: ServiceCard
    title: SafeString  # the service's name, escaped, the words that matched marked
    snippet: SafeString  # a passage of its description, escaped, matches marked
    open_now: bool | None  # None: its opening hours are not known
    is_national: bool  # serves callers anywhere in the country
    is_local: bool  # located in the city searched (False when no city was given)
    is_temporarily_closed: bool
    score: float | None  # None when nothing was typed (name order)

    @property
    def service_id(self) -> uuid.UUID:
        return self.card.service.pk


@dataclass
class ServiceSearchResult:
    query: ServiceSearchQuery
    hits: list[ServiceSearchHit] = field(default_factory=list)
    has_more: bool = False  # more services match than `limit`
    understood: bool = True  # False: words were typed, but none the directory knows


def _require_reader(actor: User) -> None:
    if not access.can_read_directory(actor):
        raise PermissionDenied


@dataclass(frozen=True)
class _Plan:
    filters: Filters
    national: Filters | None
    place: str  # the city key searched, "" when none


def _plan(
    query: ServiceSearchQuery, vocab: DirectoryVocabulary, now: datetime.datetime
) -> _Plan | None:
    """The filters of a query; None when one of its values matches nothing."""
    groups: list[tuple[str, ...]] = []
    if query.category:
        pk = vocab.category_ids.get(query.category)
        if pk is None:
            return None
        groups.append((facet.category_facet(pk),))
    if query.language:
        pk = vocab.language_ids.get(query.language)
        if pk is None:
            return None
        groups.append((facet.language_facet(pk),))
    if query.citizenship:
        groups.append(
            tuple(
                key
                for key in (facet.EVERY_CITIZENSHIP, facet.citizenship_facet(query.citizenship))
                if key
            )
        )
    if query.free_only:
        groups.append((facet.FREE,))
    open_at = tuple((zone, week_minute(now, zone)) for zone in vocab.zones)
    hours: tuple[str, ...] = ()
    if query.open_now:
        hours = tuple(facet.open_facet(zone, minute // 60) for zone, minute in open_at)
    if not query.city.strip():
        return _Plan(Filters(tuple(groups), (), hours, query.open_now, open_at), None, "")
    city = facet.city_facet(query.city)
    if not city:
        return None
    place = facet.city_key(query.city)
    local = Filters((*groups, (city,)), (), hours, query.open_now, open_at, place)
    national = Filters((*groups, (facet.NATIONAL,)), (city,), hours, query.open_now, open_at)
    return _Plan(local, national, place)


def service_search(*, actor: User, query: ServiceSearchQuery) -> ServiceSearchResult:
    """Services for a caller: by words in any script or spelling, and filters.

    Archived, inactive and closed-for-good services never appear; temporarily closed ones
    do, flagged. With words typed the best matches come first; with none, the services
    in name order. With a city, the services located there come first, then the national
    ones (`is_local` tells them apart).
    """
    _require_reader(actor)
    result = ServiceSearchResult(query=query)
    vocab = vocabulary()
    now = query.now or timezone.now()
    plan = _plan(query, vocab, now)
    if plan is None:
        return result
    parsed: Query | None = None
    if query.text.strip():
        parsed = query_parse(query.text, vocabulary=vocab)
        if not parsed:
            result.understood = False
            return result
    limit = min(max(query.limit, 1), MAX_LIMIT)
    found, local_count = search(parsed, plan.filters, vocab, top=limit + 1, national=plan.national)
    result.has_more = len(found) > limit
    result.hits = _hits(
        found[:limit],
        local_count=local_count if plan.national is not None else 0,
        place=plan.place,
        keys=parsed.keys if parsed else set(),
        now=now,
        zones=vocab.zones,
    )
    return result


def _open_flags(
    found: list[Found],
    read: list[Interval],
    *,
    local_count: int,
    place: str,
    now: datetime.datetime,
    zones: list[str],
) -> dict[int, bool]:
    """Whether each document is open now (absent: no opening hours known). For a service
    located in the city searched, only its hours there count."""
    minutes = {zone: week_minute(now, zone) for zone in zones}
    local = {item.candidate.document_id for item in found[:local_count]}
    intervals: dict[int, list[tuple[str, str, int, int]]] = {}
    for document_id, at, zone, starts, ends in read:
        intervals.setdefault(document_id, []).append((at, zone, starts, ends))
    flags = {}
    for document_id, rows in intervals.items():
        if place and document_id in local:
            rows = [row for row in rows if row[0] == place] or rows
        flags[document_id] = any(
            is_open([(starts, ends)], minutes.get(zone, week_minute(now, zone)))
            for _at, zone, starts, ends in rows
        )
    return flags


def _snippet(text: str, keys: set[str]) -> SafeString:
    """The passage of the text where the words typed are; nothing typed: its beginning."""
    if not text:
        return SafeString("")
    if keys:
        return snippet(text, keys, window=SNIPPET_WORDS)
    words = text.split()
    shown = " ".join(words[:SNIPPET_WORDS])
    return escape(shown + (" …" if len(words) > SNIPPET_WORDS else ""))


def _hits(
    found: list[Found],
    *,
    local_count: int,
    place: str,
    keys: set[str],
    now: datetime.datetime,
    zones: list[str],
) -> list[ServiceSearchHit]:
    if not found:
        return []
    read = services_for_cards(
        [item.candidate.service_id for item in found],
        intervals_of=[item.candidate.document_id for item in found],
    )
    services = read.services
    flags = _open_flags(
        found, read.intervals, local_count=local_count, place=place, now=now, zones=zones
    )
    hits = []
    for position, item in enumerate(found):
        service = services.get(item.candidate.service_id)
        if service is None:  # deleted or archived since it was indexed
            continue
        text = service.description or service.eligibility_description
        hits.append(
            ServiceSearchHit(
                card=service_card(service),
                title=highlight(service.name, keys) if keys else escape(service.name),
                snippet=_snippet(text, keys),
                open_now=flags.get(item.candidate.document_id),
                is_national=service.is_national,
                is_local=bool(place) and position < local_count,
                is_temporarily_closed=service.status == ServiceStatus.TEMPORARILY_CLOSED,
                score=item.score,
            )
        )
    return hits


# --- The values of the filters -----------------------------------------------------------------


def search_cities(*, actor: User) -> list[City]:
    """The cities where services are located, by name."""
    _require_reader(actor)
    return vocabulary().cities


@dataclass
class CategoryGroup:
    category: ServiceCategory
    children: list[ServiceCategory] = field(default_factory=list)


def search_categories(*, actor: User) -> list[CategoryGroup]:
    """The active categories, each first-level one with its subcategories."""
    _require_reader(actor)
    rows = list(ServiceCategory.objects.filter(is_active=True).order_by("position", "code"))
    groups = {row.pk: CategoryGroup(row) for row in rows if row.parent_id is None}
    for row in rows:
        if row.parent_id in groups:
            groups[row.parent_id].children.append(row)
    return list(groups.values())


def search_filter_codes(*, actor: User) -> tuple[list[str], list[str]]:
    """The codes of the categories and of the languages the search knows (no query)."""
    _require_reader(actor)
    vocab = vocabulary()
    return sorted(vocab.category_ids), sorted(vocab.language_ids)


def search_languages(*, actor: User) -> list[Language]:
    _require_reader(actor)
    return list(Language.objects.filter(is_active=True).order_by("position", "code"))
