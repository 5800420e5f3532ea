"""Broken HSDS publications: the official schemas and our own checks both refuse them
(where the official schemas can say it), our problems name the object or the file, row and
column, and nothing is written."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest

from helpline.directory.hsds import mapping
from helpline.directory.hsds.errors import DirectoryImportError
from helpline.directory.hsds.importing import directory_import
from helpline.directory.models import Organization, Service

from .test_hsds_export import export_json, rich_directory
from .test_hsds_official import official_errors

pytestmark = pytest.mark.django_db

ORG = "11111111-1111-4111-8111-111111111111"
LOC = "33333333-3333-4333-8333-333333333333"
SERVICE = "22222222-2222-4222-8222-222222222222"
PHONE = "44444444-4444-4444-8444-444444444444"
LINK = "77777777-7777-4777-8777-777777777777"


def publication() -> dict[str, Any]:
    """A small valid publication with one of everything that matters."""
    legal_aid = str(mapping.category_term_id("legal_aid"))
    return {
        "organizations": [
            {
                "id": ORG,
                "name": "Org",
                "description": "",
                "phones": [{"id": PHONE, "number": "+7 495 123-45-67"}],
                "locations": [
                    {
                        "id": LOC,
                        "location_type": "physical",
                        "addresses": [
                            {
                                "id": "55555555-5555-4555-8555-555555555555",
                                "address_1": "1 Main Street",
                                "city": "Moscow",
                                "state_province": "",
                                "postal_code": "",
                                "country": "RU",
                                "address_type": "physical",
                            }
                        ],
                    }
                ],
            }
        ],
        "services": [
            {
                "id": SERVICE,
                "organization_id": ORG,
                "name": "Service",
                "status": "active",
                "assured_date": "2025-03-01",
                "minimum_age": 18,
                "schedules": [
                    {"id": "66666666-6666-4666-8666-666666666666", "byday": "MO", "freq": "WEEKLY",
                     "opens_at": "09:00", "closes_at": "18:00"},
                ],
                "service_at_locations": [{"id": LINK, "location_id": LOC}],
                "languages": [{"id": "88888888-8888-4888-8888-888888888888", "code": "ru"}],
                "attributes": [
                    {
                        "id": "99999999-9999-4999-8999-999999999999",
                        "taxonomy_term_id": legal_aid,
                        "taxonomy_term": {
                            "id": legal_aid,
                            "code": "legal_aid",
                            "name": "Legal aid",
                            "description": "",
                            "taxonomy": mapping.CATEGORY_TAXONOMY,
                        },
                    }
                ],
            }
        ],
    }  # fmt: skip


def official_problems(document: dict[str, Any]) -> list[str]:
    found = []
    for kind in ("organization", "service"):
        for obj in document.get(f"{kind}s", []):
            found += official_errors(kind, obj)
    return found


def our_problems(document: dict[str, Any]) -> list[str]:
    content = json.dumps(document).encode()
    with pytest.raises(DirectoryImportError) as caught:
        directory_import(actor=None, source=io.BytesIO(content), kind="json", name="dir.json")
    assert not Organization.objects.exists()  # nothing written
    return [str(problem) for problem in caught.value.problems]


def test_the_sample_publication_is_valid_for_both():
    document = publication()
    assert official_problems(document) == []
    summary = directory_import(
        actor=None, source=io.BytesIO(json.dumps(document).encode()), kind="json"
    )
    assert summary.counts["service"] == (1, 0)
    service = Service.objects.get(pk=SERVICE)
    assert [c.code for c in service.categories.all()] == ["legal_aid"]
    assert service.schedules.get().opens_at.hour == 9


ADDRESS = "55555555-5555-4555-8555-555555555555"
SERVICE_AT = f"service 1 (id {SERVICE})"
ADDRESS_AT = f"organisation 1 (id {ORG}), location 1 (id {LOC}), address 1 (id {ADDRESS})"


def service(d: dict[str, Any]) -> dict[str, Any]:
    return d["services"][0]


def location(d: dict[str, Any]) -> dict[str, Any]:
    return d["organizations"][0]["locations"][0]


def address(d: dict[str, Any]) -> dict[str, Any]:
    return location(d)["addresses"][0]


def phone(d: dict[str, Any]) -> dict[str, Any]:
    return d["organizations"][0]["phones"][0]


def schedule(d: dict[str, Any]) -> dict[str, Any]:
    return service(d)["schedules"][0]


def another_link(d: dict[str, Any]) -> None:
    links = service(d)["service_at_locations"]
    links.append({"id": "77777777-7777-4777-8777-777777777778", "location_id": LOC})


# (change, what our problem says): the official schemas refuse these too.
BOTH_REFUSE = [
    (lambda d: service(d).pop("name"), f"{SERVICE_AT}, field “name”: is required"),
    (
        lambda d: service(d).update(status="open"),
        f"{SERVICE_AT}, field “status”: “open” is not one of: active, inactive, defunct, "
        "temporarily closed",
    ),
    (
        lambda d: service(d).update(email="not an e-mail"),
        "field “email”: “not an e-mail” is not an e-mail address",
    ),
    (
        lambda d: service(d).update(minimum_age="12"),
        f"{SERVICE_AT}, field “minimum_age”: “12” is not a whole number",
    ),
    (
        lambda d: service(d).update(id="service-1"),
        "service 1 (id service-1), field “id”: “service-1” is not an identifier (UUID)",
    ),
    (
        lambda d: address(d).update(postal_code=101000),
        f"{ADDRESS_AT}, field “postal_code”: must be text, not 101000",
    ),
    (lambda d: address(d).pop("city"), f"{ADDRESS_AT}, field “city”: is required"),
    (
        lambda d: location(d).update(location_type="building"),
        "field “location_type”: “building” is not one of: physical, postal, virtual",
    ),
    (
        lambda d: phone(d).pop("number"),
        "phone 1 (id 44444444-4444-4444-8444-444444444444), field “number”: is required",
    ),
    (
        lambda d: d["organizations"][0].pop("description"),
        f"organisation 1 (id {ORG}), field “description”: is required",
    ),
    (
        lambda d: schedule(d).update(freq="DAILY"),
        "field “freq”: “DAILY” is not one of: WEEKLY, MONTHLY",
    ),
    (
        lambda d: service(d)["attributes"][0]["taxonomy_term"].pop("name"),
        "taxonomy term, field “name”: is required",
    ),
    (lambda d: service(d)["languages"][0].pop("id"), "language 1, field “id”: is required"),
]


@pytest.mark.parametrize(("change", "expected"), BOTH_REFUSE)
def test_both_refuse(change, expected):
    document = publication()
    change(document)
    assert official_problems(document), "the official schema accepts it"
    problems = our_problems(document)
    assert any(expected in problem for problem in problems), problems


# What only our checks can see: formats the official schemas do not give, references,
# our codes, duplicates, the limits of our tables.
OURS_ONLY = [
    (
        lambda d: service(d).update(assured_date="01.03.2025"),
        "field “assured_date”: “01.03.2025” is not a date (YYYY-MM-DD)",
    ),
    (lambda d: schedule(d).update(opens_at="9am"), "field “opens_at”: “9am” is not a time"),
    (
        lambda d: service(d).update(organization_id=LOC),
        f"field “organization_id”: there is no organisation with the id {LOC}",
    ),
    (
        lambda d: service(d)["languages"][0].update(code="xx"),
        "field “code”: “xx” is not a known language code",
    ),
    (
        lambda d: service(d).update(url="javascript:alert(1)"),
        "field “url”: “javascript:alert(1)” is not a web address (http or https)",
    ),
    (
        lambda d: service(d).update(minimum_age=70, maximum_age=20),
        "field “maximum_age”: must not be below the minimum age",
    ),
    (lambda d: address(d).update(country="XX"), "field “country”: “XX” is not a country code"),
    (
        lambda d: d["services"].append(copy.deepcopy(service(d))),
        f"field “id”: the id {SERVICE} is used twice (also {SERVICE_AT})",
    ),
    (another_link, "the service is already linked to this location"),
    (
        lambda d: service(d).update(name="x" * 251),
        "field “name”: is longer than 250 characters",
    ),
    (
        lambda d: schedule(d).update(service_id=LOC),
        f"does not match the service it belongs to ({SERVICE})",
    ),
    (lambda d: phone(d).update(number="call Anna"), "field “number”: Use digits only"),
    (
        lambda d: service(d).update(description="a\x00b"),
        "field “description”: contains a NUL character",
    ),
]


@pytest.mark.parametrize(("change", "expected"), OURS_ONLY)
def test_only_ours_refuse(change, expected):
    document = publication()
    change(document)
    problems = our_problems(document)
    assert any(expected in problem for problem in problems), problems


def _term(document: dict[str, Any], code: str, taxonomy: str) -> dict[str, Any]:
    attribute = document["services"][0]["attributes"][0]
    term_id = (
        str(mapping.category_term_id(code))
        if taxonomy != mapping.TAXONOMY
        else str(mapping.term_id(code))
    )
    attribute["taxonomy_term_id"] = term_id
    attribute["taxonomy_term"] = dict(
        attribute["taxonomy_term"], id=term_id, code=code, taxonomy=taxonomy
    )
    return attribute


def test_unknown_codes_of_our_taxonomies_are_refused():
    document = publication()
    _term(document, "astrology", mapping.CATEGORY_TAXONOMY)
    assert "“astrology” is not a service category" in "\n".join(our_problems(document))
    document = publication()
    _term(document, "citizenship:XX", mapping.TAXONOMY)
    assert "“citizenship:XX” is not a term of the taxonomy helpline" in "\n".join(
        our_problems(document)
    )
    document = publication()
    attribute = _term(document, "timezone", mapping.TAXONOMY)
    attribute["value"] = "Europe/Moscow"
    assert "a “timezone” attribute belongs to: location" in "\n".join(our_problems(document))


def test_attributes_of_other_taxonomies_are_noted_not_kept():
    document = publication()
    attribute = document["services"][0]["attributes"][0]
    attribute["taxonomy_term"] = dict(
        attribute["taxonomy_term"], code="x", taxonomy="open-eligibility"
    )
    document["services"][0]["fees"] = "5 pounds"
    document["services"][0]["our_own_field"] = 1
    summary = directory_import(
        actor=None, source=io.BytesIO(json.dumps(document).encode()), kind="json"
    )
    assert summary.notes == [
        "The field “fees” of 1 service is not kept.",
        "1 attribute with a term of the taxonomy “open-eligibility” is not kept.",
        "The field “our_own_field” of 1 service is not an HSDS field and was not read.",
    ]
    assert not Service.objects.get(pk=SERVICE).categories.exists()


def test_a_broken_publication_changes_nothing_in_a_directory_that_holds_entries():
    rich_directory()
    before = export_json()
    document = json.loads(before)
    document["services"]["contents"][0]["name"] = "Changed"
    document["services"]["contents"][1]["status"] = "open"
    with pytest.raises(DirectoryImportError) as caught:
        directory_import(actor=None, source=io.BytesIO(json.dumps(document).encode()), kind="json")
    assert len(caught.value.problems) == 1
    assert export_json() == before
