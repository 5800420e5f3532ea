from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from helpline.knowledge.diff import references_text, snapshot_diff, version_diff, word_diff
from helpline.knowledge.tests.factories import article_with_version, version_make


def snap(**over):
    base = {
        "valid_from": "2025-01-01",
        "valid_until": None,
        "review_status": "published",
        "reviewer": "",
        "reviewed_on": None,
        "next_review_on": None,
        "references": [],
        "translations": {
            "ru": {
                "question": "Как?",
                "phrasings": "",
                "answer": "Платите 5000 рублей.",
                "status": "published",
            },
        },
    }
    base.update(over)
    return base


def test_word_diff_marks_changed_words_only():
    html = word_diff("Pay 5000 roubles each month.", "Pay 7000 roubles every month.")
    assert html == (
        "Pay <del>5000</del><ins>7000</ins> roubles <del>each</del><ins>every</ins> month."
    )


def test_word_diff_escapes_everything():
    html = word_diff("<b>old</b>", "<script>new</script> & more")
    assert "<script>" not in html and "<b>" not in html
    assert html.startswith("&lt;<del>b</del><ins>script</ins>&gt;") and "&amp; more" in html
    tags = html.replace("<del>", "").replace("</del>", "").replace("<ins>", "")
    assert "<" not in tags.replace("</ins>", "")


def test_identical_snapshots_have_no_changes():
    assert snapshot_diff(snap(), snap()) == []


def test_changes_of_version_fields_and_translations():
    with translation.override("en"):
        changes = snapshot_diff(
            snap(),
            snap(
                valid_until="2025-12-31",
                references=[{"law": "115-FZ", "article": "13.3", "url": ""}],
                translations={
                    "ru": {
                        "question": "Как?",
                        "phrasings": "",
                        "answer": "Платите 7000 рублей.",
                        "status": "published",
                    },
                    "uz": {
                        "question": "Qanday?",
                        "phrasings": "",
                        "answer": "To'lang.",
                        "status": "draft",
                    },
                },
            ),
        )
    by_key = {(c.field, c.language): c for c in changes}
    assert by_key[("valid_until", "")].label == "Valid until"
    assert by_key[("valid_until", "")].after == "31 December 2025"
    assert by_key[("references", "")].after == "115-FZ | 13.3"
    answer = by_key[("answer", "ru")]
    assert answer.before == "Платите 5000 рублей." and answer.after == "Платите 7000 рублей."
    assert "<del>5000</del><ins>7000</ins>" in answer.html
    assert by_key[("question", "uz")].before == ""
    assert by_key[("status", "uz")].after == "Draft"
    assert ("question", "ru") not in by_key
    # Version fields first, then languages in the house order.
    assert [c.language for c in changes][:2] == ["", ""]


def test_languages_limit_the_translations_compared():
    after = snap(translations={"ru": {"answer": "A"}, "en": {"answer": "B"}})
    changes = snapshot_diff(snap(translations={}), after, languages=["en"])
    assert {c.language for c in changes} == {"en"}


def test_everything_is_new_without_before():
    changes = snapshot_diff(None, snap())
    fields = {(c.field, c.language) for c in changes}
    assert ("valid_from", "") in fields and ("answer", "ru") in fields
    assert all(c.before == "" for c in changes)


def test_references_text():
    assert (
        references_text([{"law": "Law A", "article": "", "url": "https://a"}, {"law": "Law B"}])
        == "Law A |  | https://a\nLaw B"
    )


@pytest.mark.django_db
def test_version_diff_between_two_versions():
    article, first = article_with_version(
        texts={"ru": ("Сколько стоит патент?", "Патент стоит 5000 рублей в месяц.")}
    )
    second = version_make(
        article,
        valid_from=datetime.date(2026, 1, 1),
        texts={"ru": ("Сколько стоит патент?", "Патент стоит 7500 рублей в месяц.")},
    )
    changes = version_diff(first, second, languages=["ru"])
    fields = {c.field for c in changes}
    assert "answer" in fields and "question" not in fields and "valid_from" in fields
    answer = next(c for c in changes if c.field == "answer")
    assert "<del>5000</del><ins>7500</ins>" in answer.html
    assert {c.field for c in version_diff(None, first)} >= {"question", "answer"}
