"""What is wrong with an HSDS publication, said so that the person who made it can fix it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_SHOWN = 60  # characters of a value quoted in a message


def shown(value: object) -> str:
    """A value as quoted in a message: shortened, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


@dataclass(frozen=True)
class ImportProblem:
    """One problem: where (an object of a JSON file, or a file and row of a CSV package),
    which field or column, and what.

    `source` names the object ("service 3 (id …), phone 2") or the file ("services.csv");
    `row` is the row of a CSV file (the header is row 1), None for JSON objects and for a
    problem with a whole file.
    """

    source: str
    row: int | None
    field: str
    message: str
    tabular: bool = False  # a CSV file: `field` is a column

    def __str__(self) -> str:
        values = {"source": self.source, "row": self.row, "field": self.field}
        where = self.source if self.row is None else _("%(source)s, row %(row)s") % values
        if self.field and self.tabular:
            where = _("%(where)s, column “%(field)s”") % {**values, "where": where}
        elif self.field:
            where = _("%(where)s, field “%(field)s”") % {**values, "where": where}
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message}


class DirectoryImportError(Exception):
    """The publication is invalid; `problems` lists every problem found. Nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
