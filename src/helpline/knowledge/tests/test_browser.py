"""Real-browser journey: answers from the knowledge base during an intake."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from helpline.accounts.tests.factories import consultant
from helpline.common.tests.browser import DETAIL_URL, PATENT_TOPIC, log_in, open_intake, tab_to
from helpline.consultations.models import Consultation
from helpline.demo.articles import knowledge_load
from helpline.knowledge.models import AnswerGiven

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_transliterated_question_suggests_an_answer_that_is_saved_as_given(
    new_page: Callable[[], Page],
) -> None:
    knowledge_load()
    user = consultant()
    page = new_page()
    log_in(page, user)
    open_intake(page)

    page.select_option("#id_citizenship", "UZ")
    page.select_option("#id_sex", "female")
    page.select_option("#id_language", label="Uzbek")
    page.locator(".topic-filter").fill("patent")
    page.keyboard.press("Enter")

    # Russian typed in Latin letters, with a typo, as a consultant types while listening.
    tab_to(page, "[name=question]")
    page.keyboard.type("patent kak oformit posle vezda", delay=20)
    suggestions = page.locator("#suggestion-list li.suggestion")
    expect(suggestions.first).to_be_visible()
    first = suggestions.first
    expect(first).to_contain_text("patent")  # its topic codes
    expect(first.locator("mark").first).to_be_visible()  # the matching words highlighted

    # One click opens the answer in the caller's language (Uzbek, or Russian with a notice).
    first.get_by_role("button", name="Show").click()
    panel = page.locator("#answer-shown")
    expect(panel).to_be_visible()
    expect(panel.locator(".demo-banner")).to_be_visible()
    expect(panel.locator("button.current")).to_have_text("UZ")
    shown_language = panel.locator(".answer-text").get_attribute("lang")
    if shown_language != "uz":
        expect(panel.locator(".notice")).to_contain_text("shown in Russian")
    panel.get_by_role("button", name="RU").click()
    expect(page.locator("#answer-shown .answer-text")).to_have_attribute("lang", "ru")

    # Mark it as used; it stays ticked while the question is refined.
    question_text = first.locator(".q").inner_text()
    first.locator("input[name=answers_given]").check()
    page.locator("[name=question]").press("End")
    page.keyboard.type(" v Moskve", delay=20)
    picked = page.locator("ul.suggestions.picked li")
    expect(picked).to_have_count(1)
    expect(picked.locator("input")).to_be_checked()

    page.locator("[name=answer]").fill("Explained how to apply for the patent within 30 days.")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(DETAIL_URL)
    expect(page.locator("#topics")).to_contain_text(PATENT_TOPIC)
    given = page.locator("#answers-given li")
    expect(given).to_have_count(1)

    saved = Consultation.objects.get()
    answer = AnswerGiven.objects.select_related("version__article").get(consultation=saved)
    assert answer.language == "uz"
    assert any(t.code.startswith("patent") for t in answer.version.article.topics.all())
    uz_or_ru = {t.language: t.question for t in answer.version.translations.all()}
    expect(given).to_contain_text(uz_or_ru.get("uz") or uz_or_ru["ru"])
    assert question_text.strip() in {q.strip() for q in uz_or_ru.values()}

    # The answer given opens the article, as it was given.
    given.locator("a").click()
    expect(page.locator("h1")).to_be_visible()
