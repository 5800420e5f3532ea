"""The directory's search screen and its results partial (also used inside the intake form)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpline.accounts.tests.factories import administrator, consultant, coordinator, national
from helpline.directory.search.indexing import services_reindex
from helpline.directory.tests.factories import ServiceFactory, service_in_city

pytestmark = pytest.mark.django_db

SEARCH = "directory:search"
RESULTS = "directory:search_results"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def services():
    hostel = service_in_city(
        "Москва",
        name="Хостел <Берёзка>",
        description="Койко-место для мигрантов.",
        categories=["housing"],
        languages=["ru", "uz"],
        cost="low",
    )
    lawyers = service_in_city("Москва", name="Юристы для мигрантов", categories=["legal_aid"])
    clinic = service_in_city("Екатеринбург", name="Клиника для всех", categories=["clinic"])
    hotline = ServiceFactory(name="Горячая линия", categories=["legal_aid"], is_national=True)
    found = [hostel, lawyers, clinic, hotline]
    services_reindex(service_ids=[s.pk for s in found])
    return {s.name: s for s in found}


def hit_names(response) -> list[str]:
    html = response.content.decode()
    return [
        html_lib.unescape(re.sub(r"<[^>]+>", "", name))
        for name in re.findall(r'<strong class="hit-name">(.*?)</strong>', html)
    ]


@pytest.mark.parametrize("name", [SEARCH, RESULTS])
def test_anonymous_users_are_sent_to_log_in(client, name):
    response = client.get(reverse(name), {"q": "хостел"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("make_user", [consultant, coordinator, national, administrator])
def test_every_staff_role_may_search(client, services, make_user):
    client.force_login(make_user())
    response = client.get(reverse(SEARCH), {"q": "hostel"})
    assert response.status_code == 200
    assert hit_names(response) == ["Хостел <Берёзка>"]


def test_an_inactive_user_is_refused(client, services):
    user = consultant()
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse(RESULTS), {"q": "hostel"})
    assert response.status_code in (302, 403)
    assert b"hit-name" not in response.content


def test_the_page_has_every_filter(client, services):
    client.force_login(consultant())
    html = client.get(reverse(SEARCH)).content.decode()
    for name in ("q", "city", "category", "language", "citizenship", "open_now", "free"):
        assert f'name="{name}"' in html
    assert '<option value="Москва">Москва</option>' in html
    assert '<option value="Екатеринбург">Екатеринбург</option>' in html
    assert '<optgroup label="Shelter">' in html  # a category with subcategories
    assert '<option value="shelter.trafficking">' in html
    assert '<option value="uz">Uzbek</option>' in html


def test_with_nothing_typed_every_service_is_listed_by_name(client, services):
    client.force_login(consultant())
    response = client.get(reverse(SEARCH))
    assert hit_names(response) == [
        "Горячая линия",
        "Клиника для всех",
        "Хостел <Берёзка>",
        "Юристы для мигрантов",
    ]


def test_filters_from_the_query_string(client, services):
    client.force_login(consultant())
    response = client.get(reverse(SEARCH), {"city": "Москва", "category": "legal_aid"})
    assert hit_names(response) == ["Юристы для мигрантов", "Горячая линия"]
    assert "but serving callers anywhere in the country" in response.content.decode()
    response = client.get(reverse(SEARCH), {"language": "uz", "free": "on"})
    assert hit_names(response) == []
    assert b'id="no-hits"' in response.content


def test_a_hit_shows_what_matters_on_a_call_escaped(client, services):
    client.force_login(consultant())
    html = client.get(reverse(SEARCH), {"q": "berezka"}).content.decode()
    assert "Хостел &lt;<mark>Берёзка</mark>&gt;" in html and "<Берёзка>" not in html
    assert "1 Lenin Street, Москва" in html
    assert "Mon–Fri 09:00–18:00" in html
    assert "Low cost" in html
    assert "Russian, Uzbek" in html
    assert "+7 495" in html


def test_htmx_updates_get_the_results_only_and_the_page_address(client, services):
    client.force_login(consultant())
    response = client.get(
        reverse(RESULTS), {"q": "клиника", "city": ""}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="directory-results"' in html
    assert hit_names(response) == ["Клиника для всех"]
    assert (
        response["HX-Push-Url"] == reverse(SEARCH) + "?q=%D0%BA%D0%BB%D0%B8%D0%BD%D0%B8%D0%BA%D0%B0"
    )
    assert "directory-refer" not in html


def test_intake_mode_offers_a_refer_button_per_hit_and_no_page(client, services):
    client.force_login(consultant())
    hostel = services["Хостел <Берёзка>"]
    response = client.get(
        reverse(RESULTS), {"q": "хостел", "mode": "intake"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and "topbar" not in html
    assert (
        f'<button type="button" class="directory-refer" data-service-id="{hostel.pk}"'
        f' data-service-name="Хостел &lt;Берёзка&gt;">Refer</button>'
    ) in html
    assert html.count('class="directory-refer"') == 1
    assert "HX-Push-Url" not in response


def test_show_more_asks_for_more_with_the_same_filters(client, services):
    client.force_login(consultant())
    response = client.get(reverse(SEARCH), {"city": "Москва", "limit": "1"})
    assert hit_names(response) == ["Хостел <Берёзка>"]
    html = response.content.decode()
    more = re.search(r'hx-get="([^"]+)"[^>]*id="show-more"', html)
    assert more is not None
    url = more.group(1).replace("&amp;", "&")
    assert "limit=11" in url and "city=" in url
    response = client.get(url)
    assert hit_names(response) == ["Хостел <Берёзка>", "Юристы для мигрантов", "Горячая линия"]
    assert b'id="show-more"' not in response.content


def test_an_unknown_category_names_the_field(client, services):
    client.force_login(consultant())
    response = client.get(reverse(SEARCH), {"category": "nonsense"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content


def test_words_the_directory_does_not_know_say_so(client, services):
    client.force_login(consultant())
    response = client.get(reverse(RESULTS), {"q": "зонтик"})
    assert b'id="not-understood"' in response.content


def test_the_number_of_queries_does_not_grow_with_the_hits(client, services):
    client.force_login(consultant())
    client.get(reverse(RESULTS))  # sessions, vocabulary and caches warmed
    with CaptureQueriesContext(connection) as two:
        assert len(hit_names(client.get(reverse(RESULTS), {"limit": "2"}))) == 2
    with CaptureQueriesContext(connection) as four:
        assert len(hit_names(client.get(reverse(RESULTS)))) == 4
    assert len(four) == len(two) <= 20
