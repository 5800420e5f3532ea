"""``helpline knowledge-import PATH``: load a Markdown folder or an XLSX workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpline.knowledge.files.errors import KnowledgeImportError
from helpline.knowledge.files.importing import Kind, knowledge_import

FORMATS: dict[str, Kind] = {"md": "markdown", "xlsx": "xlsx"}


def guess_format(path: Path) -> str | None:
    """md for a folder (or a .zip of one), xlsx for a workbook; None when it cannot tell."""
    if path.is_dir() or path.suffix.lower() == ".zip":
        return "md"
    if path.suffix.lower() == ".xlsx":
        return "xlsx"
    return None


class Command(BaseCommand):
    help = (
        "Check and load knowledge base articles from a folder of Markdown files "
        "(docs/knowledge-files.md) or an XLSX workbook. Nothing is written if any file is invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A folder of articles, or a .xlsx file.")
        parser.add_argument(
            "--format", choices=sorted(FORMATS),
            help="md or xlsx (default: guessed from the path).",
        )  # fmt: skip
        parser.add_argument(
            "--demo", action="store_true", help="Mark the articles as demo content."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(_("%(path)s does not exist.") % {"path": path})
        format_ = options["format"] or guess_format(path)
        if format_ is None:
            raise CommandError(
                _("Cannot tell the format of %(path)s: give --format md or --format xlsx.")
                % {"path": path}
            )
        try:
            if format_ == "md" and path.is_file():
                with path.open("rb") as stream:
                    summary = knowledge_import(
                        actor=None, source=stream, kind="markdown", is_demo=options["demo"]
                    )
            else:
                summary = knowledge_import(
                    actor=None, source=path, kind=FORMATS[format_], is_demo=options["demo"]
                )
        except KnowledgeImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            count = len(exc.problems)
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(count)d problem found.",
                    "Nothing was imported: %(count)d problems found.",
                    count,
                )
                % {"count": count}
            ) from exc
        self.stdout.write(
            _(
                "Imported %(articles)d articles: %(versions)d versions, "
                "%(translations)d translations."
            )
            % {
                "articles": summary.articles,
                "versions": summary.versions,
                "translations": summary.translations,
            }
        )
