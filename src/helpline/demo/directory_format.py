"""The demo directory files (`demo/directory/*.yaml`): their format and the checks of values.

Every file is a mapping with these keys (all optional):

``demo_note``
    a sentence added to the description of every organisation and service of the file,
    saying that the entry is invented (required when the file has entries);
``places``
    city name -> ``country`` (ISO code), ``state_province``, ``timezone`` (IANA name);
``city``, ``area``, ``verified_by``
    defaults of the file: the city of its locations, the service area of its services,
    the username of the demo user who verified them;
``organizations``, ``locations``, ``services``
    lists of entries, each with a ``key``: a stable slug from which the entry's id is
    derived (``demo_id``), so that loading again updates the entries instead of adding
    copies. Keys of one kind are unique across all files; locations and services name their
    organisation by its key, services their locations by theirs.

A service's ``hours`` are lines like ``MO-FR 09:00-13:00 14:00-18:00`` (one schedule per
time range: a lunch break is two), ``SA,SU 10:00-16:00``, ``SA`` (all day) or ``24/7``;
``verified`` is how many days ago it was last verified (or ``never``), ``archived`` how
many days ago it was archived. Phone numbers must follow the fictional scheme of
``FICTIONAL_PHONE_RANGES`` (the subscriber part begins with 000): no demo number rings a
real person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from helpline.directory.models import WEEKDAYS, Contact, PhoneType
from helpline.directory.phones import phone_normalise

# Fictional numbers: country code, area code, length of the subscriber part, which must
# begin with 000. Zero is a dialling prefix in these countries' numbering plans and
# subscriber numbers are not given out beginning with it, so these reach nobody.
FICTIONAL_PHONE_RANGES: tuple[tuple[str, str, int], ...] = (
    ("7", "495", 7),  # Moscow
    ("7", "499", 7),  # Moscow
    ("7", "812", 7),  # St Petersburg
    ("7", "343", 7),  # Yekaterinburg
    ("7", "800", 7),  # toll-free lines, written 8 800 000-..-..
    ("998", "71", 7),  # Tashkent
    ("998", "66", 7),  # Samarkand
    ("992", "37", 7),  # Dushanbe
    ("992", "3422", 5),  # Khujand
    ("996", "312", 6),  # Bishkek
    ("996", "3222", 5),  # Osh
)

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DAYS = r"(?:[A-Z]{2}(?:-[A-Z]{2})?)(?:,[A-Z]{2}(?:-[A-Z]{2})?)*"
_HOURS_LINE = re.compile(rf"^({_DAYS})((?:\s+\d{{1,2}}:\d{{2}}-\d{{1,2}}:\d{{2}})*)$")
_RANGE = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")

FILE_KEYS = {
    "demo_note", "places", "city", "area", "verified_by", "organizations", "locations",
    "services",
}  # fmt: skip
PLACE_KEYS = {"country", "state_province", "timezone"}
ORGANIZATION_KEYS = {
    "key", "name", "alternate_name", "description", "email", "website", "legal_status",
    "phones",
}  # fmt: skip
LOCATION_KEYS = {
    "key", "organization", "name", "alternate_name", "description", "type", "address",
    "address_2", "district", "postal_code", "city", "transportation", "latitude",
    "longitude", "phones", "hours",
}  # fmt: skip
SERVICE_KEYS = {
    "key", "organization", "locations", "name", "alternate_name", "description",
    "categories", "languages", "hours", "phones", "cost", "fees", "cost_options",
    "documents", "citizenships", "sexes", "minimum_age", "maximum_age", "walk_ins",
    "no_documents_needed", "no_registration_needed", "national", "verified", "archived",
    "status", "alert", "eligibility", "how_to_apply", "wait_time", "interpretation", "url",
    "email", "contacts", "area",
}  # fmt: skip
PHONE_KEYS = {"number", "extension", "type", "description"}
HOURS_KEYS = {"when", "description"}
COST_OPTION_KEYS = {"option", "amount", "currency", "amount_description"}
CONTACT_KEYS = {"name", "title", "department", "email"}
# YAML name -> Service field, for the plain texts of a service.
SERVICE_TEXTS = {
    "name": "name",
    "alternate_name": "alternate_name",
    "description": "description",
    "fees": "fees_description",
    "alert": "alert",
    "eligibility": "eligibility_description",
    "how_to_apply": "application_process",
    "wait_time": "wait_time",
    "interpretation": "interpretation_services",
    "url": "url",
    "email": "email",
}
SERVICE_FLAGS = ("walk_ins", "no_documents_needed", "no_registration_needed")


def fictional_phone(number: str) -> bool:
    """True if the (normalised) number lies in one of the fictional ranges."""
    digits = re.sub(r"\D", "", number)
    for country, area, length in FICTIONAL_PHONE_RANGES:
        prefix = country + area
        if digits.startswith(prefix) and len(digits) == len(prefix) + length:
            return digits[len(prefix) :].startswith("000")
    return False


# --- Errors ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DataProblem:
    """One problem, said where it is: file, line, entry and field."""

    source: str
    line: int | None
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        if self.entry:
            where = _("%(where)s, entry “%(entry)s”") % {"where": where, "entry": self.entry}
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class DirectoryDataError(Exception):
    """The demo directory files are invalid; `problems` lists every problem found."""

    def __init__(self, problems: list[DataProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on."""

    line: int | None = None


class YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when there is one), keeping the lines of mappings."""


def _construct_mapping(loader: YamlLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping({str(k): v for k, v in loader.construct_mapping(node, deep=True).items()})
    mapping.line = node.start_mark.line + 1
    return mapping


YamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# --- What the files hold ---------------------------------------------------------------


@dataclass
class Entry:
    key: str
    source: str
    line: int | None
    values: dict[str, Any] = field(default_factory=dict)
    phones: list[dict[str, Any]] = field(default_factory=list)
    hours: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ServiceEntry(Entry):
    organization: str = ""
    locations: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    cost_options: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    area: str = ""
    verified_by: str = ""
    verified_days: int | None = None
    archived_days: int | None = None


@dataclass
class LocationEntry(Entry):
    organization: str = ""
    address: dict[str, Any] = field(default_factory=dict)
    timezone: str = ""


@dataclass
class DirectoryData:
    organizations: dict[str, Entry] = field(default_factory=dict)
    locations: dict[str, LocationEntry] = field(default_factory=dict)
    services: dict[str, ServiceEntry] = field(default_factory=dict)


def with_note(text: str, note: str) -> str:
    if not note:
        return text
    return f"{text}\n\n{note}" if text else note


def hours_parse(line: str) -> list[dict[str, Any]] | None:
    """'MO-FR 09:00-13:00 14:00-18:00' -> two schedules; '24/7' -> every day, all day."""
    text = " ".join(line.split())
    if text == "24/7":
        return [{"byday": ",".join(WEEKDAYS), "opens_at": None, "closes_at": None}]
    match = _HOURS_LINE.match(text)
    if match is None:
        return None
    days: list[str] = []
    for part in match.group(1).split(","):
        first, _sep, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            return None
        start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        if end < start:
            return None
        days.extend(day for day in WEEKDAYS[start : end + 1] if day not in days)
    byday = ",".join(day for day in WEEKDAYS if day in days)
    ranges = _RANGE.findall(match.group(2))
    if not ranges:
        return [{"byday": byday, "opens_at": None, "closes_at": None}]
    schedules = []
    for h1, m1, h2, m2 in ranges:
        if int(h1) > 23 or int(h2) > 24 or int(m1) > 59 or int(m2) > 59:
            return None
        closes = time(0, 0) if int(h2) == 24 else time(int(h2), int(m2))
        schedules.append({"byday": byday, "opens_at": time(int(h1), int(m1)), "closes_at": closes})
    return schedules


class Checker:
    """Checks the values of the files, collecting every problem with where it is."""

    def __init__(self) -> None:
        self.problems: list[DataProblem] = []
        self.email = EmailValidator()
        self.url = URLValidator(schemes=["http", "https"])
        self._source = ""
        self._line: int | None = None
        self._entry = ""

    # Problems --------------------------------------------------------------------------

    def problem(self, field_name: str, message: str, line: int | None = None) -> None:
        self.problems.append(
            DataProblem(self._source, line or self._line, self._entry, field_name, message)
        )

    def _at(self, raw: Any, entry: str = "") -> None:
        self._line = getattr(raw, "line", None)
        self._entry = entry

    # Values ----------------------------------------------------------------------------

    def text(self, raw: dict[str, Any], name: str, *, max_length: int | None = None) -> str:
        value = raw.get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(name, _("write a single text value"))
            return ""
        text = str(value).strip()
        if max_length and len(text) > max_length:
            self.problem(
                name,
                _("at most %(max)d characters (this has %(count)d)")
                % {"max": max_length, "count": len(text)},
            )
        return text

    def strings(self, raw: dict[str, Any], name: str) -> list[str]:
        value = raw.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.problem(name, _("write a list of values"))
            return []
        return [str(v).strip() for v in value]

    def flag(self, raw: dict[str, Any], name: str) -> bool:
        value = raw.get(name, False)
        if not isinstance(value, bool):
            self.problem(name, _("write true or false"))
            return False
        return value

    def whole(self, raw: dict[str, Any], name: str, *, low: int = 0, high: int = 999) -> int | None:
        value = raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                name,
                _("write a whole number from %(low)d to %(high)d") % {"low": low, "high": high},
            )
            return None
        return value

    def unknown_keys(self, raw: dict[str, Any], allowed: set[str]) -> None:
        for name in sorted(set(raw) - allowed):
            self.problem(
                name,
                _("unknown field (allowed: %(fields)s)") % {"fields": ", ".join(sorted(allowed))},
            )

    def mapping(self, raw: Any, what: str) -> bool:
        if not isinstance(raw, dict):
            self.problem("", _("each %(what)s must be a mapping of fields") % {"what": what})
            return False
        return True

    def model_text(self, raw: dict[str, Any], name: str, model: Any, field_name: str) -> str:
        max_length = getattr(model._meta.get_field(field_name), "max_length", None)
        text = self.text(raw, name, max_length=max_length)
        if text and field_name in ("email",):
            try:
                self.email(text)
            except ValidationError:
                self.problem(name, _("not an e-mail address"))
        if text and field_name in ("url", "website"):
            try:
                self.url(text)
            except ValidationError:
                self.problem(name, _("not a web address (http:// or https://)"))
        return text

    def phones(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        value = raw.get("phones")
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem("phones", _("write a list of phone numbers"))
            return []
        phones = []
        for position, item in enumerate(value):
            phone = item if isinstance(item, dict) else {"number": item}
            self.unknown_keys(phone, PHONE_KEYS)
            number = self.text(phone, "number")
            try:
                number = phone_normalise(number)
            except ValidationError as exc:
                self.problem("phones", f"{number}: {' '.join(exc.messages)}")
                continue
            if not fictional_phone(number):
                self.problem(
                    "phones",
                    _(
                        "%(number)s is not in a fictional range (the subscriber part must "
                        "begin with 000 after a known area code)"
                    )
                    % {"number": number},
                )
                continue
            kind = self.text(phone, "type") or PhoneType.VOICE
            if kind not in PhoneType.values:
                self.problem("phones", _("unknown phone type “%(type)s”") % {"type": kind})
            phones.append(
                {
                    "number": number,
                    "extension": self.whole(phone, "extension", low=1, high=99999),
                    "type": kind,
                    "description": self.text(phone, "description", max_length=300),
                    "position": position,
                }
            )
        return phones

    def hours(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        value = raw.get("hours")
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem("hours", _("write a list of lines like “MO-FR 09:00-18:00”"))
            return []
        schedules: list[dict[str, Any]] = []
        for item in value:
            line = item if isinstance(item, dict) else {"when": item}
            self.unknown_keys(line, HOURS_KEYS)
            when = self.text(line, "when")
            description = self.text(line, "description", max_length=300)
            parsed = hours_parse(when)
            if parsed is None:
                self.problem(
                    "hours",
                    _(
                        "cannot read “%(line)s”: write days (MO-FR, SA,SU) and times "
                        "(09:00-13:00 14:00-18:00), or 24/7"
                    )
                    % {"line": when},
                )
                continue
            schedules.extend({**schedule, "description": description} for schedule in parsed)
        return schedules

    def cost_options(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        items = raw.get("cost_options") or []
        if not isinstance(items, list):
            self.problem("cost_options", _("write a list of options"))
            return []
        options = []
        for item in items:
            if not isinstance(item, dict):
                self.problem("cost_options", _("write each option as a mapping"))
                continue
            self.unknown_keys(item, COST_OPTION_KEYS)
            amount = None
            if item.get("amount") is not None:
                try:
                    amount = Decimal(str(item["amount"]))
                except InvalidOperation:
                    self.problem("cost_options", _("the amount must be a number"))
            options.append(
                {
                    "option": self.text(item, "option", max_length=250),
                    "amount": amount,
                    "currency": self.text(item, "currency", max_length=3),
                    "amount_description": self.text(item, "amount_description", max_length=300),
                }
            )
        return options

    def contacts(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        items = raw.get("contacts") or []
        if not isinstance(items, list):
            self.problem("contacts", _("write a list of contacts"))
            return []
        contacts = []
        for item in items:
            if not isinstance(item, dict):
                self.problem("contacts", _("write each contact as a mapping"))
                continue
            self.unknown_keys(item, CONTACT_KEYS)
            contacts.append(
                {name: self.model_text(item, name, Contact, name) for name in sorted(CONTACT_KEYS)}
            )
        return contacts
