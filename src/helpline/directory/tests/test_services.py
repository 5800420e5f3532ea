from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpline.accounts.tests.factories import administrator, consultant, coordinator, national
from helpline.directory import selectors, services
from helpline.directory.entry_data import (
    LocationData,
    OrganizationData,
    PhoneData,
    ScheduleData,
    ServiceData,
)
from helpline.directory.models import (
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
)
from helpline.directory.phones import phone_normalise
from helpline.directory.tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceFactory,
    service_in_city,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def editor():
    return coordinator()


@pytest.fixture
def organization():
    return OrganizationFactory(name="Red Cross St Petersburg")


def entry(organization, **changes) -> ServiceData:
    """The data of a typical service: one address, one phone, weekday hours."""
    data = ServiceData(
        organization=organization,
        name="Legal clinic for migrants",
        categories=["legal_aid"],
        languages=["ru", "uz"],
        description="Free advice on labour disputes.",
        cost="free",
        citizenships=["uz", "TJ"],
        sexes=["female"],
        documents=["Passport", "Migration card", "Passport"],
        locations=[
            LocationData(
                address_1="12 Nevsky Prospekt",
                city="St Petersburg",
                postal_code="191186",
                timezone="Europe/Moscow",
            )
        ],
        phones=[PhoneData(number="8 (812) 123-45-67", description="Reception")],
        schedules=[
            ScheduleData(
                days=["FR", "MO", "TU"],
                opens_at=datetime.time(9),
                closes_at=datetime.time(18),
            )
        ],
    )
    return dataclasses.replace(data, **changes)


def errors_of(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


# --- Access -----------------------------------------------------------------------------------


def test_only_editors_write(organization):
    service = ServiceFactory()
    for actor in (consultant(), consultant(is_active=False)):
        with pytest.raises(PermissionDenied):
            services.service_create(actor=actor, data=entry(organization))
        with pytest.raises(PermissionDenied):
            services.service_update(
                actor=actor, service=service, data=entry(organization), expected_revision=1
            )
        for write in (services.service_verify, services.service_archive, services.service_restore):
            with pytest.raises(PermissionDenied):
                write(actor=actor, service=service)
        with pytest.raises(PermissionDenied):
            services.organization_create(actor=actor, data=OrganizationData(name="X"))
        with pytest.raises(PermissionDenied):
            services.organization_update(
                actor=actor, organization=organization, data=OrganizationData(name="X")
            )
    assert Service.objects.count() == 1
    assert Organization.objects.filter(name="X").count() == 0


def test_every_coordinator_role_may_write(organization):
    for actor in (coordinator(), national(), administrator()):
        created = services.service_create(actor=actor, data=entry(organization))
        assert created.updated_by == actor


def test_selectors_check_access():
    reader = consultant()
    service = ServiceFactory()
    assert selectors.service_detail(actor=reader, service_id=service.pk) == service
    with pytest.raises(PermissionDenied):
        selectors.services_stale(actor=reader, today=TODAY)
    with pytest.raises(PermissionDenied):
        selectors.services_archived(actor=reader)
    with pytest.raises(PermissionDenied):
        selectors.service_detail(actor=consultant(is_active=False), service_id=service.pk)


# --- Create and update ------------------------------------------------------------------------


def test_create_writes_the_whole_entry(editor, organization):
    service = services.service_create(actor=editor, data=entry(organization))
    service = Service.objects.get(pk=service.pk)
    assert service.organization == organization
    assert service.revision == 1
    assert service.citizenships == ["UZ", "TJ"]
    assert service.sexes == ["female"]
    assert sorted(service.categories.values_list("code", flat=True)) == ["legal_aid"]
    assert sorted(service.languages.values_list("code", flat=True)) == ["ru", "uz"]
    assert sorted(service.required_documents.values_list("document", flat=True)) == [
        "Migration card",
        "Passport",
    ]
    assert list(service.phones.values_list("number", "description")) == [
        ("+7 812 123-45-67", "Reception")
    ]
    schedule = service.schedules.get()
    assert schedule.byday == "MO,TU,FR"
    location = service.service_at_locations.get().location
    assert location.organization == organization
    address = location.addresses.get()
    assert (address.address_1, address.city, address.postal_code) == (
        "12 Nevsky Prospekt",
        "St Petersburg",
        "191186",
    )
    assert service.verified_on is None


def test_create_with_a_new_organisation(editor):
    data = entry(OrganizationData(name="Migrant Support NGO", website="https://msn.example"))
    service = services.service_create(actor=editor, data=data)
    assert service.organization.name == "Migrant Support NGO"
    assert service.organization.website == "https://msn.example"


def test_new_organisation_with_a_taken_name_is_refused_and_nothing_written(editor, organization):
    data = entry(OrganizationData(name="red cross st petersburg"))
    with pytest.raises(ValidationError) as exc_info:
        services.service_create(actor=editor, data=data)
    assert "new_organization_name" in errors_of(exc_info)
    assert Service.objects.count() == 0
    assert Organization.objects.count() == 1


def test_mark_verified_on_save(editor, organization):
    service = services.service_create(actor=editor, data=entry(organization, mark_verified=True))
    assert service.verified_by == editor
    assert service.verified_on is not None


def test_bad_data_names_every_field_and_row_and_writes_nothing(editor, organization):
    data = entry(
        organization,
        categories=[],
        languages=["xx"],
        citizenships=["ZZ"],
        sexes=["other"],
        minimum_age=30,
        maximum_age=18,
        no_documents_needed=True,
        locations=[
            LocationData(address_1="", city="", timezone="Mars/Olympus", country="QQ"),
        ],
        phones=[PhoneData(number="+7 495 123 45 67"), PhoneData(number="call Ivan")],
        schedules=[
            ScheduleData(days=["MO"], opens_at=datetime.time(9), closes_at=datetime.time(9)),
            ScheduleData(days=[], opens_at=datetime.time(9), closes_at=datetime.time(10)),
        ],
    )
    with pytest.raises(ValidationError) as exc_info:
        services.service_create(actor=editor, data=data)
    errors = errors_of(exc_info)
    assert set(errors) >= {
        "categories",
        "languages",
        "citizenships",
        "sexes",
        "maximum_age",
        "documents",
        "locations-0-address_1",
        "locations-0-city",
        "locations-0-timezone",
        "locations-0-country",
        "phones-1-number",
        "hours-0-closes_at",
        "hours-1-days",
    }
    assert "phones-0-number" not in errors
    assert Service.objects.count() == 0
    assert Location.objects.count() == 0


def test_an_address_is_needed_unless_national(editor, organization):
    with pytest.raises(ValidationError) as exc_info:
        services.service_create(actor=editor, data=entry(organization, locations=[]))
    assert "locations" in errors_of(exc_info)
    service = services.service_create(
        actor=editor, data=entry(organization, locations=[], is_national=True)
    )
    assert service.service_at_locations.count() == 0


def test_24_hours_without_days_is_every_day(editor, organization):
    data = entry(organization, schedules=[ScheduleData(days=[])])
    service = services.service_create(actor=editor, data=data)
    schedule = service.schedules.get()
    assert schedule.byday == "MO,TU,WE,TH,FR,SA,SU"
    assert schedule.opens_at is None and schedule.closes_at is None


def test_update_replaces_the_parts_and_counts_the_revision(editor, organization):
    service = services.service_create(actor=editor, data=entry(organization))
    location_id = service.service_at_locations.get().location_id
    loaded = selectors.service_detail(actor=editor, service_id=service.pk)
    data = entry(
        organization,
        name="Legal clinic (renamed)",
        documents=["Passport"],
        locations=[
            LocationData(id=location_id, address_1="14 Nevsky Prospekt", city="St Petersburg"),
            LocationData(address_1="1 Lenin Street", city="Pushkin"),
        ],
        phones=[PhoneData(number="+998 71 123 45 67"), PhoneData(number="112")],
    )
    updated = services.service_update(actor=editor, service=loaded, data=data, expected_revision=1)
    assert updated.revision == 2
    fresh = Service.objects.get(pk=service.pk)
    assert fresh.name == "Legal clinic (renamed)"
    assert list(fresh.required_documents.values_list("document", flat=True)) == ["Passport"]
    assert list(fresh.phones.values_list("number", flat=True)) == ["+998 71 123 45 67", "112"]
    cities = sorted(fresh.service_at_locations.values_list("location__addresses__city", flat=True))
    assert cities == ["Pushkin", "St Petersburg"]
    assert Location.objects.get(pk=location_id).addresses.get().address_1 == "14 Nevsky Prospekt"
    # The prefetched parts of the object handed in are not served stale afterwards.
    assert [p.number for p in updated.phones.all()] == ["+998 71 123 45 67", "112"]


def test_removing_an_address_deletes_an_unshared_location_only(editor, organization):
    service = services.service_create(actor=editor, data=entry(organization))
    own = service.service_at_locations.get().location
    shared = LocationFactory(organization=organization)
    ServiceAtLocation.objects.create(service=service, location=shared)
    other = ServiceFactory(organization=organization)
    ServiceAtLocation.objects.create(service=other, location=shared)
    services.service_update(
        actor=editor,
        service=service,
        data=entry(organization, locations=[], is_national=True),
        expected_revision=1,
    )
    assert not Location.objects.filter(pk=own.pk).exists()
    assert Location.objects.filter(pk=shared.pk).exists()
    assert other.service_at_locations.count() == 1
    assert service.service_at_locations.count() == 0


def test_an_address_of_another_service_cannot_be_edited_through_this_one(editor, organization):
    service = services.service_create(actor=editor, data=entry(organization))
    foreign = LocationFactory(name="Theirs")
    data = entry(
        organization,
        locations=[LocationData(id=foreign.pk, name="Mine", address_1="x", city="y")],
    )
    services.service_update(actor=editor, service=service, data=data, expected_revision=1)
    foreign.refresh_from_db()
    assert foreign.name == "Theirs"
    location = service.service_at_locations.get().location
    assert (location.name, location.pk != foreign.pk) == ("Mine", True)


def test_a_stale_revision_is_refused_and_nothing_written(editor, organization):
    service = services.service_create(actor=editor, data=entry(organization))
    other = national()
    services.service_update(
        actor=other, service=service, data=entry(organization, name="Theirs"), expected_revision=1
    )
    with pytest.raises(services.StaleRevisionError) as exc_info:
        services.service_update(
            actor=editor,
            service=Service.objects.get(pk=service.pk),
            data=entry(organization, name="Mine"),
            expected_revision=1,
        )
    assert exc_info.value.current.revision == 2
    assert exc_info.value.current.updated_by == other
    fresh = Service.objects.get(pk=service.pk)
    assert (fresh.name, fresh.revision) == ("Theirs", 2)


def test_the_search_index_follows_every_write(editor, organization):
    from helpline.directory.search.selectors import ServiceSearchQuery, service_search

    def found(text: str) -> list[str]:
        result = service_search(actor=editor, query=ServiceSearchQuery(text=text))
        return [hit.card.name for hit in result.hits]

    service = services.service_create(
        actor=editor, data=entry(organization, name="Solnyshko clinic")
    )
    assert found("solnyshko") == ["Solnyshko clinic"]
    services.service_update(
        actor=editor,
        service=service,
        data=entry(organization, name="Labour rights desk"),
        expected_revision=service.revision,
    )
    assert found("labour rights") == ["Labour rights desk"]
    assert found("solnyshko") == []
    services.service_archive(actor=editor, service=service)
    assert found("labour rights") == []
    services.service_restore(actor=editor, service=service)
    assert found("labour rights") == ["Labour rights desk"]
    services.organization_update(
        actor=editor, organization=organization, data=OrganizationData(name="Zarya Foundation")
    )
    assert found("zarya") == ["Labour rights desk"]


# --- Verify, archive, restore -----------------------------------------------------------------


def test_verify_records_who_and_when(editor):
    service = ServiceFactory(verified_on=None, verified_by_name="Imported Person")
    services.service_verify(actor=editor, service=service, today=TODAY)
    service.refresh_from_db()
    assert (service.verified_on, service.verified_by, service.verified_by_name) == (
        TODAY,
        editor,
        "",
    )
    assert service.revision == 1  # verifying does not get in the way of an open editor


def test_archive_and_restore(editor):
    service = ServiceFactory()
    services.service_archive(actor=editor, service=service)
    service.refresh_from_db()
    assert service.archived_at is not None
    first = service.archived_at
    services.service_archive(actor=editor, service=service)  # again: nothing changes
    service.refresh_from_db()
    assert service.archived_at == first
    services.service_restore(actor=editor, service=service)
    service.refresh_from_db()
    assert service.archived_at is None


# --- Organisations ----------------------------------------------------------------------------


def test_organisation_create_and_update(editor):
    organization = services.organization_create(
        actor=editor, data=OrganizationData(name="  Trade Union  ", email="tu@example.org")
    )
    assert organization.name == "Trade Union"
    with pytest.raises(ValidationError) as exc_info:
        services.organization_create(actor=editor, data=OrganizationData(name="trade union"))
    assert "name" in errors_of(exc_info)
    with pytest.raises(ValidationError) as exc_info:
        services.organization_update(
            actor=editor, organization=organization, data=OrganizationData(name="", email="x")
        )
    assert set(errors_of(exc_info)) == {"name", "email"}
    services.organization_update(
        actor=editor, organization=organization, data=OrganizationData(name="Trade Union RU")
    )
    organization.refresh_from_db()
    assert organization.name == "Trade Union RU"


# --- Selectors --------------------------------------------------------------------------------


def test_stale_list_counts_and_orders(editor):
    cutoff = TODAY - datetime.timedelta(days=180)
    never = ServiceFactory(name="B never", verified_on=None)
    never_a = ServiceFactory(name="A never", verified_on=None)
    oldest = ServiceFactory(verified_on=cutoff - datetime.timedelta(days=400))
    on_the_day = ServiceFactory(verified_on=cutoff)
    ServiceFactory(verified_on=cutoff + datetime.timedelta(days=1))  # 179 days: current
    ServiceFactory(verified_on=TODAY)
    ServiceFactory(verified_on=None, archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    result = selectors.services_stale(actor=editor, today=TODAY)
    assert list(result.services) == [never_a, never, oldest, on_the_day]
    assert (result.total, result.never_verified, result.verified_long_ago) == (4, 2, 2)
    assert result.cutoff == cutoff


def test_verify_and_archive_take_entries_off_the_stale_list(editor):
    verified = ServiceFactory(verified_on=None)
    archived = ServiceFactory(verified_on=None)
    kept = ServiceFactory(verified_on=None)
    services.service_verify(actor=editor, service=verified, today=TODAY)
    services.service_archive(actor=editor, service=archived)
    result = selectors.services_stale(actor=editor, today=TODAY)
    assert list(result.services) == [kept]
    assert list(selectors.services_archived(actor=editor)) == [archived]


def test_service_detail_reads_in_a_fixed_number_of_queries(editor):
    from helpline.directory.presentation import service_card

    def queries_for(service: Service) -> int:
        with CaptureQueriesContext(connection) as ctx:
            loaded = selectors.service_detail(actor=editor, service_id=service.pk)
            service_card(loaded)
        return len(ctx.captured_queries)

    small = service_in_city("Moscow")
    big = service_in_city("Kazan", languages=["ru", "uz", "tg"], categories=["housing", "clinic"])
    for city in ("Kazan", "Innopolis", "Zelenodolsk"):
        location = LocationFactory(organization=big.organization)
        location.addresses.create(address_1="1 Street", city=city)
        ServiceAtLocation.objects.create(service=big, location=location)
        Phone.objects.create(location=location, number="+7 843 000-00-00")
    assert queries_for(big) == queries_for(small)


def test_organisation_list_counts_services(editor, organization):
    ServiceFactory(organization=organization)
    ServiceFactory(
        organization=organization, archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    row = selectors.organization_list(actor=consultant()).get(pk=organization.pk)
    assert (row.services_active, row.services_archived) == (1, 1)


# --- Phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("8 (495) 123-45-67", "+7 495 123-45-67"),
        ("+7 495 1234567", "+7 495 123-45-67"),
        ("74951234567", "+7 495 123-45-67"),
        ("8-800-333-00-16", "+7 800 333-00-16"),
        ("+998 71 123 45 67", "+998 71 123 45 67"),
        ("00992 37 221 1234", "+992 372 21 1234"),
        ("112", "112"),
    ],
)
def test_phone_numbers_are_read_leniently_and_stored_for_display(typed, stored):
    assert phone_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["", "8-800-FLOWERS", "call +7 495", "123", "+7 495 12"])
def test_phone_numbers_that_are_not_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        phone_normalise(typed)


def test_a_night_shelter_may_close_after_midnight(editor, organization):
    data = entry(
        organization,
        schedules=[
            ScheduleData(days=["MO", "TU"], opens_at=datetime.time(19), closes_at=datetime.time(9))
        ],
    )
    service = services.service_create(actor=editor, data=data)
    schedule = service.schedules.get()
    assert (schedule.opens_at, schedule.closes_at) == (datetime.time(19), datetime.time(9))
