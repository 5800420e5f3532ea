"""Reading the demo directory files: every entry checked, every problem said where it is.

The format is described in `directory_format`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from django.utils.translation import gettext as _
from django_countries import countries

from helpline.common.models import Language
from helpline.demo.directory_format import (
    FILE_KEYS,
    KEY_PATTERN,
    LOCATION_KEYS,
    ORGANIZATION_KEYS,
    PLACE_KEYS,
    SERVICE_FLAGS,
    SERVICE_KEYS,
    SERVICE_TEXTS,
    Checker,
    DirectoryData,
    DirectoryDataError,
    Entry,
    LocationEntry,
    ServiceEntry,
    YamlLoader,
    with_note,
)
from helpline.directory.categories import category_rows
from helpline.directory.models import (
    CostLevel,
    Location,
    Organization,
    ServedSex,
    Service,
    ServiceStatus,
)

DEMO_DIRECTORY_DIR = Path(__file__).resolve().parent / "directory"


class _Reader(Checker):
    """Reads the files of a folder into DirectoryData, checking every entry."""

    def __init__(self) -> None:
        super().__init__()
        self.data = DirectoryData()
        self.category_codes = {row["code"] for row in category_rows()}
        self.language_codes = set(Language.objects.values_list("code", flat=True))
        self.seen_keys: dict[str, dict[str, str]] = {}

    def key(self, raw: dict[str, Any], kind: str) -> str:
        key = raw.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            self.problem("key", _("give a key of lowercase Latin letters, digits and hyphens"))
            return ""
        self._entry = key
        seen = self.seen_keys.setdefault(kind, {})
        if key in seen:
            self.problem("key", _("the key is already used in %(source)s") % {"source": seen[key]})
            return ""
        seen[key] = self._source
        return key

    # Files -----------------------------------------------------------------------------

    def read_folder(self, folder: Path) -> DirectoryData:
        files = sorted(folder.glob("*.yaml"))
        if not files:
            self._source = str(folder)
            self.problem("", _("no .yaml files in this folder"))
        for path in files:
            self._source = path.name
            self._at(None)
            try:
                with path.open(encoding="utf-8") as handle:
                    raw = yaml.load(handle, Loader=YamlLoader)  # noqa: S506 - a SafeLoader
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                self.problem(
                    "",
                    _("invalid YAML: %(problem)s") % {"problem": exc.problem or exc.context},
                    line=mark.line + 1 if mark else None,
                )
                continue
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                self.problem("", _("invalid YAML: %(problem)s") % {"problem": exc})
                continue
            self.read_file(raw)
        self.check_references()
        return self.data

    def read_file(self, raw: Any) -> None:
        if raw is None:
            return
        if not self.mapping(raw, _("file")):
            return
        self.unknown_keys(raw, FILE_KEYS)
        places = self.places(raw.get("places") or {})
        note = self.text(raw, "demo_note")
        defaults = {
            "note": note,
            "city": self.text(raw, "city"),
            "area": self.text(raw, "area", max_length=200),
            "verified_by": self.text(raw, "verified_by"),
        }
        lists = {name: raw.get(name) or [] for name in ("organizations", "locations", "services")}
        for name, items in lists.items():
            if not isinstance(items, list):
                self.problem(name, _("write a list of entries"))
                lists[name] = []
        if any(lists.values()) and not note:
            self.problem("demo_note", _("say that the entries of this file are invented"))
        for item in lists["organizations"]:
            self._at(item)
            if self.mapping(item, _("organisation")):
                self.organization(item, note)
        for item in lists["locations"]:
            self._at(item)
            if self.mapping(item, _("location")):
                self.location(item, places, defaults)
        for item in lists["services"]:
            self._at(item)
            if self.mapping(item, _("service")):
                self.service(item, defaults)

    def places(self, raw: Any) -> dict[str, dict[str, str]]:
        if not isinstance(raw, dict):
            self.problem("places", _("write a mapping of city names to their details"))
            return {}
        places = {}
        for city, details in raw.items():
            if not isinstance(details, dict):
                self.problem(
                    "places",
                    _("%(city)s: write country, state_province, timezone") % {"city": city},
                )
                continue
            self.unknown_keys(details, PLACE_KEYS)
            country = self.text(details, "country").upper()
            if country not in countries:
                self.problem(
                    "places",
                    _("%(city)s: unknown country code “%(code)s”")
                    % {"city": city, "code": country},
                )
            zone = self.text(details, "timezone")
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                self.problem(
                    "places",
                    _("%(city)s: unknown time zone “%(zone)s”") % {"city": city, "zone": zone},
                )
            places[str(city)] = {
                "country": country,
                "state_province": self.text(details, "state_province", max_length=100),
                "timezone": zone,
            }
        return places

    def organization(self, raw: dict[str, Any], note: str) -> None:
        key = self.key(raw, "organisation")
        self.unknown_keys(raw, ORGANIZATION_KEYS)
        values = {
            name: self.model_text(raw, name, Organization, name)
            for name in ("name", "alternate_name", "email", "website", "legal_status")
        }
        if not values["name"]:
            self.problem("name", _("the field is missing"))
        values["description"] = with_note(self.text(raw, "description"), note)
        entry = Entry(key, self._source, self._line, values, self.phones(raw))
        if key:
            self.data.organizations[key] = entry

    def location(
        self, raw: dict[str, Any], places: dict[str, dict[str, str]], defaults: dict[str, str]
    ) -> None:
        key = self.key(raw, "location")
        self.unknown_keys(raw, LOCATION_KEYS)
        values: dict[str, Any] = {
            name: self.model_text(raw, name, Location, name)
            for name in ("name", "alternate_name", "description", "transportation")
        }
        kind = self.text(raw, "type") or "physical"
        if kind not in ("physical", "postal", "virtual"):
            self.problem("type", _("write physical, postal or virtual"))
        values["location_type"] = kind
        for name in ("latitude", "longitude"):
            if raw.get(name) is not None:
                try:
                    values[name] = Decimal(str(raw[name])).quantize(Decimal("0.000001"))
                except InvalidOperation:
                    self.problem(name, _("write a number"))
        city = self.text(raw, "city") or defaults["city"]
        place = places.get(city)
        if place is None:
            self.problem(
                "city", _("“%(city)s” is not among the places of the file") % {"city": city}
            )
            place = {"country": "RU", "state_province": "", "timezone": ""}
        address = {
            "address_1": self.text(raw, "address", max_length=300),
            "address_2": self.text(raw, "address_2", max_length=300),
            "region": self.text(raw, "district", max_length=100),
            "postal_code": self.text(raw, "postal_code", max_length=20),
            "city": city,
            "state_province": place["state_province"],
            "country": place["country"],
        }
        if kind != "virtual" and not address["address_1"]:
            self.problem("address", _("the field is missing"))
        organization = self.text(raw, "organization")
        entry = LocationEntry(
            key,
            self._source,
            self._line,
            values,
            self.phones(raw),
            self.hours(raw),
            organization=organization,
            address=address if address["address_1"] else {},
            timezone=place["timezone"],
        )
        if key:
            self.data.locations[key] = entry

    def service(self, raw: dict[str, Any], defaults: dict[str, str]) -> None:
        key = self.key(raw, "service")
        self.unknown_keys(raw, SERVICE_KEYS)
        values: dict[str, Any] = {
            target: self.model_text(raw, name, Service, target)
            for name, target in SERVICE_TEXTS.items()
        }
        if not values["name"]:
            self.problem("name", _("the field is missing"))
        values["description"] = with_note(values["description"], defaults["note"])
        for name in SERVICE_FLAGS:
            values[name] = self.flag(raw, name)
        values["is_national"] = self.flag(raw, "national")
        cost = self.text(raw, "cost")
        if cost not in CostLevel.values:
            self.problem("cost", _("write free, low or paid"))
        values["cost"] = cost
        status = self.text(raw, "status") or ServiceStatus.ACTIVE
        if status not in ServiceStatus.values:
            self.problem(
                "status",
                _("write one of: %(values)s") % {"values": ", ".join(ServiceStatus.values)},
            )
        values["status"] = status
        citizenships = [code.upper() for code in self.strings(raw, "citizenships")]
        for code in citizenships:
            if code not in countries:
                self.problem("citizenships", _("unknown country code “%(code)s”") % {"code": code})
        values["citizenships"] = citizenships
        sexes = self.strings(raw, "sexes")
        for sex in sexes:
            if sex not in ServedSex.values:
                self.problem("sexes", _("write female or male"))
        values["sexes"] = sexes
        values["minimum_age"] = self.whole(raw, "minimum_age", high=120)
        values["maximum_age"] = self.whole(raw, "maximum_age", high=120)
        low, high = values["minimum_age"], values["maximum_age"]
        if low is not None and high is not None and low > high:
            self.problem("maximum_age", _("the maximum age is below the minimum age"))
        categories = self.strings(raw, "categories")
        if not categories:
            self.problem("categories", _("give at least one category"))
        for code in categories:
            if code not in self.category_codes:
                self.problem("categories", _("unknown category “%(code)s”") % {"code": code})
        languages = self.strings(raw, "languages")
        for code in languages:
            if code not in self.language_codes:
                self.problem("languages", _("unknown language “%(code)s”") % {"code": code})
        documents = self.strings(raw, "documents")
        for document in documents:
            if len(document) > 300:
                self.problem("documents", _("a document is longer than 300 characters"))
        verified = raw.get("verified")
        verified_days = None
        if verified != "never":
            verified_days = self.whole(raw, "verified", high=3650)
            if verified_days is None and verified is None:
                self.problem("verified", _("write how many days ago it was verified, or never"))
        entry = ServiceEntry(
            key,
            self._source,
            self._line,
            values,
            self.phones(raw),
            self.hours(raw),
            organization=self.text(raw, "organization"),
            locations=self.strings(raw, "locations"),
            categories=categories,
            languages=languages,
            documents=documents,
            cost_options=self.cost_options(raw),
            contacts=self.contacts(raw),
            area=self.text(raw, "area", max_length=200) or defaults["area"],
            verified_by=defaults["verified_by"],
            verified_days=verified_days,
            archived_days=self.whole(raw, "archived", high=3650),
        )
        if entry.values["is_national"] and entry.locations:
            self.problem("national", _("a national line has no locations"))
        if not entry.values["is_national"] and not entry.locations:
            self.problem("locations", _("give a location with an address, or national: true"))
        if key:
            self.data.services[key] = entry

    def check_references(self) -> None:
        data = self.data
        # A service whose numbers were refused is not told again that it has none.
        refused_phones = {(p.source, p.entry) for p in self.problems if p.field == "phones"}
        for key, location in data.locations.items():
            self._source, self._line, self._entry = location.source, location.line, key
            if location.organization not in data.organizations:
                self.problem(
                    "organization",
                    _("unknown organisation “%(key)s”") % {"key": location.organization},
                )
        for key, service in data.services.items():
            self._source, self._line, self._entry = service.source, service.line, key
            if service.organization not in data.organizations:
                self.problem(
                    "organization",
                    _("unknown organisation “%(key)s”") % {"key": service.organization},
                )
            phones = list(service.phones)
            has_address = False
            for location_key in service.locations:
                linked = data.locations.get(location_key)
                if linked is None:
                    self.problem(
                        "locations", _("unknown location “%(key)s”") % {"key": location_key}
                    )
                    continue
                phones.extend(linked.phones)
                has_address = has_address or bool(linked.address)
            if not phones and (service.source, key) not in refused_phones:
                self.problem("phones", _("give at least one phone number"))
            if service.locations and not has_address and not service.values["is_national"]:
                self.problem("locations", _("none of the locations has an address"))


def directory_read(folder: Path = DEMO_DIRECTORY_DIR) -> DirectoryData:
    """The entries of the files of `folder`, checked; DirectoryDataError lists every problem."""
    reader = _Reader()
    data = reader.read_folder(folder)
    if reader.problems:
        raise DirectoryDataError(reader.problems)
    return data
