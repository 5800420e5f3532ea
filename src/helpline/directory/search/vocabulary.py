"""The directory's index in memory: key counts and near spellings (as the knowledge base
has them), and what the filters need: the cities and time zones in use, the ids of the
categories and languages by code."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpline.common.models import Language
from helpline.common.search import vocabulary as shared

from ..models import ServiceCategory, ServiceSearchDocument, ServiceSearchState, ServiceSearchTerm
from . import facets as facet


@dataclass(frozen=True)
class City:
    key: str  # the facet key
    name: str  # as written in the directory (the first spelling indexed)
    services: int


@dataclass
class DirectoryVocabulary(shared.Vocabulary):
    cities: list[City] = field(default_factory=list)  # by name
    zones: list[str] = field(default_factory=list)  # IANA names
    category_ids: dict[str, int] = field(default_factory=dict)  # code → pk
    language_ids: dict[str, int] = field(default_factory=dict)  # code → pk

    def count(self, key: str) -> int:
        return self.frequency.get(key, 0)

    def city(self, name: str) -> str:
        """The facet key of a city given by name (any spelling with the same letters)."""
        return facet.city_facet(name)


def generation() -> str:
    return ServiceSearchState.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def _load(current_generation: str) -> DirectoryVocabulary:
    frequency, title_frequency = {}, {}
    cities, zones = [], []
    for key, documents, title_documents, label in ServiceSearchTerm.objects.values_list(
        "key", "documents", "title_documents", "label"
    ):
        frequency[key] = documents
        if title_documents:
            title_frequency[key] = title_documents
        if key.startswith(facet.CITY):
            cities.append(City(key, label or key[len(facet.CITY) :], documents))
        elif key.startswith(facet.ZONE) and label:
            zones.append(label)
    loaded = DirectoryVocabulary(
        generation=current_generation,
        documents=ServiceSearchDocument.objects.count(),
        frequency=frequency,
        title_frequency=title_frequency,
        cities=sorted(cities, key=lambda c: (c.name.casefold(), c.key)),
        zones=sorted(zones),
        language_ids=dict(Language.objects.values_list("code", "pk")),
    )
    loaded.category_ids = dict(ServiceCategory.objects.values_list("code", "pk"))
    loaded.index_near_spellings()
    return loaded


_cache = shared.VocabularyCache(generation=generation, load=_load)


def changed_here() -> None:
    """Called by the indexing after a change: this thread must not use its cached copy."""
    _cache.changed_here()


def vocabulary() -> DirectoryVocabulary:
    """The vocabulary of the current index generation, loaded once per process and
    reloaded when the index changes (asked of the database at most every two seconds)."""
    return _cache.get()
