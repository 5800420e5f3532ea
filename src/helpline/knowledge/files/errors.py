"""What is wrong with a knowledge file, said so that the person who wrote it can fix it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportProblem:
    """One problem: where (file and line, or sheet and row), which field, and what.

    `source` is a file path relative to the imported folder (``patent-obtain/2025-01-01.ru.md``)
    or a sheet name; `unit` says whether `line` counts lines of a file or rows of a sheet.
    """

    source: str
    line: int | None
    field: str
    message: str
    unit: str = "line"  # "line" (Markdown files) or "row" (spreadsheet sheets)

    def __str__(self) -> str:
        values = {
            "source": self.source,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }
        if self.unit == "row":
            if self.line is None:
                where = _("sheet %(source)s") % values
            else:
                where = _("sheet %(source)s, row %(line)s") % values
        elif self.line is None:
            where = self.source
        else:
            where = _("%(source)s, line %(line)s") % values
        if self.field:
            return _("%(where)s: %(field)s: %(message)s") % {**values, "where": where}
        return _("%(where)s: %(message)s") % {**values, "where": where}


class KnowledgeImportError(Exception):
    """The files or the spreadsheet are invalid; `problems` lists every problem found."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class KnowledgeExportError(Exception):
    """The knowledge base cannot be written in the requested format (a text is too long...)."""
