"""Demo data: the three centres of the network, a login per role, and realistic contacts.

Everything made here is invented. The contacts are deterministic for a given seed and
anchor time (``random.Random(seed)``, uuids drawn from it too), so that a demo, a test and a
benchmark can be rebuilt identically. They are written in bulk, without per-row validation
(the database's constraints still apply): prepared multi-row INSERTs (COPY on PostgreSQL)
in batches, drawn in a forked process while the previous batch is written. A million
contacts load in about 85 s on SQLite on a 2-core machine.

The mixes imitate what such a hotline sees: citizens of Uzbekistan, Tajikistan and
Kyrgyzstan first; mostly men aged 18-34; patents, migration registration and documents as
the commonest topics and trafficking indicators rare; more calls in spring and autumn, on
weekdays and in working hours (Moscow time); about 5% non-data contacts (silent calls,
hang-ups...), which carry no answers at all.
"""

from __future__ import annotations

import multiprocessing
import pickle
import random
import time
import uuid
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from helpline.accounts import services as account_services
from helpline.accounts.models import Centre, Role, User
from helpline.common.models import Language
from helpline.consultations import services as consultation_services
from helpline.consultations.caller_key import caller_key
from helpline.consultations.models import (
    QUESTIONNAIRE_VERSION,
    AgeBand,
    CallerRole,
    Channel,
    Consultation,
    ConsultationTopic,
    Education,
    EmploymentStatus,
    LegalStatus,
    NonDataType,
    Region,
    Topic,
)

DEMO_PASSWORD = "demo-pass-2024"  # noqa: S105 - published on purpose: demo logins only
DEFAULT_COUNT = 20_000
DEFAULT_SEED = 1
DEFAULT_BATCH = 5_000
MONTHS = 24
PROGRESS_FROM = 50_000  # print progress for loads at least this big
SQLITE_LOAD_CACHE_KIB = 1024 * 1024
TRANSACTION_ROWS = 1_000_000  # contacts per transaction (in batches of batch_size)

# --- The network --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCentre:
    code: str
    name: str
    city: str
    organisation: str
    phone: str
    working_hours: str
    languages: tuple[str, ...]
    share: float  # of all contacts
    women: float  # base share of women among callers
    staff: tuple[tuple[str, str, str], ...]  # (username suffix, first name, last name)


CENTRES: tuple[DemoCentre, ...] = (
    DemoCentre(
        code="moscow",
        name="Информационно-ресурсный центр для мигрантов",
        city="Москва",
        organisation="АНО «Информационно-ресурсный центр «Миграция и право»",
        phone="+7 495 000-00-16",
        working_hours="Пн–Пт 9:00–20:00, Сб 10:00–16:00",
        languages=("ru", "uz", "tg", "ky", "en"),
        share=0.5,
        women=0.24,
        staff=(
            ("consultant", "Дильноза", "Каримова"),
            ("consultant2", "Алексей", "Смирнов"),
            ("consultant3", "Фарход", "Рахимов"),
            ("coordinator", "Елена", "Васильева"),
        ),
    ),
    DemoCentre(
        code="spb",
        name="Центр помощи мигрантам Красного Креста",
        city="Санкт-Петербург",
        organisation="Санкт-Петербургское отделение Российского Красного Креста",
        phone="+7 812 000-00-16",
        working_hours="Пн–Пт 10:00–19:00",
        languages=("ru", "uz", "tg", "en"),
        share=0.3,
        women=0.27,
        staff=(
            ("consultant", "Мария", "Иванова"),
            ("consultant2", "Шахноза", "Юсупова"),
            ("consultant3", "Илья", "Кузнецов"),
            ("coordinator", "Ольга", "Павлова"),
        ),
    ),
    DemoCentre(
        code="ekb",
        name="Консультационный центр для мигрантов",
        city="Екатеринбург",
        organisation="Партнёрская НКО «Содействие»",
        phone="+7 343 000-00-16",
        working_hours="Пн–Пт 9:00–18:00",
        languages=("ru", "uz", "tg", "ky", "kk"),
        share=0.2,
        women=0.16,
        staff=(
            ("consultant", "Айбек", "Токтогулов"),
            ("consultant2", "Наталья", "Морозова"),
            ("consultant3", "Рустам", "Назаров"),
            ("coordinator", "Сергей", "Попов"),
        ),
    ),
)
NETWORK_STAFF = (
    ("national", Role.NATIONAL_COORDINATOR, "Анна", "Соколова"),
    ("admin", Role.ADMINISTRATOR, "Системный", "администратор"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    centre: str
    password: str = DEMO_PASSWORD


def _staff_role(suffix: str) -> Role:
    return Role.CENTRE_COORDINATOR if suffix == "coordinator" else Role.CONSULTANT


def demo_usernames() -> list[str]:
    names = [f"{c.code}-{suffix}" for c in CENTRES for suffix, _f, _l in c.staff]
    return [*names, *(u for u, *_rest in NETWORK_STAFF)]


@transaction.atomic
def ensure_network() -> dict[str, Centre]:
    """The three centres and their people; whatever already exists is left as it is."""
    centres: dict[str, Centre] = {}
    for spec in CENTRES:
        centre = Centre.objects.filter(code=spec.code).first()
        if centre is None:
            centre = account_services.centre_create(
                code=spec.code,
                name=spec.name,
                city=spec.city,
                organisation=spec.organisation,
                phone=spec.phone,
                working_hours=spec.working_hours,
                language_codes=spec.languages,
            )
        centres[spec.code] = centre
    existing = set(
        User.objects.filter(username__in=demo_usernames()).values_list("username", flat=True)
    )
    for spec in CENTRES:
        for suffix, first, last in spec.staff:
            username = f"{spec.code}-{suffix}"
            if username not in existing:
                account_services.user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    role=_staff_role(suffix),
                    centre=centres[spec.code],
                    first_name=first,
                    last_name=last,
                )
    for username, role, first, last in NETWORK_STAFF:
        if username not in existing:
            account_services.user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                first_name=first,
                last_name=last,
            )
    return centres


def demo_logins() -> list[DemoLogin]:
    """The demo logins present in the database, in a stable order."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=demo_usernames()).select_related("centre")
    }
    return [
        DemoLogin(
            username=name,
            role=str(Role(users[name].role).label),
            centre=users[name].centre.city if users[name].centre else "—",
        )
        for name in demo_usernames()
        if name in users
    ]


def logins_table(logins: Sequence[DemoLogin]) -> str:
    header = DemoLogin("Username", "Role", "Centre", "Password")
    rows = [header, *logins]
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("username", "role", "centre")]

    def line(r: DemoLogin) -> str:
        cells = (r.username, r.role, r.centre)
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + "  " + r.password

    rule = "  ".join("-" * w for w in widths) + "  " + "-" * len(DEMO_PASSWORD)
    return "\n".join([line(header), rule, *(line(r) for r in logins)])


# --- Mixes --------------------------------------------------------------------------------


class Weighted:
    """Fast weighted choice with a given rng: one random() and a bisect."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [item for item, _w in pairs]
        self.cum = list(accumulate(w for _i, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rnd: Callable[[], float]) -> Any:
        return self.items[bisect(self.cum, rnd() * self.total)]


CITIZENSHIP = {
    "moscow": [("UZ", 40), ("TJ", 24), ("KG", 13), ("KZ", 3), ("AM", 3), ("AZ", 3), ("MD", 2.5),
               ("UA", 2), ("BY", 1), ("TM", 1), ("GE", 1), ("RU", 1), ("IN", 0.6), ("VN", 0.6),
               ("CN", 0.5), ("TR", 0.4), ("AF", 0.3), ("", 3.1)],
    "spb": [("UZ", 44), ("TJ", 22), ("KG", 10), ("KZ", 2.5), ("AM", 2.5), ("AZ", 3), ("MD", 3),
            ("UA", 3), ("BY", 1.5), ("TM", 1), ("GE", 1), ("RU", 1), ("IN", 0.8), ("VN", 0.5),
            ("CN", 0.6), ("", 3.6)],
    "ekb": [("UZ", 34), ("TJ", 30), ("KG", 16), ("KZ", 5), ("AM", 2), ("AZ", 3), ("MD", 1),
            ("UA", 1), ("TM", 1), ("RU", 1), ("CN", 1), ("AF", 0.5), ("", 3.5)],
}  # fmt: skip
LANGUAGE_BY_CITIZENSHIP = {
    "UZ": [("ru", 62), ("uz", 38)],
    "TJ": [("ru", 70), ("tg", 30)],
    "KG": [("ru", 82), ("ky", 18)],
    "KZ": [("ru", 90), ("kk", 10)],
    "AM": [("ru", 97), ("hy", 3)],
    "AZ": [("ru", 97), ("az", 3)],
    "MD": [("ru", 92), ("ro", 8)],
    "UA": [("ru", 95), ("uk", 5)],
    "IN": [("en", 85), ("other", 15)],
    "VN": [("ru", 30), ("en", 40), ("other", 30)],
    "CN": [("ru", 30), ("en", 40), ("other", 30)],
    "AF": [("ru", 40), ("other", 60)],
}
CALLER_ROLES = [("migrant", 82), ("family", 8), ("employer", 4), ("ngo_lawyer", 3),
                ("official", 0.5), ("other", 2.5)]  # fmt: skip
AGE_BANDS = [("under_18", 1), ("18_24", 24), ("25_34", 36), ("35_44", 19), ("45_54", 9),
             ("55_plus", 3), ("unknown", 8)]  # fmt: skip
EDUCATION = [(None, 10), ("none", 1), ("primary", 5), ("secondary", 42), ("vocational", 18),
             ("higher", 10), ("unknown", 14)]  # fmt: skip
LEGAL_STATUSES = [(None, 6), ("registered", 52), ("not_registered", 24), ("unknown", 18)]
EMPLOYMENT = [(None, 6), ("employed_contract", 28), ("employed_informal", 25), ("self_employed", 5),
              ("unemployed", 14), ("not_working", 4), ("unknown", 18)]  # fmt: skip
REGIONS = {
    "moscow": [("RU-MOW", 68), ("RU-MOS", 22), ("RU-KLU", 1), ("RU-TUL", 1), ("RU-VLA", 1),
               ("*", 4), (None, 3)],
    "spb": [("RU-SPE", 74), ("RU-LEN", 16), ("RU-NGR", 1), ("RU-PSK", 1), ("*", 5), (None, 3)],
    "ekb": [("RU-SVE", 72), ("RU-CHE", 6), ("RU-TYU", 4), ("RU-KHM", 4), ("RU-PER", 3),
            ("RU-BA", 2), ("*", 6), (None, 3)],
}  # fmt: skip
CHANNELS = [("hotline", 70), ("visit", 15), ("outreach", 6), ("message", 8), ("other", 1)]
NON_DATA_CHANNELS = [("hotline", 94), ("message", 5), ("other", 1)]
NON_DATA_TYPES = [("silent", 34), ("hang_up", 36), ("wrong_number", 15), ("prank", 10),
                  ("test", 5)]  # fmt: skip
NON_DATA_SHARE = 0.05
TOPIC_GROUPS = [("patent", 22), ("registration", 16), ("documents", 14), ("legal_status", 10),
                ("employment", 8), ("wages", 7), ("health", 5), ("tax", 4), ("social", 3),
                ("integration", 3), ("family", 3), ("police", 3), ("education", 2),
                ("return", 2), ("psychosocial", 2), ("other", 1.5),
                ("trafficking", 0.4)]  # fmt: skip
TOPIC_COUNT = [(1, 60), (2, 30), (3, 10)]
FIRST_LEVEL_SHARE = 0.35  # of topics recorded at the first level only
FOLLOW_UP_SHARE = 0.08
PSYCHOLOGICAL_SHARE = 0.09  # plus the contacts on psychosocial or trafficking topics
KEYED_SHARE = 0.15  # data contacts where the caller gave a number
REPEATS = [(1, 45), (2, 22), (3, 14), (4, 9), (5, 6), (6, 4)]  # contacts per keyed number
PHONE_PREFIXES = [("+7 9", 55), ("+998 9", 30), ("+992 9", 8), ("+996 7", 7)]
# Seasons: migrants come in spring, and renew papers in autumn; winter is quiet.
MONTH_FACTOR = {1: 0.72, 2: 0.88, 3: 1.22, 4: 1.32, 5: 1.2, 6: 0.96, 7: 0.86, 8: 0.9,
                9: 1.22, 10: 1.3, 11: 1.12, 12: 0.8}  # fmt: skip
# Slightly more women call in summer (families join), fewer in winter.
WOMEN_SEASON = {1: -0.03, 2: -0.03, 3: -0.01, 4: 0.0, 5: 0.02, 6: 0.04, 7: 0.05, 8: 0.04,
                9: 0.01, 10: 0.0, 11: -0.02, 12: -0.03}  # fmt: skip
WEEKDAY_FACTOR = (1.18, 1.12, 1.06, 1.04, 0.98, 0.5, 0.3)
# Hour of the start, Moscow time: mostly 8:00-21:00, a few at night (the hotline rings on).
HOURS = [(0, 0.1), (1, 0.05), (2, 0.05), (3, 0.05), (4, 0.05), (5, 0.1), (6, 0.2), (7, 0.6),
         (8, 3), (9, 8), (10, 11), (11, 11), (12, 10), (13, 8.5), (14, 10), (15, 10), (16, 9),
         (17, 7.5), (18, 5.5), (19, 3.5), (20, 2), (21, 0.5), (22, 0.3), (23, 0.2)]  # fmt: skip

# Questions and answers, short, as consultants jot them down. Most are in Russian, some in
# English or Uzbek (Latin) when the consultation was held in that language.
TEXTS_RU: dict[str, list[tuple[str, str]]] = {
    "patent": [
        (
            "Как оформить патент после въезда?",
            "Подать документы в ММЦ в течение 30 дней после въезда; объяснили список документов.",
        ),
        (
            "Просрочил оплату патента на один день, что делать?",
            "Патент аннулирован, нужно выехать и оформлять заново; рассказали о последствиях.",
        ),
        (
            "Можно ли работать по патенту Москвы в Московской области?",
            "Нет, патент действует только в регионе выдачи; нужен новый патент.",
        ),
        (
            "Сколько стоит патент в этом месяце?",
            "Назвали сумму ежемесячного авансового платежа для региона и как проверить оплату.",
        ),
        (
            "Как продлить патент на второй год?",
            "Переоформление через год после выдачи; подать заявление до истечения срока.",
        ),
        (
            "Работодатель просит патент, а я гражданин Киргизии.",
            "Гражданам ЕАЭС патент не нужен; объяснили про трудовой договор и учёт.",
        ),
    ],
    "registration": [
        (
            "Как встать на миграционный учёт?",
            "Принимающая сторона подаёт уведомление в течение 7 рабочих дней; объяснили порядок.",
        ),
        (
            "Хозяин квартиры отказывается делать регистрацию.",
            "Рассказали про учёт по адресу организации-работодателя и права жильца.",
        ),
        (
            "Регистрация заканчивается, как продлить?",
            "Продление по патенту или договору; нужно обратиться с чеками об оплате.",
        ),
        (
            "Предлагают купить регистрацию за деньги, это законно?",
            "Фиктивная регистрация — уголовное дело; предупредили о рисках.",
        ),
        (
            "Переехал на новый адрес, нужно ли заново регистрироваться?",
            "Да, новая принимающая сторона подаёт уведомление; старый учёт снимается.",
        ),
    ],
    "documents": [
        (
            "Где пройти медосвидетельствование?",
            "Дали адреса уполномоченных медицинских центров и часы работы.",
        ),
        (
            "Потерял миграционную карту.",
            "Объяснили, как восстановить карту в отделе по вопросам миграции.",
        ),
        (
            "Как сдать экзамен по русскому языку, истории и праву?",
            "Рассказали о центрах тестирования и бесплатных курсах подготовки.",
        ),
        (
            "Нужен ли нотариальный перевод паспорта?",
            "Да, для патента нужен заверенный перевод; дали адреса бюро переводов.",
        ),
        (
            "Куда подавать документы на дактилоскопию?",
            "В ММЦ при подаче на патент; записи не требуется.",
        ),
    ],
    "employment": [
        (
            "Работодатель не заключает трудовой договор.",
            "Объяснили права работника и как письменно потребовать договор.",
        ),
        (
            "Уволили без предупреждения, что делать?",
            "Рассказали о сроках уведомления и куда жаловаться: инспекция труда.",
        ),
        (
            "Получил травму на стройке, работодатель отказывается платить.",
            "Объяснили порядок расследования несчастного случая; направили к юристу.",
        ),
        (
            "Ищу работу, куда обратиться?",
            "Рассказали о проверенных сайтах вакансий и как распознать обман.",
        ),
        (
            "Должен ли работодатель уведомить МВД о приёме на работу?",
            "Да, в течение трёх рабочих дней; штраф платит работодатель.",
        ),
    ],
    "wages": [
        (
            "Не платят зарплату два месяца.",
            "Объяснили, как составить претензию и подать жалобу в инспекцию труда.",
        ),
        (
            "Зарплату задерживают, работодатель обещает заплатить позже.",
            "Рассказали о компенсации за задержку и о сборе доказательств.",
        ),
        (
            "Из зарплаты удерживают деньги за общежитие без договора.",
            "Удержания только по закону или с письменного согласия; дали образец заявления.",
        ),
    ],
    "tax": [
        (
            "Нужно ли платить НДФЛ, если плачу за патент?",
            "Авансовые платежи по патенту засчитываются в НДФЛ; объяснили, как.",
        ),
        (
            "С меня удерживают налог 30%.",
            "Рассказали о статусе налогового резидента и возврате излишне удержанного налога.",
        ),
        (
            "Как проверить, что платёж за патент дошёл?",
            "Проверить по чеку и в личном кабинете налогоплательщика.",
        ),
    ],
    "health": [
        (
            "Где можно бесплатно получить медицинскую помощь?",
            "Экстренная помощь бесплатна; дали адреса благотворительных клиник.",
        ),
        (
            "Полис ДМС закончился, нужно ли продлевать?",
            "Да, полис нужен на весь срок патента; объяснили, где оформить.",
        ),
        (
            "Беременность, куда обратиться без полиса?",
            "Дали адреса женских консультаций, принимающих мигранток, и НКО.",
        ),
        (
            "Нашли туберкулёз на медосмотре, что теперь?",
            "Объяснили последствия для патента и где получить лечение.",
        ),
    ],
    "social": [
        (
            "Негде ночевать, есть ли приют?",
            "Дали адреса приютов и пунктов обогрева, договорились о месте.",
        ),
        (
            "Как снять жильё без обмана?",
            "Рассказали о договоре найма и признаках мошенничества с арендой.",
        ),
        ("Нужна помощь с едой и одеждой.", "Направили в пункты социальной помощи НКО."),
    ],
    "education": [
        (
            "Как устроить ребёнка в школу?",
            "Объяснили порядок записи и какие документы нужны, включая экзамен по русскому.",
        ),
        ("Есть ли бесплатные курсы русского языка?", "Дали расписание бесплатных курсов в центре."),
        (
            "Как признать диплом колледжа?",
            "Рассказали о процедуре признания и где подать документы.",
        ),
    ],
    "legal_status": [
        (
            "Превысил срок пребывания, что делать?",
            "Объяснили риски и варианты: выезд, штраф, возможный запрет въезда.",
        ),
        (
            "Как проверить, есть ли запрет на въезд?",
            "Рассказали о проверке на сайте МВД и через консульство.",
        ),
        (
            "Украли паспорт, как быть?",
            "Заявить в полицию, взять справку и обратиться в консульство за документом на возврат.",
        ),
        (
            "Выписали штраф за нарушение режима пребывания.",
            "Объяснили, как обжаловать постановление в течение 10 дней.",
        ),
        ("Как получить РВП?", "Рассказали об основаниях, квотах и списке документов."),
        (
            "Суд назначил выдворение, можно ли обжаловать?",
            "Да, в течение 10 суток; направили к юристу-партнёру.",
        ),
    ],
    "family": [
        (
            "Как зарегистрировать рождение ребёнка в России?",
            "В ЗАГСе по месту рождения; затем учёт ребёнка и консульство.",
        ),
        (
            "Жена хочет приехать ко мне, какие документы нужны?",
            "Объяснили порядок въезда и учёта для членов семьи.",
        ),
        (
            "Можно ли заключить брак в России?",
            "Да, в ЗАГСе; рассказали о переводе и легализации документов.",
        ),
    ],
    "trafficking": [
        (
            "Работодатель забрал паспорт и не отдаёт.",
            "Изъятие паспорта незаконно; договорились о повторном звонке, дали телефон линии.",
        ),
        (
            "Обещали работу, а держат на объекте и не выпускают.",
            "Признаки принудительного труда; передали информацию партнёрам с согласия звонящего.",
        ),
        (
            "Говорят, что я должен за дорогу и жильё, и не платят.",
            "Признаки долговой кабалы; объяснили права и варианты безопасного выхода.",
        ),
    ],
    "police": [
        (
            "Полиция остановила на улице и проверила документы.",
            "Рассказали о правах при проверке и что нужно иметь при себе.",
        ),
        (
            "Задержали брата, где его искать?",
            "Объяснили, куда звонить и как получить помощь адвоката.",
        ),
        ("Полицейский требует деньги.", "Объяснили, как зафиксировать и куда жаловаться."),
    ],
    "return": [
        (
            "Хочу вернуться домой, но нет денег на билет.",
            "Рассказали о программах помощи с возвращением и консульстве.",
        ),
        (
            "Можно ли выехать, если есть запрет на въезд?",
            "Выезд возможен; объяснили, как проверить, и последствия.",
        ),
    ],
    "integration": [
        (
            "Как открыть счёт в банке?",
            "Назвали банки, которые открывают счета иностранцам, и нужные документы.",
        ),
        ("Как дешевле отправить деньги домой?", "Сравнили способы денежных переводов и комиссии."),
        (
            "Трудно привыкнуть к жизни в большом городе.",
            "Рассказали о клубах землячеств и бесплатных мероприятиях.",
        ),
    ],
    "psychosocial": [
        (
            "Тяжело, не могу спать, постоянная тревога.",
            "Оказана эмоциональная поддержка; дали контакт психолога.",
        ),
        (
            "Потерял работу и жильё, не знаю, что делать.",
            "Поддержали, составили план действий на неделю.",
        ),
    ],
    "other": [
        ("Хотел узнать часы работы центра.", "Назвали часы и адрес центра."),
        ("Просит номер консульства.", "Дали телефон и адрес консульства."),
    ],
}
TEXTS_EN: dict[str, list[tuple[str, str]]] = {
    "patent": [
        (
            "How do I get a work patent?",
            "Apply at the migration centre within 30 days of entry; explained the documents.",
        )
    ],
    "registration": [
        (
            "My landlord will not register me.",
            "Explained registration at the employer's address and the landlord's duty.",
        )
    ],
    "documents": [
        ("Where can I do the medical examination?", "Gave the addresses of the authorised clinics.")
    ],
    "legal_status": [
        (
            "My visa expired last week, what can I do?",
            "Explained the risk of an entry ban and the options to leave in time.",
        )
    ],
    "wages": [
        (
            "My employer has not paid me for a month.",
            "Explained how to file a complaint with the labour inspectorate.",
        )
    ],
    "*": [
        (
            "I need help with my documents.",
            "Explained the steps and gave the address of the centre.",
        )
    ],
}
TEXTS_UZ: dict[str, list[tuple[str, str]]] = {
    "patent": [
        (
            "Patentni qanday rasmiylashtiraman?",
            "Kirgandan keyin 30 kun ichida MMTga hujjat topshirish kerak; roʻyxatini aytdik.",
        )
    ],
    "registration": [
        (
            "Uy egasi roʻyxatga qoʻymayapti.",
            "Ish beruvchi manzili boʻyicha hisobga turish mumkinligini tushuntirdik.",
        )
    ],
    "documents": [
        (
            "Tibbiy koʻrikni qayerda oʻtsam boʻladi?",
            "Vakolatli tibbiyot markazlari manzillarini berdik.",
        )
    ],
    "wages": [
        (
            "Ikki oydan beri maosh berilmayapti.",
            "Mehnat inspeksiyasiga shikoyat yozishni tushuntirdik.",
        )
    ],
    "*": [
        (
            "Hujjatlarim boʻyicha maslahat kerak.",
            "Qadamlarni tushuntirdik va markaz manzilini berdik.",
        )
    ],
}


@dataclass
class Refs:
    """Reference item ids by code, read once."""

    channel: dict[str, Any]
    non_data_type: dict[str, Any]
    caller_role: dict[str, Any]
    age_band: dict[str, Any]
    education: dict[str, Any]
    legal_status: dict[str, Any]
    employment_status: dict[str, Any]
    region: dict[str, Any]
    language: dict[str, Any]
    topic: dict[str, Any]
    topic_children: dict[str, list[str]]
    # Denormalised topic bits (Consultation.topic_mask): the value each topic code adds, as
    # computed by the services, so the generator agrees with them.
    topic_mask: dict[str, int]

    @classmethod
    def load(cls) -> Refs:
        def ids(model: Any) -> dict[str, Any]:
            return dict(model.objects.values_list("code", "pk"))

        children: dict[str, list[str]] = {}
        for code, parent_code in (
            Topic.objects.filter(parent__isnull=False)
            .order_by("position", "code")
            .values_list("code", "parent__code")
        ):
            children.setdefault(parent_code, []).append(code)
        return cls(
            channel=ids(Channel),
            non_data_type=ids(NonDataType),
            caller_role=ids(CallerRole),
            age_band=ids(AgeBand),
            education=ids(Education),
            legal_status=ids(LegalStatus),
            employment_status=ids(EmploymentStatus),
            region=ids(Region),
            language=ids(Language),
            topic=ids(Topic),
            topic_children=children,
            topic_mask=_topic_masks(),
        )


def _topic_masks() -> dict[str, int]:
    """Code -> bits for Consultation.topic_mask, as the services compute them."""
    return {
        t.code: consultation_services.topic_mask_for([t])
        for t in Topic.objects.select_related("parent")
    }


def _weighted_ids(pairs: Sequence[tuple[str | None, float]], ids: dict[str, Any]) -> Weighted:
    """A choice of reference ids; codes missing from the database are skipped."""
    return Weighted([(ids.get(c) if c else None, w) for c, w in pairs if c is None or c in ids])


@dataclass
class Recorder:
    """Someone who records contacts at a centre, with a share of the centre's work."""

    user_id: Any
    username: str
    weight: float


@dataclass
class Caller:
    key: str
    citizenship: str
    sex: str


# --- Generation -------------------------------------------------------------------------


class ConsultationGenerator:
    """Draws contacts one by one from ``random.Random(seed)``; never from global random."""

    def __init__(self, *, seed: int, now: datetime, refs: Refs, centres: dict[str, Centre]):
        self.rng = random.Random(seed)
        self.now = now
        self.refs = refs
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.today = now.astimezone(self.tz).date()
        self.centres = centres
        self.centre_pick = Weighted([(c.code, c.share) for c in CENTRES])
        self.centre_specs = {c.code: c for c in CENTRES}
        self.recorders: dict[str, Weighted] = {}
        self.consultants: dict[str, list[Recorder]] = {}
        users = {
            u.username: u
            for u in User.objects.filter(centre__code__in=[c.code for c in CENTRES], is_active=True)
        }
        for spec in CENTRES:
            rows = []
            for suffix, _f, _l in spec.staff:
                user = users.get(f"{spec.code}-{suffix}")
                if user is not None:
                    weight = (
                        0.6 if suffix == "coordinator" else {"consultant": 4.0}.get(suffix, 3.0)
                    )
                    rows.append(Recorder(user.pk, user.username, weight))
            if not rows:
                raise RuntimeError(f"No demo staff at centre {spec.code}: run ensure_network().")
            self.recorders[spec.code] = Weighted([(r, r.weight) for r in rows])
            self.consultants[spec.code] = [r for r in rows if "consultant" in r.username]
        self.citizenship = {code: Weighted(pairs) for code, pairs in CITIZENSHIP.items()}
        self.language_by_cit = {
            cit: _weighted_ids(pairs, refs.language)
            for cit, pairs in LANGUAGE_BY_CITIZENSHIP.items()
        }
        self.language_ru = refs.language.get("ru")
        self.caller_role = _weighted_ids(CALLER_ROLES, refs.caller_role)
        self.age_band = _weighted_ids(AGE_BANDS, refs.age_band)
        self.education = _weighted_ids(EDUCATION, refs.education)
        self.legal_status = _weighted_ids(LEGAL_STATUSES, refs.legal_status)
        self.employment = _weighted_ids(EMPLOYMENT, refs.employment_status)
        all_regions = sorted(refs.region)
        self.any_region = Weighted([(refs.region[c], 1.0) for c in all_regions])
        self.region = {
            code: Weighted(
                [(c if c in ("*", None) else refs.region.get(c), w) for c, w in pairs
                 if c in ("*", None) or c in refs.region]
            )
            for code, pairs in REGIONS.items()
        }  # fmt: skip
        self.channel = _weighted_ids(CHANNELS, refs.channel)
        self.non_data_channel = _weighted_ids(NON_DATA_CHANNELS, refs.channel)
        self.non_data_type = _weighted_ids(NON_DATA_TYPES, refs.non_data_type)
        self.topic_group = Weighted([(g, w) for g, w in TOPIC_GROUPS if g in refs.topic])
        self.topic_count = Weighted(TOPIC_COUNT)
        self.hours = Weighted(HOURS)
        self.repeats = Weighted(REPEATS)
        self.phone_prefix = Weighted(PHONE_PREFIXES)
        # Days of the last MONTHS months, weighted by season, weekday and slow growth.
        first = _months_before(self.today, MONTHS)
        days = (self.today - first).days + 1
        self.days: list[tuple[date, datetime]] = []
        weights = []
        for i in range(days):
            d = first + timedelta(days=i)
            midnight = datetime(d.year, d.month, d.day, tzinfo=self.tz)
            self.days.append((d, midnight))
            growth = 0.8 + 0.3 * i / max(days - 1, 1)
            weights.append(MONTH_FACTOR[d.month] * WEEKDAY_FACTOR[d.weekday()] * growth)
        self.day_weights = weights
        self.callers: dict[str, list[Caller]] = {c.code: [] for c in CENTRES}

    # One contact ---------------------------------------------------------------------------

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _start(self, day_index: int) -> datetime:
        rnd = self.rng.random
        _d, midnight = self.days[day_index]
        start = midnight + timedelta(minutes=self.hours.pick(rnd) * 60 + int(rnd() * 60))
        latest = self.now - timedelta(minutes=40)
        if start > latest:  # today, later than now: move back a day or to just before now
            start = start - timedelta(days=1) if day_index else latest
        return start

    def _caller(self, centre: str, citizenship: str, sex: str) -> Caller:
        """A keyed caller: a new number, or one that called before (up to 6 contacts each)."""
        slots = self.callers[centre]
        if not slots:
            for _n in range(200):
                prefix = self.phone_prefix.pick(self.rng.random)
                digits = 9 if prefix.startswith("+7") else 8
                number = f"{prefix}{self.rng.randrange(10**digits):0{digits}d}"
                profile = Caller(caller_key(number), citizenship, sex)
                slots.extend([profile] * self.repeats.pick(self.rng.random))
            self.rng.shuffle(slots)
        return slots.pop()

    def _topics(self) -> list[str]:
        rnd = self.rng.random
        groups: list[str] = []
        for _n in range(self.topic_count.pick(rnd)):
            group = self.topic_group.pick(rnd)
            if group not in groups:
                groups.append(group)
        codes = []
        for group in groups:
            children = self.refs.topic_children.get(group)
            if children and rnd() >= FIRST_LEVEL_SHARE:
                codes.append(children[int(rnd() * len(children))])
            else:
                codes.append(group)
        return codes

    def _texts(self, group: str, language_id: Any) -> tuple[str, str]:
        rnd = self.rng.random
        r = rnd()
        pools = TEXTS_RU
        if language_id == self.refs.language.get("en") or r < 0.05:
            pools = TEXTS_EN
        elif language_id == self.refs.language.get("uz") and r < 0.25:
            pools = TEXTS_UZ
        pool = pools.get(group) or pools.get("*") or TEXTS_RU["other"]
        return pool[int(rnd() * len(pool))]

    def consultation(
        self,
        *,
        started: datetime | None = None,
        recorder: Recorder | None = None,
        recent_days: int | None = None,
        open_follow_up: bool = False,
    ) -> tuple[dict[str, Any], list[str]]:
        """One contact (values by attribute name) and its topic codes.

        ``started`` is when it began; without it, a time in the last ``recent_days`` days.
        ``recorder`` pins who recorded it (else someone of a centre drawn by its share).
        """
        rng = self.rng
        rnd = rng.random
        pk = self._uuid()
        if recorder is None:
            centre = self.centre_pick.pick(rnd)
            recorder = self.recorders[centre].pick(rnd)
        else:
            centre = recorder.username.split("-", 1)[0]
        if started is None:
            started = self._start(len(self.days) - 1 - int(rnd() * (recent_days or 1)))
        month = started.astimezone(self.tz).month
        values: dict[str, Any] = {
            "id": pk,
            "centre_id": self.centres[centre].pk,
            "consultant_id": recorder.user_id,
            "started_at": started,
            "questionnaire_version": QUESTIONNAIRE_VERSION,
            "version": 1,
        }
        topics: list[str] = []
        if not open_follow_up and rnd() < NON_DATA_SHARE:
            values["non_data_type_id"] = self.non_data_type.pick(rnd)
            values["channel_id"] = self.non_data_channel.pick(rnd)
            values["duration_minutes"] = 0 if rnd() < 0.6 else 1
        else:
            spec = self.centre_specs[centre]
            women = spec.women + WOMEN_SEASON[month]
            r = rnd()
            sex = (
                "female"
                if r < women
                else "male"
                if r < 0.965
                else "unknown"
                if r < 0.998
                else "other"
            )
            citizenship = self.citizenship[centre].pick(rnd)
            caller_key_value = ""
            if rnd() < KEYED_SHARE:
                caller = self._caller(centre, citizenship, sex)
                caller_key_value, citizenship, sex = caller.key, caller.citizenship, caller.sex
            lang_pick = self.language_by_cit.get(citizenship)
            language = lang_pick.pick(rnd) if lang_pick else self.language_ru
            region = self.region[centre].pick(rnd)
            if region == "*":
                region = self.any_region.pick(rnd)
            topics = self._topics()
            mask = 0
            for code in topics:
                mask |= self.refs.topic_mask[code]
            values["topic_mask"] = mask
            group = topics[0].split(".", 1)[0]
            question, answer = self._texts(group, language)
            duration = int(rng.triangular(2, 30, 8))
            psych = group in ("psychosocial", "trafficking") or rnd() < PSYCHOLOGICAL_SHARE
            values.update(
                channel_id=self.channel.pick(rnd),
                caller_role_id=self.caller_role.pick(rnd),
                citizenship=citizenship,
                sex=sex,
                age_band_id=self.age_band.pick(rnd),
                education_id=self.education.pick(rnd),
                legal_status_id=self.legal_status.pick(rnd),
                employment_status_id=self.employment.pick(rnd),
                region_id=region,
                language_id=language,
                question=question,
                answer=answer,
                duration_minutes=duration,
                psychological_support=psych,
                caller_key=caller_key_value,
            )
            if open_follow_up or group == "trafficking" or rnd() < FOLLOW_UP_SHARE:
                self._follow_up(values, started, open_follow_up)
        created = started + timedelta(minutes=values["duration_minutes"] + 1 + int(rnd() * 15))
        created = min(created, self.now)
        values["created_at"] = created
        values["updated_at"] = max(created, values.get("follow_up_done_at") or created)
        return values, topics

    def _follow_up(self, values: dict[str, Any], started: datetime, force_open: bool) -> None:
        rnd = self.rng.random
        local_day = started.astimezone(self.tz).date()
        values["follow_up_needed"] = True
        if force_open:
            values["follow_up_due"] = self.today + timedelta(days=1 + int(rnd() * 5))
            return
        due = local_day + timedelta(days=1 + int(rnd() * 14))
        values["follow_up_due"] = due
        age_days = (self.today - due).days
        done_share = 0.92 if age_days > 3 else 0.5 if age_days >= 0 else 0.2
        if rnd() < done_share:
            done = started + timedelta(hours=2 + rnd() * 24 * max(1, (due - local_day).days + 2))
            values["follow_up_done_at"] = min(done, self.now - timedelta(minutes=5))

    # Many contacts ------------------------------------------------------------------------

    def plan(self, count: int) -> Iterator[tuple[dict[str, Any], list[str]]]:
        """``count`` contacts in the order they happened, as a live system records them (so
        that rows of a period lie together on disk, as they would in production).

        The days get their share by season, weekday and growth, with some noise. At the end
        each consultant gets a few more in the last week (two with an open follow-up due in
        the next days), so that every home page shows something.
        """
        pinned: list[dict[str, Any]] = []
        for spec in CENTRES:
            for rec in self.consultants[spec.code]:
                pinned += [{"recorder": rec, "recent_days": 2, "open_follow_up": True}] * 2
                pinned += [{"recorder": rec, "recent_days": 7}] * 4
        if count < 4 * len(pinned):
            pinned = pinned[: count // 4]
        rnd = self.rng.random
        noisy = [w * (0.75 + 0.5 * rnd()) for w in self.day_weights]
        rest, total = count - len(pinned), sum(noisy)
        quotas = [rest * w / total for w in noisy]
        per_day = [int(q) for q in quotas]
        by_fraction = sorted(range(len(quotas)), key=lambda i: (per_day[i] - quotas[i], i))
        for i in by_fraction[: rest - sum(per_day)]:
            per_day[i] += 1
        for day, n in enumerate(per_day):
            for start in sorted(self._start(day) for _n in range(n)):
                yield self.consultation(started=start)
        for kwargs in pinned:
            yield self.consultation(**kwargs)


def _months_before(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 - months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(d.day, 28))


class BulkInsert:
    """A prepared multi-row INSERT of one model, fed with ``executemany``.

    ``bulk_create`` spends ~200 µs per row of this 30-column model preparing values field by
    field; here the columns come from the model's own metadata, values that need it are
    adapted with the backend's own functions (uuid, datetime, date), and every other column
    gets the field's default once. That keeps a million contacts within a couple of minutes.
    """

    def __init__(self, model: Any, values: Sequence[str]) -> None:
        ops = connection.ops
        fields = [
            f for f in model._meta.concrete_fields if not f.primary_key or f.attname in values
        ]
        missing = [
            f.attname
            for f in fields
            if f.attname not in values and not f.has_default() and not f.null and not f.blank
        ]
        if missing:
            raise ValueError(f"No value for {model.__name__}.{', '.join(missing)}")
        self.columns = [f.attname for f in fields]
        # Values a row may leave out (the primary key never: its default is random).
        self.defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}
        self.adapters: list[tuple[int, Callable[[Any], Any]]] = []
        for i, f in enumerate(fields):
            kind = (f.target_field if f.is_relation else f).get_internal_type()
            if kind == "UUIDField":
                self.adapters.append((i, _uuid_adapter(f)))
            elif kind == "DateTimeField":
                self.adapters.append((i, _datetime_adapter()))
            elif kind == "DateField":
                self.adapters.append((i, ops.adapt_datefield_value))
        qn = ops.quote_name
        # Table and column names come from the model and are quoted by the backend.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            qn(model._meta.db_table),
            ", ".join(qn(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
        self.copy_sql = ""
        if connection.vendor == "postgresql":
            self.copy_sql = "COPY {} ({}) FROM STDIN".format(
                qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
            )

    def row(self, values: dict[str, Any]) -> list[Any]:
        get = values.get
        row = [get(c, d) for c, d in self.defaults.items()]
        for i, adapt in self.adapters:
            if row[i] is not None:
                row[i] = adapt(row[i])
        return row

    def execute(self, rows: list[list[Any]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.copy_sql:  # PostgreSQL: COPY is several times faster than INSERTs
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)


def _uuid_adapter(field: Any) -> Callable[[Any], Any]:
    """What UUIDField.get_db_prep_value does with a uuid.UUID, without its checks."""
    if connection.features.has_native_uuid_field:
        return lambda value: value
    return lambda value: value.hex


def _datetime_adapter() -> Callable[[datetime], Any]:
    """The backend's adapt_datetimefield_value, or a faster equivalent for SQLite's text.

    The fast one is used only if it gives the same text as the backend for a sample.
    """
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return adapt
    tz = connection.timezone

    def fast(value: datetime) -> str:
        return str(value.astimezone(tz).replace(tzinfo=None))

    sample = datetime(2024, 3, 9, 23, 30, 5, 120, tzinfo=ZoneInfo("Europe/Moscow"))
    return fast if fast(sample) == adapt(sample) else adapt


CONSULTATION_VALUES = (  # always given; other fields (topic_mask...) get their default
    "id", "created_at", "updated_at", "centre_id", "consultant_id", "started_at",
    "duration_minutes", "channel_id", "non_data_type_id", "caller_role_id", "citizenship",
    "sex", "age_band_id", "education_id", "legal_status_id", "employment_status_id",
    "region_id", "language_id", "question", "answer", "psychological_support",
    "follow_up_needed", "follow_up_due", "follow_up_done_at", "caller_key",
    "questionnaire_version", "version",
)  # fmt: skip


def generate_consultations(
    *,
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: TextIO | None = None,
) -> int:
    """Insert ``count`` contacts (the demo network must exist). Returns how many were made.

    Batches of ``batch_size`` contacts and their topics go in one transaction each.
    """
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    centres = {c.code: c for c in Centre.objects.filter(code__in=[c.code for c in CENTRES])}
    refs = Refs.load()
    gen = ConsultationGenerator(seed=seed, now=now, refs=refs, centres=centres)
    topic_ids = refs.topic
    consultations = BulkInsert(Consultation, CONSULTATION_VALUES)
    links = BulkInsert(ConsultationTopic, ("consultation_id", "topic_id"))
    if links.columns != ["consultation_id", "topic_id"] or links.adapters[0][0] != 0:
        raise RuntimeError("ConsultationTopic changed: update the demo generator.")
    batches = _batches(gen.plan(count), count, batch_size, consultations, topic_ids)
    if count > batch_size:
        batches = _in_background(batches)
    with _big_cache():
        return _insert(batches, count, batch_size, consultations, links, progress)


@contextmanager
def _big_cache() -> Iterator[None]:
    """SQLite: a page cache big enough for the indexes while loading (1 GiB at most)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        saved = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {saved}")


Batch = tuple[list[list[Any]], list[list[Any]]]


def _batches(
    plan: Iterator[tuple[dict[str, Any], list[str]]],
    count: int,
    batch_size: int,
    consultations: BulkInsert,
    topic_ids: dict[str, Any],
) -> Iterator[Batch]:
    """Rows of contacts and of their topics, ready for the database, ``batch_size`` a time."""
    id_at = consultations.columns.index("id")
    row_of = consultations.row
    left = count
    while left > 0:
        size = min(batch_size, left)
        rows: list[list[Any]] = []
        link_rows: list[list[Any]] = []
        for _n in range(size):
            values, topics = next(plan)
            row = row_of(values)
            rows.append(row)
            cid = row[id_at]  # already in the database's form
            link_rows.extend([cid, topic_ids[t]] for t in topics)
        left -= size
        yield rows, link_rows


def _in_background(batches: Iterator[Batch]) -> Iterator[Batch]:
    """Draw the batches in a forked process while this one writes the previous ones.

    Drawing and writing then run on two cores (threads would fight over the GIL). Only the
    child draws, in order, so the data are those of the seed; only this process touches the
    database: the child ends with os._exit and never uses the inherited connection.
    """
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: draw in turn
        yield from batches
        return
    reader, writer = ctx.Pipe(duplex=False)

    def produce() -> None:
        reader.close()
        try:
            for batch in batches:
                writer.send_bytes(pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
            writer.send_bytes(pickle.dumps(None))
        except BaseException as exc:  # handed to the parent
            writer.send_bytes(pickle.dumps(RuntimeError(f"demo generator failed: {exc!r}")))
        finally:
            writer.close()

    child = ctx.Process(target=produce, name="demo-generator", daemon=True)
    child.start()
    writer.close()
    try:
        while True:
            item = pickle.loads(reader.recv_bytes())  # noqa: S301 - our own child's data
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        reader.close()
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)


def _insert(
    batches: Iterator[Batch],
    count: int,
    batch_size: int,
    consultations: BulkInsert,
    links: BulkInsert,
    progress: TextIO | None,
) -> int:
    """Write the batches, up to ``TRANSACTION_ROWS`` contacts in a transaction.

    Random uuids scatter every batch over the whole primary-key index, so each commit
    rewrites most of its pages: on SQLite a million contacts load in about 70 s in one
    transaction and 100 s in transactions of 50,000. A failed load also leaves nothing.
    """
    made = 0
    began = time.monotonic()
    pending = iter(batches)
    per_transaction = max(1, TRANSACTION_ROWS // max(1, batch_size))
    while made < count:
        with transaction.atomic():
            for _b in range(per_transaction):
                batch = next(pending, None)
                if batch is None:
                    break
                rows, link_rows = batch
                consultations.execute(rows)
                links.execute(link_rows)
                made += len(rows)
                if progress is not None:
                    elapsed = time.monotonic() - began
                    rate = made / elapsed if elapsed else 0.0
                    print(
                        f"  {made:>9,} / {count:,} contacts  ({rate:,.0f}/s)",
                        file=progress,
                        flush=True,
                    )
            else:
                continue
            break
    return made


def has_data() -> bool:
    return Consultation.objects.exists()


def optimise_database() -> None:
    """Refresh the planner's statistics after a big load."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")  # sampled: seconds, not minutes
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA analysis_limit = 0")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def run(
    *,
    count: int = DEFAULT_COUNT,
    seed: int = DEFAULT_SEED,
    if_empty: bool = False,
    batch_size: int = DEFAULT_BATCH,
    now: datetime | None = None,
    progress: TextIO | None = None,
) -> tuple[int, list[DemoLogin]]:
    """The whole demo: network, logins, then ``count`` contacts (none if ``if_empty`` and the
    database already has contacts). Returns how many contacts were made and the logins."""
    if if_empty and has_data():
        return 0, demo_logins()
    ensure_network()
    made = generate_consultations(
        count=count, seed=seed, now=now, batch_size=batch_size, progress=progress
    )
    if count >= PROGRESS_FROM:
        optimise_database()
    return made, demo_logins()
