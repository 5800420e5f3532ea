"""From checked HSDS objects to the rows the directory will hold.

Attributes with terms of our taxonomies become the fields HSDS has no place for
(mapping.py); those of other taxonomies are noted and left. Language objects become the
languages a service speaks, by code.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django_countries import countries

from helpline.common.models import Language

from .. import models as directory
from ..entry_data import known_timezones
from . import mapping
from .errors import ImportProblem, shown
from .fields import LABELS, TABLES
from .records import Notes
from .references import where
from .validation import MODELS, Clean, Invalid, parse_moment

ISO_639_3 = {
    "rus": "ru", "uzb": "uz", "tgk": "tg", "kir": "ky", "eng": "en", "kaz": "kk",
    "hye": "hy", "arm": "hy", "aze": "az", "ron": "ro", "rum": "ro", "ukr": "uk",
}  # fmt: skip
OWNERS = ("organization_id", "location_id", "service_id", "service_at_location_id", "contact_id")
Checked = dict[str, dict[uuid.UUID, Clean]]  # table -> id -> object


@dataclass
class Plan:
    """What to write: model field values by table, and a service's many-to-many links."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    categories: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    languages: dict[uuid.UUID, list[str]] = field(default_factory=dict)
    last_modified: dict[uuid.UUID, datetime.datetime] = field(default_factory=dict)
    assurers: dict[uuid.UUID, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Term:
    taxonomy: str
    code: str


def _our_terms() -> dict[uuid.UUID, Term]:
    terms = {mapping.term_id(code): Term(mapping.TAXONOMY, code) for code in mapping.FIXED_CODES}
    for country in countries:
        code = f"citizenship:{country.code}"
        terms[mapping.term_id(code)] = Term(mapping.TAXONOMY, code)
    for code in directory.ServiceCategory.objects.values_list("code", flat=True):
        terms[mapping.category_term_id(code)] = Term(mapping.CATEGORY_TAXONOMY, code)
    return terms


class _Planner:
    def __init__(self, tables: Checked, known: dict[str, set[uuid.UUID]], notes: Notes) -> None:
        self.tables = tables
        self.known = known
        self.notes = notes
        self.problems: list[ImportProblem] = []
        self.plan = Plan()
        self.extras: dict[tuple[str, uuid.UUID], list[tuple[Term, str, Clean]]] = defaultdict(list)

    def fail(self, clean: Clean, name: str, message: str) -> None:
        self.problems.append(clean.problem(name, message))

    def terms(self) -> dict[uuid.UUID, Term]:
        ours = _our_terms()
        taxonomy_names = {
            mapping.taxonomy_id(n): n for n in (mapping.TAXONOMY, mapping.CATEGORY_TAXONOMY)
        }
        taxonomy_names.update(
            {
                pk: clean.data.get("name", "")
                for pk, clean in self.tables.get("taxonomy", {}).items()
            }
        )
        categories = set(directory.ServiceCategory.objects.values_list("code", flat=True))
        found: dict[uuid.UUID, Term] = {}
        for pk, clean in self.tables.get("taxonomy_term", {}).items():
            taxonomy_id = clean.data.get("taxonomy_id")
            if taxonomy_id is not None and taxonomy_id not in taxonomy_names:
                self.fail(
                    clean,
                    "taxonomy_id",
                    _("there is no taxonomy with the id %(id)s") % {"id": taxonomy_id},
                )
                continue
            name = (taxonomy_id and taxonomy_names.get(taxonomy_id)) or clean.data.get(
                "taxonomy", ""
            )
            code = clean.data.get("code", "")
            if name == mapping.TAXONOMY and not mapping.is_known(code):
                self.fail(
                    clean,
                    "code",
                    _("“%(code)s” is not a term of the taxonomy %(taxonomy)s")
                    % {"code": shown(code), "taxonomy": name},
                )
            elif name == mapping.CATEGORY_TAXONOMY and code not in categories:
                self.fail(
                    clean, "code", _("“%(code)s” is not a service category") % {"code": shown(code)}
                )
            else:
                found[pk] = Term(name, code)
        return {**ours, **found}

    def attributes(self) -> None:
        terms = self.terms()
        ours = (mapping.TAXONOMY, mapping.CATEGORY_TAXONOMY)
        for clean in self.tables.get("attribute", {}).values():
            term_id, entity = clean.data.get("taxonomy_term_id"), clean.data.get("link_entity", "")
            if term_id is None or clean.data.get("link_id") is None:
                continue
            term = terms.get(term_id)
            if term is None:
                if term_id not in self.tables.get("taxonomy_term", {}):
                    self.fail(
                        clean,
                        "taxonomy_term_id",
                        _("there is no taxonomy term with the id %(id)s") % {"id": term_id},
                    )
                continue
            if term.taxonomy not in ours:
                self.notes.add("taxonomy", term.taxonomy or "?")
                continue
            allowed = (
                mapping.entities(term.code) if term.taxonomy == mapping.TAXONOMY else ("service",)
            )
            if entity not in allowed:
                self.fail(
                    clean,
                    "link_entity",
                    _("a “%(code)s” attribute belongs to: %(allowed)s")
                    % {"code": term.code, "allowed": ", ".join(allowed)},
                )
                continue
            link_id = clean.data["link_id"]
            if link_id not in self.known[entity]:
                self.fail(
                    clean,
                    "link_id",
                    _("there is no %(target)s with the id %(id)s")
                    % {"target": LABELS[entity], "id": link_id},
                )
                continue
            self.extras[(entity, link_id)].append((term, clean.data.get("value", ""), clean))

    def extras_of(self, entity: str, pk: uuid.UUID) -> dict[str, Any]:
        """The fields that the attributes of one object give."""
        values: dict[str, Any] = {"categories": [], "citizenships": [], "sexes": set()}
        seen: Counter[str] = Counter()
        for term, value, clean in self.extras.get((entity, pk), []):
            key = term.code if term.taxonomy == mapping.TAXONOMY else f"category:{term.code}"
            single = mapping.group(term.code) if term.taxonomy == mapping.TAXONOMY else key
            seen[key] += 1
            seen[f"single:{single}"] += single in mapping.SINGLE
            if seen[key] > 1 or seen[f"single:{single}"] > 1:
                self.fail(
                    clean,
                    "taxonomy_term_id",
                    _("the %(object)s has the attribute “%(code)s” more than once")
                    % {"object": LABELS[entity], "code": term.code},
                )
                continue
            if term.code in mapping.WITH_VALUE and not value:
                self.fail(
                    clean,
                    "value",
                    _("is required for the attribute “%(code)s”") % {"code": term.code},
                )
                continue
            self.apply(values, key, term, value, clean)
        return values

    def apply(self, values: dict[str, Any], key: str, term: Term, value: str, clean: Clean) -> None:
        code = term.code
        if key.startswith("category:"):
            values["categories"].append(code)
        elif mapping.citizenship_of(code):
            values["citizenships"].append(code.partition(":")[2])
        elif code.startswith("sex:"):
            values["sexes"].add(code[4:])
        elif code.startswith("cost:"):
            values["cost"] = code[5:]
        elif code in mapping.FLAGS:
            values[mapping.FLAGS[code]] = True
        elif code == "demo":
            values["is_demo"] = True
        elif code == "timezone":
            if value not in known_timezones():
                self.fail(
                    clean,
                    "value",
                    _("“%(value)s” is not a time zone (Europe/Moscow...)")
                    % {"value": shown(value)},
                )
            values["timezone"] = value
        elif code == "archived":
            try:
                values["archived_at"] = parse_moment(value)
            except Invalid as exc:
                self.fail(clean, "value", str(exc))
        elif code == "assurer":
            values["assurer"] = value

    def model_values(self, table: str, clean: Clean) -> dict[str, Any]:
        """The model's fields from the object's kept fields; absent ones get their default."""
        model: Any = MODELS[table]
        values: dict[str, Any] = {"id": clean.id}
        for spec in TABLES[table].fields:
            if not spec.kept or spec.name == "id":
                continue
            try:
                model_field = model._meta.get_field(spec.name)
            except FieldDoesNotExist:
                continue
            value = clean.data.get(spec.name)
            if value is None and not model_field.null:
                value = ""
            values[model_field.attname] = value
        return values

    def services(self) -> None:
        for pk, clean in self.tables.get("service", {}).items():
            values = self.model_values("service", clean)
            extras = self.extras_of("service", pk)
            self.plan.categories[pk] = extras.pop("categories")
            sexes = extras.pop("sexes")
            values["sexes"] = [sex for sex in mapping.SEXES if sex in sexes]
            assurer = extras.pop("assurer", "")
            email = clean.data.get("assurer_email", "")
            if len(mapping.assurer_join(assurer, email)) > 200:
                self.fail(
                    clean,
                    "assurer_email",
                    _("the name and e-mail of who verified it are longer than 200 characters"),
                )
            self.plan.assurers[pk] = (assurer, email)
            values.update(extras, verified_on=clean.data.get("assured_date"))
            if "last_modified" in clean.data:
                self.plan.last_modified[pk] = clean.data["last_modified"]
            self.plan.rows["service"].append(values)

    def languages(self) -> None:
        codes = set(Language.objects.values_list("code", flat=True))
        for clean in self.tables.get("language", {}).values():
            service_id = clean.data.get("service_id")
            if service_id is None:  # a language of a location or phone: noted already
                continue
            code = clean.data.get("code", "").strip().lower()
            code = ISO_639_3.get(code, code)
            if not code:
                self.fail(
                    clean, "code", _("is required: languages are known by their code (ru, uz...)")
                )
            elif code not in codes:
                self.fail(
                    clean,
                    "code",
                    _("“%(code)s” is not a known language code (%(codes)s)")
                    % {"code": shown(code), "codes": ", ".join(sorted(codes))},
                )
            elif code in self.plan.languages.setdefault(service_id, []):
                self.fail(
                    clean,
                    "code",
                    _("the language “%(code)s” is given twice for this service") % {"code": code},
                )
            else:
                self.plan.languages[service_id].append(code)

    def rest(self) -> None:
        for pk, clean in self.tables.get("organization", {}).items():
            values = self.model_values("organization", clean)
            values["is_demo"] = bool(self.extras_of("organization", pk).get("is_demo"))
            self.plan.rows["organization"].append(values)
        for pk, clean in self.tables.get("location", {}).items():
            values = self.model_values("location", clean)
            extras = self.extras_of("location", pk)
            values["timezone"] = extras.get("timezone") or directory.DEFAULT_TIMEZONE
            self.plan.rows["location"].append(values)
        pairs: dict[tuple[Any, Any], Clean] = {}
        for clean in self.tables.get("service_at_location", {}).values():
            pair = (clean.data.get("service_id"), clean.data.get("location_id"))
            if None in pair:
                continue
            if pair in pairs:
                self.fail(
                    clean,
                    "location_id",
                    _("the service is already linked to this location (%(other)s)")
                    % {"other": where(pairs[pair].record)},
                )
            pairs[pair] = clean
        positions: Counter[tuple[str, Any]] = Counter()
        for table in (
            "address",
            "service_at_location",
            "phone",
            "contact",
            "schedule",
            "cost_option",
            "required_document",
            "service_area",
        ):
            for clean in self.tables.get(table, {}).values():
                values = self.model_values(table, clean)
                if table == "phone":
                    owner = next((name for name in OWNERS if values.get(name)), "")
                    values["position"] = positions[(owner, values.get(owner))]
                    positions[(owner, values.get(owner))] += 1
                self.plan.rows[table].append(values)


def make_plan(
    tables: Checked, known: dict[str, set[uuid.UUID]], notes: Notes
) -> tuple[Plan, list[ImportProblem]]:
    """The rows to write, and the problems found on the way."""
    planner = _Planner(tables, known, notes)
    planner.attributes()
    planner.languages()
    planner.services()
    planner.rest()
    return planner.plan, planner.problems
