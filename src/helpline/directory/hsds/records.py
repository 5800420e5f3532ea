"""What an import reads before checking it: records (one object or row each) and notes.

A record is one HSDS object from a JSON file, or one row of a CSV file, with where it came
from; a note says what a publication holds that the directory does not keep.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import ImportProblem, shown
from .fields import LABELS


@dataclass
class Record:
    table: str
    values: dict[str, Any]
    source: str  # "service 3 (id …)" or "services.csv"
    row: int | None = None  # the row of a CSV file
    tabular: bool = False  # read from CSV: every value is text
    nested: bool = False  # found inside another object

    def problem(self, field: str, message: str) -> ImportProblem:
        return ImportProblem(self.source, self.row, field, message, tabular=self.tabular)


def object_label(table: str, index: int | None = None, identifier: Any = None) -> str:
    """ "service 3 (id 1b2c…)" in the active language."""
    text = str(LABELS.get(table, table))
    if index is not None:
        text = f"{text} {index}"
    if isinstance(identifier, str) and identifier:
        text = _("%(object)s (id %(id)s)") % {"object": text, "id": shown(identifier)}
    return text


@dataclass
class Notes:
    """What is read but not kept, counted, to be said once each."""

    counts: Counter[tuple[str, ...]] = field(default_factory=Counter)

    def add(self, *key: str) -> None:
        self.counts[key] += 1

    def messages(self) -> list[str]:
        return [self._message(key, count) for key, count in sorted(self.counts.items())]

    @staticmethod
    def _message(key: tuple[str, ...], count: int) -> str:
        kind, *args = key
        label = str(LABELS.get(args[0], args[0])) if args else ""
        values = {"count": count, "label": label, "name": args[-1] if args else ""}
        if kind == "table":
            text = ngettext(
                "%(count)d %(label)s object is not kept: the directory has no place for it.",
                "%(count)d %(label)s objects are not kept: the directory has no place for them.",
                count,
            )
        elif kind == "field":
            text = ngettext(
                "The field “%(name)s” of %(count)d %(label)s is not kept.",
                "The field “%(name)s” of %(count)d %(label)s objects is not kept.",
                count,
            )
        elif kind == "unknown_field":
            text = ngettext(
                "The field “%(name)s” of %(count)d %(label)s is not an HSDS field and was not "
                "read.",
                "The field “%(name)s” of %(count)d %(label)s objects is not an HSDS field and "
                "was not read.",
                count,
            )
        elif kind == "taxonomy":
            text = ngettext(
                "%(count)d attribute with a term of the taxonomy “%(name)s” is not kept.",
                "%(count)d attributes with terms of the taxonomy “%(name)s” are not kept.",
                count,
            )
        else:  # "unknown_file", "unknown_key"
            text = _("“%(name)s” is not part of HSDS and was not read.")
        return text % values
