"""``helpline knowledge-export PATH --format md|xlsx``: write the whole knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from helpline.knowledge.files.dataset import articles_as_data
from helpline.knowledge.files.errors import KnowledgeExportError
from helpline.knowledge.files.markdown import write_folder
from helpline.knowledge.files.spreadsheet import write_xlsx


class Command(BaseCommand):
    help = (
        "Write every knowledge base article, with all its versions and translations, as a "
        "folder of Markdown files (docs/knowledge-files.md) or as an XLSX workbook."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The folder, or the .xlsx file, to write.")
        parser.add_argument(
            "--format", choices=["md", "xlsx"],
            help="md or xlsx (default: xlsx for a path ending in .xlsx, md otherwise).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        format_ = options["format"] or ("xlsx" if path.suffix.lower() == ".xlsx" else "md")
        if format_ == "md" and path.exists() and not path.is_dir():
            raise CommandError(_("%(path)s is a file, not a folder.") % {"path": path})
        if format_ == "xlsx" and path.is_dir():
            raise CommandError(_("%(path)s is a folder, not a file.") % {"path": path})
        articles = articles_as_data()
        try:
            if format_ == "md":
                write_folder(articles, path)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_xlsx(articles, path)
        except KnowledgeExportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Exported %(count)d articles to %(path)s.") % {"count": len(articles), "path": path}
        )
