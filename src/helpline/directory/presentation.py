"""A service as a consultant needs it on a call, and as a referral slip prints it.

One place turns schedules, addresses and phones into short lines of text, in whatever
language is active, so that search results, the service page, a referral's snapshot and
the printed slip all say the same thing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import WEEKDAYS, Address, Phone, Schedule, Service

_DAY_ABBREVIATIONS = {
    "MO": lambda: pgettext("weekday", "Mon"),
    "TU": lambda: pgettext("weekday", "Tue"),
    "WE": lambda: pgettext("weekday", "Wed"),
    "TH": lambda: pgettext("weekday", "Thu"),
    "FR": lambda: pgettext("weekday", "Fri"),
    "SA": lambda: pgettext("weekday", "Sat"),
    "SU": lambda: pgettext("weekday", "Sun"),
}


def day_label(code: str) -> str:
    return _DAY_ABBREVIATIONS[code]()


def _day_ranges(days: Iterable[str]) -> str:
    """MO,TU,WE,FR -> "Mon–Wed, Fri" in the active language."""
    indexes = sorted({WEEKDAYS.index(day) for day in days if day in WEEKDAYS})
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        first, last = day_label(WEEKDAYS[run[0]]), day_label(WEEKDAYS[run[-1]])
        parts.append(first if len(run) == 1 else f"{first}–{last}")
    return ", ".join(parts)


def schedule_line(schedule: Schedule) -> str:
    days = schedule.days
    if schedule.opens_at is None or schedule.closes_at is None:
        if len(days) == 7 or not days:
            text = _("24 hours, every day")
        else:
            text = _("%(days)s, all day") % {"days": _day_ranges(days)}
    else:
        hours = f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}"
        text = f"{_day_ranges(days)} {hours}" if days else hours
    if schedule.description:
        text = f"{text} ({schedule.description})"
    return text


def hours_lines(schedules: Iterable[Schedule]) -> list[str]:
    """Opening hours, one line per time range, days merged: "Mon–Fri 09:00–18:00"."""
    by_times: dict[tuple[datetime.time | None, datetime.time | None, str], list[str]] = {}
    for schedule in schedules:
        key = (schedule.opens_at, schedule.closes_at, schedule.description)
        by_times.setdefault(key, []).extend(schedule.days)
    lines = []
    for (opens_at, closes_at, description), days in by_times.items():
        merged = Schedule(
            byday=",".join(days), opens_at=opens_at, closes_at=closes_at, description=description
        )
        lines.append(schedule_line(merged))
    return lines


def address_line(address: Address) -> str:
    parts = [address.address_1, address.address_2, address.city]
    return ", ".join(part for part in parts if part)


def phone_line(phone: Phone) -> str:
    text = phone.number
    if phone.extension:
        text = _("%(number)s ext. %(extension)s") % {
            "number": phone.number,
            "extension": phone.extension,
        }
    if phone.description:
        text = f"{text} ({phone.description})"
    return text


@dataclass
class ServiceCard:
    """What matters on a call: who, where, how to reach them, when, for whom, at what cost."""

    service: Service
    name: str
    organization: str
    phones: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    hours: list[str] = field(default_factory=list)
    cost: str = ""
    languages: list[str] = field(default_factory=list)
    eligibility: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


SERVICE_CARD_PREFETCH = (
    "organization",
    "phones",
    "schedules",
    "languages",
    "categories",
    "required_documents",
    "service_at_locations__location__addresses",
    "service_at_locations__location__phones",
    "service_at_locations__location__schedules",
)


def _eligibility(service: Service) -> list[str]:
    from django_countries import countries

    lines = []
    if service.citizenships:
        names = ", ".join(str(countries.name(code)) or code for code in service.citizenships)
        lines.append(_("Citizens of: %(countries)s") % {"countries": names})
    if service.sexes == ["female"]:
        lines.append(_("Women only"))
    elif service.sexes == ["male"]:
        lines.append(_("Men only"))
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        lines.append(_("Ages %(low)s to %(high)s") % {"low": low, "high": high})
    elif low is not None:
        lines.append(_("From age %(low)s") % {"low": low})
    elif high is not None:
        lines.append(_("Up to age %(high)s") % {"high": high})
    if service.walk_ins:
        lines.append(_("Walk-ins accepted"))
    if service.eligibility_description:
        lines.append(service.eligibility_description)
    return lines


def _documents(service: Service) -> list[str]:
    lines = []
    if service.no_documents_needed:
        lines.append(_("No documents needed"))
    if service.no_registration_needed:
        lines.append(_("No migration registration needed"))
    lines.extend(document.document for document in service.required_documents.all())
    return lines


def service_card(service: Service) -> ServiceCard:
    """The card of a service, in the active language. Prefetch `SERVICE_CARD_PREFETCH`
    when making many."""
    locations = [link.location for link in service.service_at_locations.all()]
    phones = [phone_line(phone) for phone in service.phones.all()]
    addresses: list[str] = []
    cities: list[str] = []
    schedules = list(service.schedules.all())
    for location in locations:
        phones.extend(phone_line(phone) for phone in location.phones.all())
        for address in location.addresses.all():
            if address.address_type != "postal":
                addresses.append(address_line(address))
                if address.city and address.city not in cities:
                    cities.append(address.city)
        if not schedules:
            schedules.extend(location.schedules.all())
    if service.is_national:
        cities.insert(0, _("Anywhere in the country"))
    return ServiceCard(
        service=service,
        name=service.name,
        organization=service.organization.name,
        phones=list(dict.fromkeys(phones)),
        addresses=addresses,
        cities=cities,
        hours=hours_lines(schedules),
        cost=str(service.get_cost_display()) if service.cost else "",
        languages=[language.label for language in service.languages.all()],
        eligibility=_eligibility(service),
        documents=_documents(service),
        categories=[category.label for category in service.categories.all()],
    )
