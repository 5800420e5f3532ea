"""A directory entry as plain data: what the edit screen (or an import) hands to the services.

The services check and write it in one transaction; nothing here touches the database.
"""

from __future__ import annotations

import datetime
import functools
import uuid
import zoneinfo
from dataclasses import dataclass, field

from .models import DEFAULT_TIMEZONE, CostLevel, Organization, ServiceStatus


@dataclass
class OrganizationData:
    name: str
    alternate_name: str = ""
    description: str = ""
    email: str = ""
    website: str = ""
    legal_status: str = ""


@dataclass
class LocationData:
    """A place where the service is given, with its street address.

    `id` names a location the service already has (it is then changed in place); None
    makes a new one.
    """

    address_1: str
    city: str
    id: uuid.UUID | None = None
    name: str = ""
    address_2: str = ""
    postal_code: str = ""
    state_province: str = ""
    country: str = "RU"
    timezone: str = DEFAULT_TIMEZONE
    transportation: str = ""


@dataclass
class PhoneData:
    number: str
    extension: int | None = None
    type: str = ""
    description: str = ""


@dataclass
class ScheduleData:
    """Open on `days` (MO..SU) from `opens_at` to `closes_at`; no times: open all day."""

    days: list[str]
    opens_at: datetime.time | None = None
    closes_at: datetime.time | None = None
    description: str = ""

    @property
    def all_day(self) -> bool:
        return self.opens_at is None and self.closes_at is None


@dataclass
class ServiceData:
    """Everything the edit screen sets on a service.

    `organization` is an existing organisation or the data of a new one. `categories` and
    `languages` are codes. `documents` are the documents to bring, one per item.
    `mark_verified` records that the editor checked the entry with the service today.
    """

    organization: Organization | OrganizationData
    name: str
    categories: list[str]
    alternate_name: str = ""
    description: str = ""
    url: str = ""
    email: str = ""
    status: str = ServiceStatus.ACTIVE
    alert: str = ""
    application_process: str = ""
    fees_description: str = ""
    eligibility_description: str = ""
    interpretation_services: str = ""
    wait_time: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    cost: str = CostLevel.UNKNOWN
    walk_ins: bool = False
    no_documents_needed: bool = False
    no_registration_needed: bool = False
    is_national: bool = False
    citizenships: list[str] = field(default_factory=list)
    sexes: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    locations: list[LocationData] = field(default_factory=list)
    phones: list[PhoneData] = field(default_factory=list)
    schedules: list[ScheduleData] = field(default_factory=list)
    mark_verified: bool = False


# The Service fields copied as they are.
SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "alert",
    "application_process",
    "fees_description",
    "eligibility_description",
    "interpretation_services",
    "wait_time",
    "minimum_age",
    "maximum_age",
    "cost",
    "walk_ins",
    "no_documents_needed",
    "no_registration_needed",
    "is_national",
)

# The time zones of Russia, west to east, then those of the countries most callers come
# from: the first choices of the time-zone select.
COMMON_TIMEZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
    "Asia/Tashkent",
    "Asia/Dushanbe",
    "Asia/Bishkek",
    "Asia/Almaty",
)


_REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


@functools.cache
def known_timezones() -> frozenset[str]:
    """The IANA zones of places (no aliases such as "US/Eastern"), and UTC."""
    names = {name for name in zoneinfo.available_timezones() if name.split("/")[0] in _REGIONS}
    return frozenset(names | {"UTC"})


@functools.lru_cache(maxsize=2)
def _timezone_choices(day: datetime.date) -> tuple[tuple[str, str], ...]:
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    names = [name for name in COMMON_TIMEZONES if name in known_timezones()]
    names += sorted(known_timezones() - set(names))
    choices = []
    for name in names:
        offset = noon.astimezone(zoneinfo.ZoneInfo(name)).strftime("%z")
        choices.append((name, f"{name} (UTC{offset[:3]}:{offset[3:]})"))
    return tuple(choices)


def timezone_choices() -> list[tuple[str, str]]:
    """(name, "name (UTC+hh:mm)") for a select: the common zones first, then the rest."""
    return list(_timezone_choices(datetime.datetime.now(datetime.UTC).date()))
