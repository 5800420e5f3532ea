"""HSDS import of our own exports: export -> import into an empty directory -> export gives
the same bytes, in JSON and in CSV; importing into a directory that holds entries."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from helpline.accounts.tests.factories import consultant, coordinator
from helpline.directory.hsds.exporting import directory_tables
from helpline.directory.hsds.importing import directory_import
from helpline.directory.hsds.tabular import write_folder, write_zip
from helpline.directory.models import (
    Address,
    Contact,
    CostOption,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

from .factories import OrganizationFactory
from .test_hsds_export import HTML, TRICKY, export_csv, export_json, rich_directory

pytestmark = pytest.mark.django_db

ALL_MODELS = (
    Phone, Schedule, Address, Contact, CostOption, RequiredDocument, ServiceArea,
    ServiceAtLocation, Service, Location, Organization,
)  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def empty_directory() -> None:
    """Every entry gone; reference data (categories, languages) and users stay."""
    for model in ALL_MODELS:
        model.objects.all().delete()
    assert not any(counts().values())


def import_json(content: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    return directory_import(actor=None, source=io.BytesIO(content), kind="json", **kwargs)


def test_json_round_trip_into_an_empty_directory_gives_the_same_export():
    rich_directory()
    first_json, first_csv, before = export_json(), export_csv(), counts()
    empty_directory()

    summary = import_json(first_json)

    assert summary.counts == {"organization": (2, 0), "location": (2, 0), "service": (3, 0)}
    assert summary.notes == []
    assert counts() == before
    assert export_json() == first_json
    assert export_csv() == first_csv


def test_csv_round_trip_from_a_folder_and_from_a_zip(tmp_path):
    rich_directory()
    first_json, first_csv = export_json(), export_csv()
    write_folder(directory_tables(actor=None, language="en"), tmp_path / "package")
    stream = io.BytesIO()
    write_zip(directory_tables(actor=None, language="en"), stream)
    for source in (tmp_path / "package", io.BytesIO(stream.getvalue())):
        empty_directory()
        summary = directory_import(actor=None, source=source, kind="csv")
        assert summary.counts["service"] == (3, 0)
        assert summary.notes == []
        assert export_csv() == first_csv
        assert export_json() == first_json
    with zipfile.ZipFile(stream) as archive:
        assert sorted(archive.namelist()) == sorted(f"directory/{name}" for name in first_csv)


def test_the_round_trip_keeps_every_value():
    entries = rich_directory()
    main, archived = entries["main"], entries["archived"]
    updated_at = main.updated_at
    content = export_json()
    empty_directory()
    import_json(content)

    service = Service.objects.get(pk=main.pk)
    assert (service.name, service.description, service.application_process) == (
        "Legal consultations",
        HTML,
        TRICKY,
    )
    assert service.citizenships == ["UZ", "TJ"] and service.sexes == ["female"]
    assert (service.cost, service.walk_ins, service.no_registration_needed) == ("free", True, True)
    assert (service.no_documents_needed, service.is_national, service.is_demo) == (False,) * 3
    assert (service.minimum_age, service.maximum_age) == (18, 60)
    assert service.verified_on == datetime.date(2025, 3, 1)
    assert service.verified_by is None
    assert service.verified_by_name == "Olga Ivanova <olga@example.org>"
    assert abs(service.updated_at - updated_at) < datetime.timedelta(milliseconds=1)
    assert sorted(c.code for c in service.categories.all()) == ["housing", "legal_aid"]
    assert sorted(lang.code for lang in service.languages.all()) == ["ru", "uz"]
    assert [(p.number, p.position) for p in service.phones.order_by("position")] == [
        ("+7 800 333-00-16", 0),
        ("112", 1),
    ]
    assert service.cost_options.get(option="Translation").amount == 150.5
    old = Service.objects.get(pk=archived.pk)
    assert old.archived_at is not None and old.is_demo and old.is_national
    assert abs(old.archived_at - archived.archived_at) < datetime.timedelta(milliseconds=1)
    assert old.sexes == ["female", "male"] and old.cost == ""
    assert old.verified_by_name == "Anna Petrova <anna@example.org>"
    assert Organization.objects.get(name="Demo NGO").is_demo
    office = Location.objects.get(pk=entries["office"].pk)
    assert office.timezone == "Asia/Tashkent" and str(office.latitude) == "55.751244"
    assert Location.objects.get(pk=entries["online"].pk).organization is None
    link = ServiceAtLocation.objects.get(service=main.pk)
    assert link.phones.get().number == "+7 495 765-43-21"


def test_importing_an_export_into_the_same_directory_changes_nothing():
    entries = rich_directory()
    editor = coordinator()
    content = export_json()
    revision = Service.objects.get(pk=entries["main"].pk).revision

    summary = directory_import(actor=editor, source=io.BytesIO(content), kind="json")

    assert summary.counts == {"organization": (0, 2), "location": (0, 2), "service": (0, 3)}
    assert export_json() == content
    service = Service.objects.get(pk=entries["main"].pk)
    assert service.verified_by == entries["main"].verified_by  # the same person: kept as a user
    assert service.revision == revision + 1  # an editor holding the old revision is warned
    assert service.updated_by == editor


def test_parts_left_out_are_removed_and_entries_left_out_stay():
    entries = rich_directory()
    document = json.loads(export_json())
    main = next(s for s in document["services"]["contents"] if s["id"] == str(entries["main"].pk))
    main["name"] = "Legal consultations (new)"
    main["phones"] = main["phones"][1:]
    del main["schedules"]
    main["attributes"] = [a for a in main["attributes"] if a["taxonomy_term"]["code"] != "walk_ins"]
    publication = {"services": [main]}

    summary = import_json(json.dumps(publication).encode())

    assert summary.counts == {"organization": (0, 0), "location": (0, 0), "service": (0, 1)}
    service = Service.objects.get(pk=entries["main"].pk)
    assert service.name == "Legal consultations (new)"
    assert [p.number for p in service.phones.all()] == ["112"]
    assert not service.schedules.exists()
    assert not service.walk_ins and service.citizenships == ["UZ", "TJ"]
    assert Service.objects.count() == 3  # the others were not in the file: untouched
    assert entries["office"].phones.count() == 1


def test_a_publication_may_point_at_entries_already_in_the_directory():
    org = OrganizationFactory()
    new_id = "0b9c1f7e-5a0a-4c1e-8f7e-2d2b9d1e4a11"
    publication = {
        "services": [
            {"id": new_id, "organization_id": str(org.pk), "name": "New", "status": "active"}
        ]
    }
    summary = import_json(json.dumps(publication).encode())
    assert summary.counts["service"] == (1, 0)
    assert Service.objects.get(pk=new_id).organization == org


def test_a_dry_run_counts_and_writes_nothing():
    rich_directory()
    content = export_json()
    empty_directory()
    summary = import_json(content, dry_run=True)
    assert summary.dry_run
    assert summary.counts["service"] == (3, 0)
    assert summary.parts > 10
    assert not any(counts().values())
    assert "Services: 3 new, 0 updated" in summary.lines()


def test_only_those_who_edit_the_directory_export_and_import():
    rich_directory()
    content = export_json()
    reader = consultant()
    with pytest.raises(PermissionDenied):
        directory_tables(actor=reader)
    with pytest.raises(PermissionDenied):
        directory_import(actor=reader, source=io.BytesIO(content), kind="json")
    assert directory_tables(actor=coordinator())["service"]
