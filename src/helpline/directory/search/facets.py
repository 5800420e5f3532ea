"""Facet keys: one index key per filter value, beside the text keys of a service.

A facet key starts with "y", a letter no key of the analyser ever holds (its skeletons
fold y into i), so a facet never meets a word and needs no column of its own. Filters are
then plain full-text conditions ("in Moscow and a hostel" is `ycmoskva AND yk3`), which
both engines answer from their indexes, and simple LIKE tests on the `facets` column.
The hours a service is open in are facets too, so that "open now" is first an indexed
test like the others.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from helpline.common.text.fold import fold
from helpline.common.text.script import skeleton

CITY = "yc"  # + the city's skeleton: "Москва" → ycmoskva
CATEGORY = "yk"  # + the category's pk (and one for each parent category)
LANGUAGE = "yl"  # + the language's pk
CITIZENSHIP = "yz"  # + the ISO code of a citizenship served
EVERY_CITIZENSHIP = "yzall"  # serves every citizenship
FREE = "yfree"
NATIONAL = "ynat"  # serves callers anywhere in the country
ZONE = "yt"  # + the time zone's letters: the zones of its opening hours
OPEN = "yo"  # + the zone's letters, "h", an hour of the week (0-167): open in that hour

_NOT_KEY = re.compile(r"[^a-z0-9]")


def city_key(city: str) -> str:
    """The letters of a city's name that every spelling of it in one script shares."""
    return skeleton(fold(city))


def city_facet(city: str) -> str:
    key = city_key(city)
    return CITY + key if key else ""


def category_facet(pk: object) -> str:
    return f"{CATEGORY}{pk}"


def language_facet(pk: object) -> str:
    return f"{LANGUAGE}{pk}"


def citizenship_facet(code: str) -> str:
    letters = _NOT_KEY.sub("", code.lower())
    return CITIZENSHIP + letters if letters and letters != "all" else ""


def zone_facet(zone: str) -> str:
    return ZONE + _NOT_KEY.sub("", zone.lower())


def open_facet(zone: str, hour: int) -> str:
    """Open at some time in this local hour of the week (Monday 00:00-01:00 is 0) of the
    zone (named by six letters of its name's hash, to keep the many hours short).

    A coarse, indexed first test of "open now"; the exact one reads the intervals."""
    return f"{OPEN}{_zone_code(zone)}h{hour}"


@cache
def _zone_code(zone: str) -> str:
    return hashlib.sha1(zone.encode(), usedforsecurity=False).hexdigest()[:6]


def is_facet(key: str) -> bool:
    return key.startswith("y")


def facets_text(facets: set[str]) -> str:
    """The facets as stored: sorted, each between spaces (for `LIKE '% key %'`)."""
    return " " + " ".join(sorted(facet for facet in facets if facet)) + " "
