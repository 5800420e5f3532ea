"""`helpline directory-export` and `helpline directory-import`."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from helpline.directory.models import Organization, Service

from .test_hsds_export import export_csv, export_json, rich_directory
from .test_hsds_roundtrip import empty_directory

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_json_then_import_it_back(tmp_path):
    rich_directory()
    path = tmp_path / "out" / "directory.json"
    before = export_json()

    out, _err = run("directory-export", str(path), "--language", "en")

    assert out == f"Exported 2 organisations, 3 services to {path}.\n"
    assert path.read_bytes() == before
    empty_directory()
    out, _err = run("directory-import", str(path))
    assert out.splitlines() == [
        "Imported:",
        "  Organisations: 2 new, 0 updated",
        "  Locations: 2 new, 0 updated",
        "  Services: 3 new, 0 updated",
        "  20 phones, addresses, schedules and other parts",
    ]
    assert export_json() == before


def test_export_csv_to_a_zip_and_to_a_folder(tmp_path):
    rich_directory()
    before = export_csv()
    run("directory-export", str(tmp_path / "d.zip"), "--language", "en")
    with zipfile.ZipFile(tmp_path / "d.zip") as archive:
        assert {n.split("/", 1)[1]: archive.read(n) for n in archive.namelist()} == before
    run("directory-export", str(tmp_path / "folder"), "--language", "en")
    assert {p.name: p.read_bytes() for p in (tmp_path / "folder").iterdir()} == before
    for source in (tmp_path / "d.zip", tmp_path / "folder"):
        empty_directory()
        run("directory-import", str(source))
        assert export_csv() == before


def test_dry_run_writes_nothing(tmp_path):
    rich_directory()
    path = tmp_path / "d.json"
    path.write_bytes(export_json())
    empty_directory()
    out, _err = run("directory-import", str(path), "--dry-run")
    assert "Checked, nothing written (dry run)" in out
    assert "Services: 3 new, 0 updated" in out
    assert not Service.objects.exists()


def test_problems_go_to_stderr_and_nothing_is_written(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"services": [{"id": "x", "status": "open"}]}))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 4 problems found"):
        call_command("directory-import", str(path), stderr=err)
    assert "service 1 (id x), field “id”: “x” is not an identifier (UUID)" in err.getvalue()
    assert "service 1 (id x), field “name”: is required" in err.getvalue()
    assert not Organization.objects.exists()


def test_wrong_paths_are_refused(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("directory-import", str(tmp_path / "missing.json"))
    (tmp_path / "d.txt").write_text("x")
    with pytest.raises(CommandError, match="Cannot tell the format"):
        run("directory-import", str(tmp_path / "d.txt"))
    with pytest.raises(CommandError, match="is a folder, not a file"):
        run("directory-export", str(tmp_path), "--format", "json")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        run("directory-export", str(tmp_path / "d.txt"), "--format", "csv")
