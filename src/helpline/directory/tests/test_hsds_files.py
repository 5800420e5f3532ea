"""Reading HSDS files as people really send them: encodings, sizes, zips, the shapes of
JSON other systems write, the official examples, spreadsheet-safe CSV cells."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpline.directory.hsds.errors import DirectoryImportError
from helpline.directory.hsds.importing import directory_import
from helpline.directory.hsds.reading import MAX_BYTES
from helpline.directory.hsds.tabular import cell_in, cell_out
from helpline.directory.models import Location, Service

from .test_hsds_export import export_csv, rich_directory
from .test_hsds_official import HSDS
from .test_hsds_validation import LOC, ORG, SERVICE, publication

pytestmark = pytest.mark.django_db


def problems_of(source: Any, kind: str = "json", name: str = "upload") -> list[str]:
    with pytest.raises(DirectoryImportError) as caught:
        directory_import(actor=None, source=source, kind=kind, name=name)  # type: ignore[arg-type]
    return [str(problem) for problem in caught.value.problems]


def import_bytes(content: bytes, kind: str = "json"):  # type: ignore[no-untyped-def]
    return directory_import(actor=None, source=io.BytesIO(content), kind=kind)  # type: ignore[arg-type]


def zip_of(files: dict[str, bytes]) -> io.BytesIO:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    stream.seek(0)
    return stream


# --- Encodings and sizes ------------------------------------------------------------------


def test_utf8_with_a_byte_order_mark_is_read():
    content = json.dumps(publication(), ensure_ascii=False).encode("utf-8-sig")
    assert import_bytes(content).counts["service"] == (1, 0)


def test_a_windows_1251_file_gets_a_clear_error():
    document = publication()
    document["services"][0]["name"] = "Юридическая помощь"
    content = json.dumps(document, ensure_ascii=False, indent=1).encode("cp1251")
    [problem] = problems_of(io.BytesIO(content), name="dir.json")
    assert problem.startswith("dir.json: The file is not in UTF-8 (the first wrong character is on")
    assert "Windows-1251" in problem
    utf16 = json.dumps(document, ensure_ascii=False).encode("utf-16")
    assert "UTF-16" in problems_of(io.BytesIO(utf16))[0]
    assert not Service.objects.exists()


def test_a_csv_package_in_windows_1251_names_the_file(tmp_path):
    rich_directory()
    files = export_csv()
    for name, content in files.items():
        encoded = content.decode().encode("cp1251", errors="replace")
        (tmp_path / name).write_bytes(encoded if name == "organizations.csv" else content)
    problems = problems_of(tmp_path, kind="csv")
    assert any(p.startswith("organizations.csv: The file is not in UTF-8") for p in problems)


def test_a_csv_with_a_byte_order_mark_is_read(tmp_path):
    rich_directory()
    files = export_csv()
    Service.objects.all().delete()
    for name, content in files.items():
        (tmp_path / name).write_bytes(
            b"\xef\xbb\xbf" + content if name.endswith(".csv") else content
        )
    summary = directory_import(actor=None, source=tmp_path, kind="csv")
    assert summary.counts["service"] == (3, 0)


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)
    [problem] = problems_of(path, name="huge.json")
    assert problem.startswith("huge.json: The file is larger than 50 MB")


# --- JSON -----------------------------------------------------------------------------


def test_json_syntax_errors_give_the_line_and_column():
    [problem] = problems_of(io.BytesIO(b'{\n  "services": [\n    {"id": }\n  ]\n}'), name="d.json")
    assert problem == "d.json: This is not valid JSON (line 3, column 12)."
    [problem] = problems_of(io.BytesIO(b"[1, 2]"), name="d.json")
    assert "must hold a JSON object" in problem
    [problem] = problems_of(io.BytesIO(b'{"hsds_version": "2.0", "services": []}'), name="d.json")
    assert "only HSDS 3.0 can be read" in problem
    [problem] = problems_of(io.BytesIO(b'{"services": [{"minimum_age": NaN}]}'), name="d.json")
    assert "NaN is not a number" in problem


def test_collections_may_be_pages_lists_or_tabular_tables():
    document = publication()
    as_pages = {key: {"total_items": 1, "contents": value} for key, value in document.items()}
    assert import_bytes(json.dumps(as_pages).encode()).counts["service"] == (1, 0)
    service = dict(document["services"][0])
    organization = {k: v for k, v in document["organizations"][0].items() if k != "locations"}
    tabular = {"organization": [organization], "services.csv": [service]}
    del service["service_at_locations"]
    Service.objects.all().delete()
    assert import_bytes(json.dumps(tabular).encode()).counts["service"] == (1, 0)


def test_an_object_nested_twice_is_one_object_when_the_copies_agree():
    document = publication()
    location = document["organizations"][0]["locations"][0]
    location["name"] = "Office"
    document["services"][0]["service_at_locations"][0]["location"] = dict(location)
    import_bytes(json.dumps(document).encode())
    assert Location.objects.count() == 1
    Service.objects.all().delete()
    document["services"][0]["service_at_locations"][0]["location"]["name"] = "Elsewhere"
    problems = problems_of(io.BytesIO(json.dumps(document).encode()))
    assert any("field “name”: “Elsewhere” differs from the same object in" in p for p in problems)


def test_objects_nested_without_end_are_refused():
    service: dict[str, Any] = {"id": SERVICE, "name": "S", "status": "active"}
    inner = service
    for _level in range(10):
        organization = {"id": ORG, "name": "O", "description": "", "services": [dict(inner)]}
        inner = dict(service, organization=organization)
    problems = problems_of(io.BytesIO(json.dumps({"services": [inner]}).encode()))
    assert any("The objects are nested too deeply." in p for p in problems)


def test_iso_639_3_language_codes_are_understood():
    document = publication()
    document["services"][0]["languages"][0]["code"] = "uzb"
    import_bytes(json.dumps(document).encode())
    assert [lang.code for lang in Service.objects.get(pk=SERVICE).languages.all()] == ["uz"]


def test_the_official_json_examples_are_read_and_their_faults_named():
    example = json.loads((HSDS / "examples" / "service_full.json").read_text())
    problems = problems_of(io.BytesIO(json.dumps({"services": [example]}).encode()))
    latitude = [p for p in problems if "“latitude”: must be between -90 and 90" in p]
    assert len(latitude) == 1  # the location is nested in three places: said once
    assert any("“ur” is not a known language code" in p for p in problems)


# --- CSV packages and zips ----------------------------------------------------------------


def test_the_official_csv_example_is_read_and_its_faults_named(tmp_path):
    for path in (HSDS / "examples" / "csv").glob("*.csv"):
        shutil.copy(path, tmp_path)
    problems = problems_of(tmp_path, kind="csv")
    assert (
        "locations.csv, row 2, column “organization_id”: there is no organisation with the id "
        "985e4a42-bd9f-4edc-911d-0243a4640aca"
    ) in problems
    assert "locations.csv, row 2, column “latitude”: must be between -90 and 90" in problems
    assert any(p.startswith("phones.csv, row 2, column “number”") for p in problems)


def test_a_zip_with_the_files_at_the_top_or_in_a_folder():
    rich_directory()
    files = export_csv()
    Service.objects.all().delete()
    assert import_bytes(zip_of(files).getvalue(), "csv").counts["service"] == (3, 0)
    nested = zip_of({f"export/{name}": content for name, content in files.items()})
    summary = directory_import(actor=None, source=nested, kind="csv")
    assert summary.counts["service"] == (0, 3)


def test_unsafe_or_broken_zips_are_refused():
    assert "“..”" in problems_of(zip_of({"../services.csv": b"id\n"}), kind="csv")[0]
    assert "not a valid zip" in problems_of(io.BytesIO(b"no zip"), kind="csv")[0]
    descriptor = {"resources": [{"name": "service", "path": "../../etc/passwd"}]}
    files = {"datapackage.json": json.dumps(descriptor).encode()}
    problems = problems_of(zip_of(files), kind="csv")
    assert "datapackage.json: A file is outside the package: ../../etc/passwd" in problems
    problems = problems_of(zip_of({"notes.txt": b"hello"}), kind="csv")
    assert any("No HSDS CSV files were found" in p for p in problems)
    damaged = bytearray(zip_of({"services.csv": b"id,name\n" * 50}).getvalue())
    damaged[40:44] = b"XXXX"  # inside the compressed data of the file
    assert "The zip file is damaged" in problems_of(io.BytesIO(bytes(damaged)), kind="csv")[0]


def test_files_that_are_not_hsds_are_noted(tmp_path):
    rich_directory()
    for name, content in export_csv().items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "funding.csv").write_text("id,source\n1b5e7c1e-8a7a-4f7e-9d59-2f0e0a0b1c2d,Donor\n")
    (tmp_path / "photos.csv").write_text("x\n1\n")
    data = json.loads((tmp_path / "datapackage.json").read_text())
    data["resources"].append({"name": "funding", "path": "funding.csv"})
    (tmp_path / "datapackage.json").write_text(json.dumps(data))
    summary = directory_import(actor=None, source=tmp_path, kind="csv")
    assert summary.notes == [
        "1 funding object is not kept: the directory has no place for it.",
        "“photos.csv” is not part of HSDS and was not read.",
    ]


@given(st.text(max_size=30))
def test_spreadsheet_safe_cells_come_back_as_they_were(text):
    cell = cell_out(text, True)
    assert cell_in(cell, True) == text
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell_out(text, False) == text


def test_ids_in_messages_are_those_of_the_file():
    document = publication()
    document["services"][0]["organization_id"] = LOC
    problems = problems_of(io.BytesIO(json.dumps(document).encode()))
    assert f"service 1 (id {SERVICE}), field “organization_id”" in problems[0]
    assert ORG not in problems[0]


def test_reading_takes_a_path_to_a_zip(tmp_path):
    rich_directory()
    path: Path = tmp_path / "directory.zip"
    path.write_bytes(zip_of(export_csv()).getvalue())
    summary = directory_import(actor=None, source=path, kind="csv")
    assert summary.counts["service"] == (0, 3)
