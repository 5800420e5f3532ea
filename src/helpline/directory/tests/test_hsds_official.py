"""The official HSDS 3.0 files, read from ../shared beside the repository (never copied
into it): validators of the compiled schemas, the datapackage, and our datapackage.json
checked against it."""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from helpline.directory.hsds.exporting import directory_tables
from helpline.directory.hsds.fields import EXPORTED
from helpline.directory.hsds.tabular import package_files

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[4]
HSDS = REPO_ROOT.parent / "shared" / "data" / "hsds-3.0"
SCHEMAS = HSDS / "schema"


@functools.cache
def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


@functools.cache
def official(name: str) -> Draft202012Validator:
    """The validator of schema/compiled/<name>.json (or of a table of tabular.json)."""
    path = SCHEMAS / "compiled" / f"{name}.json"
    if path.exists():
        schema = json.loads(path.read_text())
    else:
        schema = json.loads((SCHEMAS / "compiled" / "tabular.json").read_text())
        schema = schema["properties"][name]["items"]
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def official_errors(name: str, instance: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in official(name).iter_errors(instance)]


@functools.cache
def official_datapackage() -> dict[str, Any]:
    return json.loads((HSDS / "datapackage.json").read_text())


def typed_rows(table: str, content: bytes) -> list[dict[str, Any]]:
    """CSV rows as the official datapackage types them: numbers as numbers, an empty cell
    absent (kept as "" for a required text, which HSDS lets be empty)."""
    resource = next(r for r in official_datapackage()["resources"] if r["name"] == table)
    fields = {field["name"]: field for field in resource["schema"]["fields"]}
    rows = []
    for row in csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")):
        typed: dict[str, Any] = {}
        for name, cell in row.items():
            field = fields[name]
            required = field.get("constraints", {}).get("required")
            if cell == "":
                if required and field["type"] == "string" and "format" not in field:
                    typed[name] = ""
                continue
            typed[name] = float(cell) if field["type"] == "number" else cell
        rows.append(typed)
    return rows


def test_the_official_validators_check_formats_and_values():
    service = {"id": "0b9c1f7e-5a0a-4c1e-8f7e-2d2b9d1e4a11", "name": "S", "status": "active"}
    assert official_errors("service", service) == []
    assert official_errors("service", dict(service, id="x"))  # uuid format
    assert official_errors("service", dict(service, email="x"))  # email format
    assert official_errors("service", dict(service, status="open"))  # enum
    assert official_errors("service", dict(service, minimum_age="1"))  # type


def test_the_datapackage_describes_our_files_as_the_official_one_does():
    files = package_files(directory_tables(actor=None, language="en"))
    ours = json.loads(files["datapackage.json"])
    theirs = {r["name"]: r for r in official_datapackage()["resources"]}
    assert [r["name"] for r in ours["resources"]] == list(EXPORTED)
    for resource in ours["resources"]:
        official_resource = theirs[resource["name"]]
        assert resource["path"] == official_resource["path"]
        official_fields = {f["name"]: f for f in official_resource["schema"]["fields"]}
        header = files[resource["path"]].decode().splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert header == list(official_fields)  # every HSDS column, in the HSDS order
        for field in resource["schema"]["fields"]:
            theirs_field = official_fields[field["name"]]
            assert field["type"] == theirs_field["type"], field
            assert field.get("format") == theirs_field.get("format"), field
            required = theirs_field.get("constraints", {}).get("required", False)
            assert field.get("constraints", {}).get("required", False) == required, field
            enum = theirs_field.get("constraints", {}).get("enum")
            assert field.get("constraints", {}).get("enum") == enum, field
        for key in resource["schema"].get("foreignKeys", []):
            assert key in official_resource["schema"]["foreignKeys"]
