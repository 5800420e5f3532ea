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

import random
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from helpline.accounts.models import Centre, User
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
from helpline.demo.bulk import (
    Batch,
    BulkInsert,
    _big_cache,
    _in_background,
)
from helpline.demo.mixes import (
    AGE_BANDS,
    CALLER_ROLES,
    CHANNELS,
    CITIZENSHIP,
    EDUCATION,
    EMPLOYMENT,
    FIRST_LEVEL_SHARE,
    FOLLOW_UP_SHARE,
    HOURS,
    KEYED_SHARE,
    LANGUAGE_BY_CITIZENSHIP,
    LEGAL_STATUSES,
    MONTH_FACTOR,
    NON_DATA_CHANNELS,
    NON_DATA_SHARE,
    NON_DATA_TYPES,
    PHONE_PREFIXES,
    PSYCHOLOGICAL_SHARE,
    REGIONS,
    REPEATS,
    TEXTS_EN,
    TEXTS_RU,
    TEXTS_UZ,
    TOPIC_COUNT,
    TOPIC_GROUPS,
    WEEKDAY_FACTOR,
    WOMEN_SEASON,
    Weighted,
)
from helpline.demo.network import (
    CENTRES,
    DemoLogin,
    demo_logins,
    ensure_network,
)

DEFAULT_COUNT = 20_000
DEFAULT_SEED = 1
DEFAULT_BATCH = 5_000
MONTHS = 24
PROGRESS_FROM = 50_000  # print progress for loads at least this big
TRANSACTION_ROWS = 1_000_000  # contacts per transaction (in batches of batch_size)


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
