"""``helpline directory-import PATH``: load an HSDS 3.0 JSON document or CSV datapackage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpline.directory.hsds.errors import DirectoryImportError
from helpline.directory.hsds.importing import Kind, directory_import


def guess_format(path: Path) -> Kind | None:
    """json for a .json file; csv for a folder or a .zip; None when it cannot tell."""
    if path.is_dir() or path.suffix.lower() == ".zip":
        return "csv"
    if path.suffix.lower() == ".json":
        return "json"
    return None


class Command(BaseCommand):
    help = (
        "Check and load an HSDS 3.0 publication: a JSON document, or the CSV datapackage in a "
        "folder or a .zip (docs/directory-files.md). Organisations, locations and services are "
        "created or updated by id. Nothing is written if anything is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A .json file, a .zip file or a folder.")
        parser.add_argument(
            "--format",
            choices=["json", "csv"],
            help="json or csv (default: guessed from the path).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count only; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(_("%(path)s does not exist.") % {"path": path})
        kind: Kind | None = options["format"] or guess_format(path)
        if kind is None:
            raise CommandError(
                _("Cannot tell the format of %(path)s: give --format json or --format csv.")
                % {"path": path}
            )
        try:
            summary = directory_import(
                actor=None, source=path, kind=kind, name=path.name, dry_run=options["dry_run"]
            )
        except DirectoryImportError as exc:
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
        for note in summary.notes:
            self.stdout.write(note)
        if summary.dry_run:
            self.stdout.write(_("Checked, nothing written (dry run). It would import:"))
        else:
            self.stdout.write(_("Imported:"))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
