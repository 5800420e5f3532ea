"""What HSDS has no field for, carried as attributes with terms of our own taxonomies.

Taxonomy ``helpline`` (the terms a service, organisation or location can carry):

======================== ============ ===========================================
term code                links to     meaning (attribute ``value``)
======================== ============ ===========================================
``citizenship:UZ``       service      serves citizens of this country (ISO 3166-1)
``sex:female``/``male``  service      serves women / men only
``cost:free|low|paid``   service      cost level
``walk_ins``             service      walk-ins accepted
``no_documents_needed``  service      no documents needed
``no_registration_needed`` service    no migration registration needed
``national``             service      serves callers anywhere in the country
``archived``             service      archived (value: when, UTC)
``assurer``              service      who verified it (value: the name)
``demo``                 service, org a demo entry, not real
``timezone``             location     time zone of its opening hours (value: IANA name)
======================== ============ ===========================================

Taxonomy ``helpline-service-categories``: the service categories, one term per category
(code = category code, parent = the parent category).

Every id here is derived (models.derived_id), so an export gives the same ids each time.
"""

from __future__ import annotations

import re
import uuid

from django.utils.translation import gettext as _
from django_countries import countries

from ..models import CostLevel, ServedSex, derived_id

TAXONOMY = "helpline"
CATEGORY_TAXONOMY = "helpline-service-categories"

# Service booleans carried as terms without a value.
FLAGS = {
    "walk_ins": "walk_ins",
    "no_documents_needed": "no_documents_needed",
    "no_registration_needed": "no_registration_needed",
    "national": "is_national",
}
SEXES = tuple(ServedSex.values)
COSTS = tuple(value for value in CostLevel.values if value)
FIXED_CODES = (
    *(f"sex:{sex}" for sex in SEXES),
    *(f"cost:{cost}" for cost in COSTS),
    *FLAGS,
    "archived",
    "assurer",
    "demo",
    "timezone",
)
WITH_VALUE = frozenset({"archived", "assurer", "timezone"})
SINGLE = frozenset({"archived", "assurer", "timezone", "demo", "cost"})
ENTITIES = {"demo": ("service", "organization"), "timezone": ("location",)}
_CITIZENSHIP = re.compile(r"^citizenship:([A-Z]{2})$")


def taxonomy_id(name: str) -> uuid.UUID:
    return derived_id("taxonomy", name)


def term_id(code: str) -> uuid.UUID:
    """The id of a term of the ``helpline`` taxonomy."""
    return derived_id("term", TAXONOMY, code)


def category_term_id(code: str) -> uuid.UUID:
    """The id of a category's term (the same as ServiceCategory.hsds_id)."""
    return derived_id("category", code)


def attribute_id(link_id: object, code: str) -> uuid.UUID:
    return derived_id(link_id, "attribute", code)


def language_id(service_id: object, code: str) -> uuid.UUID:
    return derived_id(service_id, "language", code)


def citizenship_of(code: str) -> str | None:
    """ "UZ" for "citizenship:UZ" (a known country), else None."""
    match = _CITIZENSHIP.match(code)
    return match.group(1) if match and match.group(1) in countries else None


def is_known(code: str) -> bool:
    return code in FIXED_CODES or citizenship_of(code) is not None


def group(code: str) -> str:
    """The part of a code before the colon: "cost" for "cost:free"."""
    return code.partition(":")[0]


def entities(code: str) -> tuple[str, ...]:
    """What a term may be attached to."""
    return ENTITIES.get(code, ("service",))


def term_name(code: str) -> str:
    """The term's name in the active language."""
    country = citizenship_of(code)
    if country:
        return _("Citizens of %(country)s") % {"country": countries.name(country)}
    if code.startswith("sex:"):
        return str(ServedSex(code[4:]).label)
    if code.startswith("cost:"):
        return str(CostLevel(code[5:]).label)
    names = {
        "walk_ins": _("Walk-ins accepted"),
        "no_documents_needed": _("No documents needed"),
        "no_registration_needed": _("No migration registration needed"),
        "national": _("Serves callers anywhere in the country"),
        "archived": _("Archived"),
        "assurer": _("Verified by"),
        "demo": _("Demo entry"),
        "timezone": _("Time zone"),
    }
    return names[code]


def term_description(code: str) -> str:
    if citizenship_of(code):
        return _("The service is for citizens of this country.")
    if code.startswith("sex:"):
        return _("The service is for this sex only.")
    if code.startswith("cost:"):
        return _("What the service costs.")
    descriptions = {
        "archived": _("The entry is archived; the value is when (UTC)."),
        "assurer": _("The value is the name of who last verified the entry."),
        "demo": _("A demonstration entry, not a real service or organisation."),
        "timezone": _("The value is the IANA time zone of the location's opening hours."),
    }
    return descriptions.get(code, term_name(code))


def taxonomy_description(name: str) -> str:
    if name == TAXONOMY:
        return _("What a helpline for labour migrants records about a service beyond HSDS.")
    return _("The kinds of service of a helpline's referral directory.")


# --- Who verified an entry ---------------------------------------------------------------
# An imported entry keeps its assurer as "Name <email>" (or either part alone) in
# Service.verified_by_name, so that the next export gives the same name and e-mail.

_MAILBOX = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>$")


def assurer_join(name: str, email: str) -> str:
    name, email = name.strip(), email.strip()
    if name and email:
        return f"{name} <{email}>"
    return name or email


def assurer_split(text: str) -> tuple[str, str]:
    """(name, email) from what assurer_join made."""
    text = text.strip()
    match = _MAILBOX.match(text)
    if match:
        return match.group("name"), match.group("email")
    if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", text):
        return "", text
    return text, ""
