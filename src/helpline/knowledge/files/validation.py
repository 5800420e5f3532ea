"""Rules shared by the Markdown and the spreadsheet readers: one value at a time.

Each check returns the clean value or raises FieldError with a message for the person who
wrote the file; the readers add where the value was (file and line, sheet and row).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as CONTROL_RE  # no spreadsheet holds these

from helpline.consultations.models import Topic

from ..models import KNOWLEDGE_LANGUAGES, Audience, CitizenshipGroup

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 100
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REVIEWER_MAX_LENGTH = 150
REFERENCE_KEYS = ("law", "article", "url")
ALL_GROUPS = "all"
DEFAULT_AUDIENCE = [Audience.MIGRANT.value]

_url = URLValidator(schemes=["http", "https"])


class FieldError(ValueError):
    """A value that cannot be used, with the message to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def known_topic_codes() -> set[str]:
    return set(Topic.objects.values_list("code", flat=True))


def slug(value: str) -> str:
    if len(value) > SLUG_MAX_LENGTH:
        raise FieldError(
            _("the identifier '%(value)s' is longer than %(max)d characters")
            % {"value": value, "max": SLUG_MAX_LENGTH}
        )
    if not SLUG_RE.match(value):
        raise FieldError(
            _(
                "the identifier '%(value)s' is not valid: use lower-case Latin letters, digits "
                "and single hyphens, e.g. patent-obtain"
            )
            % {"value": value}
        )
    return value


def day(value: object) -> datetime.date:
    """A date written YYYY-MM-DD (or a date cell of a spreadsheet)."""
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0, 0):
            raise FieldError(_("'%(value)s' is not a date: write YYYY-MM-DD") % {"value": value})
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if DATE_RE.match(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise FieldError(_("'%(value)s' is not a date: write YYYY-MM-DD") % {"value": text})


def text(value: str, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise FieldError(_("this field is required"))
    found = CONTROL_RE.search(value)
    if found:
        raise FieldError(
            _("contains a control character (code %(code)d): remove it")
            % {"code": ord(found.group())}
        )
    return value


def phrasing(value: str) -> str:
    value = text(value, required=True)
    if "\n" in value:
        raise FieldError(_("one phrasing per item: a phrasing cannot span several lines"))
    return value


def choice(value: str, choices: type[TextChoices]) -> str:
    value = value.strip()
    if value not in choices.values:
        raise FieldError(
            _("unknown value '%(value)s': use one of %(choices)s")
            % {"value": value, "choices": ", ".join(choices.values)}
        )
    return value


def language(value: str) -> str:
    value = value.strip()
    if value not in KNOWLEDGE_LANGUAGES:
        raise FieldError(
            _("unknown language '%(value)s': use one of %(choices)s")
            % {"value": value, "choices": ", ".join(KNOWLEDGE_LANGUAGES)}
        )
    return value


def topic(value: str, known: set[str]) -> str:
    value = value.strip()
    if value not in known:
        raise FieldError(_("unknown topic code '%(code)s'") % {"code": value})
    return value


def citizenship_group(value: str) -> str:
    value = value.strip()
    allowed = [*CitizenshipGroup.values, ALL_GROUPS]
    if value not in allowed:
        raise FieldError(
            _("unknown value '%(value)s': use one or more of %(choices)s")
            % {"value": value, "choices": ", ".join(allowed)}
        )
    return value


def audience_group(value: str) -> str:
    value = value.strip()
    if value not in Audience.values:
        raise FieldError(
            _("unknown value '%(value)s': use one or both of %(choices)s")
            % {"value": value, "choices": ", ".join(Audience.values)}
        )
    return value


def topics_clean(codes: Iterable[str]) -> list[str]:
    """Topic codes in a stable order (by code), each once."""
    return sorted(set(codes))


def citizenship_clean(groups: Iterable[str]) -> list[str]:
    """Citizenship groups in the order of CitizenshipGroup, `all` expanded."""
    chosen = set(groups)
    if ALL_GROUPS in chosen:
        chosen = set(CitizenshipGroup.values)
    return [group for group in CitizenshipGroup.values if group in chosen]


def audience_clean(groups: Iterable[str]) -> list[str]:
    chosen = set(groups)
    return [group for group in Audience.values if group in chosen]


def reviewer(value: str) -> str:
    value = text(value)
    if len(value) > REVIEWER_MAX_LENGTH:
        raise FieldError(
            _("at most %(max)d characters, not %(length)d")
            % {"max": REVIEWER_MAX_LENGTH, "length": len(value)}
        )
    return value


def reference(law: str, article: str, url: str) -> dict[str, str]:
    """A legal reference with the keys that have a value, in the order law, article, url."""
    values = {"law": text(law), "article": text(article), "url": text(url)}
    if not values["law"]:
        raise FieldError(_("a reference needs the law it cites ('law')"))
    if values["url"]:
        try:
            _url(values["url"])
        except ValidationError as exc:
            raise FieldError(
                _("'%(value)s' is not a web address (http:// or https://)")
                % {"value": values["url"]}
            ) from exc
    return {key: value for key, value in values.items() if value}


def period(valid_from: datetime.date, valid_until: datetime.date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise FieldError(
            _("%(until)s is before the version's start, %(start)s")
            % {"until": valid_until.isoformat(), "start": valid_from.isoformat()}
        )


def citizenship_text(groups: Iterable[str]) -> list[str]:
    """How a writer spells the groups: `all` when the article applies to everyone."""
    groups = citizenship_clean(groups)
    return [ALL_GROUPS] if groups == list(CitizenshipGroup.values) else groups
