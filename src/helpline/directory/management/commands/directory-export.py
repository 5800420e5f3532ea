"""``helpline directory-export PATH``: the whole directory as HSDS 3.0 JSON or CSV."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from helpline.directory.hsds.document import document_bytes
from helpline.directory.hsds.exporting import directory_tables
from helpline.directory.hsds.tabular import write_folder, write_zip


def guess_format(path: Path) -> str:
    """json for a .json file; csv for a .zip or a folder."""
    return "json" if path.suffix.lower() == ".json" else "csv"


class Command(BaseCommand):
    help = (
        "Write the whole directory (organisations, locations, services and their parts, "
        "archived and demo entries too) as an HSDS 3.0 JSON document or as the HSDS CSV "
        "datapackage, in a folder or a .zip (docs/directory-files.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A .json file, a .zip file or a folder.")
        parser.add_argument(
            "--format", choices=["json", "csv"],
            help="json or csv (default: json for a path ending in .json, csv otherwise).",
        )  # fmt: skip
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES],
            help="The language of taxonomy term names (default: the installation's).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        format_ = options["format"] or guess_format(path)
        as_zip = format_ == "csv" and path.suffix.lower() == ".zip"
        if (format_ == "json" or as_zip) and path.is_dir():
            raise CommandError(_("%(path)s is a folder, not a file.") % {"path": path})
        if format_ == "csv" and not as_zip and path.exists() and not path.is_dir():
            raise CommandError(_("%(path)s is a file, not a folder.") % {"path": path})
        tables = directory_tables(actor=None, language=options["language"])
        if format_ == "json":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(document_bytes(tables))
        elif as_zip:
            path.parent.mkdir(parents=True, exist_ok=True)
            stream = io.BytesIO()
            write_zip(tables, stream)
            path.write_bytes(stream.getvalue())
        else:
            write_folder(tables, path)
        self.stdout.write(
            _("Exported %(organizations)d organisations, %(services)d services to %(path)s.")
            % {
                "organizations": len(tables["organization"]),
                "services": len(tables["service"]),
                "path": path,
            }
        )
