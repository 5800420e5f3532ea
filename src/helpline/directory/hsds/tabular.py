"""The HSDS tabular datapackage: one CSV file per table and a datapackage.json describing
them, in a folder or a zip.

CSV files are UTF-8 without a byte order mark (one is accepted on reading), comma
separated, with a header row; an empty cell is an absent value. Rows are counted as a
spreadsheet shows them: the header is row 1.

Cells of free text that begin with = + - @ (or a tab or carriage return) get an apostrophe
in front, so that a spreadsheet shows them as text and never runs them as a formula; a
text that already begins with apostrophes before such a character gets one more. Reading
removes exactly one such apostrophe, so the text comes back as it was. Identifiers,
numbers, dates, codes, addresses of web pages and phone numbers are never changed (a phone
number keeps its "+", a longitude its "-").
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .errors import DirectoryImportError, ImportProblem
from .exporting import Tables
from .fields import BY_PATH, EXPORTED, HSDS_VERSION, TABLES, Field
from .reading import MAX_BYTES, decode, read_bytes, too_big
from .records import Notes, Record

DESCRIPTOR = "datapackage.json"
_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")
DATA_COLUMNS = {("phone", "number")}  # normalised numbers: digits, spaces, dashes, a "+"

_TYPES = {
    "text": ("string", None),
    "uuid": ("string", "uuid"),
    "email": ("string", "email"),
    "uri": ("string", "uri"),
    "url": ("string", "uri"),
    "number": ("number", None),
    "integer": ("number", None),
    "date": ("date", None),
    "time": ("time", None),
    "datetime": ("datetime", None),
}


def is_free_text(table: str, field: Field) -> bool:
    return field.is_text and (table, field.name) not in DATA_COLUMNS


def cell_out(value: Any, free_text: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    return "'" + text if free_text and _NEEDS_QUOTE.match(text) else text


def cell_in(text: str, free_text: bool) -> str:
    return text[1:] if free_text and _QUOTED.match(text) else text


# --- Writing ------------------------------------------------------------------------------


def _field_schema(field: Field) -> dict[str, Any]:
    kind, fmt = _TYPES[field.kind]
    schema: dict[str, Any] = {"name": field.name, "type": kind}
    if fmt:
        schema["format"] = fmt
    constraints: dict[str, Any] = {}
    if field.required:
        constraints["required"] = True
    if field.name == "id":
        constraints["unique"] = True
    if field.choices:
        constraints["enum"] = list(field.choices)
    if constraints:
        schema["constraints"] = constraints
    return schema


def _foreign_keys(table: str) -> list[dict[str, Any]]:
    keys = []
    for field in TABLES[table].fields:
        target = field.name.removesuffix("_id")
        if field.name.endswith("_id") and target in EXPORTED and field.kept:
            keys.append({"fields": field.name, "reference": {"resource": target, "fields": "id"}})
    return keys


def descriptor() -> dict[str, Any]:
    """datapackage.json for the tables we write (a subset of the HSDS datapackage)."""
    resources = []
    for name in EXPORTED:
        table = TABLES[name]
        schema: dict[str, Any] = {
            "fields": [_field_schema(field) for field in table.fields],
            "primaryKey": "id",
        }
        if keys := _foreign_keys(name):
            schema["foreignKeys"] = keys
        resources.append(
            {
                "name": name,
                "path": table.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
    return {
        "name": "helpline-directory",
        "profile": "tabular-data-package",
        "hsds_version": HSDS_VERSION,
        "resources": resources,
    }


def table_csv(table: str, rows: list[dict[str, Any]]) -> bytes:
    spec = TABLES[table]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(spec.columns)
    free = [is_free_text(table, field) for field in spec.fields]
    for row in rows:
        writer.writerow([cell_out(row.get(f.name), free[i]) for i, f in enumerate(spec.fields)])
    return buffer.getvalue().encode("utf-8")


def package_files(tables: Tables) -> dict[str, bytes]:
    """File name -> content of the datapackage of `tables`."""
    files = {DESCRIPTOR: (json.dumps(descriptor(), indent=2) + "\n").encode("utf-8")}
    for name in EXPORTED:
        files[TABLES[name].path] = table_csv(name, tables.get(name, []))
    return files


def write_folder(tables: Tables, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in package_files(tables).items():
        (folder / name).write_bytes(content)


def write_zip(tables: Tables, stream: io.BytesIO | Any, top: str = "directory") -> None:
    """The package in a zip, its files in one folder named `top`."""
    moment = datetime.datetime.now().timetuple()[:6]
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in package_files(tables).items():
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)


# --- Reading ------------------------------------------------------------------------------


def _problem(name: str, message: str, row: int | None = None, field: str = "") -> ImportProblem:
    return ImportProblem(name, row, field, message, tabular=True)


def _paths(root: Path, notes: Notes, problems: list[ImportProblem]) -> dict[str, Path]:
    """Table name -> its CSV file: as datapackage.json says, or by the HSDS file names."""
    paths: dict[str, Path] = {}
    descriptor_path = root / DESCRIPTOR
    if descriptor_path.is_file():
        try:
            package = json.loads(decode(read_bytes(descriptor_path, DESCRIPTOR), DESCRIPTOR))
            resources = package["resources"]
            named = {item["name"]: item["path"] for item in resources}
        except DirectoryImportError as exc:
            problems.extend(exc.problems)
            return paths
        except (ValueError, KeyError, TypeError):
            problems.append(_problem(DESCRIPTOR, _("This is not a valid datapackage.json.")))
            return paths
        for name, relative in named.items():
            path = (root / str(relative)).resolve()
            if name not in TABLES:
                notes.add("unknown_file", str(relative))
            elif root not in path.parents:
                problems.append(
                    _problem(
                        DESCRIPTOR,
                        _("A file is outside the package: %(path)s") % {"path": relative},
                    )
                )
            elif path.is_file():
                paths[name] = path
    else:
        for path in sorted(root.glob("*.csv")):
            if path.name in BY_PATH:
                paths[BY_PATH[path.name].name] = path
    listed = set(paths.values())
    for path in sorted(root.rglob("*")):
        ignored = path.name.startswith(".") or path.name.lower() in (DESCRIPTOR, "readme.md")
        if path.is_file() and path not in listed and not ignored:
            notes.add("unknown_file", str(path.relative_to(root)))
    return paths


def _read_table(
    table: str, name: str, text: str, notes: Notes, problems: list[ImportProblem]
) -> list[Record]:
    spec = TABLES[table]
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[Record] = []
    try:
        header = [column.strip() for column in next(reader, [])]
        for column in sorted({c for c in header if header.count(c) > 1}):
            problems.append(_problem(name, _("the column appears twice"), 1, column))
        for column in header:
            if column not in spec.by_name:
                notes.add("unknown_field", table, column)
        for field in spec.fields:
            if field.required and field.name not in header:
                problems.append(_problem(name, _("the column is missing"), None, field.name))
        free = {f.name: is_free_text(table, f) for f in spec.fields}
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(_problem(name, _("the row has more cells than the header"), number))
                continue
            cells += [""] * (len(header) - len(cells))
            values = {
                column: cell_in(cell, free[column])
                for column, cell in zip(header, cells, strict=True)
                if column in spec.by_name
            }
            records.append(Record(table, values, name, row=number, tabular=True))
    except csv.Error as exc:
        problems.append(
            _problem(name, _("cannot be read as CSV: %(error)s") % {"error": exc}, reader.line_num)
        )
    return records


def read_folder(root: Path) -> tuple[list[Record], list[ImportProblem], Notes]:
    """The records of every CSV file of a package; problems of files and their shape."""
    notes, problems = Notes(), list[ImportProblem]()
    records: list[Record] = []
    root = root.resolve()
    paths = _paths(root, notes, problems)
    if not paths and not problems:
        problems.append(
            _problem(
                root.name or "—",
                _("No HSDS CSV files were found (organizations.csv, services.csv...)."),
            )
        )
    total = 0
    for table, path in paths.items():
        name = str(path.relative_to(root))
        total += path.stat().st_size
        if total > MAX_BYTES:
            raise too_big(name)
        try:
            text = decode(read_bytes(path, name), name)
        except DirectoryImportError as exc:
            problems.extend(exc.problems)
            continue
        records += _read_table(table, name, text, notes, problems)
    return records, problems, notes
