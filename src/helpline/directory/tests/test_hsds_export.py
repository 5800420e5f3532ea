"""HSDS export: every object the JSON document holds, and every row of the CSV package,
is valid against the official HSDS 3.0 schemas; what our fields become."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator

from helpline.accounts.tests.factories import coordinator
from helpline.directory.hsds import mapping
from helpline.directory.hsds.document import document_bytes
from helpline.directory.hsds.exporting import directory_tables
from helpline.directory.hsds.fields import EXPORTED, TABLES
from helpline.directory.hsds.tabular import package_files
from helpline.directory.models import (
    Contact,
    CostOption,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    derived_id,
)

from .factories import (
    AddressFactory,
    LocationFactory,
    OrganizationFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceFactory,
)
from .test_hsds_official import SCHEMAS, official_errors, typed_rows

pytestmark = pytest.mark.django_db

# Texts a spreadsheet would run as formulas, and HTML: both must come back as they were.
TRICKY = '=HYPERLINK("http://evil.example","click")'
HTML = "<b>bold</b> & <script>alert('x')</script>"


# --- A directory with something in every field ----------------------------------------------


def rich_directory() -> dict[str, Any]:
    """Two organisations, three services, locations with and without an organisation, and
    every part and extra our directory has."""
    verifier = coordinator(first_name="Olga", last_name="Ivanova", email="olga@example.org")
    org = OrganizationFactory(
        name="Migrant Aid",
        alternate_name="MA",
        email="info@migrant-aid.example.org",
        website="https://migrant-aid.example.org/",
        legal_status="NGO",
        description='Legal aid.\nSecond line, with "quotes", commas; and ünïcödé — ёжик.',
    )
    demo_org = OrganizationFactory(name="Demo NGO", is_demo=True, description=HTML)
    office = LocationFactory(
        organization=org,
        name="Main office",
        alternate_name="HQ",
        description="Second floor",
        transportation="Metro Kurskaya, exit 3",
        latitude=Decimal("55.751244"),
        longitude=Decimal("-37.6"),
        url="https://migrant-aid.example.org/office",
        timezone="Asia/Tashkent",
    )
    AddressFactory(location=office, address_1="1 Lenin Street", region="Central", attention="Desk")
    AddressFactory(location=office, address_1="PO Box 12", address_type="postal", postal_code="")
    PhoneFactory(location=office, number="+7 495 123-45-67")
    ScheduleFactory(
        location=office, byday="SA", opens_at=datetime.time(10), closes_at=datetime.time(14)
    )
    Contact.objects.create(location=office, name="Reception", email="desk@example.org")
    online = LocationFactory(organization=None, name="Online", location_type="virtual")
    main = ServiceFactory(
        organization=org,
        name="Legal consultations",
        alternate_name="Consultations",
        description=HTML,
        url="https://migrant-aid.example.org/legal",
        email="legal@example.org",
        interpretation_services="Uzbek, Tajik",
        application_process=TRICKY,
        fees_description="-free of charge",
        wait_time="@once",
        eligibility_description="'=already quoted",
        minimum_age=18,
        maximum_age=60,
        alert="+ closed on holidays",
        categories=["legal_aid", "housing"],
        languages=["ru", "uz"],
        citizenships=["UZ", "TJ"],
        sexes=["female"],
        cost="free",
        walk_ins=True,
        no_registration_needed=True,
        verified_on=datetime.date(2025, 3, 1),
        verified_by=verifier,
    )
    PhoneFactory(
        service=main, number="+7 800 333-00-16", extension=12, description="Hotline", position=0
    )
    PhoneFactory(service=main, number="112", type="cell", position=1)
    ScheduleFactory(service=main)
    ScheduleFactory(
        service=main, byday="SA,SU", opens_at=None, closes_at=None, description="on duty"
    )
    CostOption.objects.create(
        service=main, option="Translation", amount=Decimal("150.50"), currency="RUB"
    )
    CostOption.objects.create(
        service=main, option="Copy", amount=Decimal("20"), amount_description="per page",
        valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2025, 12, 31),
    )  # fmt: skip
    RequiredDocument.objects.create(service=main, document="Passport", uri="https://example.org/p")
    ServiceArea.objects.create(
        service=main, name="Moscow", description="City", extent_type="geojson"
    )
    Contact.objects.create(
        service=main, organization=org, name="Anna", title="Lawyer", department="Legal"
    )
    link = ServiceAtLocation.objects.create(service=main, location=office, description="Mondays")
    PhoneFactory(service_at_location=link, number="+7 495 765-43-21")
    Schedule.objects.create(
        service_at_location=link,
        byday="MO",
        opens_at=datetime.time(9),
        closes_at=datetime.time(12),
        valid_from=datetime.date(2025, 1, 1),
    )
    archived = ServiceFactory(
        organization=demo_org,
        name="Old hotline",
        categories=["legal_aid"],
        languages=[],
        sexes=["female", "male"],
        cost="",
        is_national=True,
        is_demo=True,
        no_documents_needed=True,
        verified_by_name="Anna Petrova <anna@example.org>",
        archived_at=timezone.now(),
        status="inactive",
    )
    ServiceAtLocation.objects.create(service=archived, location=online)
    bare = ServiceFactory(
        organization=org, name="Bare", categories=[], languages=[], cost="", verified_on=None
    )
    Phone.objects.create(organization=org, number="+7 495 111-11-11")
    Phone.objects.create(contact=Contact.objects.get(name="Anna"), number="+7 916 111-22-33")
    return {
        "org": org,
        "main": main,
        "archived": archived,
        "bare": bare,
        "office": office,
        "online": online,
    }


def export_json() -> bytes:
    return document_bytes(directory_tables(actor=None, language="en"))


def export_csv() -> dict[str, bytes]:
    return package_files(directory_tables(actor=None, language="en"))


# --- Tests --------------------------------------------------------------------------------


def test_every_exported_object_is_valid_against_the_official_schemas():
    rich_directory()
    document = json.loads(export_json())
    checked = 0
    for kind in ("organization", "service"):
        for obj in document[f"{kind}s"]["contents"]:
            assert official_errors(kind, obj) == []
            assert official_errors(f"{kind}_list", obj) == []
            checked += 1
    for service in document["services"]["contents"]:
        for link in service.get("service_at_locations", []):
            assert official_errors("service_at_location", link) == []
            assert official_errors("service_at_location_list", link) == []
            checked += 1
    others = (("location", "locations"), ("taxonomy", "taxonomies"))
    for name, key in (*others, ("taxonomy_term", "taxonomy_terms")):
        for obj in document[key]["contents"]:
            assert official_errors(name, obj) == []
            checked += 1
    assert checked >= 2 + 3 + 1 + 1 + 2 + 10
    # The list shape of the HSDS API (its Page schema, from openapi.json).
    page_schema = json.loads((SCHEMAS / "openapi.json").read_text())["components"]["schemas"][
        "Page"
    ]
    for key in ("organizations", "services", "locations", "taxonomies", "taxonomy_terms"):
        assert list(Draft202012Validator(page_schema).iter_errors(document[key])) == []
        assert document[key]["total_items"] == len(document[key]["contents"])
    # A broken object is refused by the same validators (they do check).
    broken = dict(document["services"]["contents"][0], status="open")
    assert official_errors("service", broken)


def test_every_exported_row_is_valid_against_the_official_tabular_schema():
    rich_directory()
    files = export_csv()
    tabular = {name: typed_rows(name, files[TABLES[name].path]) for name in EXPORTED}
    assert sum(len(rows) for rows in tabular.values()) > 40
    assert official_errors("tabular", tabular) == []
    for name, rows in tabular.items():
        for row in rows:
            assert official_errors(name, row) == [], (name, row)


def test_our_fields_become_attributes_of_our_taxonomies():
    entries = rich_directory()
    main, archived = entries["main"], entries["archived"]
    document = json.loads(export_json())
    services = {s["id"]: s for s in document["services"]["contents"]}
    codes = {
        key: [a["taxonomy_term"]["code"] for a in services[str(s.pk)].get("attributes", [])]
        for key, s in (("main", main), ("archived", archived))
    }
    assert codes["main"] == [
        "housing", "legal_aid", "citizenship:UZ", "citizenship:TJ", "sex:female", "cost:free",
        "walk_ins", "no_registration_needed", "assurer",
    ]  # fmt: skip
    assert codes["archived"] == [
        "legal_aid", "sex:female", "sex:male", "no_documents_needed", "national", "archived",
        "assurer", "demo",
    ]  # fmt: skip
    first = services[str(main.pk)]
    assert first["assured_date"] == "2025-03-01"
    assert first["assurer_email"] == "olga@example.org"
    assurer = next(a for a in first["attributes"] if a["taxonomy_term"]["code"] == "assurer")
    assert assurer["value"] == "Olga Ivanova"
    assert services[str(archived.pk)]["assurer_email"] == "anna@example.org"
    category = next(a for a in first["attributes"] if a["taxonomy_term"]["code"] == "legal_aid")
    assert category["taxonomy_term_id"] == str(derived_id("category", "legal_aid"))
    assert category["taxonomy_term"]["taxonomy"] == mapping.CATEGORY_TAXONOMY
    assert category["link_entity"] == "service" and category["link_id"] == str(main.pk)
    languages = first["languages"]
    assert [(x["code"], x["name"]) for x in languages] == [("ru", "Russian"), ("uz", "Uzbek")]
    assert languages[0]["id"] == str(derived_id(main.pk, "language", "ru"))
    organizations = {o["name"]: o for o in document["organizations"]["contents"]}
    demo = organizations["Demo NGO"]["attributes"]
    assert [a["taxonomy_term"]["code"] for a in demo] == ["demo"]
    office = organizations["Migrant Aid"]["locations"][0]
    assert [(a["taxonomy_term"]["code"], a["value"]) for a in office["attributes"]] == [
        ("timezone", "Asia/Tashkent")
    ]
    assert office["latitude"] == 55.751244 and office["longitude"] == -37.6
    # The location of no organisation is in "locations"; services are not repeated.
    assert [x["name"] for x in document["locations"]["contents"]] == ["Online"]
    assert "services" not in organizations["Migrant Aid"]
    terms = {t["code"]: t for t in document["taxonomy_terms"]["contents"]}
    assert terms["citizenship:UZ"]["name"] == "Citizens of Uzbekistan"
    assert "parent_id" not in terms["housing"]
    assert terms["shelter.trafficking"]["parent_id"] == str(derived_id("category", "shelter"))


def test_html_and_formulas_stay_as_they_are_in_json_and_are_made_safe_in_csv():
    entries = rich_directory()
    document = json.loads(export_json())
    service = next(
        s for s in document["services"]["contents"] if s["id"] == str(entries["main"].pk)
    )
    assert service["description"] == HTML
    assert service["application_process"] == TRICKY
    rows = list(csv.DictReader(io.StringIO(export_csv()["services.csv"].decode(), newline="")))
    row = next(r for r in rows if r["id"] == str(entries["main"].pk))
    assert row["description"] == HTML  # HTML is text: the screens escape it
    assert row["application_process"] == "'" + TRICKY
    assert row["fees_description"] == "'-free of charge"
    assert row["wait_time"] == "'@once"
    assert row["alert"] == "'+ closed on holidays"
    assert row["eligibility_description"] == "''=already quoted"
    phones = export_csv()["phones.csv"].decode()
    assert ",+7 800 333-00-16," in phones and "'+7" not in phones
    locations = export_csv()["locations.csv"].decode()
    assert ",-37.6," in locations


def test_rows_come_in_a_fixed_order_and_two_exports_are_the_same():
    entries = rich_directory()
    first_json, first_csv = export_json(), export_csv()
    assert export_json() == first_json
    assert export_csv() == first_csv
    phones = [
        row["number"]
        for row in csv.DictReader(io.StringIO(first_csv["phones.csv"].decode(), newline=""))
        if row["service_id"] == str(entries["main"].pk)
    ]
    assert phones == ["+7 800 333-00-16", "112"]  # by position, not by number
    assert Location.objects.count() == 2 and Service.objects.count() == 3


def test_export_of_an_empty_directory_is_valid_and_has_every_file():
    files = export_csv()
    assert set(files) == {"datapackage.json", *(TABLES[name].path for name in EXPORTED)}
    document = json.loads(export_json())
    assert document["services"] == {
        "total_items": 0, "total_pages": 0, "page_number": 1, "size": 0,
        "first_page": True, "last_page": True, "empty": True, "contents": [],
    }  # fmt: skip
    assert len(document["taxonomy_terms"]["contents"]) > 20  # our terms and the categories


def test_term_names_follow_the_language_asked_for():
    ServiceFactory(citizenships=["UZ"])
    english = json.loads(document_bytes(directory_tables(actor=None, language="en")))
    russian = json.loads(document_bytes(directory_tables(actor=None, language="ru")))
    names = [
        {t["code"]: (t["name"], t["language"]) for t in doc["taxonomy_terms"]["contents"]}
        for doc in (english, russian)
    ]
    assert names[0]["legal_aid"][1] == "en" and names[1]["legal_aid"][1] == "ru"
    assert names[0]["legal_aid"][0] != names[1]["legal_aid"][0]
    assert "Uzbekistan" in names[0]["citizenship:UZ"][0]
    assert "Узбекистан" in names[1]["citizenship:UZ"][0]
