"""Broken CSV packages: the official tabular schema and our checks both refuse them (where
the official schema can say it); our problems name the file, row and column, and nothing is
written."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from helpline.directory.hsds.errors import DirectoryImportError
from helpline.directory.hsds.fields import BY_PATH
from helpline.directory.hsds.importing import directory_import

from .test_hsds_export import export_csv, export_json, rich_directory
from .test_hsds_official import official_errors, typed_rows
from .test_hsds_validation import SERVICE

pytestmark = pytest.mark.django_db


def _write(files: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def _edit(files: dict[str, bytes], name: str, edit: Any) -> dict[str, bytes]:
    rows = list(csv.reader(io.StringIO(files[name].decode(), newline="")))
    edit(rows)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return {**files, name: buffer.getvalue().encode()}


def _set(column: str, value: str, row: int = 1) -> Any:
    def edit(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    return edit


def _drop(column: str) -> Any:
    def edit(rows: list[list[str]]) -> None:
        index = rows[0].index(column)
        for row in rows:
            del row[index]

    return edit


CSV_BOTH_REFUSE = [
    ("services.csv", _set("status", "open"), "services.csv, row 2, column “status”: “open” is"),
    ("services.csv", _drop("name"), "services.csv, column “name”: the column is missing"),
    (
        "addresses.csv",
        _set("address_type", "home"),
        "addresses.csv, row 2, column “address_type”: “home” is not one of",
    ),
    ("locations.csv", _set("location_type", "building"), "locations.csv, row 2, column “location_"),
    (
        "organizations.csv",
        _set("id", "org-1"),
        "organizations.csv, row 2, column “id”: “org-1” is not an identifier",
    ),
]


@pytest.mark.parametrize(("name", "edit", "expected"), CSV_BOTH_REFUSE)
def test_csv_both_refuse(tmp_path, name, edit, expected):
    rich_directory()
    files = _edit(export_csv(), name, edit)
    table = BY_PATH[name].name
    assert any(official_errors(table, row) for row in typed_rows(table, files[name]))
    folder = _write(files, tmp_path / "package")
    before = export_json()
    with pytest.raises(DirectoryImportError) as caught:
        directory_import(actor=None, source=folder, kind="csv")
    problems = [str(problem) for problem in caught.value.problems]
    assert any(expected in problem for problem in problems), problems
    assert export_json() == before


CSV_OURS_ONLY = [
    (
        "services.csv",
        _set("minimum_age", "twelve"),
        "services.csv, row 2, column “minimum_age”: “twelve” is not a whole number",
    ),
    ("services.csv", lambda rows: rows.append(list(rows[1])), "row 5, column “id”: the id"),
    ("phones.csv", lambda rows: rows[1].append("x"), "phones.csv, row 2: the row has more cells"),
    (
        "phones.csv",
        lambda rows: rows[0].append("number"),
        "phones.csv, row 1, column “number”: the column appears twice",
    ),
    (
        "services.csv",
        _set("organization_id", SERVICE),
        f"column “organization_id”: there is no organisation with the id {SERVICE}",
    ),
    ("addresses.csv", _set("country", ""), "addresses.csv, row 2, column “country”: is required"),
    (
        "languages.csv",
        _set("code", "klingon"),
        "languages.csv, row 2, column “code”: “klingon” is not a known language code",
    ),
]


@pytest.mark.parametrize(("name", "edit", "expected"), CSV_OURS_ONLY)
def test_csv_only_ours_refuse(tmp_path, name, edit, expected):
    rich_directory()
    folder = _write(_edit(export_csv(), name, edit), tmp_path / "package")
    with pytest.raises(DirectoryImportError) as caught:
        directory_import(actor=None, source=folder, kind="csv")
    problems = [str(problem) for problem in caught.value.problems]
    assert any(expected in problem for problem in problems), problems
