"""The HSDS 3.0 tables: their fields, types and requirements, and which of them we keep.

One description serves the export (columns and their order), the datapackage.json we
write, and the import's checks, so that what we write is exactly what we accept.

Field notation: ``name:kind`` with suffixes ``!`` required, ``~`` (with ``!``) may be
empty, ``-`` read and checked but not kept, ``=`` derived from other data (not kept,
and not worth a note when it is lost).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

HSDS_VERSION = "3.0"

KINDS = ("text", "uuid", "email", "uri", "url", "number", "integer", "date", "time", "datetime")

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("service", "status"): ("active", "inactive", "defunct", "temporarily closed"),
    ("location", "location_type"): ("physical", "postal", "virtual"),
    ("address", "address_type"): ("physical", "postal", "virtual"),
    ("schedule", "freq"): ("WEEKLY", "MONTHLY"),
    ("schedule", "wkst"): ("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"
    required: bool = False
    blank: bool = False  # a required text that may be empty
    kept: bool = True
    derived: bool = False
    choices: tuple[str, ...] = ()

    @property
    def is_text(self) -> bool:
        return self.kind == "text" and not self.choices


@dataclass(frozen=True)
class Table:
    name: str  # the HSDS resource name ("service")
    path: str  # its CSV file ("services.csv")
    plural: str  # its collection in JSON ("services")
    fields: tuple[Field, ...]
    kept: bool = True

    @functools.cached_property
    def by_name(self) -> dict[str, Field]:
        return {field.name: field for field in self.fields}

    @property
    def columns(self) -> list[str]:
        return [field.name for field in self.fields]


def _fields(table: str, spec: str) -> tuple[Field, ...]:
    fields = []
    for token in spec.split():
        flags = ""
        while token[-1] in "!~-=":
            flags += token[-1]
            token = token[:-1]
        name, _sep, kind = token.partition(":")
        choices = ENUMS.get((table, name), ())
        fields.append(
            Field(
                name=name,
                kind=kind or "text",
                required="!" in flags,
                blank="~" in flags,
                kept="-" not in flags and "=" not in flags,
                derived="=" in flags,
                choices=choices,
            )
        )
    return tuple(fields)


_SPEC = (
    (
        "organization", "organizations.csv", "organizations",
        "id:uuid! name! alternate_name description!~ email:email website:url tax_status- tax_id-"
        " year_incorporated:number- legal_status logo- uri:uri- parent_organization_id:uuid-",
    ),
    ("program", "programs.csv", "programs",
     "id:uuid! organization_id:uuid! name! alternate_name description!~"),
    (
        "service", "services.csv", "services",
        "id:uuid! organization_id:uuid! program_id:uuid- name! alternate_name description url:url"
        " email:email status! interpretation_services application_process fees_description"
        " wait_time fees- accreditations- eligibility_description minimum_age:integer"
        " maximum_age:integer assured_date:date assurer_email:email licenses- alert"
        " last_modified:datetime",
    ),
    ("attribute", "attributes.csv", "attributes",
     "id:uuid! link_id:uuid! taxonomy_term_id:uuid! link_type- link_entity! value"),
    ("service_at_location", "service_at_location.csv", "service_at_locations",
     "id:uuid! service_id:uuid! location_id:uuid! description"),
    (
        "location", "locations.csv", "locations",
        "id:uuid! location_type! url:url organization_id:uuid name alternate_name description"
        " transportation latitude:number longitude:number external_identifier-"
        " external_identifier_type-",
    ),
    (
        "phone", "phones.csv", "phones",
        "id:uuid! location_id:uuid service_id:uuid organization_id:uuid contact_id:uuid"
        " service_at_location_id:uuid number! extension:integer type description",
    ),
    (
        "contact", "contacts.csv", "contacts",
        "id:uuid! organization_id:uuid service_id:uuid service_at_location_id:uuid-"
        " location_id:uuid name title department email:email",
    ),
    (
        "address", "addresses.csv", "addresses",
        "id:uuid! location_id:uuid attention address_1! address_2 city! region state_province!~"
        " postal_code!~ country! address_type!",
    ),
    (
        "schedule", "schedules.csv", "schedules",
        "id:uuid! service_id:uuid location_id:uuid service_at_location_id:uuid valid_from:date"
        " valid_to:date dtstart:date- timezone:number- until:date- count:number- wkst- freq"
        " interval:number- byday byweekno- bymonthday- byyearday- description opens_at:time"
        " closes_at:time schedule_link:uri- attending_type notes",
    ),
    ("funding", "funding.csv", "funding",
     "id:uuid! organization_id:uuid service_id:uuid source"),
    ("service_area", "service_areas.csv", "service_areas",
     "id:uuid! service_id:uuid name description extent extent_type uri"),
    ("required_document", "required_documents.csv", "required_documents",
     "id:uuid! service_id:uuid document uri:url"),
    ("language", "languages.csv", "languages",
     "id:uuid!= service_id:uuid location_id:uuid- phone_id:uuid- name= code note-"),
    ("accessibility", "accessibility.csv", "accessibility",
     "id:uuid! location_id:uuid description details url:uri"),
    (
        "taxonomy_term", "taxonomy_terms.csv", "taxonomy_terms",
        "id:uuid! code name!= description!~= parent_id:uuid= taxonomy language= taxonomy_id:uuid"
        " term_uri:uri=",
    ),
    (
        "metadata", "metadata.csv", "metadata",
        "id:uuid! resource_id:uuid! resource_type! last_action_date:date! last_action_type!"
        " field_name! previous_value!~ replacement_value!~ updated_by!",
    ),
    ("meta_table_description", "meta_table_descriptions.csv", "meta_table_descriptions",
     "id:uuid! name language character_set"),
    (
        "cost_option", "cost_options.csv", "cost_options",
        "id:uuid! service_id:uuid! valid_from:date valid_to:date option currency amount:number"
        " amount_description",
    ),
    ("organization_identifier", "organization_identifiers.csv", "organization_identifiers",
     "id:uuid! organization_id:uuid! identifier_scheme identifier_type! identifier!"),
    ("taxonomy", "taxonomies.csv", "taxonomies", "id:uuid! name! description!~= uri:uri= version="),
)  # fmt: skip

NOT_KEPT = {
    "program",
    "funding",
    "accessibility",
    "metadata",
    "meta_table_description",
    "organization_identifier",
}

TABLES: dict[str, Table] = {
    name: Table(name, path, plural, _fields(name, spec), kept=name not in NOT_KEPT)
    for name, path, plural, spec in _SPEC
}

# The tables an export writes, in the order of the HSDS datapackage.
EXPORTED = (
    "organization",
    "service",
    "attribute",
    "service_at_location",
    "location",
    "phone",
    "contact",
    "address",
    "schedule",
    "service_area",
    "required_document",
    "language",
    "taxonomy_term",
    "cost_option",
    "taxonomy",
)

BY_PATH = {table.path: table for table in TABLES.values()}
BY_PLURAL = {table.plural: table for table in TABLES.values()}

# What the objects are called in messages ("service 3 (id …)").
LABELS = {
    "organization": pgettext_lazy("hsds object", "organisation"),
    "program": pgettext_lazy("hsds object", "programme"),
    "service": pgettext_lazy("hsds object", "service"),
    "attribute": pgettext_lazy("hsds object", "attribute"),
    "service_at_location": pgettext_lazy("hsds object", "service at location"),
    "location": pgettext_lazy("hsds object", "location"),
    "phone": pgettext_lazy("hsds object", "phone"),
    "contact": pgettext_lazy("hsds object", "contact"),
    "address": pgettext_lazy("hsds object", "address"),
    "schedule": pgettext_lazy("hsds object", "schedule"),
    "funding": pgettext_lazy("hsds object", "funding"),
    "service_area": pgettext_lazy("hsds object", "service area"),
    "required_document": pgettext_lazy("hsds object", "required document"),
    "language": pgettext_lazy("hsds object", "language"),
    "accessibility": pgettext_lazy("hsds object", "accessibility"),
    "taxonomy_term": pgettext_lazy("hsds object", "taxonomy term"),
    "metadata": pgettext_lazy("hsds object", "metadata"),
    "meta_table_description": pgettext_lazy("hsds object", "table description"),
    "cost_option": pgettext_lazy("hsds object", "cost option"),
    "organization_identifier": pgettext_lazy("hsds object", "organisation identifier"),
    "taxonomy": pgettext_lazy("hsds object", "taxonomy"),
}

KIND_DESCRIPTIONS = {
    "uuid": _("an identifier (UUID)"),
    "email": _("an e-mail address"),
    "uri": _("a URI"),
    "url": _("a web address (http or https)"),
    "number": _("a number"),
    "integer": _("a whole number"),
    "date": _("a date (YYYY-MM-DD)"),
    "time": _("a time (HH:MM)"),
    "datetime": _("a date and time (YYYY-MM-DDTHH:MM:SSZ)"),
}
