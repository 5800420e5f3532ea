"""Checking each object or row on its own: types, formats, required fields, allowed values,
lengths. The checks are our own (a deployment has no copy of the HSDS schemas); tests
show that they refuse what the official schemas refuse.

Values from JSON must have the JSON type HSDS gives them (text is a string, a number a
number); values from CSV are text and are converted. An empty value (null, "" or an empty
cell) counts as absent, except for the few required texts that HSDS lets be empty.
"""

from __future__ import annotations

import datetime
import functools
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.translation import gettext as _
from django_countries import countries

from .. import models as directory
from ..phones import phone_normalise
from .errors import ImportProblem, shown
from .fields import KIND_DESCRIPTIONS, TABLES, Field
from .records import Notes, Record

MODELS: dict[str, type[models.Model]] = {
    "organization": directory.Organization,
    "service": directory.Service,
    "location": directory.Location,
    "address": directory.Address,
    "service_at_location": directory.ServiceAtLocation,
    "phone": directory.Phone,
    "contact": directory.Contact,
    "schedule": directory.Schedule,
    "cost_option": directory.CostOption,
    "required_document": directory.RequiredDocument,
    "service_area": directory.ServiceArea,
}
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_url_check = URLValidator(schemes=["http", "https"])
MAX_AGE = 150


class Invalid(Exception):
    """A value that cannot be used; the message says why."""


@dataclass
class Clean:
    """A record whose values have been checked and converted to Python values."""

    record: Record
    data: dict[str, Any]

    @property
    def table(self) -> str:
        return self.record.table

    @property
    def id(self) -> uuid.UUID | None:
        value = self.data.get("id")
        return value if isinstance(value, uuid.UUID) else None

    def problem(self, field: str, message: str) -> ImportProblem:
        return self.record.problem(field, message)


@functools.cache
def max_length(table: str, name: str) -> int | None:
    model = MODELS.get(table)
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return getattr(model_field, "max_length", None)


def _wrong_kind(field: Field, value: Any) -> Invalid:
    return Invalid(
        _("“%(value)s” is not %(kind)s")
        % {"value": shown(value), "kind": KIND_DESCRIPTIONS[field.kind]}
    )


def _text(value: Any, tabular: bool) -> str:
    if not isinstance(value, str):
        raise Invalid(_("must be text, not %(value)s") % {"value": shown(value)})
    if "\x00" in value:
        raise Invalid(_("contains a NUL character"))
    return value


def _decimal(field: Field, value: Any, tabular: bool) -> Decimal:
    if tabular and isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise _wrong_kind(field, value) from None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        raise _wrong_kind(field, value)
    if not number.is_finite():
        raise _wrong_kind(field, value)
    return number


def convert(field: Field, value: Any, tabular: bool) -> Any:
    """The Python value of `value` for `field`, or Invalid."""
    if field.kind in ("number", "integer"):
        number = _decimal(field, value, tabular)
        if field.kind == "number":
            return number
        if number != number.to_integral_value():
            raise _wrong_kind(field, value)
        return int(number)
    text = _text(value, tabular)
    kind = field.kind
    if field.choices:
        if text not in field.choices:
            raise Invalid(
                _("“%(value)s” is not one of: %(choices)s")
                % {"value": shown(text), "choices": ", ".join(field.choices)}
            )
        return text
    if kind == "uuid":
        if not _UUID.match(text):
            raise _wrong_kind(field, text)
        return uuid.UUID(text)
    if kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            raise _wrong_kind(field, text) from None
    elif kind == "url":
        try:
            _url_check(text)
        except ValidationError:
            raise _wrong_kind(field, text) from None
    elif kind == "uri" and not _URI.match(text):
        raise _wrong_kind(field, text)
    elif kind == "date":
        try:
            if not _DATE.match(text):
                raise ValueError
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise _wrong_kind(field, text) from None
    elif kind == "time":
        match = _TIME.match(text)
        try:
            if not match:
                raise ValueError
            hour, minute, second = (int(part or 0) for part in match.groups())
            return datetime.time(hour, minute, second)
        except ValueError:
            raise _wrong_kind(field, text) from None
    elif kind == "datetime":
        return parse_moment(text, field)
    return text


def parse_moment(text: str, field: Field | None = None) -> datetime.datetime:
    """An ISO 8601 date and time; without a time zone it is taken as UTC."""
    try:
        if "T" not in text and " " not in text:
            raise ValueError
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        if field is None:
            raise Invalid(
                _("“%(value)s” is not %(kind)s")
                % {"value": shown(text), "kind": KIND_DESCRIPTIONS["datetime"]}
            ) from None
        raise _wrong_kind(field, text) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _check_row(clean: Clean) -> list[ImportProblem]:
    """The rules of one row beyond its fields' types: what our tables can hold."""
    data, problems = clean.data, []

    def fail(field: str, message: str) -> None:
        problems.append(clean.problem(field, message))
        data.pop(field, None)

    table = clean.table
    for name in ("minimum_age", "maximum_age"):
        if table == "service" and name in data and not 0 <= data[name] <= MAX_AGE:
            fail(name, _("must be between 0 and %(max)s") % {"max": MAX_AGE})
    low, high = data.get("minimum_age"), data.get("maximum_age")
    if low is not None and high is not None and low > high:
        fail("maximum_age", _("must not be below the minimum age"))
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if table == "location" and name in data:
            value = data[name]
            if not -limit <= value <= limit:
                fail(name, _("must be between -%(max)s and %(max)s") % {"max": limit})
            elif value != value.quantize(Decimal("0.000001")):
                fail(name, _("has more than 6 decimal places"))
    if table == "cost_option" and "amount" in data:
        amount = data["amount"]
        if amount < 0 or amount >= 10**10 or amount != amount.quantize(Decimal("0.01")):
            fail("amount", _("must be a sum of money (at most 2 decimal places)"))
    if table == "cost_option" and "currency" in data:
        if not _CURRENCY.match(data["currency"]):
            fail("currency", _("must be a three-letter currency code (RUB, UZS...)"))
        else:
            data["currency"] = data["currency"].upper()
    if table == "address" and "country" in data:
        code = data["country"].upper()
        if code not in countries:
            fail(
                "country",
                _("“%(value)s” is not a country code (RU, UZ...)")
                % {"value": shown(data["country"])},
            )
        else:
            data["country"] = code
    if table == "phone" and "number" in data:
        try:
            data["number"] = phone_normalise(data["number"])
        except ValidationError as exc:
            fail("number", exc.messages[0])
    if table == "phone" and data.get("type", "") not in ("", *directory.PhoneType.values):
        fail(
            "type",
            _("“%(value)s” is not one of: %(choices)s")
            % {"value": shown(data["type"]), "choices": ", ".join(directory.PhoneType.values)},
        )
    if table == "phone" and data.get("extension", 0) < 0:
        fail("extension", _("must not be negative"))
    days = data.get("byday", "") if table == "schedule" else ""
    if days and not all(_BYDAY.match(day.strip()) for day in days.split(",")):
        fail("byday", _("must be days such as MO,TU,WE (iCalendar BYDAY)"))
    return problems


def clean_record(record: Record, notes: Notes) -> tuple[Clean, list[ImportProblem]]:
    """Check and convert one record's values; the problems found."""
    spec = TABLES[record.table]
    data: dict[str, Any] = {}
    problems: list[ImportProblem] = []
    for field in spec.fields:
        present = field.name in record.values
        value = record.values.get(field.name)
        if isinstance(value, str) and record.tabular and not field.is_text:
            value = value.strip()
        empty = value is None or value == ""
        if empty and field.required and field.blank and field.is_text and present:
            data[field.name] = ""
            continue
        if empty:
            # (nothing is needed from a table we do not keep, so nothing is required)
            if field.required and spec.kept and (present or not record.tabular):
                problems.append(record.problem(field.name, _("is required")))
            continue
        try:
            converted = convert(field, value, record.tabular)
        except Invalid as exc:
            problems.append(record.problem(field.name, str(exc)))
            continue
        limit = max_length(record.table, field.name) if field.kept else None
        if limit and isinstance(converted, str) and len(converted) > limit:
            problems.append(
                record.problem(field.name, _("is longer than %(max)s characters") % {"max": limit})
            )
            continue
        if spec.kept and not field.kept and not field.derived:
            notes.add("field", record.table, field.name)
        data[field.name] = converted
    clean = Clean(record, data)
    problems += _check_row(clean)
    if not spec.kept:
        notes.add("table", record.table)
    return clean, problems
