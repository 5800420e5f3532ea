"""Directory search: any script or spelling, every filter, "open now" in each location's
time zone, and one order on both databases.

The suite runs on SQLite (FTS5) and on PostgreSQL (full text); the exact orders asserted
below hold on each.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.html import strip_tags

from helpline.accounts.models import Role, User
from helpline.directory.models import (
    Location,
    Schedule,
    Service,
    ServiceCategory,
    ServiceOpenInterval,
    ServiceSearchDocument,
    ServiceSearchTerm,
    ServiceStatus,
)
from helpline.directory.search import engine
from helpline.directory.search.hours import schedule_intervals, week_minute
from helpline.directory.search.indexing import directory_index_rebuild, services_reindex
from helpline.directory.search.selectors import (
    ServiceSearchQuery,
    search_categories,
    search_cities,
    service_search,
)
from helpline.directory.tests.factories import ScheduleFactory, ServiceFactory, service_in_city

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Wednesday 25 November 2026, 12:00 in Moscow (UTC+3), 14:00 in Yekaterinburg (UTC+5).
WEDNESDAY_NOON = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# The same day, 07:00 in Moscow, 09:00 in Yekaterinburg.
WEDNESDAY_EARLY = datetime.datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
# Saturday 28 November, 21:00 in Moscow, 23:00 in Yekaterinburg.
SATURDAY_NIGHT = datetime.datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def _in_zone(service: Service, zone: str) -> None:
    Location.objects.filter(service_at_locations__service=service).update(timezone=zone)


@pytest.fixture
def directory():
    """Seven services in three cities and one national line, and two never to be shown."""
    hostel = service_in_city(
        "Москва",
        name="Хостел «Берёзка»",
        description="Койко-место для мигрантов, недорого.",
        categories=["housing"],
        languages=["ru", "uz"],
        cost="low",
    )
    sunrise = service_in_city(
        "Санкт-Петербург",
        name="Hostel Sunrise",
        description="Beds for workers near the station.",
        categories=["housing"],
        languages=["ru", "en"],
        cost="free",
    )
    Schedule.objects.filter(service=sunrise).update(byday="", opens_at=None, closes_at=None)
    lawyers = service_in_city(
        "Москва",
        name="Юридическая помощь мигрантам",
        description="Бесплатные консультации юриста: <b>патент</b>, регистрация, зарплата.",
        categories=["legal_aid"],
        languages=["ru", "uz", "tg"],
        citizenships=["UZ", "TJ"],
    )
    Schedule.objects.filter(service=lawyers).update(
        opens_at=datetime.time(10, 0), closes_at=datetime.time(19, 0)
    )
    hotline = ServiceFactory(
        name="Горячая линия для мигрантов",
        description="Круглосуточная юридическая консультация по телефону.",
        categories=["legal_aid"],
        languages=["ru", "uz", "tg", "ky"],
        is_national=True,
    )
    ScheduleFactory(service=hotline, byday="", opens_at=None, closes_at=None)
    shelter = service_in_city(
        "Москва",
        name="Приют «Надежда»",
        description="Приют для женщин, пострадавших от торговли людьми.",
        categories=["shelter.trafficking"],
        languages=["ru"],
        sexes=["female"],
        status=ServiceStatus.TEMPORARILY_CLOSED,
    )
    clinic = service_in_city(
        "Екатеринбург",
        name="Клиника «Здоровье»",
        description="Врачи принимают иностранцев без полиса.",
        categories=["clinic"],
        languages=["ru", "ky"],
        cost="paid",
    )
    Schedule.objects.filter(service=clinic).update(
        byday="MO,TU,WE,TH,FR,SA", opens_at=datetime.time(8, 0), closes_at=datetime.time(20, 0)
    )
    _in_zone(clinic, "Asia/Yekaterinburg")
    archived = service_in_city(
        "Москва",
        name="Старый хостел",
        categories=["housing"],
        archived_at=timezone.now(),
    )
    defunct = service_in_city(
        "Москва", name="Закрытый хостел", categories=["housing"], status=ServiceStatus.DEFUNCT
    )
    services = [hostel, sunrise, lawyers, hotline, shelter, clinic, archived, defunct]
    services_reindex(service_ids=[s.pk for s in services])
    return {s.name: s for s in services}


@pytest.fixture
def consultant():
    return User(username="reader", role=Role.CONSULTANT, is_active=True)


def names(actor, **query):
    result = service_search(actor=actor, query=ServiceSearchQuery(**query))
    return [hit.card.name for hit in result.hits]


# --- Text in any script or spelling -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["хостел", "hostel", "хостэл", "hostle", "общежитие", "yotoqxona", "жильё", "zhilyo"],
)
def test_a_hostel_is_found_in_any_script_spelling_or_synonym(directory, consultant, text):
    # Latin names sort before Cyrillic ones: byte order, the same on both databases.
    assert names(consultant, text=text) == ["Hostel Sunrise", "Хостел «Берёзка»"]


def test_category_names_in_every_language_are_searched(directory, consultant):
    assert names(consultant, text="klinika") == ["Клиника «Здоровье»"]  # Uzbek category name
    assert names(consultant, text="clinic for foreigners") == ["Клиника «Здоровье»"]
    assert names(consultant, text="паноҳгоҳ") == ["Приют «Надежда»"]  # Tajik, a parent category


def test_words_in_the_title_rank_above_words_in_the_description(directory, consultant):
    # Two names say "migrants"; the hostel's description does.
    assert names(consultant, text="мигранты") == [
        "Горячая линия для мигрантов",
        "Юридическая помощь мигрантам",
        "Хостел «Берёзка»",
    ]
    # Both legal services are in the category "Юридическая помощь"; only one description
    # speaks of a lawyer (юриста).
    assert names(consultant, text="юридическая помощь юрист") == [
        "Юридическая помощь мигрантам",
        "Горячая линия для мигрантов",
    ]


def test_a_word_in_the_name_ranks_above_the_same_word_in_a_category(directory, consultant):
    sunrise = directory["Hostel Sunrise"]
    sunrise.categories.add(ServiceCategory.objects.get(code="clinic"))
    services_reindex(service_ids=[sunrise.pk])
    # Both are clinics by category; only one says so in its name (without that, the
    # Latin name would come first).
    assert names(consultant, text="клиника") == ["Клиника «Здоровье»", "Hostel Sunrise"]


def test_city_names_are_searched_as_words(directory, consultant):
    found = names(consultant, text="хостел москва")
    assert found[:2] == ["Хостел «Берёзка»", "Hostel Sunrise"]  # both words, then one
    assert set(found[2:]) == {"Юридическая помощь мигрантам", "Приют «Надежда»"}  # Moscow


def test_words_the_directory_does_not_know_find_nothing(directory, consultant):
    result = service_search(actor=consultant, query=ServiceSearchQuery(text="зонтик"))
    assert result.hits == [] and result.understood is False


def test_matches_are_highlighted_and_escaped(directory, consultant):
    result = service_search(actor=consultant, query=ServiceSearchQuery(text="патент юрист"))
    hit = result.hits[0]
    assert hit.card.name == "Юридическая помощь мигрантам"
    assert "<mark>" in hit.snippet and "<b>" not in hit.snippet
    assert "&lt;b" in hit.snippet
    assert strip_tags(hit.title) == "Юридическая помощь мигрантам"


# --- Filters --------------------------------------------------------------------------------


def test_a_city_shows_its_services_by_name_then_the_national_ones(directory, consultant):
    result = service_search(actor=consultant, query=ServiceSearchQuery(city="Москва"))
    assert [(hit.card.name, hit.is_local) for hit in result.hits] == [
        ("Приют «Надежда»", True),
        ("Хостел «Берёзка»", True),
        ("Юридическая помощь мигрантам", True),
        ("Горячая линия для мигрантов", False),
    ]
    assert result.hits[-1].is_national


def test_a_city_is_found_whatever_its_case_or_letter_e(directory, consultant):
    assert names(consultant, city="МОСКВА", category="housing") == ["Хостел «Берёзка»"]


def test_with_words_and_a_city_the_local_matches_come_first(directory, consultant):
    result = service_search(
        actor=consultant, query=ServiceSearchQuery(text="консультация", city="Москва")
    )
    assert [(hit.card.name, hit.is_local) for hit in result.hits] == [
        ("Юридическая помощь мигрантам", True),
        ("Горячая линия для мигрантов", False),
    ]


def test_a_national_service_is_shown_for_a_city_with_no_services(directory, consultant):
    assert names(consultant, city="Казань") == ["Горячая линия для мигрантов"]


def test_a_category_includes_its_subcategories(directory, consultant):
    assert names(consultant, category="shelter") == ["Приют «Надежда»"]
    assert names(consultant, category="shelter.trafficking") == ["Приют «Надежда»"]
    assert names(consultant, category="clinic") == ["Клиника «Здоровье»"]


def test_language_spoken(directory, consultant):
    assert names(consultant, language="ky") == ["Горячая линия для мигрантов", "Клиника «Здоровье»"]
    assert names(consultant, language="uz", city="Москва") == [
        "Хостел «Берёзка»",
        "Юридическая помощь мигрантам",
        "Горячая линия для мигрантов",
    ]


def test_citizenship_keeps_services_for_everyone_and_for_that_citizenship(directory, consultant):
    assert "Юридическая помощь мигрантам" in names(consultant, citizenship="UZ")
    assert "Юридическая помощь мигрантам" not in names(consultant, citizenship="KG")
    assert len(names(consultant, citizenship="KG")) == 5


def test_free_only(directory, consultant):
    assert names(consultant, free_only=True) == [
        "Hostel Sunrise",
        "Горячая линия для мигрантов",
        "Приют «Надежда»",
        "Юридическая помощь мигрантам",
    ]


def test_unknown_category_or_language_finds_nothing(directory, consultant):
    assert names(consultant, category="no-such-category") == []
    assert names(consultant, language="xx") == []


def test_archived_and_closed_for_good_services_never_appear(directory, consultant):
    every = names(consultant, limit=100)
    assert "Старый хостел" not in every and "Закрытый хостел" not in every
    assert names(consultant, text="старый хостел") == ["Hostel Sunrise", "Хостел «Берёзка»"]
    assert len(every) == 6


def test_temporarily_closed_services_appear_flagged(directory, consultant):
    result = service_search(actor=consultant, query=ServiceSearchQuery(text="приют"))
    assert [(h.card.name, h.is_temporarily_closed) for h in result.hits] == [
        ("Приют «Надежда»", True)
    ]


def test_results_show_what_matters_on_a_call(directory, consultant):
    hit = service_search(actor=consultant, query=ServiceSearchQuery(text="berezka")).hits[0]
    card = hit.card
    assert card.name == "Хостел «Берёзка»"
    assert card.phones and card.addresses == ["1 Lenin Street, Москва"]
    assert card.hours == ["Mon–Fri 09:00–18:00"]
    assert card.cost == "Low cost"
    assert card.languages == ["Russian", "Uzbek"]


def test_limit_and_more(directory, consultant):
    result = service_search(actor=consultant, query=ServiceSearchQuery(limit=2))
    assert [hit.card.name for hit in result.hits] == [
        "Hostel Sunrise",
        "Горячая линия для мигрантов",
    ]
    assert result.has_more
    result = service_search(actor=consultant, query=ServiceSearchQuery(limit=6))
    assert len(result.hits) == 6 and not result.has_more


# --- Open now -------------------------------------------------------------------------------


def test_open_now_on_a_weekday_at_noon(directory, consultant):
    assert names(consultant, open_now=True, now=WEDNESDAY_NOON) == [
        "Hostel Sunrise",
        "Горячая линия для мигрантов",
        "Клиника «Здоровье»",
        "Приют «Надежда»",
        "Хостел «Берёзка»",
        "Юридическая помощь мигрантам",
    ]


def test_open_now_reads_each_location_in_its_own_time_zone(directory, consultant):
    # 07:00 in Moscow (the hostel opens at 09:00), 09:00 in Yekaterinburg (the clinic is open).
    assert names(consultant, open_now=True, now=WEDNESDAY_EARLY) == [
        "Hostel Sunrise",
        "Горячая линия для мигрантов",
        "Клиника «Здоровье»",
    ]
    # 21:00 in Moscow, 23:00 in Yekaterinburg: only the 24-hour services.
    assert names(consultant, open_now=True, now=SATURDAY_NIGHT) == [
        "Hostel Sunrise",
        "Горячая линия для мигрантов",
    ]


def test_open_now_with_a_city_and_a_category(directory, consultant):
    assert names(
        consultant, city="Москва", category="legal_aid", open_now=True, now=SATURDAY_NIGHT
    ) == ["Горячая линия для мигрантов"]
    assert names(
        consultant, city="Москва", category="legal_aid", open_now=True, now=WEDNESDAY_NOON
    ) == ["Юридическая помощь мигрантам", "Горячая линия для мигрантов"]


def test_hits_say_whether_the_service_is_open(directory, consultant):
    result = service_search(
        actor=consultant, query=ServiceSearchQuery(text="hostel", now=SATURDAY_NIGHT)
    )
    assert [(hit.card.name, hit.open_now) for hit in result.hits] == [
        ("Hostel Sunrise", True),
        ("Хостел «Берёзка»", False),
    ]


def test_a_service_without_opening_hours_is_never_open_now(directory, consultant):
    Schedule.objects.filter(service=directory["Клиника «Здоровье»"]).delete()
    services_reindex(service_ids=[directory["Клиника «Здоровье»"].pk])
    hit = service_search(actor=consultant, query=ServiceSearchQuery(text="клиника")).hits[0]
    assert hit.open_now is None
    assert "Клиника «Здоровье»" not in names(consultant, open_now=True, now=WEDNESDAY_NOON)


def test_schedule_intervals_wrap_past_midnight_and_the_week():
    night = Schedule(byday="SU", opens_at=datetime.time(22, 0), closes_at=datetime.time(6, 0))
    sunday_22 = 6 * 1440 + 22 * 60
    assert schedule_intervals(night) == [(sunday_22, 10080), (0, 360)]
    assert schedule_intervals(Schedule(byday="", opens_at=None, closes_at=None)) == [
        (day * 1440, (day + 1) * 1440) for day in range(7)
    ]


def test_week_minute_is_local_time():
    assert week_minute(WEDNESDAY_NOON, "Europe/Moscow") == 2 * 1440 + 12 * 60
    assert week_minute(WEDNESDAY_NOON, "Asia/Yekaterinburg") == 2 * 1440 + 14 * 60


def test_expired_schedules_do_not_count(directory, consultant):
    hostel = directory["Хостел «Берёзка»"]
    Schedule.objects.filter(service=hostel).update(valid_to=datetime.date(2020, 1, 1))
    services_reindex(service_ids=[hostel.pk])
    assert not ServiceOpenInterval.objects.filter(document__service_id=hostel.pk).exists()


# --- Keeping the index in step --------------------------------------------------------------


def test_an_edit_is_searchable_at_once_and_term_counts_follow(directory, consultant):
    hostel = directory["Хостел «Берёзка»"]
    before = ServiceSearchTerm.objects.get(key="ycmoskva").documents
    Service.objects.filter(pk=hostel.pk).update(name="Общежитие «Рассвет»")
    services_reindex(service_ids=[hostel.pk])
    assert names(consultant, text="рассвет") == ["Общежитие «Рассвет»"]
    assert names(consultant, text="березка") == []
    assert ServiceSearchTerm.objects.get(key="ycmoskva").documents == before
    assert not ServiceSearchTerm.objects.filter(key="berezka").exists()


def test_archiving_or_deleting_takes_a_service_out(directory, consultant):
    hostel, clinic = directory["Хостел «Берёзка»"], directory["Клиника «Здоровье»"]
    Service.objects.filter(pk=hostel.pk).update(archived_at=timezone.now())
    clinic_id = clinic.pk
    clinic.delete()
    services_reindex(service_ids=[hostel.pk, clinic_id])
    assert names(consultant, text="hostel") == ["Hostel Sunrise"]
    assert names(consultant, city="Екатеринбург") == ["Горячая линия для мигрантов"]
    assert ServiceSearchDocument.objects.count() == 4
    assert not ServiceSearchTerm.objects.filter(key="ycekaterinburg").exists()
    assert [c.name for c in search_cities(actor=consultant)] == ["Москва", "Санкт-Петербург"]


def test_a_rebuild_gives_the_same_index(directory, consultant):
    before = dict(ServiceSearchTerm.objects.values_list("key", "documents"))
    assert directory_index_rebuild() == 6
    assert dict(ServiceSearchTerm.objects.values_list("key", "documents")) == before
    assert names(consultant, text="hostel") == ["Hostel Sunrise", "Хостел «Берёзка»"]


@pytest.mark.parametrize("path", ["facet_matches", "name_order", "name_order_then_facets"])
def test_every_way_of_reading_in_name_order_agrees(directory, consultant, monkeypatch, path):
    """Nothing typed: from the full-text index; from the sort index in small chunks; or
    from the sort index until its budget of rows is spent, then from the full-text index."""
    used = []
    for name in ("facet_matches", "name_order"):
        read = getattr(engine, name)

        def spy(*args, _read=read, _name=name, **kwargs):
            used.append(_name)
            if path == "name_order_then_facets" and _name == "name_order":
                kwargs["budget"] = 1
            return _read(*args, **kwargs)

        monkeypatch.setattr(engine, name, spy)
    cheap, dear = (1e-9, 1e9) if path == "facet_matches" else (1e9, 1e-9)
    monkeypatch.setattr(engine, "MATCH_COST", cheap)
    monkeypatch.setattr(engine, "SCAN_ROW_COST", dear)
    monkeypatch.setattr(engine, "FIRST_CHUNK_MIN", 1)
    monkeypatch.setattr(engine, "CHUNK_MAX", 1)  # one row a chunk
    assert names(consultant, city="Москва", language="uz") == [
        "Хостел «Берёзка»",
        "Юридическая помощь мигрантам",
        "Горячая линия для мигрантов",
    ]
    assert names(
        consultant, free_only=True, citizenship="KG", open_now=True, now=WEDNESDAY_NOON
    ) == ["Hostel Sunrise", "Горячая линия для мигрантов", "Приют «Надежда»"]
    expected = {"facet_matches": {"facet_matches"}, "name_order": {"name_order"}}
    assert set(used) == expected.get(path, {"name_order", "facet_matches"})


def test_open_now_is_exact_to_the_minute(directory, consultant):
    """The hour is an indexed first test; the minutes are checked too (the lawyers open at
    10:00, so at 10:59 they are open and at 09:59 they are not)."""
    at_0959 = datetime.datetime(2026, 11, 25, 6, 59, tzinfo=UTC)  # 09:59 in Moscow
    at_1059 = datetime.datetime(2026, 11, 25, 7, 59, tzinfo=UTC)
    assert "Юридическая помощь мигрантам" not in names(consultant, open_now=True, now=at_0959)
    assert "Юридическая помощь мигрантам" in names(consultant, open_now=True, now=at_1059)
    lawyers_open = names(consultant, text="юрист", open_now=True, now=at_1059)
    assert lawyers_open == ["Юридическая помощь мигрантам"]
    assert names(consultant, text="юрист", open_now=True, now=at_0959) == []


def test_filter_values(directory, consultant):
    assert [(c.name, c.services) for c in search_cities(actor=consultant)] == [
        ("Екатеринбург", 1),
        ("Москва", 3),
        ("Санкт-Петербург", 1),
    ]
    groups = {group.category.code: group for group in search_categories(actor=consultant)}
    assert [c.code for c in groups["shelter"].children] == ["shelter.trafficking"]


def test_only_staff_may_search():
    inactive = User(username="x", role=Role.CONSULTANT, is_active=False)
    with pytest.raises(PermissionDenied):
        service_search(actor=inactive, query=ServiceSearchQuery(text="hostel"))


# --- The command ----------------------------------------------------------------------------


def test_command_prints_the_services_found(directory):
    out = StringIO()
    call_command("directory-search", "хостел", "--city", "Москва", stdout=out)
    assert "Хостел «Берёзка»" in out.getvalue()
    assert "Hostel Sunrise" not in out.getvalue()


def test_command_json(directory):
    import json

    out = StringIO()
    call_command(
        "directory-search", "", "--category", "legal_aid", "--city", "Москва", "--json", stdout=out
    )
    rows = json.loads(out.getvalue())
    assert [(row["name"], row["local"]) for row in rows] == [
        ("Юридическая помощь мигрантам", True),
        ("Горячая линия для мигрантов", False),
    ]


def test_cards_of_hits_are_the_cards_of_the_service_page(directory):
    """The hits' services are read by hand-written queries; their cards must be exactly
    the cards `presentation` makes from the ORM."""
    from dataclasses import asdict

    from helpline.directory.models import RequiredDocument
    from helpline.directory.presentation import SERVICE_CARD_PREFETCH, service_card
    from helpline.directory.search.cards import services_for_cards
    from helpline.directory.tests.factories import AddressFactory, PhoneFactory

    lawyers = directory["Юридическая помощь мигрантам"]
    location = Location.objects.get(service_at_locations__service=lawyers)
    AddressFactory(location=location, address_1="PO Box 7", address_type="postal", city="Москва")
    PhoneFactory(location=location, number="+7 495 111-22-33", extension=12, description="desk")
    PhoneFactory(service=lawyers, number="+7 800 000-00-00", position=1)
    ScheduleFactory(service=lawyers, byday="SA", opens_at=None, closes_at=None)
    RequiredDocument.objects.create(service=lawyers, document="Паспорт")
    Service.objects.filter(pk=lawyers.pk).update(
        minimum_age=18, walk_ins=True, no_documents_needed=True, eligibility_description="Все"
    )
    ids = [service.pk for service in directory.values() if service.pk]
    loaded = services_for_cards(ids).services
    assert set(loaded) == {s.pk for s in directory.values() if not s.archived_at}
    for service in Service.objects.filter(pk__in=list(loaded)).prefetch_related(
        *SERVICE_CARD_PREFETCH
    ):
        expected = {k: v for k, v in asdict(service_card(service)).items() if k != "service"}
        found = {
            k: v for k, v in asdict(service_card(loaded[service.pk])).items() if k != "service"
        }
        assert found == expected
    card = service_card(loaded[lawyers.pk])
    assert "+7 495 111-22-33 ext. 12 (desk)" in card.phones
    assert card.documents == ["No documents needed", "Паспорт"]


def test_unranked_reads_find_the_same_services(directory, consultant, monkeypatch):
    """With many matches the engine does not rank them (it takes the first ones); the
    services found, ranked here, are the same."""
    ranked = {text: names(consultant, text=text) for text in ("хостел", "мигранты", "юрист")}
    monkeypatch.setattr(engine, "RANKED_MAX", -1)
    for text, expected in ranked.items():
        assert names(consultant, text=text) == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="only PostgreSQL switches plans off for a query; the SQLite leg has nothing to check",
)
def test_a_search_leaves_the_database_settings_as_they_were(directory, consultant, monkeypatch):
    """PostgreSQL reads full-text matches with some plans switched off, for that query."""
    monkeypatch.setattr(engine, "RANKED_MAX", -1)  # the unranked read
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        before = cursor.fetchone()[0]
    assert names(consultant, text="hostel", city="Москва") == ["Хостел «Берёзка»"]
    assert names(consultant, category="housing") == ["Hostel Sunrise", "Хостел «Берёзка»"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == before == "on"
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"
