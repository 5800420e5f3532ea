"""Search: any script or spelling, filters, validity dates, and one order on both databases.

The test suite runs on SQLite (FTS5) and on PostgreSQL (full text); the expected orders
below are asserted on each, so both engines must give exactly these results.
"""

from __future__ import annotations

import copy
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.html import strip_tags

from helpline.accounts.models import Role, User
from helpline.consultations.models import Topic
from helpline.knowledge.content import ArticleData, TranslationData, VersionData
from helpline.knowledge.models import SearchDocument, SearchTerm
from helpline.knowledge.selectors import knowledge_search
from helpline.knowledge.services import articles_save

pytestmark = pytest.mark.django_db

D2024 = datetime.date(2024, 1, 1)
D2025 = datetime.date(2025, 1, 1)


def _t(language, question, answer, *phrasings, status="published"):
    return TranslationData(language, question, answer, list(phrasings), status)


def _article(slug, topics, citizenship, versions):
    return ArticleData(slug=slug, topics=topics, citizenship=citizenship, versions=versions)


CORPUS = [
    _article(
        "patent-obtain",
        ["patent.obtain"],
        ["visa_free"],
        [
            VersionData(
                D2025,
                {
                    "ru": _t(
                        "ru",
                        "Как получить патент на работу?",
                        "Подайте заявление в миграционный центр в течение **30 дней**.",
                        "как оформить патент",
                        "патент сделать",
                    ),
                    "en": _t(
                        "en",
                        "How do I get a work patent?",
                        "Apply at the migration centre within 30 days of entry.",
                    ),
                    "uz": _t(
                        "uz",
                        "Ishlash uchun patentni qanday olish mumkin?",
                        "Kirganingizdan keyin 30 kun ichida migratsiya markaziga ariza bering.",
                    ),
                },
            )
        ],
    ),
    _article(
        "patent-payment",
        ["patent.payment"],
        ["visa_free"],
        [
            VersionData(
                D2024,
                {
                    "ru": _t(
                        "ru",
                        "Сколько платить за патент в месяц?",
                        "Авансовый платёж в 2024 году: около 7 000 рублей в Москве.",
                    ),
                    "en": _t(
                        "en",
                        "How much is the monthly patent payment?",
                        "In 2024 the advance payment is about 7,000 roubles in Moscow.",
                    ),
                },
            ),
            VersionData(
                D2025,
                {
                    "ru": _t(
                        "ru",
                        "Сколько платить за патент в месяц?",
                        "Авансовый платёж в 2025 году: около 8 900 рублей в Москве.",
                    ),
                    "en": _t(
                        "en",
                        "How much is the monthly patent payment?",
                        "In 2025 the advance payment is about 8,900 roubles in Moscow.",
                    ),
                },
            ),
        ],
    ),
    _article(
        "registration-first",
        ["registration.first"],
        ["all"],
        [
            VersionData(
                D2024,
                {
                    "ru": _t(
                        "ru",
                        "Как встать на миграционный учёт?",
                        "Принимающая сторона подаёт уведомление о прибытии за 7 рабочих дней.",
                        "регистрация по приезду",
                    ),
                    "uz": _t(
                        "uz",
                        "Migratsiya hisobiga qanday turish kerak?",
                        "Qabul qiluvchi tomon 7 ish kunida roʻyxatdan oʻtkazadi.",
                        "roʻyxatdan oʻtish",
                    ),
                },
            )
        ],
    ),
    _article(
        "patent-eaeu",
        ["patent.eaeu"],
        ["eaeu"],
        [
            VersionData(
                D2024,
                {
                    "ru": _t(
                        "ru",
                        "Нужен ли патент гражданам ЕАЭС?",
                        "Гражданам Киргизии, Казахстана, Армении и Беларуси патент не нужен.",
                    ),
                },
            )
        ],
    ),
    _article(
        "wages-unpaid",
        ["wages.unpaid"],
        ["all"],
        [
            VersionData(
                D2024,
                {
                    "ru": _t(
                        "ru",
                        "Работодатель не платит зарплату. Что делать?",
                        "Напишите жалобу в трудовую инспекцию и в прокуратуру.",
                        "не платят зп",
                    ),
                    "en": _t(
                        "en",
                        "My employer does not pay my wages",
                        "Complain to the labour inspectorate.",
                        status="draft",
                    ),
                },
            )
        ],
    ),
]


@pytest.fixture
def corpus():
    articles_save(actor=None, articles=CORPUS)


@pytest.fixture
def consultant():
    return User(username="reader", role=Role.CONSULTANT, is_active=True)


def slugs(actor, text, **filters):
    return [hit.slug for hit in knowledge_search(actor=actor, text=text, **filters)]


# One expected order per query: the same on SQLite and PostgreSQL.
PATENT = ["patent-obtain", "patent-eaeu", "patent-payment"]
EXPECTED = [
    ("Как оформить патент?", PATENT),
    ("patent kak oformit", PATENT),
    ("патэнт аформить", PATENT),
    ("разрешение на работу", [*PATENT, "wages-unpaid"]),  # "работу" ~ "работодатель"
    ("регистрацыя", ["registration-first"]),
    ("registratsiya", ["registration-first"]),
    ("ro'yxatdan o'tish", ["registration-first"]),
    ("рўйхат", ["registration-first"]),
    ("work permit how much monthly", ["patent-payment", "patent-obtain", "patent-eaeu"]),
    ("ne platyat zarplatu", ["wages-unpaid", "patent-payment"]),
    ("прописка", ["registration-first"]),
]


@pytest.mark.parametrize(("text", "expected"), EXPECTED)
def test_the_same_order_on_every_database(corpus, consultant, text, expected):
    assert slugs(consultant, text, on_date=datetime.date(2026, 1, 1)) == expected


def test_drafts_are_not_searched(corpus, consultant):
    hits = knowledge_search(actor=consultant, text="labour inspectorate", language="en")
    assert hits == []


def test_citizenship_filter_uses_the_callers_group(corpus, consultant):
    on = datetime.date(2026, 1, 1)
    assert "patent-eaeu" not in slugs(consultant, "патент", citizenship="UZ", on_date=on)
    kyrgyz = slugs(consultant, "патент", citizenship="KG", on_date=on)
    assert kyrgyz == ["patent-eaeu"]


def test_language_and_topic_filters(corpus, consultant):
    on = datetime.date(2026, 1, 1)
    hits = knowledge_search(actor=consultant, text="patent", language="uz", on_date=on)
    assert [(h.slug, h.language) for h in hits] == [("patent-obtain", "uz")]
    payment = Topic.objects.get(code="patent.payment")
    assert slugs(consultant, "патент", topic=payment, on_date=on) == ["patent-payment"]
    first_level = Topic.objects.get(code="registration")
    assert slugs(consultant, "учёт", topic=first_level, on_date=on) == ["registration-first"]


def test_the_version_valid_on_the_date_is_found(corpus, consultant):
    def payment(on):
        hits = knowledge_search(actor=consultant, text="авансовый платёж", on_date=on)
        return [(h.slug, h.valid_from, h.valid_until) for h in hits]

    assert payment(datetime.date(2024, 6, 1)) == [
        ("patent-payment", D2024, datetime.date(2024, 12, 31))
    ]
    assert payment(datetime.date(2025, 6, 1)) == [("patent-payment", D2025, None)]
    assert payment(datetime.date(2023, 6, 1)) == []


def test_hits_are_highlighted_and_escaped(consultant):
    articles_save(
        actor=None,
        articles=[
            _article(
                "html",
                ["other"],
                ["all"],
                [VersionData(D2024, {"ru": _t("ru", "<b>Патент</b> и <script>", "патент <i>")})],
            )
        ],
    )
    hit = knowledge_search(actor=consultant, text="patent")[0]
    assert "<mark>Патент</mark>" in hit.question
    assert "<script>" not in hit.question and "&lt;script&gt;" in hit.question
    assert "<i>" not in hit.snippet
    assert strip_tags(hit.snippet).startswith("патент")


def test_empty_and_hostile_queries(corpus, consultant):
    assert slugs(consultant, "") == []
    assert slugs(consultant, "   ?!  ") == []
    assert slugs(consultant, 'patent" OR "x') != []  # quotes are not syntax
    assert slugs(consultant, "*) AND (NEAR") == []
    assert slugs(consultant, "патент " * 500)  # long input is cut, not an error


def test_the_index_follows_edits(corpus, consultant):
    before = SearchTerm.objects.get(key="zzpatent").documents
    changed = copy.deepcopy(CORPUS[3])
    changed.versions[0].translations["ru"].answer = "Другой текст про общежитие."
    articles_save(actor=None, articles=[changed])
    assert SearchTerm.objects.get(key="zzpatent").documents == before
    assert "patent-eaeu" in slugs(consultant, "общежитие", citizenship="KG")
    assert SearchDocument.objects.count() == 11  # published translations of published versions


def test_only_staff_may_search():
    anonymous = User(username="x", role=Role.CONSULTANT, is_active=False)
    with pytest.raises(PermissionDenied):
        knowledge_search(actor=anonymous, text="патент")


def test_a_rolled_back_index_change_never_leaves_a_stale_vocabulary(consultant):
    """Each change gets a new random token: after a rollback, a later different change
    cannot look like the one a process has cached."""
    from django.db import transaction

    from helpline.knowledge.search.vocabulary import vocabulary

    with transaction.atomic():
        articles_save(actor=None, articles=[CORPUS[0]])
        cached = vocabulary()
        assert "patent" in cached
        transaction.set_rollback(True)
    articles_save(actor=None, articles=[CORPUS[4]])
    fresh = vocabulary()
    assert fresh is not cached
    assert "patent" not in fresh and "zarplat" in fresh
