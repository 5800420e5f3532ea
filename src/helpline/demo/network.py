"""The demo network: three centres run by partner organisations and a login per role."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from helpline.accounts import services as account_services
from helpline.accounts.models import Centre, Role, User

DEMO_PASSWORD = "demo-pass-2024"  # noqa: S105 - published on purpose: demo logins only

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
