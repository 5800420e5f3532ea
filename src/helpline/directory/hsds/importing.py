"""Import of an HSDS publication: read it, check all of it, then write it at once.

`directory_import` is the service every entry point calls (the command line, the
coordinators' screen). A publication with any problem writes nothing; the problems name
the object (JSON) or the file, row and column (CSV). A dry run checks and counts but
writes nothing either.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpline.accounts import access
from helpline.accounts.models import User
from helpline.knowledge.files.archive import ArchiveError, archive_extract

from .document import document_records
from .errors import DirectoryImportError, ImportProblem
from .plan import Plan, make_plan
from .reading import parse_json, read_bytes
from .records import Notes, Record
from .references import check_pointers, known_ids, merge
from .tabular import read_folder
from .validation import clean_record
from .writing import write_plan

Kind = Literal["json", "csv"]
COUNTED = ("organization", "location", "service")
PARTS = (
    "address",
    "service_at_location",
    "phone",
    "contact",
    "schedule",
    "cost_option",
    "required_document",
    "service_area",
)


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote (or, for a dry run, would write), and what it did not keep."""

    counts: dict[str, tuple[int, int]]  # table -> (created, updated)
    parts: int  # phones, addresses, schedules... written
    notes: list[str]
    dry_run: bool = False

    def lines(self) -> list[str]:
        labels = {
            "organization": _("Organisations"),
            "location": _("Locations"),
            "service": _("Services"),
        }
        lines = []
        for table in COUNTED:
            created, updated = self.counts.get(table, (0, 0))
            lines.append(
                _("%(what)s: %(created)s new, %(updated)s updated")
                % {"what": labels[table], "created": created, "updated": updated}
            )
        lines.append(
            ngettext(
                "%(count)s phone, address, schedule or other part",
                "%(count)s phones, addresses, schedules and other parts",
                self.parts,
            )
            % {"count": self.parts}
        )
        return lines

    def __str__(self) -> str:
        return "; ".join(self.lines())


def _read_csv(
    source: Path | IO[bytes], name: str
) -> tuple[list[Record], list[ImportProblem], Notes]:
    if isinstance(source, Path) and source.is_dir():
        return read_folder(source)
    with tempfile.TemporaryDirectory(prefix="hsds-") as folder:
        try:
            if isinstance(source, Path):
                with source.open("rb") as stream:
                    root = archive_extract(stream, Path(folder))
            else:
                root = archive_extract(source, Path(folder))
        except ArchiveError as exc:
            raise DirectoryImportError([ImportProblem(name, None, "", str(exc))]) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a damaged member
            message = _("The zip file is damaged: %(error)s") % {"error": exc}
            raise DirectoryImportError([ImportProblem(name, None, "", message)]) from exc
        return read_folder(root)


def read_publication(
    source: Path | IO[bytes], kind: Kind, name: str = ""
) -> tuple[list[Record], list[ImportProblem], Notes]:
    """The records of a JSON file, or of a CSV package (a folder, or a zip as a path or
    stream). Raises DirectoryImportError when the file itself cannot be read."""
    name = name or (source.name if isinstance(source, Path) else _("the file"))
    if kind == "json":
        data = parse_json(read_bytes(source, name), name)
        return document_records(data, name)
    if kind == "csv":
        return _read_csv(source, name)
    raise ValueError(f"unknown kind of publication: {kind}")


def check_publication(records: list[Record], problems: list[ImportProblem], notes: Notes) -> Plan:
    """Every check of every record; the plan of what to write, or DirectoryImportError."""
    problems = list(problems)
    cleans = []
    for record in records:
        clean, found = clean_record(record, notes)
        cleans.append(clean)
        problems += found
    tables, found = merge(cleans)
    problems += found
    known = known_ids(tables)
    problems += check_pointers(tables, known)
    plan, found = make_plan(tables, known, notes)
    problems += found
    if problems:
        raise DirectoryImportError(_distinct(problems, records))
    return plan


def _distinct(problems: list[ImportProblem], records: list[Record]) -> list[ImportProblem]:
    """Each problem once: an object nested in several places is checked in each."""
    ids = {r.source: (r.table, r.values.get("id")) for r in records if not r.tabular}
    seen: set[tuple[object, ...]] = set()
    distinct = []
    for problem in problems:
        table, identifier = ids.get(problem.source, (None, None))
        key: tuple[object, ...] = (problem.source, problem.row)
        if identifier is not None and problem.row is None:
            key = (table, str(identifier))
        key += (problem.field, problem.message)
        if key not in seen:
            seen.add(key)
            distinct.append(problem)
    return distinct


def directory_import(
    *,
    actor: User | None,
    source: Path | IO[bytes],
    kind: Kind,
    name: str = "",
    dry_run: bool = False,
) -> ImportSummary:
    """Check `source` (an HSDS JSON document, or a CSV datapackage: folder or zip) and
    write it: organisations, locations and services are created or updated by id, and
    their parts become those of the publication (see writing.py).

    Raises DirectoryImportError listing every problem; then nothing is written. With
    `dry_run` everything is checked and counted, and nothing is written. `actor` None is
    the command line; a user must be allowed to edit the directory."""
    if actor is not None and not access.can_edit_directory(actor):
        raise PermissionDenied
    records, problems, notes = read_publication(source, kind, name)
    plan = check_publication(records, problems, notes)
    try:
        with transaction.atomic():
            counts = write_plan(plan, actor=actor, reindex=not dry_run)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:  # the directory holds something the checks cannot see
        raise DirectoryImportError(
            [
                ImportProblem(
                    _("the directory"),
                    None,
                    "",
                    _("The publication conflicts with entries already in the directory: %(error)s")
                    % {"error": exc},
                )
            ]
        ) from exc
    return ImportSummary(
        counts=counts,
        parts=sum(len(plan.rows.get(table, [])) for table in PARTS),
        notes=notes.messages(),
        dry_run=dry_run,
    )
