"""Real-browser journey: a referral made during an intake, followed up to its outcome."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from helpline.accounts.tests.factories import consultant, coordinator
from helpline.common.tests.browser import DETAIL_URL, PATENT_TOPIC, log_in, open_intake
from helpline.directory.models import Referral
from helpline.directory.search.indexing import services_reindex
from helpline.directory.tests.factories import service_in_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hostel_found_in_latin_letters_is_referred_and_followed_up(
    new_page: Callable[[], Page],
) -> None:
    hostel = service_in_city(
        "Москва",
        address="ул. Большая Семёновская, 12",
        name="Хостел «Дружба»",
        description="Недорогой хостел для мигрантов, без регистрации.",
        categories=["housing"],
        languages=["ru", "uz"],
    )
    elsewhere = service_in_city("Санкт-Петербург", name="Хостел «Нева»", categories=["housing"])
    services_reindex(service_ids=[hostel.pk, elsewhere.pk])
    user = consultant()
    user.centre.city = "Москва"
    user.centre.save()

    page = new_page()
    log_in(page, user)
    open_intake(page)
    page.select_option("#id_citizenship", "UZ")
    page.select_option("#id_sex", "male")
    page.locator(".topic-filter").fill("patent")
    page.keyboard.press("Enter")
    page.locator("[name=question]").fill("Ищу недорогое жильё в Москве")

    # The directory search in the form: Moscow is preset from the centre's city.
    expect(page.locator("#referral-city")).to_have_value("Москва")
    page.locator("#referral-q").fill("hostel")
    results = page.locator("#referral-results")
    refer = results.locator(".directory-refer")
    expect(refer).to_have_count(1)
    expect(results).to_contain_text("Хостел «Дружба»")
    expect(results).not_to_contain_text("Нева")
    expect(results).to_contain_text("ул. Большая Семёновская, 12")
    refer.click()
    row = page.locator("#referral-picked .referral-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Хостел «Дружба»")
    expect(refer).to_be_disabled()
    row.locator("input[type=date]").fill(timezone.localdate().isoformat())

    page.locator("[name=answer]").fill("Gave the address of a hostel.")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(DETAIL_URL)
    expect(page.locator("#topics")).to_contain_text(PATENT_TOPIC)
    expect(page.locator("#referrals")).to_contain_text("Хостел «Дружба»")
    referral = Referral.objects.get()
    assert referral.consent_to_share is False
    assert referral.address == "ул. Большая Семёновская, 12, Москва"

    # The follow-up is on the home screen; the outcome is recorded from it.
    page.goto("/")
    due = page.locator("#referral-follow-ups")
    expect(due).to_contain_text("Хостел «Дружба»")
    due.get_by_role("link", name="Хостел «Дружба»").click()
    page.select_option("#id_status", "received")
    page.get_by_role("button", name="Update").click()
    expect(page.locator("#referral-status")).to_contain_text("Service received")
    expect(page.locator("#referral-history tbody tr")).to_have_count(2)
    page.goto("/")
    expect(page.locator("#referral-follow-ups")).to_have_count(0)

    # The centre's coordinator sees the outcome per service.
    boss = coordinator(centre=user.centre)
    other = new_page()
    log_in(other, boss)
    other.goto("/directory/referrals/outcomes/")
    outcome = other.locator("#outcomes tbody tr", has_text="Хостел «Дружба»")
    expect(outcome).to_have_count(1)
    expect(outcome.locator("td").nth(3)).to_have_text("1")
