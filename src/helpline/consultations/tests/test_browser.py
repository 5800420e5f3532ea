"""Real-browser user journeys: Playwright (sync API) driving the machine's Chromium.

Run with ``pytest -m browser``. The browser is never downloaded: the tests use the
Chromium given by HELPLINE_CHROMIUM (default /usr/bin/chromium). Without it they are
skipped, except under CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from helpline.accounts.tests.factories import CentreFactory, consultant
from helpline.common.tests.browser import (
    DETAIL_URL,
    EDIT_URL,
    PATENT_TOPIC,
    local_storage,
    log_in,
    open_intake,
    press_access_key,
    tab_to,
    topic_checkbox,
    url,
)
from helpline.consultations.caller_key import caller_key
from helpline.consultations.models import Consultation, ConsultationChange
from helpline.consultations.tests.factories import ConsultationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# --- Journeys -------------------------------------------------------------------------------


def test_keyboard_only_intake_then_list_and_edit(new_page: Callable[[], Page]) -> None:
    user = consultant(first_name="Aziza", last_name="Karimova")
    page = new_page()
    log_in(page, user)

    # From the home page to a saved consultation without touching the mouse.
    started = time.perf_counter()
    press_access_key(page, "n")  # Alt+N: accesskey "n" of the "New consultation" link
    page.wait_for_url(url(page, "/consultations/new/"))
    expect(page.locator("#intake-form")).to_be_visible()

    tab_to(page, "[name=citizenship]")
    page.keyboard.type("Uzb", delay=50)  # type-to-choose in a closed select
    expect(page.locator("[name=citizenship]")).to_have_value("UZ")

    tab_to(page, "[name=sex]")
    page.keyboard.type("Male", delay=50)
    expect(page.locator("[name=sex]")).to_have_value("male")

    tab_to(page, ".topic-filter")
    page.keyboard.type("patent")
    expect(page.locator("label.topic-option", has_text=PATENT_TOPIC)).to_be_visible()
    page.keyboard.press("Enter")  # ticks the first match
    expect(topic_checkbox(page, PATENT_TOPIC)).to_be_checked()
    expect(page.locator("label.topic-option input:checked")).to_have_count(1)
    expect(page.locator(".topic-filter")).to_have_value("")  # cleared for the next topic

    question = "How do I pay for my patent after moving to another region?"
    answer = "Pay the advance in the new region; the patent is valid only there."
    tab_to(page, "[name=question]")
    page.keyboard.type(question)
    tab_to(page, "[name=answer]")
    page.keyboard.type(answer)
    page.keyboard.press("Control+Enter")

    page.wait_for_url(DETAIL_URL)
    expect(page.locator(".messages")).to_contain_text("Consultation saved.")
    elapsed = time.perf_counter() - started
    expect(page.locator("#question")).to_have_text(question)
    expect(page.locator("#answer")).to_have_text(answer)
    expect(page.locator("#topics")).to_contain_text(PATENT_TOPIC)
    assert elapsed < 60, f"recording one consultation took {elapsed:.1f} s (requirement: < 60 s)"

    saved = Consultation.objects.get()
    assert saved.consultant_id == user.pk
    assert saved.centre_id == user.centre_id
    assert (saved.sex, str(saved.citizenship)) == ("male", "UZ")
    assert [t.code for t in saved.topics.all()] == ["patent"]
    assert saved.question == question
    assert saved.caller_key == ""
    detail_path = f"/consultations/{saved.pk}/"
    assert page.url == url(page, detail_path)

    # The list shows the new row.
    page.goto("/consultations/")
    expect(page.locator("#result-count")).to_have_text("1 contact found")
    rows = page.locator("#consultations tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Aziza Karimova")
    expect(rows.first).to_contain_text("UZ")
    expect(rows.first).to_contain_text("Male")
    expect(rows.first).to_contain_text(PATENT_TOPIC)
    expect(rows.first.locator(f"a[href='{detail_path}']")).to_have_count(1)

    # Edit: change the answer, save with Ctrl+Enter, see it and its history.
    page.goto(detail_path)
    press_access_key(page, "e")  # Alt+E: accesskey "e" of the Edit button
    page.wait_for_url(EDIT_URL)
    new_answer = "Pay the advance in the new region and ask for a patent for that region."
    answer_box = page.locator("[name=answer]")
    expect(answer_box).to_have_value(answer)
    answer_box.fill(new_answer)
    answer_box.press("Control+Enter")
    page.wait_for_url(url(page, detail_path))
    expect(page.locator(".messages")).to_contain_text("Changes saved.")
    expect(page.locator("#answer")).to_have_text(new_answer)
    # Only the answer was changed, so the history lists the answer and nothing else.
    history = page.locator("#history")
    expect(history).to_contain_text("Aziza Karimova")
    answer_row = history.locator("tbody tr", has=page.locator("td.new", has_text=new_answer))
    expect(answer_row).to_have_count(1)
    expect(answer_row.locator("td.old")).to_have_text(answer)
    fields = history.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => r.cells[r.cells.length - 3].textContent.trim())"
    )
    assert fields == ["Answer given"], (
        "an edit that changed only the answer must list only the answer in the history; "
        f"the history shows: {history.inner_text()!r}"
    )

    saved.refresh_from_db()
    assert saved.answer == new_answer
    assert saved.version == 2
    change = ConsultationChange.objects.get(consultation=saved)
    assert set(change.changes) == {"answer"}


def test_silent_call_in_one_click(new_page: Callable[[], Page]) -> None:
    user = consultant()
    page = new_page()
    log_in(page, user)

    page.locator("[data-non-data=silent]").click()
    page.wait_for_url(url(page, "/"))
    expect(page.locator(".messages")).to_contain_text("Recorded: Silent call.")
    expect(page.locator("#latest")).to_contain_text("Silent call")

    recorded = Consultation.objects.get(consultant=user)
    assert recorded.non_data_type is not None
    assert recorded.non_data_type.code == "silent"
    assert recorded.centre_id == user.centre_id
    assert not recorded.topics.exists()
    assert recorded.question == ""


def test_draft_survives_reload_but_never_the_phone(new_page: Callable[[], Page]) -> None:
    user = consultant()
    page = new_page()
    log_in(page, user)
    open_intake(page)

    question = "Where can I take the Russian language exam?"
    page.locator("[name=question]").press_sequentially(question)
    topic_checkbox(page, PATENT_TOPIC).check()
    phone = page.locator("[name=caller_phone]")
    phone.press_sequentially("+7 916 555-12-34")
    expect(page.locator(".draft-status")).to_have_text("✓")  # the draft was written

    page.reload()
    expect(page.locator("#intake-form")).to_be_visible()
    expect(page.locator(".draft-status")).to_have_text("↺")  # restored from the draft
    expect(page.locator("[name=question]")).to_have_value(question)
    expect(topic_checkbox(page, PATENT_TOPIC)).to_be_checked()
    expect(page.locator("[name=caller_phone]")).to_have_value("")

    stored = local_storage(page)
    drafts = {k: v for k, v in stored.items() if k.startswith("helpline-draft:")}
    assert list(drafts) == [f"helpline-draft:intake:{user.pk}"]
    assert question in json.loads(drafts[f"helpline-draft:intake:{user.pk}"])["data"]["question"]
    everything = json.dumps(stored)
    for fragment in ("555-12-34", "5551234", "555 12 34", "916 555"):
        assert fragment not in everything, f"the phone number leaked to localStorage: {stored}"

    # Save; the next intake form starts empty and the draft is gone.
    page.locator("[name=sex]").select_option("female")
    page.locator("[name=question]").press("Control+Enter")
    page.wait_for_url(DETAIL_URL)
    expect(page.locator(".messages")).to_contain_text("Consultation saved.")
    assert Consultation.objects.get().question == question

    open_intake(page)
    expect(page.locator("[name=question]")).to_have_value("")
    expect(page.locator("label.topic-option input:checked")).to_have_count(0)
    expect(page.locator("[name=sex]")).to_have_value("")
    expect(page.locator(".draft-status")).to_have_text("")
    assert not [k for k in local_storage(page) if k.startswith("helpline-draft:")]


def test_repeat_caller_is_recognised_without_the_number_in_a_url(
    new_page: Callable[[], Page],
) -> None:
    centre = CentreFactory()
    user = consultant(centre)
    colleague = consultant(centre)
    earlier = ConsultationFactory(
        centre=centre,
        consultant=colleague,
        started_at=timezone.now() - timedelta(days=3),
        caller_key=caller_key("+79161234567"),
    )
    page = new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(f"{request.method} {request.url}"))
    log_in(page, user)
    open_intake(page)

    page.locator("[name=caller_phone]").click()
    page.keyboard.type("8 916 123-45-67")
    page.keyboard.press("Tab")

    history = page.locator("#caller-history")
    expect(history).to_contain_text("1 earlier contact")
    expect(history.locator(f"a[href='/consultations/{earlier.pk}/']")).to_have_count(1)
    for digits in ("916", "1234567", "45-67"):
        assert digits not in page.url
        leaked = [r for r in requested if digits in r]
        assert not leaked, f"the phone number appeared in a URL: {leaked}"
    assert any(r.startswith("POST ") and "/consultations/caller-history/" in r for r in requested)


def test_second_editor_gets_the_stale_warning(new_page: Callable[[], Page]) -> None:
    centre = CentreFactory()
    first_user = consultant(centre, first_name="First", last_name="Editor")
    second_user = consultant(centre, first_name="Second", last_name="Editor")
    record = ConsultationFactory(centre=centre, consultant=first_user, answer="Original.")
    edit_path = f"/consultations/{record.pk}/edit/"

    first, second = new_page(), new_page()
    log_in(first, first_user)
    log_in(second, second_user)
    for page in (first, second):
        page.goto(edit_path)
        expect(page.locator("[name=answer]")).to_have_value("Original.")

    first.locator("[name=answer]").fill("The first editor's answer.")
    first.locator("[name=answer]").press("Control+Enter")
    first.wait_for_url(url(first, f"/consultations/{record.pk}/"))
    expect(first.locator(".messages")).to_contain_text("Changes saved.")

    second.locator("[name=answer]").fill("The second editor's answer.")
    second.locator("[name=answer]").press("Control+Enter")
    warning = second.locator("#stale-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Your changes were not saved.")
    expect(warning).to_contain_text("First Editor")
    assert second.url == url(second, edit_path)

    record.refresh_from_db()
    assert record.answer == "The first editor's answer."
    assert record.version == 2
    assert record.updated_by_id == first_user.pk
    assert ConsultationChange.objects.filter(consultation=record).count() == 1


def test_intake_without_topic_is_refused(new_page: Callable[[], Page]) -> None:
    user = consultant()
    page = new_page()
    log_in(page, user)
    open_intake(page)

    page.locator("[name=sex]").select_option("male")
    page.locator("[name=question]").fill("A question without a topic.")
    page.locator("#save").click()

    topics = page.locator("fieldset.topics")
    expect(topics).to_have_class(re.compile(r"\bhas-error\b"))
    error = topics.locator(".error[role=alert]")
    expect(error).to_have_count(1)
    expect(error).to_be_visible()
    expect(error).to_have_text(
        re.compile(r"^(This field is required|Choose at least one topic)\.$")
    )
    assert page.url == url(page, "/consultations/new/")
    expect(page.locator("[name=question]")).to_have_value("A question without a topic.")
    expect(page.locator(".messages")).to_have_count(0)
    assert Consultation.objects.count() == 0
