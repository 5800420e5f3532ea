"""The demo directory: files that load, cover every category, reload in place and refuse
bad entries by name; and demo referrals that tell a consistent story."""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO
from itertools import pairwise
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from helpline.accounts.models import Centre
from helpline.accounts.tests.factories import consultant
from helpline.consultations.models import Consultation
from helpline.demo import generator, network, referrals
from helpline.demo.directory_data import (
    DEMO_DIRECTORY_DIR,
    DirectoryDataError,
    demo_id,
    directory_load,
)
from helpline.demo.directory_format import fictional_phone, hours_parse
from helpline.directory.categories import category_rows
from helpline.directory.models import (
    FAILED_REFERRAL_STATUSES,
    OPEN_REFERRAL_STATUSES,
    WEEKDAYS,
    Address,
    Location,
    Organization,
    Phone,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)

NOW = datetime(2025, 4, 16, 12, 30, tzinfo=UTC)
DEMO_NOTE = "Демонстрационная запись"


def counts() -> dict[str, int]:
    models = (Organization, Location, Address, Service, ServiceAtLocation, Phone, Schedule)
    return {
        **{model.__name__: model.objects.count() for model in models},
        "categories": Service.categories.through.objects.count(),
        "languages": Service.languages.through.objects.count(),
    }


def copy_of_files(tmp_path: Path) -> Path:
    folder = tmp_path / "directory"
    shutil.copytree(DEMO_DIRECTORY_DIR, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- The files ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_files_load_about_150_demo_services():
    loaded = directory_load()
    assert 140 <= loaded <= 160
    assert Service.objects.count() == loaded
    assert not Service.objects.filter(is_demo=False).exists()
    assert not Organization.objects.filter(is_demo=False).exists()
    organisations = Counter(Service.objects.values_list("organization_id", flat=True))
    assert sum(n >= 3 for n in organisations.values()) >= 10  # several services each
    # Every entry says it is invented.
    assert all(DEMO_NOTE in text for text in Service.objects.values_list("description", flat=True))
    assert all(
        DEMO_NOTE in text for text in Organization.objects.values_list("description", flat=True)
    )


@pytest.mark.django_db
def test_every_category_is_used():
    directory_load()
    used = set(Service.objects.values_list("categories__code", flat=True))
    assert {row["code"] for row in category_rows()} <= used


@pytest.mark.django_db
def test_every_service_has_a_phone_and_an_address_or_is_national():
    directory_load()
    services = Service.objects.prefetch_related(
        "phones",
        "service_at_locations__location__phones",
        "service_at_locations__location__addresses",
    )
    for service in services:
        locations = [link.location for link in service.service_at_locations.all()]
        phones = [*service.phones.all(), *(p for loc in locations for p in loc.phones.all())]
        addresses = [a for loc in locations for a in loc.addresses.all()]
        assert phones, service.name
        assert service.is_national or addresses, service.name
        assert not (service.is_national and locations), service.name


@pytest.mark.django_db
def test_every_phone_number_is_fictional():
    directory_load()
    numbers = list(Phone.objects.values_list("number", flat=True))
    assert numbers
    assert all(fictional_phone(number) for number in numbers)
    assert not fictional_phone("+7 495 123-45-67")
    assert not fictional_phone("+7 800 333-00-16")


@pytest.mark.django_db
def test_cities_time_zones_and_national_lines():
    directory_load()
    cities = Counter(
        Address.objects.filter(location__service_at_locations__isnull=False)
        .values_list("city", flat=True)
        .distinct()
    )
    for city in ("Москва", "Санкт-Петербург", "Екатеринбург", "Ташкент", "Самарканд", "Душанбе",
                 "Худжанд", "Бишкек", "Ош"):  # fmt: skip
        assert cities[city], city
    zones = dict(Address.objects.values_list("city", "location__timezone"))
    assert zones["Екатеринбург"] == "Asia/Yekaterinburg"
    assert zones["Ташкент"] == "Asia/Tashkent"
    assert zones["Душанбе"] == "Asia/Dushanbe"
    assert zones["Бишкек"] == zones["Ош"] == "Asia/Bishkek"
    national = Service.objects.filter(is_national=True)
    assert national.count() >= 10
    every_day = ",".join(WEEKDAYS)
    assert national.filter(
        schedules__byday=every_day, schedules__opens_at__isnull=True, cost="free"
    ).exists()
    assert all(
        number.startswith("+7 800 000")
        for number in Phone.objects.filter(service__in=national, type="voice").values_list(
            "number", flat=True
        )
        if number.startswith("+7 800")
    )


@pytest.mark.django_db
def test_realistic_variety():
    directory_load()
    today = timezone.localdate()
    services = Service.objects.all()
    hostels = [
        s
        for s in services.filter(service_at_locations__location__addresses__city="Москва")
        if "хостел" in f"{s.name} {s.description}".casefold()
    ]
    assert len(hostels) >= 2
    # a lunch break: two time ranges on the same days
    lunch = Counter(Schedule.objects.filter(service__isnull=False).values_list("service", "byday"))
    assert any(n >= 2 for n in lunch.values())
    assert services.filter(sexes=["female"], categories__code="crisis_women").exists()
    assert services.filter(citizenships=["UZ"], categories__code="consulate").exists()
    assert services.filter(
        categories__code="russian_courses.children", maximum_age__isnull=False
    ).exists()
    assert {"free", "low", "paid"} <= set(services.values_list("cost", flat=True))
    for flag in ("walk_ins", "no_documents_needed", "no_registration_needed"):
        assert services.filter(**{flag: True}).exists(), flag
    assert services.filter(required_documents__document__contains="Патент").exists()
    assert set(services.values_list("languages__code", flat=True)) >= {"ru", "uz", "tg", "ky", "en"}
    recent = services.filter(verified_on__gte=today - timedelta(days=30)).count()
    stale = services.filter(verified_on__lt=today - timedelta(days=180)).count()
    never = services.filter(verified_on__isnull=True).count()
    assert recent >= 20 and stale >= 10 and never >= 1
    assert services.filter(verified_on__range=(today - timedelta(days=400),
                                               today - timedelta(days=200))).exists()  # fmt: skip
    assert services.filter(archived_at__isnull=False).exists()
    assert services.filter(status=ServiceStatus.TEMPORARILY_CLOSED).exists()


def test_hours_lines():
    assert hours_parse("24/7") == [
        {"byday": ",".join(WEEKDAYS), "opens_at": None, "closes_at": None}
    ]
    lunch = hours_parse("MO-FR 09:00-13:00 14:00-18:00")
    assert lunch is not None and len(lunch) == 2
    assert lunch[0]["byday"] == "MO,TU,WE,TH,FR"
    assert hours_parse("SA,SU 10:00-16:00")[0]["byday"] == "SA,SU"  # type: ignore[index]
    for bad in ("MON-FRI 9-18", "FR-MO 09:00-18:00", "MO 25:00-26:00", ""):
        assert hours_parse(bad) is None, bad


# --- Loading again -------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_updates_in_place():
    directory_load()
    first = counts()
    ids = set(Service.objects.values_list("pk", flat=True))
    Phone.objects.filter(service__isnull=False).first().delete()  # type: ignore[union-attr]
    Service.objects.filter(pk=demo_id("service", "msk-sodr-legal")).update(name="Edited")
    directory_load()
    assert counts() == first
    assert set(Service.objects.values_list("pk", flat=True)) == ids
    assert Service.objects.get(pk=demo_id("service", "msk-sodr-legal")).name != "Edited"


@pytest.mark.django_db
def test_a_service_gone_from_the_files_is_archived_not_deleted(tmp_path):
    folder = copy_of_files(tmp_path)
    directory_load(folder=folder)
    edit(folder / "moscow.yaml", "  - key: msk-sodr-club\n", "  - key: msk-sodr-club-renamed\n")
    directory_load(folder=folder)
    old = Service.objects.get(pk=demo_id("service", "msk-sodr-club"))
    assert old.archived_at is not None
    assert Service.objects.get(pk=demo_id("service", "msk-sodr-club-renamed")).archived_at is None


# --- Bad files -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bad_entry_is_refused_naming_file_and_entry(tmp_path):
    folder = copy_of_files(tmp_path)
    edit(folder / "moscow.yaml", "categories: [legal_aid]\n", "categories: [legal_aidd]\n")
    edit(folder / "saint-petersburg.yaml", '"+7 812 000-30-01"', '"+7 812 312-30-01"')
    with pytest.raises(DirectoryDataError) as caught:
        directory_load(folder=folder)
    message = str(caught.value)
    assert "moscow.yaml" in message and "msk-sodr-legal" in message and "legal_aidd" in message
    assert "saint-petersburg.yaml" in message and "spb-hostel-ligovsky" in message
    assert "+7 812 312-30-01" in message
    assert len(caught.value.problems) == 2
    assert not Service.objects.exists()  # nothing half-written


@pytest.mark.django_db
def test_references_and_yaml_errors_name_the_place(tmp_path):
    folder = copy_of_files(tmp_path)
    edit(folder / "yekaterinburg.yaml", "locations: [ekb-hostel]", "locations: [ekb-hostal]")
    edit(folder / "origin.yaml", "    organization: kelechek\n    locations: [osh-kelechek]",
         "    organization: kelechekk\n    locations: [osh-kelechek]")  # fmt: skip
    (folder / "broken.yaml").write_text("services:\n  - key: x\n    name: [unclosed\n")
    with pytest.raises(DirectoryDataError) as caught:
        directory_load(folder=folder)
    message = str(caught.value)
    assert "yekaterinburg.yaml" in message and "ekb-hostel" in message and "ekb-hostal" in message
    assert "origin.yaml" in message and "osh-kelechek-predeparture" in message
    assert "broken.yaml:" in message


@pytest.mark.django_db
def test_duplicate_keys_and_unknown_fields_are_refused(tmp_path):
    folder = copy_of_files(tmp_path)
    edit(folder / "national.yaml", "  - key: nat-zb-line\n", "  - key: nat-gavan-line\n")
    edit(folder / "national.yaml", "    cost: free\n", "    cots: free\n")
    with pytest.raises(DirectoryDataError) as caught:
        directory_load(folder=folder)
    message = str(caught.value)
    assert "nat-gavan-line" in message
    assert "cots" in message


# --- Referrals ---------------------------------------------------------------------------------


def make_demo(count: int = 3000, seed: int = 1) -> int:
    network.ensure_network()
    generator.generate_consultations(count=count, seed=seed, now=NOW, batch_size=1000)
    directory_load(today=NOW.date())
    return referrals.referrals_generate(seed=seed, now=NOW)


@pytest.mark.django_db
def test_referrals_are_consistent():
    made = make_demo()
    assert made == Referral.objects.count() > 0
    data = Consultation.objects.filter(non_data_type__isnull=True).count()
    referred = Consultation.objects.filter(referrals__isnull=False).distinct().count()
    assert 0.05 <= referred / data <= 0.25
    changes: dict[object, list[ReferralStatusChange]] = defaultdict(list)
    for change in ReferralStatusChange.objects.order_by("changed_at", "id"):
        changes[change.referral_id].append(change)
    demo_services = set(Service.objects.filter(is_demo=True).values_list("pk", flat=True))
    for referral in Referral.objects.select_related("consultation", "service", "centre"):
        consultation = referral.consultation
        steps = changes[referral.pk]
        assert steps[0].status_from == "" and steps[0].status == ReferralStatus.GIVEN
        for before, after in pairwise(steps):
            assert after.status_from == before.status
            assert after.changed_at > before.changed_at
        assert steps[-1].status == referral.status
        assert steps[-1].changed_at == referral.status_changed_at
        assert referral.revision == len(steps)
        assert consultation.started_at <= steps[0].changed_at
        assert steps[-1].changed_at <= NOW
        assert all(step.changed_by_id == consultation.consultant_id for step in steps)
        assert referral.follow_up_by_id == consultation.consultant_id
        assert referral.centre_id == consultation.centre_id
        assert referral.follow_up_on is not None
        assert referral.follow_up_on >= timezone.localtime(consultation.started_at).date()
        assert referral.service_id in demo_services
        assert referral.service_name == referral.service.name
        assert referral.organization_name and referral.phone and referral.hours
        assert referral.address or referral.service.is_national
        assert referral.category is not None
        assert referral.service.categories.filter(pk=referral.category_id).exists()
        assert (
            referral.service.is_national
            or Address.objects.filter(
                location__service_at_locations__service=referral.service,
                city=referral.centre.city,
            ).exists()
        )
        if referral.service.citizenships:
            assert consultation.citizenship in referral.service.citizenships
        if referral.service.sexes:
            assert consultation.sex in referral.service.sexes


@pytest.mark.django_db
def test_referrals_tell_a_story():
    make_demo()
    today = timezone.localdate(NOW)
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert set(statuses) >= set(ReferralStatus.values) - {ReferralStatus.ACCEPTED}
    assert statuses[ReferralStatus.RECEIVED] > sum(statuses[s] for s in FAILED_REFERRAL_STATUSES)
    consent = Counter(Referral.objects.values_list("consent_to_share", flat=True))
    assert 0 < consent[True] < consent[False]
    # Every demo consultant has follow-ups due today or overdue.
    for username in network.demo_usernames():
        if "consultant" in username:
            due = Referral.objects.filter(
                follow_up_by__username=username,
                status__in=OPEN_REFERRAL_STATUSES,
                follow_up_on__lte=today,
            )
            assert due.exists(), username
    # Old referrals are mostly finished.
    old = Referral.objects.filter(follow_up_on__lt=today - timedelta(days=60))
    assert old.filter(status__in=OPEN_REFERRAL_STATUSES).count() < old.count() * 0.05
    # One service keeps failing.
    failing = Referral.objects.filter(service_id=demo_id("service", "msk-gd-vykhino"))
    finished = failing.exclude(status__in=OPEN_REFERRAL_STATUSES)
    assert finished.count() >= 5
    assert finished.filter(status__in=FAILED_REFERRAL_STATUSES).count() >= finished.count() * 0.5


@pytest.mark.django_db
def test_referrals_are_deterministic_and_made_once():
    make_demo(count=1500)
    first = set(Referral.objects.values_list("pk", "service_id", "status", "follow_up_on"))
    changes = ReferralStatusChange.objects.count()
    assert referrals.referrals_generate(seed=1, now=NOW) == 0
    assert ReferralStatusChange.objects.count() == changes
    Referral.objects.all().delete()
    referrals.referrals_generate(seed=1, now=NOW)
    assert set(Referral.objects.values_list("pk", "service_id", "status", "follow_up_on")) == first
    Referral.objects.all().delete()
    referrals.referrals_generate(seed=2, now=NOW)
    assert set(Referral.objects.values_list("pk", "service_id", "status", "follow_up_on")) != first


@pytest.mark.django_db
def test_no_referrals_without_the_directory_or_for_other_consultations():
    network.ensure_network()
    generator.generate_consultations(count=300, seed=1, now=NOW, batch_size=300)
    assert referrals.referrals_generate(seed=1, now=NOW) == 0  # no directory yet
    directory_load()
    moscow = Centre.objects.get(code="moscow")
    Consultation.objects.update(consultant=consultant(centre=moscow))
    assert referrals.referrals_generate(seed=1, now=NOW) == 0  # not recorded by demo staff


@pytest.mark.django_db
def test_demo_command_loads_the_directory_and_referrals_once():
    out = StringIO()
    call_command("demo", count=400, seed=3, stdout=out)
    text = out.getvalue()
    assert "Directory:" in text and "Referrals:" in text
    services, made = Service.objects.count(), Referral.objects.count()
    assert services > 100 and made > 0
    out = StringIO()
    call_command("demo", if_empty=True, stdout=out)
    assert "Directory:" not in out.getvalue() and "Referrals:" not in out.getvalue()
    assert (Service.objects.count(), Referral.objects.count()) == (services, made)
