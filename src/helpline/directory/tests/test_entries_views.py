from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.accounts.tests.factories import administrator, consultant, coordinator, national
from helpline.directory.models import Organization, Service
from helpline.directory.tests.factories import (
    OrganizationFactory,
    ServiceFactory,
    service_in_city,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def entry():
    return service_in_city("Moscow", name="Clinic for foreigners", categories=["clinic"])


@pytest.fixture
def editor(client):
    user = coordinator(first_name="Olga", last_name="Petrova")
    client.force_login(user)
    return user


@pytest.fixture
def reader(client):
    user = consultant()
    client.force_login(user)
    return user


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def form_data(organization: Organization | None = None, **extra: object) -> dict[str, object]:
    """The service edit form as a browser posts it: one address, one phone, one row of hours."""
    data: dict[str, object] = {
        "revision": "",
        "organization": str(organization.pk) if organization else "",
        "new_organization_name": "" if organization else "Migrant Help NGO",
        "name": "Night shelter",
        "status": "active",
        "description": "Beds for the night.",
        "categories": ["shelter"],
        "languages": ["ru", "tg"],
        "citizenships": ["TJ"],
        "cost": "free",
        "documents": "Passport\n\nMigration card",
        **management("locations", 1),
        "locations-0-address_1": "5 Mira Avenue",
        "locations-0-city": "Yekaterinburg",
        "locations-0-country": "RU",
        "locations-0-timezone": "Asia/Yekaterinburg",
        **management("phones", 2),
        "phones-0-number": "8 343 123 45 67",
        "phones-0-type": "voice",
        "phones-1-number": "",
        "phones-1-type": "voice",
        **management("hours", 1),
        "hours-0-days": ["MO", "TU", "WE"],
        "hours-0-opens_at": "20:00",
        "hours-0-closes_at": "23:30",
    }
    data.update(extra)
    return data


def edit_data(service: Service, **extra: object) -> dict[str, object]:
    """The edit form of an existing service (made by service_in_city) with its values."""
    service.refresh_from_db()
    location = service.service_at_locations.get().location
    address = location.addresses.get()
    data = form_data(service.organization)
    data.update(
        {
            "revision": str(service.revision),
            "name": service.name,
            "categories": list(service.categories.values_list("code", flat=True)),
            **management("locations", 1, 1),
            "locations-0-id": str(location.pk),
            "locations-0-address_1": address.address_1,
            "locations-0-city": address.city,
            "locations-0-timezone": location.timezone,
            **management("phones", 1, 1),
            "phones-0-number": service.phones.get().number,
            **management("hours", 1, 1),
        }
    )
    data.pop("phones-1-number")
    data.pop("phones-1-type")
    data.update(extra)
    return data


def edit_urls(service: Service) -> list[str]:
    organization = service.organization
    return [
        reverse("directory:service_create"),
        reverse("directory:service_edit", args=[service.pk]),
        reverse("directory:service_verify", args=[service.pk]),
        reverse("directory:service_archive", args=[service.pk]),
        reverse("directory:service_restore", args=[service.pk]),
        reverse("directory:stale"),
        reverse("directory:archived"),
        reverse("directory:organizations"),
        reverse("directory:organization_create"),
        reverse("directory:organization_edit", args=[organization.pk]),
    ]


# --- Access -----------------------------------------------------------------------------------


def test_anonymous_are_sent_to_login_everywhere(client, entry):
    for url in [reverse("directory:service", args=[entry.pk]), *edit_urls(entry)]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url
    entry.refresh_from_db()
    assert entry.archived_at is None


def test_consultants_read_the_page_but_every_editing_url_is_refused(client, reader, entry):
    verified_on = entry.verified_on
    response = client.get(reverse("directory:service", args=[entry.pk]))
    assert response.status_code == 200
    assert b'id="editor-actions"' not in response.content
    for url in edit_urls(entry):
        assert client.get(url).status_code == 403, url
        assert client.post(url, form_data(entry.organization)).status_code == 403, url
    entry.refresh_from_db()
    assert entry.archived_at is None
    assert entry.verified_on == verified_on
    assert Service.objects.count() == 1


@pytest.mark.parametrize("make", [coordinator, national, administrator])
def test_coordinators_open_every_editing_screen(client, entry, make):
    client.force_login(make())
    for url in edit_urls(entry):
        response = client.get(url)
        assert response.status_code == 200, url


def test_unknown_service_is_404(client, editor):
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("directory:service", args=[missing])).status_code == 404
    assert client.get(reverse("directory:service_edit", args=[missing])).status_code == 404
    assert client.post(reverse("directory:service_verify", args=[missing])).status_code == 404


# --- The service page -------------------------------------------------------------------------


def test_service_page_shows_the_card_and_the_verification(client, editor, entry):
    entry.verified_by = editor
    entry.verified_on = datetime.date(2026, 2, 3)
    entry.save()
    response = client.get(reverse("directory:service", args=[entry.pk]))
    html = response.content.decode()
    assert "Clinic for foreigners" in html
    assert "1 Lenin Street, Moscow" in html
    assert "Mon–Fri 09:00–18:00" in html
    assert "Last verified on 3 February 2026 by Olga Petrova" in html
    assert 'id="editor-actions"' in html
    assert 'id="demo-banner"' not in html


def test_service_page_warns_when_not_verified_for_180_days(client, reader):
    old = ServiceFactory(verified_on=timezone.localdate() - datetime.timedelta(days=200))
    fresh = ServiceFactory(verified_on=timezone.localdate() - datetime.timedelta(days=10))
    never = ServiceFactory(verified_on=None, is_demo=True)
    html = client.get(reverse("directory:service", args=[old.pk])).content.decode()
    assert 'id="stale-warning"' in html
    assert "Not verified for 200 days" in html
    html = client.get(reverse("directory:service", args=[fresh.pk])).content.decode()
    assert 'id="stale-warning"' not in html
    html = client.get(reverse("directory:service", args=[never.pk])).content.decode()
    assert "Never verified" in html
    assert 'id="stale-warning"' in html
    assert 'id="demo-banner"' in html


def test_html_typed_into_text_fields_is_stored_as_text_and_escaped(client, editor, entry):
    script = "<script>alert(1)</script>"
    response = client.post(
        reverse("directory:service_edit", args=[entry.pk]),
        edit_data(entry, description=script, alert="<b>closed</b>"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.description == script
    html = client.get(reverse("directory:service", args=[entry.pk])).content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;closed&lt;/b&gt;" in html


# --- Create and edit --------------------------------------------------------------------------


def test_create_with_a_new_organisation(client, editor):
    response = client.post(reverse("directory:service_create"), form_data(mark_verified="on"))
    assert response.status_code == 302
    service = Service.objects.get(name="Night shelter")
    assert response["Location"] == reverse("directory:service", args=[service.pk])
    assert service.organization.name == "Migrant Help NGO"
    assert service.verified_by == editor
    assert list(service.phones.values_list("number", flat=True)) == ["+7 343 123-45-67"]
    assert sorted(service.required_documents.values_list("document", flat=True)) == [
        "Migration card",
        "Passport",
    ]
    assert service.schedules.get().byday == "MO,TU,WE"
    location = service.service_at_locations.get().location
    assert location.timezone == "Asia/Yekaterinburg"


def test_create_page_has_the_empty_rows_to_copy(client, editor):
    html = client.get(reverse("directory:service_create")).content.decode()
    for part in ("locations", "phones", "hours"):
        assert f'id="{part}-empty-row"' in html
        assert f'name="{part}-TOTAL_FORMS"' in html
        assert f'data-add-row="{part}"' in html
    assert "__prefix__" in html


def test_bad_input_names_the_field_and_the_row(client, editor):
    organization = OrganizationFactory()
    data = form_data(
        organization,
        name="",
        categories=[],
        **{
            "phones-1-number": "call Ivan",
            "hours-0-opens_at": "09:00",
            "hours-0-closes_at": "09:00",
            "locations-0-city": "",
        },
    )
    response = client.post(reverse("directory:service_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') :]
    assert re.search(r"Name of the service</a>: This field is required", summary)
    assert re.search(r"Categories</a>: Choose at least one category", summary)
    assert re.search(r"Phone 2: Number</a>: Use digits only", summary)
    assert re.search(r"Opening hours, row 1: Closes at</a>: The closing time must differ", summary)
    assert re.search(r"Address 1: City</a>: This field is required", summary)
    assert 'href="#id_phones-1-number"' in summary
    # What was typed is still there.
    assert 'value="call Ivan"' in html
    assert Service.objects.count() == 0


def test_neither_or_both_organisations_is_an_error_on_that_field(client, editor):
    organization = OrganizationFactory()
    response = client.post(
        reverse("directory:service_create"), form_data(None, **{"new_organization_name": ""})
    )
    assert response.status_code == 400
    assert re.search(r"Organisation</a>: Choose the organisation", response.content.decode())
    response = client.post(
        reverse("directory:service_create"),
        form_data(organization, new_organization_name="Another"),
    )
    assert response.status_code == 400
    assert re.search(
        r"…or a new organisation</a>: Choose an organisation or type a new one",
        response.content.decode(),
    )


def test_an_address_is_needed_unless_national(client, editor):
    data = form_data(OrganizationFactory(), **{"locations-0-address_1": "", "locations-0-city": ""})
    response = client.post(reverse("directory:service_create"), data)
    assert response.status_code == 400
    assert re.search(r"Addresses</a>: Add at least one address", response.content.decode())
    data["is_national"] = "on"
    assert client.post(reverse("directory:service_create"), data).status_code == 302


def test_edit_shows_the_current_values_and_saves(client, editor, entry):
    url = reverse("directory:service_edit", args=[entry.pk])
    html = client.get(url).content.decode()
    assert 'value="Clinic for foreigners"' in html
    assert 'value="1 Lenin Street"' in html
    assert f'name="revision" value="{entry.revision}"' in html
    response = client.post(
        url,
        edit_data(entry, name="Clinic (new name)", **{"phones-0-number": "+7 (495) 765 43 21"}),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Clinic (new name)"
    assert entry.revision == 2
    assert entry.updated_by == editor
    assert list(entry.phones.values_list("number", flat=True)) == ["+7 495 765-43-21"]


def test_a_concurrent_edit_gets_409_and_keeps_the_input(client, editor, entry):
    url = reverse("directory:service_edit", args=[entry.pk])
    opened = edit_data(entry)  # the editor opens the form...
    other = national(first_name="Ivan", last_name="Sidorov")
    other_client = client.__class__()
    other_client.force_login(other)
    assert other_client.post(url, edit_data(entry, name="Their name")).status_code == 302
    opened["name"] = "My name"  # ...and saves after someone else did
    response = client.post(url, opened)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="stale-warning"' in html
    assert "Ivan Sidorov" in html
    assert 'value="My name"' in html
    assert 'name="revision" value="2"' in html
    entry.refresh_from_db()
    assert (entry.name, entry.revision) == ("Their name", 2)
    # Saving again, now on top of their revision, replaces theirs.
    opened["revision"] = "2"
    assert client.post(url, opened).status_code == 302
    entry.refresh_from_db()
    assert (entry.name, entry.revision) == ("My name", 3)


def test_an_emptied_row_is_dropped_and_delete_removes_a_row(client, editor, entry):
    url = reverse("directory:service_edit", args=[entry.pk])
    data = edit_data(entry, **{"phones-0-number": "", "hours-0-DELETE": "on"})
    data.update({"hours-0-days": ["MO"], "hours-0-opens_at": "", "hours-0-closes_at": ""})
    assert client.post(url, data).status_code == 302
    assert entry.phones.count() == 0
    assert entry.schedules.count() == 0


# --- Verify, archive, restore -----------------------------------------------------------------


def test_verify_asks_on_get_and_records_on_post(client, editor, entry):
    Service.objects.filter(pk=entry.pk).update(verified_on=None)
    url = reverse("directory:service_verify", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b'id="confirm-form"' in response.content
    entry.refresh_from_db()
    assert entry.verified_on is None
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:service", args=[entry.pk])
    entry.refresh_from_db()
    assert (entry.verified_on, entry.verified_by) == (timezone.localdate(), editor)


def test_verify_from_the_stale_list_with_htmx_returns_the_row(client, editor, entry):
    Service.objects.filter(pk=entry.pk).update(verified_on=None)
    response = client.post(
        reverse("directory:service_verify", args=[entry.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="stale-{entry.pk}" class="verified">')
    assert "Verified today" in html
    assert "Moscow" in html
    assert entry.pk not in [s.pk for s in _stale_rows(client)]


def test_plain_post_goes_back_to_a_local_next_only(client, editor, entry):
    url = reverse("directory:service_verify", args=[entry.pk])
    stale_url = reverse("directory:stale")
    assert client.post(url, {"next": stale_url})["Location"] == stale_url
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("directory:service", args=[entry.pk])


def test_archive_removes_from_the_stale_list_and_restore_brings_back(client, editor, entry):
    Service.objects.filter(pk=entry.pk).update(verified_on=None)
    assert [s.pk for s in _stale_rows(client)] == [entry.pk]
    response = client.post(reverse("directory:service_archive", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.archived_at is not None
    assert _stale_rows(client) == []
    html = client.get(reverse("directory:archived")).content.decode()
    assert f'id="archived-{entry.pk}"' in html
    html = client.get(reverse("directory:service", args=[entry.pk])).content.decode()
    assert 'id="archived-notice"' in html
    assert 'id="restore-service"' in html
    client.post(reverse("directory:service_restore", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.archived_at is None
    assert [s.pk for s in _stale_rows(client)] == [entry.pk]


# --- Lists ------------------------------------------------------------------------------------


def _stale_rows(client) -> list[Service]:
    response = client.get(reverse("directory:stale"))
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_stale_list_counts_and_orders(client, editor):
    today = timezone.localdate()
    old = service_in_city("Kazan", name="Old", verified_on=today - datetime.timedelta(days=400))
    older = ServiceFactory(name="Older", verified_on=today - datetime.timedelta(days=900))
    never = ServiceFactory(name="Never", verified_on=None)
    ServiceFactory(name="Recent", verified_on=today - datetime.timedelta(days=179))
    response = client.get(reverse("directory:stale"))
    html = response.content.decode()
    assert [s.pk for s in response.context["page"].object_list] == [never.pk, older.pk, old.pk]
    assert "3 entries to check" in html
    assert "1 never verified, 2 last verified on or before" in html
    assert "Recent" not in html
    assert "Kazan" in html
    assert "(400 days)" in html
    assert html.index("Never") < html.index("Older") < html.index(">Old<")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_do_not_query_per_row(client, editor):
    archived_at = timezone.now()
    for index in range(2):
        service_in_city(verified_on=None, address=f"{index} Mira Street")
        service_in_city(verified_on=None, archived_at=archived_at)
    urls = [
        reverse("directory:stale"),
        reverse("directory:archived"),
        reverse("directory:organizations"),
    ]
    few = {url: _queries(client, url) for url in urls}
    for index in range(10):
        service_in_city(verified_on=None, address=f"{index} Lenin Street", city=f"City {index}")
        service_in_city(verified_on=None, archived_at=archived_at)
    many = {url: _queries(client, url) for url in urls}
    assert many == few


def test_service_page_does_not_query_per_part(client, reader):
    small = service_in_city("Moscow")
    big = service_in_city("Kazan", languages=["ru", "uz", "tg", "ky"])
    for extra in range(3):
        big.phones.create(number=f"+7 843 000-00-0{extra}")
        big.required_documents.create(document=f"Document {extra}")
    assert _queries(client, reverse("directory:service", args=[big.pk])) == _queries(
        client, reverse("directory:service", args=[small.pk])
    )


# --- Organisations ----------------------------------------------------------------------------


def test_organisations_are_listed_created_and_edited(client, editor):
    organization = OrganizationFactory(name="Civic Assistance")
    ServiceFactory(organization=organization)
    html = client.get(reverse("directory:organizations")).content.decode()
    assert "Civic Assistance" in html
    response = client.post(reverse("directory:organization_create"), {"name": "civic assistance"})
    assert response.status_code == 400
    assert b"already exists" in response.content
    response = client.post(
        reverse("directory:organization_edit", args=[organization.pk]),
        {"name": "Civic Assistance Committee", "website": "not a url"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("directory:organization_edit", args=[organization.pk]),
        {"name": "Civic Assistance Committee"},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Civic Assistance Committee"
