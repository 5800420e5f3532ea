"""Search time of the directory with 50,000 services, on SQLite and PostgreSQL.

    .venv/bin/python bench/directory_bench.py [--services N] [--databases sqlite,postgresql]

For each database a fresh one is made (an SQLite file in a temporary directory; a throwaway
PostgreSQL server from scripts/pg_server.py) and migrated; N services are generated
(organisations, locations in twelve cities of two time zones, addresses, phones,
schedules, categories, languages, citizenships, costs), bulk-inserted, indexed with
``directory_index_rebuild()`` and analysed. After warm-up, the script times (a)
``service_search`` for a fixed mix of realistic queries of eight kinds (words only, words
typed in Latin letters, misspelt words, city and category, the same open now, with a
language spoken, words in a city, words with the caller's citizenship and free only),
with a fixed "now" for "open now", and (b) the same queries as a GET of the results
partial through Django's test client, logged in as a consultant. The goal is p95 ≤ 20 ms.
The results go to bench/results/directory.json and to a section of bench/RESULTS.md.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import harness

ROOT = harness.ROOT
RESULTS_JSON = ROOT / "bench" / "results" / "directory.json"
MARK_START = "<!-- directory:start -->"
MARK_END = "<!-- directory:end -->"
GOAL_P95_MS = 20.0
CONSULTANT = "moscow-consultant"
BATCH = 2000
UTC = datetime.UTC

# (city, time zone, share of the services located there)
CITIES = (
    ("Москва", "Europe/Moscow", 0.30),
    ("Санкт-Петербург", "Europe/Moscow", 0.15),
    ("Екатеринбург", "Asia/Yekaterinburg", 0.08),
    ("Казань", "Europe/Moscow", 0.06),
    ("Нижний Новгород", "Europe/Moscow", 0.05),
    ("Ростов-на-Дону", "Europe/Moscow", 0.05),
    ("Воронеж", "Europe/Moscow", 0.04),
    ("Челябинск", "Asia/Yekaterinburg", 0.05),
    ("Тюмень", "Asia/Yekaterinburg", 0.04),
    ("Пермь", "Asia/Yekaterinburg", 0.05),
    ("Уфа", "Asia/Yekaterinburg", 0.05),
    ("Сургут", "Asia/Yekaterinburg", 0.08),
)
NATIONAL_SHARE = 0.03
# Category code → (share of services, name patterns (ru, en, uz), description sentences).
CATEGORIES: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = {
    "housing": (
        0.16,
        ("Хостел «{w}»", "Общежитие «{w}»", "Хостел на {s}", "Hostel {W}", "Xostel «{w}»",
         "Койко-места «{w}»"),
        ("Койко-места для рабочих от 350 рублей в сутки.",
         "Есть кухня, душ и стиральная машина.", "Принимаем граждан СНГ, помогаем с регистрацией.",
         "Общежитие для рабочих бригад, оплата посуточно или помесячно.",
         "Hostel beds for workers, weekly rates."),
    ),
    "shelter": (0.03, ("Приют «{w}»", "Социальная гостиница «{w}»"),
                ("Временное жильё для людей в трудной ситуации.", "Бесплатное питание.")),
    "shelter.trafficking": (0.01, ("Приют «{w}» для пострадавших", "Убежище «{w}»"),
                            ("Защищённый приют для пострадавших от торговли людьми.",
                             "Психологическая и юридическая помощь.")),
    "crisis_women": (0.03, ("Кризисный центр «{w}»", "Центр помощи женщинам «{w}»"),
                     ("Помощь женщинам, пострадавшим от насилия.",
                      "Консультации психолога и юриста, временное проживание.")),
    "clinic": (0.14, ("Клиника «{w}»", "Медицинский центр «{w}»", "{W} Clinic",
                      "Klinika «{w}»", "Поликлиника на {s}"),
               ("Принимаем иностранных граждан без полиса ОМС.",
                "Медосвидетельствование для патента, справки.",
                "Терапевт, гинеколог, педиатр, анализы.", "Врачи говорят по-узбекски.",
                "Недорогой приём для мигрантов по записи.")),
    "hiv_tb": (0.02, ("Центр СПИД «{w}»", "Противотуберкулёзный диспансер на {s}"),
               ("Анонимное тестирование на ВИЧ.", "Лечение туберкулёза бесплатно.")),
    "russian_courses": (0.04, ("Курсы русского языка «{w}»", "Языковая школа «{w}»",
                               "Russian courses {W}"),
                        ("Подготовка к экзамену по русскому языку, истории и праву.",
                         "Занятия по вечерам и в выходные.")),
    "russian_courses.adults": (0.02, ("Курсы русского для взрослых «{w}»",),
                               ("Бесплатные курсы для трудовых мигрантов.",)),
    "russian_courses.children": (0.02, ("Курсы русского для детей «{w}»",),
                                 ("Подготовка детей мигрантов к школе.",)),
    "school": (0.03, ("Школа № {n}", "Детский сад «{w}»"),
               ("Принимаем детей иностранных граждан.", "Помощь с документами для зачисления.")),
    "legal_aid": (0.18, ("Юридическая консультация «{w}»", "Правовой центр «{w}»",
                         "Адвокатское бюро «{w}»", "Юрист для мигрантов на {s}",
                         "{W} Legal Aid", "Yuridik yordam «{w}»"),
                  ("Бесплатные консультации юриста по патенту и регистрации.",
                   "Помощь при невыплате зарплаты и увольнении.",
                   "Составление жалоб и исков, представительство в суде.",
                   "Консультации по вопросам гражданства и РВП.",
                   "Free legal advice on work permits.")),
    "trade_union": (0.02, ("Профсоюз трудящихся-мигрантов",
                           "Профсоюзная организация «{w}»"),
                    ("Защита трудовых прав, помощь при конфликтах с работодателем.",)),
    "state.labour_inspectorate": (0.01, ("Государственная инспекция труда",),
                                  ("Приём жалоб на нарушения трудовых прав.",)),
    "state.prosecutor": (0.01, ("Прокуратура",), ("Приём обращений граждан.",)),
    "state.migration": (0.04, ("Миграционный центр", "Отдел по вопросам миграции"),
                        ("Оформление патента, миграционный учёт, дактилоскопия.",
                         "Приём документов по записи.")),
    "consulate": (0.02, ("Консульство Узбекистана", "Консульство Таджикистана",
                         "Посольство Кыргызстана"),
                  ("Консульские услуги для граждан, замена паспорта.",
                   "Свидетельство на возвращение.")),
    "refugee": (0.01, ("Комитет помощи беженцам «{w}»",),
                ("Помощь беженцам и вынужденным переселенцам.",)),
    "red_cross": (0.01, ("Красный Крест",), ("Гуманитарная помощь, продуктовые наборы.",)),
    "psychological": (0.04, ("Психологическая помощь «{w}»", "Телефон доверия «{w}»"),
                      ("Бесплатная психологическая поддержка на родном языке.",
                       "Консультации психолога онлайн и очно.")),
    "employment": (0.07, ("Кадровое агентство «{w}»", "Центр занятости «{w}»",
                          "Ish topish «{w}»"),
                   ("Помогаем найти работу легально, с договором.",
                    "Вакансии на стройке, складе, в такси.")),
    "return": (0.01, ("Программа добровольного возвращения",),
               ("Помощь с возвращением домой и реинтеграцией.",)),
}  # fmt: skip
GENERAL_SENTENCES = (
    "Работаем с мигрантами из Узбекистана, Таджикистана и Киргизии.",
    "Запись по телефону или в мессенджере.",
    "Приходите с паспортом и миграционной картой.",
    "Говорим на русском, узбекском и таджикском языках.",
    "Работаем без выходных.",
    "Помогаем заполнить документы.",
    "Консультация по телефону бесплатно.",
)
ELIGIBILITY = (
    "Только для граждан стран СНГ.",
    "Для женщин с детьми.",
    "Для тех, у кого есть патент.",
    "Без регистрации и документов.",
    "",
    "",
    "",
)
WORDS = [
    "Берёзка",
    "Рассвет",
    "Надежда",
    "Дружба",
    "Восток",
    "Сокол",
    "Радуга",
    "Солнце",
    "Мир",
    "Уют",
    "Дом",
    "Звезда",
    "Весна",
    "Ласточка",
    "Гармония",
    "Забота",
    "Доверие",
    "Пульс",
    "Здоровье",
    "Фортуна",
    "Лотос",
    "Алмаз",
    "Феникс",
    "Орион",
    "Вега",
    "Азия",
    "Самарканд",
    "Памир",
    "Тянь-Шань",
    "Ала-Тоо",
    "Чинар",
    "Навруз",
    "Бахор",
    "Сарвар",
    "Дустлик",
    "Умид",
    "Нур",
    "Ариана",
    "Сомон",
    "Ватан",
    "Атлант",
    "Гранит",
    "Кедр",
    "Тайга",
    "Урал",
    "Волга",
    "Нева",
    "Кама",
    "Ока",
    "Исеть",
    "Обь",
    "Иртыш",
]
STREETS = (
    "Ленина", "Мира", "Гагарина", "Советской", "Садовой", "Лесной", "Школьной", "Заводской",
    "Новой", "Центральной", "Пушкина", "Строителей", "Победы", "Молодёжной", "Набережной",
)  # fmt: skip
LANGUAGE_SHARES = (("ru", 0.96), ("uz", 0.35), ("tg", 0.25), ("ky", 0.2), ("en", 0.1),
                   ("kk", 0.05), ("az", 0.03), ("hy", 0.02))  # fmt: skip
CITIZENSHIPS = ("UZ", "TJ", "KG", "KZ", "AM", "AZ", "MD")


@dataclass(frozen=True)
class HoursPattern:
    share: float
    rows: tuple[tuple[str, datetime.time | None, datetime.time | None], ...]


T = datetime.time
HOURS = (
    HoursPattern(0.30, (("MO,TU,WE,TH,FR", T(9), T(18)),)),
    HoursPattern(0.12, (("MO,TU,WE,TH,FR", T(10), T(19)),)),
    HoursPattern(0.10, (("MO,TU,WE,TH,FR", T(8), T(17)),)),
    HoursPattern(0.13, (("MO,TU,WE,TH,FR", T(9), T(18)), ("SA", T(10), T(15)))),
    HoursPattern(0.10, (("", None, None),)),  # 24 hours, every day
    HoursPattern(0.05, (("MO,TU,WE,TH,FR,SA,SU", T(20), T(8)),)),  # overnight
    HoursPattern(0.05, (("TU,TH", T(14), T(20)),)),
    HoursPattern(0.15, ()),  # hours not known
)


def _weighted(rng: random.Random, items: list[Any], weights: list[float]) -> Any:
    return rng.choices(items, weights=weights, k=1)[0]


def services_generate(count: int, seed: int) -> dict[str, int]:
    """`count` services with everything a card shows, bulk-inserted. Returns row counts."""
    from django.db import transaction
    from django.utils import timezone

    from helpline.common.models import Language
    from helpline.directory.models import (
        Address,
        Location,
        Organization,
        Phone,
        Schedule,
        Service,
        ServiceAtLocation,
        ServiceCategory,
    )

    rng = random.Random(f"directory-bench-{seed}")
    category_ids = dict(ServiceCategory.objects.values_list("code", "pk"))
    language_ids = dict(Language.objects.values_list("code", "pk"))
    codes = list(CATEGORIES)
    shares = [CATEGORIES[code][0] for code in codes]
    city_names = [c[0] for c in CITIES]
    city_shares = [c[2] for c in CITIES]
    zones = {c[0]: c[1] for c in CITIES}
    cat_through = Service.categories.through
    lang_through = Service.languages.through
    counts: Counter[str] = Counter()
    rows: dict[str, list[Any]] = {name: [] for name in (
        "organizations", "services", "locations", "addresses", "links", "phones", "schedules",
        "categories", "languages")}  # fmt: skip
    models = {
        "organizations": Organization, "services": Service, "locations": Location,
        "addresses": Address, "links": ServiceAtLocation, "phones": Phone,
        "schedules": Schedule, "categories": cat_through, "languages": lang_through,
    }  # fmt: skip

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def flush() -> None:
        for name, model in models.items():
            model.objects.bulk_create(rows[name], batch_size=BATCH)
            counts[name] += len(rows[name])
            rows[name].clear()

    now = timezone.now()
    today = now.date()
    organization = None
    with transaction.atomic():
        for n in range(count):
            if organization is None or rng.random() < 0.4:
                organization = Organization(
                    id=new_id(), name=f"АНО «{rng.choice(WORDS)} {n % 997}»", description=""
                )
                rows["organizations"].append(organization)
            code = _weighted(rng, codes, shares)
            _share, patterns, sentences = CATEGORIES[code]
            word = rng.choice(WORDS)
            name = rng.choice(patterns).format(
                w=word, W=word, s=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                n=rng.randint(1, 2000),
            )  # fmt: skip
            description = " ".join(
                rng.sample(sentences, min(len(sentences), rng.randint(1, 3)))
                + rng.sample(GENERAL_SENTENCES, rng.randint(0, 2))
            )
            status, archived_at = "active", None
            roll = rng.random()
            if roll < 0.03:
                archived_at = now
            elif roll < 0.06:
                status = "temporarily closed"
            elif roll < 0.07:
                status = "defunct"
            national = rng.random() < NATIONAL_SHARE
            cost = _weighted(rng, ["free", "low", "paid", ""], [0.45, 0.25, 0.2, 0.1])
            citizenships = (
                sorted(rng.sample(CITIZENSHIPS, rng.randint(1, 3))) if rng.random() < 0.2 else []
            )
            service = Service(
                id=new_id(), organization=organization, name=name, description=description,
                eligibility_description=rng.choice(ELIGIBILITY), status=status,
                cost=cost, citizenships=citizenships, is_national=national,
                walk_ins=rng.random() < 0.3, archived_at=archived_at, verified_on=today,
            )  # fmt: skip
            rows["services"].append(service)
            chosen = {code}
            if rng.random() < 0.25:
                chosen.add(_weighted(rng, codes, shares))
            rows["categories"] += [
                cat_through(service_id=service.pk, servicecategory_id=category_ids[c])
                for c in sorted(chosen)
            ]
            spoken = [lang for lang, share in LANGUAGE_SHARES if rng.random() < share] or ["ru"]
            rows["languages"] += [
                lang_through(service_id=service.pk, language_id=language_ids[lang])
                for lang in spoken
                if lang in language_ids
            ]
            rows["phones"].append(
                Phone(id=new_id(), service=service, number=f"+7 9{rng.randint(10, 99)} "
                      f"{rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}")
            )  # fmt: skip
            places = (
                0 if national and rng.random() < 0.7 else rng.choices((1, 2, 3), (85, 12, 3))[0]
            )
            home = _weighted(rng, city_names, city_shares)
            for place in range(places):
                city = home if place == 0 else _weighted(rng, city_names, city_shares)
                location = Location(
                    id=new_id(), organization=organization, name="", timezone=zones[city]
                )
                rows["locations"].append(location)
                rows["addresses"].append(
                    Address(id=new_id(), location=location, city=city,
                            address_1=f"ул. {rng.choice(STREETS)}, {rng.randint(1, 150)}")
                )  # fmt: skip
                rows["links"].append(
                    ServiceAtLocation(id=new_id(), service=service, location=location)
                )
            pattern = _weighted(rng, list(HOURS), [h.share for h in HOURS])
            rows["schedules"] += [
                Schedule(id=new_id(), service=service, byday=days, opens_at=opens,
                         closes_at=closes)
                for days, opens, closes in pattern.rows
            ]  # fmt: skip
            if len(rows["services"]) >= BATCH:
                flush()
        flush()
    return dict(counts)


# --- The queries ----------------------------------------------------------------------------

SCENARIOS = (
    ("search", "service_search, 10 services"),
    ("search_20", "service_search, 20 services"),
    ("results", "Results partial (GET, test client), 10 services"),
)
KINDS = (
    ("text", "Words only"),
    ("latin", "Words in Latin letters"),
    ("typo", "Misspelt words"),
    ("city_category", "City + category"),
    ("city_category_open", "City + category + open now"),
    ("city_category_language", "City + category + language (+ open now)"),
    ("city_text", "City + words"),
    ("text_filters", "Words + citizenship + free only"),
)
TEXTS = {
    "text": ("хостел", "общежитие для рабочих", "бесплатный юрист", "клиника для иностранцев",
             "курсы русского языка", "приют для женщин", "консульство узбекистана",
             "трудовая инспекция", "психолог", "помощь с патентом", "медосвидетельствование",
             "работа вакансии", "туберкулёз", "кризисный центр", "детский сад", "Берёзка",
             "юридическая консультация невыплата зарплаты", "красный крест"),
    "latin": ("hostel", "obshchezhitie", "yurist besplatno", "klinika", "kursy russkogo yazyka",
              "priyut", "konsulstvo", "psikholog", "yotoqxona", "patent pomosh", "legal aid",
              "russian courses", "rabota", "Berezka", "yuridik yordam", "shelter for women"),
    "typo": ("хостэл", "юрыст", "клинка", "курсы руского", "приют для женжин", "консулство",
             "психалог", "общижитие", "регистрацыя", "туберкулез", "вакансий работ",
             "медосведетельствование", "pasport", "hostl"),
}  # fmt: skip
CITY_TEXTS = ("хостел", "юрист", "клиника", "курсы русского", "психолог", "работа", "приют",
              "hostel", "klinika", "консульство")  # fmt: skip
QUERY_CATEGORIES = ("housing", "housing", "legal_aid", "legal_aid", "clinic", "clinic",
                    "russian_courses", "shelter", "psychological", "employment",
                    "state.migration", "crisis_women", "consulate")  # fmt: skip
QUERY_LANGUAGES = ("uz", "uz", "tg", "ky", "en")
# Moments for "open now": weekday noon and evening, Saturday morning, Sunday night (UTC).
MOMENTS = (
    datetime.datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
    datetime.datetime(2026, 11, 25, 16, 30, tzinfo=UTC),
    datetime.datetime(2026, 11, 28, 8, 0, tzinfo=UTC),
    datetime.datetime(2026, 11, 29, 0, 0, tzinfo=UTC),
)


def queries_make(requests: int, seed: int) -> list[dict[str, Any]]:
    """`requests` queries, the kinds in turn, in an order fixed by `seed`."""
    rng = random.Random(f"directory-queries-{seed}")
    cities = [c[0] for c in CITIES]
    weights = [c[2] for c in CITIES]
    made = []
    for n in range(requests):
        kind = KINDS[n % len(KINDS)][0]
        query: dict[str, Any] = {"kind": kind}
        if kind in TEXTS:
            query["text"] = rng.choice(TEXTS[kind])
        elif kind == "city_text":
            query.update(text=rng.choice(CITY_TEXTS), city=_weighted(rng, cities, weights))
        elif kind == "text_filters":
            query.update(
                text=rng.choice(TEXTS["text"] + TEXTS["latin"]),
                citizenship=rng.choice(CITIZENSHIPS),
                free_only=True,
            )
        else:
            query.update(
                city=_weighted(rng, cities, weights), category=rng.choice(QUERY_CATEGORIES)
            )
            if kind == "city_category_open":
                query["open_now"] = True
            elif kind == "city_category_language":
                query.update(language=rng.choice(QUERY_LANGUAGES), open_now=rng.random() < 0.5)
        if query.get("open_now"):
            query["now"] = rng.choice(MOMENTS)
        made.append(query)
    rng.shuffle(made)
    return made


# --- Measurements ---------------------------------------------------------------------------


def _timed(
    run: Callable[[dict[str, Any]], int], warm: list[dict[str, Any]], order: list[dict[str, Any]]
) -> tuple[list[float], list[int], list[int]]:
    """Run `warm` untimed, then time each query of `order`; count its SQL queries."""
    from django.db import connection

    for query in warm:
        run(query)
    executed = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed[0] += 1
        return execute(sql, params, many, context)

    times: list[float] = []
    queries: list[int] = []
    found: list[int] = []
    with connection.execute_wrapper(count):
        for query in order:
            before = executed[0]
            began = time.perf_counter()
            hits = run(query)
            times.append(time.perf_counter() - began)
            queries.append(executed[0] - before)
            found.append(hits)
    return times, queries, found


def _summary(times: list[float], queries: list[int], found: list[int]) -> dict[str, Any]:
    result = harness.stats(times, queries)
    result["hits_mean"] = round(sum(found) / len(found), 2)
    result["no_hits"] = sum(1 for n in found if n == 0)
    return result


def measure(
    scenario: str, order: list[dict[str, Any]], warm: list[dict[str, Any]]
) -> dict[str, Any]:
    """Time one scenario: `search` (the default 10 services), `search_20` (20 services) or
    `results` (the results partial through the test client)."""
    from django.test import Client
    from django.urls import reverse

    from helpline.accounts.models import User
    from helpline.directory.search.selectors import ServiceSearchQuery, service_search

    consultant = User.objects.get(username=CONSULTANT)
    if scenario in ("search", "search_20"):
        limit = {"limit": 20} if scenario == "search_20" else {}

        def run(query: dict[str, Any]) -> int:
            fields = {key: value for key, value in query.items() if key != "kind"}
            result = service_search(actor=consultant, query=ServiceSearchQuery(**fields, **limit))
            return len(result.hits)

    else:
        client = Client()
        client.force_login(consultant)
        url = reverse("directory:search_results")

        def run(query: dict[str, Any]) -> int:
            params = {
                "q": query.get("text", ""),
                "city": query.get("city", ""),
                "category": query.get("category", ""),
                "language": query.get("language", ""),
                "citizenship": query.get("citizenship", ""),
                "mode": "intake",
            }
            if query.get("open_now"):
                params["open_now"] = "on"
            if query.get("free_only"):
                params["free"] = "on"
            response = client.get(url, {k: v for k, v in params.items() if v})
            if response.status_code != 200:
                raise SystemExit(f"results: HTTP {response.status_code}")
            return response.content.count(b'class="directory-refer"')

    times, queries, found = _timed(run, warm, order)
    result = _summary(times, queries, found)
    result["kinds"] = []
    for kind, label in KINDS:
        picked = [i for i, query in enumerate(order) if query["kind"] == kind]
        stats = _summary(
            [times[i] for i in picked], [queries[i] for i in picked], [found[i] for i in picked]
        )
        stats.update(kind=kind, label=label)
        result["kinds"].append(stats)
    return result


def _index_size() -> dict[str, Any]:
    from helpline.directory.models import (
        ServiceOpenInterval,
        ServiceSearchDocument,
        ServiceSearchTerm,
    )

    return {
        "documents": ServiceSearchDocument.objects.count(),
        "open_intervals": ServiceOpenInterval.objects.count(),
        "vocabulary": ServiceSearchTerm.objects.count(),
        "most_common_keys": dict(
            ServiceSearchTerm.objects.order_by("-documents", "key").values_list("key", "documents")[
                :8
            ]
        ),
    }


def worker(args: argparse.Namespace) -> None:
    harness.worker_environment(args)
    from django.core.management import call_command

    from helpline.demo.network import ensure_network
    from helpline.directory.models import Service
    from helpline.directory.search.indexing import directory_index_rebuild

    def say(message: str) -> None:
        print(f"[{args.database}] {message}", file=sys.stderr, flush=True)

    say("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    ensure_network()
    say(f"generating and inserting {args.services:,} services")
    began = time.perf_counter()
    counts = services_generate(args.services, args.seed)
    load_seconds = time.perf_counter() - began
    say(f"inserted in {load_seconds:.1f} s; indexing")
    began = time.perf_counter()
    documents = directory_index_rebuild()
    index_seconds = time.perf_counter() - began
    say(f"{documents:,} search documents built in {index_seconds:.1f} s; analysing")
    analyze_seconds = harness.analyze()
    result: dict[str, Any] = {
        "database": args.database,
        "version": harness.database_version(),
        "services": Service.objects.count(),
        "rows": counts,
        **_index_size(),
        "load_seconds": round(load_seconds, 1),
        "index_seconds": round(index_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
        "scenarios": [],
    }
    order = queries_make(args.requests, args.seed)
    warm = queries_make(args.warmup, args.seed + 1)
    for name, label in SCENARIOS:
        stats = measure(name, order, warm)
        stats.update(scenario=name, label=label)
        result["scenarios"].append(stats)
        say(
            f"{label}: p50 {stats['p50_ms']} ms, p95 {stats['p95_ms']} ms,"
            f" max {stats['max_ms']} ms, {harness.queries_label(stats)} queries"
        )
        for kind in stats["kinds"]:
            say(f"  {kind['label']}: p50 {kind['p50_ms']}, p95 {kind['p95_ms']}")
    Path(args.result_file).write_text(json.dumps(result, indent=2, ensure_ascii=False))


# --- Parent: one child per database, then the report --------------------------------------

DIFFERENCES = [
    "### What made the difference",
    "",
    "Measured while the search was built, on the same 50,000 services (docs/adr/0004):",
    "",
    "- The cards of the hits read by two hand-written queries instead of"
    " `prefetch_related` of their nine relations: 30 ms → 2–4 ms for 20 services (most of"
    " the 30 ms was Django building query sets per object and relation).",
    "- SQLite: `unlikely()` on the conditions on a mostly empty foreign key (phones and"
    " hours of a location): the statistics made SQLite read all 50,000 phones and 49,000"
    " schedules, 10 ms → 0.3 ms.",
    "- Filters as index keys, and the hours of the week a service is open in as index keys"
    ' too: "city + category + open now" no longer tests the intervals of thousands of'
    " services, 20–35 ms → 1–5 ms; the exact test to the minute reads the intervals of the"
    " few candidates only.",
    "- Nothing typed: the full-text index or the name order, whichever the key counts say is"
    " cheaper, the name order stopping after a budget of rows (names go with categories:"
    ' every hostel is "Хостел …"): up to 25 ms → under 5 ms.',
    "- PostgreSQL: the hours in a tsvector of their own (the full vector from 2.0 to 1.2 KB"
    " on average), and unranked full-text reads through the GIN index only (with a LIMIT the"
    " planner read the table in order, fetching each row's out-of-line vector: 9–17 ms →"
    " 1.7 ms); the exact open-now test out of the search query (PostgreSQL made the EXISTS"
    " a scan of all 220,000 intervals, with JIT compilation: 35 ms).",
    "- Ten services by default: each is a whole card (about 0.5 ms of the search's time"
    " each on this machine).",
    "",
]


def markdown(report: dict[str, Any]) -> str:
    lines = [
        MARK_START,
        "## Directory search: time at scale",
        "",
        f"Run {report['date']} with `bench/directory_bench.py --services {report['services']}`"
        f" on {harness.machine_line(report['machine'])}.",
        "",
        f"{report['services']:,} generated services (about 3 % archived, 3 % temporarily closed,"
        " 1 % closed for good, 3 % national) in twelve cities of two time zones (Europe/Moscow,"
        " Asia/Yekaterinburg), 22 categories, eight languages spoken, schedules of eight"
        " patterns (weekdays, Saturdays, 24 hours, overnight, none). The same"
        f" {report['requests']} queries on each database after {report['warmup']} warm-up ones,"
        " the eight kinds in turn: words only, words in Latin letters, misspelt words, city +"
        " category, city + category + open now, city + category + language (half of them open"
        ' now), city + words, words + citizenship + free only. "Open now" at fixed moments'
        " (a weekday at noon and in the evening, Saturday morning, Sunday night). Search:"
        " time of the `service_search` call, for its default of 10 services and for 20 (with"
        " their cards, open-now flags and snippets). Results: server time of a GET of the"
        " results partial (`mode=intake`, 10 services) through Django's test client, open"
        " now at the time of the run."
        f" Goal: p95 ≤ {GOAL_P95_MS:.0f} ms for the search (its default of 10 services); the"
        " 20 services and the results partial are shown for comparison. Queries: SQL queries"
        " per request. Hits: services found, on average. The machine's two cores are shared:"
        " other work on them shows in the percentiles.",
        "",
    ]
    for db in report["databases"]:
        lines += [
            f"### {db['version']}: {db['services']:,} services, {db['documents']:,} search"
            f" documents, {db['open_intervals']:,} open intervals, {db['vocabulary']:,} index keys",
            "",
            f"Measured {db.get('date', report['date'])}. Generated and bulk-inserted in"
            f" {db['load_seconds']} s; indexed by `directory_index_rebuild()` in"
            f" {db['index_seconds']} s;"
            f" {'VACUUM ANALYZE' if db['database'] == 'postgresql' else 'ANALYZE'}:"
            f" {db['analyze_seconds']} s.",
            "",
            "| Scenario | Kind | p50 ms | p95 ms | mean ms | max ms | queries | hits | goal |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
        ]
        for s in db["scenarios"]:
            for row, kind in ((s, "**all**"), *((k, k["label"]) for k in s["kinds"])):
                ok = "✅" if row["p95_ms"] <= GOAL_P95_MS else "❌"
                lines.append(
                    f"| {s['label']} | {kind} | {row['p50_ms']} | {row['p95_ms']}"
                    f" | {row['mean_ms']} | {row['max_ms']} | {harness.queries_label(row)}"
                    f" | {row['hits_mean']} | {ok} |"
                )
        lines.append("")
    lines += DIFFERENCES
    lines.append(MARK_END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=50_000, help="services to generate")
    harness.add_common_arguments(parser, requests=1000, warmup=100)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return
    harness.run_benchmark(
        args,
        parser,
        script=Path(__file__),
        sizes={"services": args.services},
        goal_p95_ms=GOAL_P95_MS,
        results_json=RESULTS_JSON,
        markdown=markdown,
        marks=(MARK_START, MARK_END),
    )


if __name__ == "__main__":
    main()
