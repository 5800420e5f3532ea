"""Demo referrals: invented consultations referred to fitting demo services, and followed up.

A share of the demo consultations whose topics call for a service (housing, health,
wages and labour disputes, trafficking, violence, schooling, return...) get one referral,
sometimes two, to a demo service of the category the topic needs, in the city of the
consultation's centre or on a national line, open to the caller's citizenship and sex.
Each referral carries the snapshot a consultant would have given (name, organisation,
phone, address, hours, what to bring) and a history that moves forward:

    given → contacted → accepted → received | declined | no_show | unreachable | closed

with one ReferralStatusChange per step, all between the consultation and now. Referrals
due long ago are mostly finished; recent ones are often still open, and every demo
consultant is left with a few due today or overdue. A couple of services
(``FAILING_SERVICES``, one per centre) fail most of the time, so that the coordinators'
outcomes per service show one that keeps failing.

Draws come from a random generator seeded with the seed and the consultation's id, so
that the same consultations get the same referrals whatever else is in the database.
Only consultations of the demo centres recorded by demo users are touched, and only
those without referrals.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone, translation

from helpline.accounts.models import Centre, User
from helpline.consultations.models import Consultation, ConsultationTopic, Topic
from helpline.demo.bulk import BulkInsert
from helpline.demo.directory_data import demo_id
from helpline.demo.network import CENTRES, demo_usernames
from helpline.demo.referral_mixes import (
    CONSENT_SHARE,
    CONSENT_SHARE_PROTECTION,
    FAILING_SERVICES,
    FOLLOW_UP_DAYS,
    LATEST_STEP,
    MIN_DUE_PER_CONSULTANT,
    OPEN_SHARE_OLD,
    OPEN_SHARE_RECENT,
    OUTCOMES,
    OUTCOMES_FAILING,
    PATHS,
    RECENT_DAYS,
    TOPIC_NEEDS,
    TWO_REFERRALS_SHARE,
)
from helpline.directory.models import (
    OPEN_REFERRAL_STATUSES,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
    ServiceCategory,
    ServiceStatus,
)
from helpline.directory.presentation import SERVICE_CARD_PREFETCH, service_card

CHUNK = 2_000


@dataclass
class DemoService:
    """A demo service as the picks need it, with the snapshot a referral copies."""

    pk: uuid.UUID
    cities: set[str]
    national: bool
    citizenships: list[str]
    sexes: list[str]
    weight: float
    failing: bool
    snapshot: dict[str, Any]

    def serves(self, *, city: str, citizenship: str, sex: str) -> bool:
        if not (self.national or city in self.cities):
            return False
        if self.citizenships and citizenship not in self.citizenships:
            return False
        return not self.sexes or sex in self.sexes


@dataclass
class Catalogue:
    """The active demo services by category code, and the categories' ids."""

    by_category: dict[str, list[DemoService]] = field(default_factory=dict)
    category_ids: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Catalogue:
        catalogue = cls(category_ids=dict(ServiceCategory.objects.values_list("code", "pk")))
        failing = {demo_id("service", key): weight for key, weight in FAILING_SERVICES.items()}
        services = (
            Service.objects.filter(
                is_demo=True, archived_at__isnull=True, status=ServiceStatus.ACTIVE
            )
            .select_related("organization")
            .prefetch_related(*SERVICE_CARD_PREFETCH[1:])
            .order_by("pk")
        )
        with translation.override(settings.LANGUAGE_CODE):
            for service in services:
                card = service_card(service)
                entry = DemoService(
                    pk=service.pk,
                    cities={
                        address.city
                        for link in service.service_at_locations.all()
                        for address in link.location.addresses.all()
                    },
                    national=service.is_national,
                    citizenships=list(service.citizenships),
                    sexes=list(service.sexes),
                    weight=failing.get(service.pk, 1.0),
                    failing=service.pk in failing,
                    snapshot={
                        "service_id": service.pk,
                        "service_name": card.name[:250],
                        "organization_name": card.organization[:250],
                        "phone": "; ".join(card.phones)[:200],
                        "address": "; ".join(card.addresses or card.cities)[:400],
                        "hours": "; ".join(card.hours)[:400],
                        "documents": "\n".join(card.documents),
                    },
                )
                for category in service.categories.all():
                    catalogue.by_category.setdefault(category.code, []).append(entry)
        return catalogue

    def pick(
        self, rng: random.Random, code: str, *, city: str, citizenship: str, sex: str
    ) -> DemoService | None:
        fitting = [
            s
            for s in self.by_category.get(code, ())
            if s.serves(city=city, citizenship=citizenship, sex=sex)
        ]
        if not fitting:
            return None
        weights = [s.weight * (1.0 if s.national else 3.0) for s in fitting]
        return rng.choices(fitting, weights)[0]


@dataclass(frozen=True)
class Row:
    """A consultation as the generator reads it."""

    pk: uuid.UUID
    centre_id: Any
    consultant_id: Any
    started_at: datetime
    created_at: datetime
    citizenship: str
    sex: str


ROW_FIELDS = ("pk", "centre_id", "consultant_id", "started_at", "created_at", "citizenship", "sex")
REFERRAL_VALUES = (
    "id", "created_at", "updated_at", "consultation_id", "centre_id", "service_id",
    "category_id", "service_name", "organization_name", "phone", "address", "hours",
    "documents", "consent_to_share", "follow_up_on", "follow_up_by_id", "status",
    "status_changed_at", "revision",
)  # fmt: skip
CHANGE_VALUES = ("referral_id", "status_from", "status", "changed_by_id", "changed_at")


class ReferralGenerator:
    """Draws the referrals of one consultation at a time (see the module's docstring)."""

    def __init__(self, *, seed: int, now: datetime, catalogue: Catalogue, cities: dict[Any, str]):
        self.salt = int.from_bytes(hashlib.sha256(f"{seed}-referrals".encode()).digest()[:8])
        self.rng = random.Random()
        self.now = now
        self.latest = now - LATEST_STEP
        self.tz = timezone.get_default_timezone()
        self.today = timezone.localdate(now)
        self.catalogue = catalogue
        self.cities = cities
        self.referrals = BulkInsert(Referral, REFERRAL_VALUES)
        self.changes = BulkInsert(ReferralStatusChange, CHANGE_VALUES)
        self.referral_rows: list[list[Any]] = []
        self.change_rows: list[list[Any]] = []
        self.made = 0
        # (bit, highest share) of each first-level topic that may call for a referral
        self.group_shares: list[tuple[int, float]] = []
        self.mask = 0  # their bits together

    def use_topic_bits(self, bits: dict[str, int]) -> None:
        """Where the first-level topics are in Consultation.topic_mask (code -> bit)."""
        highest: dict[str, float] = defaultdict(float)
        for key, (share, _pairs) in TOPIC_NEEDS.items():
            group = key.split(".")[0]
            highest[group] = max(highest[group], share)
        self.group_shares = [
            (1 << bits[group], share) for group, share in sorted(highest.items()) if group in bits
        ]
        self.mask = sum(bit for bit, _share in self.group_shares)

    # One consultation ----------------------------------------------------------------------

    def may_refer(self, pk: uuid.UUID, mask: int) -> bool:
        """The first draw of ``consultation`` against the highest share its first-level
        topics allow: False means no referral, without reading the topics."""
        self.rng.seed(pk.int ^ self.salt)
        ceiling = max((share for bit, share in self.group_shares if mask & bit), default=0.0)
        return self.rng.random() < ceiling

    def consultation(self, row: Row, codes: Sequence[str], *, due_now: bool = False) -> int:
        """Draw this consultation's referrals (``due_now``: one, open, due today or before).
        Returns how many were drawn."""
        rng = self.rng
        rng.seed(row.pk.int ^ self.salt)
        needs = [TOPIC_NEEDS[c] for c in _need_codes(codes)]
        if not needs:
            if not due_now:
                return 0
            needs = [(1.0, (("legal_aid", 1),))]
        share = max(share for share, _pairs in needs)
        if rng.random() >= share and not due_now:
            return 0
        weights: dict[str, float] = defaultdict(float)
        for _share, pairs in needs:
            for code, weight in pairs:
                weights[code] += weight
        categories = sorted(weights)
        count = 1 if due_now or rng.random() >= TWO_REFERRALS_SHARE else 2
        protection = any(c.startswith(("trafficking", "police.violence")) for c in codes)
        city = self.cities[row.centre_id]
        picked: set[uuid.UUID] = set()
        made = 0
        for _n in range(count):
            code = rng.choices(categories, [weights[c] for c in categories])[0]
            service = self.catalogue.pick(
                rng, code, city=city, citizenship=row.citizenship, sex=row.sex
            )
            if service is None or service.pk in picked:
                continue
            picked.add(service.pk)
            consent = rng.random() < (CONSENT_SHARE_PROTECTION if protection else CONSENT_SHARE)
            self._referral(row, service, code, consent=consent, due_now=due_now)
            made += 1
        return made

    def _referral(
        self, row: Row, service: DemoService, code: str, *, consent: bool, due_now: bool
    ) -> None:
        rng = self.rng
        given_at = max(row.created_at, row.started_at)
        local_day = given_at.astimezone(self.tz).date()
        if due_now:
            follow_up_on = max(local_day, self.today - timedelta(days=rng.randrange(4)))
        else:
            follow_up_on = local_day + timedelta(days=rng.choice(FOLLOW_UP_DAYS))
        outcomes = OUTCOMES_FAILING if service.failing else OUTCOMES
        outcome = rng.choices([o for o, _w in outcomes], [w for _o, w in outcomes])[0]
        path = (ReferralStatus.GIVEN, *rng.choice(PATHS[outcome]))
        times = self._times(path, given_at, follow_up_on)
        age = (self.today - follow_up_on).days
        open_share = 1.0 if age < 0 or due_now else OPEN_SHARE_RECENT
        if age > RECENT_DAYS and not due_now:
            open_share = OPEN_SHARE_OLD
        steps = len(path)
        if rng.random() < open_share:
            open_steps = sum(1 for status in path if status in OPEN_REFERRAL_STATUSES)
            steps = 1 + min(int(rng.random() * rng.random() * open_steps), open_steps - 1)
        while steps > 1 and times[steps - 1] > self.latest:  # nothing in the future
            steps -= 1
        path, times = path[:steps], times[:steps]
        referral_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        self.referral_rows.append(
            self.referrals.row(
                {
                    "id": referral_id,
                    "created_at": given_at,
                    "updated_at": times[-1],
                    "consultation_id": row.pk,
                    "centre_id": row.centre_id,
                    "category_id": self.catalogue.category_ids.get(code),
                    **service.snapshot,
                    "consent_to_share": consent,
                    "follow_up_on": follow_up_on,
                    "follow_up_by_id": row.consultant_id,
                    "status": path[-1],
                    "status_changed_at": times[-1],
                    "revision": len(path),
                }
            )
        )
        previous = ""
        for status, at in zip(path, times, strict=True):
            self.change_rows.append(
                self.changes.row(
                    {
                        "referral_id": referral_id,
                        "status_from": previous,
                        "status": status,
                        "changed_by_id": row.consultant_id,
                        "changed_at": at,
                    }
                )
            )
            previous = status

    def _times(self, path: Sequence[str], given_at: datetime, follow_up_on: date) -> list[datetime]:
        """When each step happened: contacts within two days, the outcome about the
        follow-up day, in working hours; each later than the one before."""
        rng = self.rng
        times = [given_at]
        for status in path[1:]:
            if status in OPEN_REFERRAL_STATUSES:
                at = times[-1] + timedelta(hours=1 + rng.random() * 47)
            else:
                day = follow_up_on + timedelta(days=int(rng.random() * rng.random() * 4))
                at = datetime.combine(day, time(9), tzinfo=self.tz) + timedelta(
                    minutes=int(rng.random() * 9 * 60)
                )
            times.append(max(at, times[-1] + timedelta(minutes=10)))
        return times

    # Writing -----------------------------------------------------------------------------

    def flush(self) -> None:
        self.referrals.execute(self.referral_rows)
        self.changes.execute(self.change_rows)
        self.made += len(self.referral_rows)
        self.referral_rows, self.change_rows = [], []


def _need_codes(codes: Sequence[str]) -> list[str]:
    """The TOPIC_NEEDS keys of these topic codes: the code itself, else its first level."""
    keys = []
    for code in codes:
        key = code if code in TOPIC_NEEDS else code.split(".", 1)[0]
        if key in TOPIC_NEEDS and key not in keys:
            keys.append(key)
    return keys


def _demo_consultations(centre_ids: Sequence[Any], user_ids: Sequence[Any]) -> Any:
    """Data consultations of the demo centres by demo users, without referrals yet."""
    return Consultation.objects.filter(
        centre_id__in=centre_ids, consultant_id__in=user_ids, non_data_type__isnull=True
    ).filter(~Exists(Referral.objects.filter(consultation=OuterRef("pk"))))


def _rows(queryset: Any, pks: Sequence[uuid.UUID]) -> list[Row]:
    values = queryset.filter(pk__in=pks).order_by("pk").values_list(*ROW_FIELDS)
    return [Row(*row) for row in values]


def _refer(generator: ReferralGenerator, consultations: Any, pks: Sequence[uuid.UUID]) -> None:
    rows = _rows(consultations, pks)
    codes = _topic_codes(rows)
    for row in rows:
        generator.consultation(row, codes.get(row.pk, []))
    generator.flush()


def _topic_codes(rows: Sequence[Row]) -> dict[uuid.UUID, list[str]]:
    codes: dict[uuid.UUID, list[str]] = defaultdict(list)
    pairs = ConsultationTopic.objects.filter(
        consultation_id__in=[row.pk for row in rows]
    ).values_list("consultation_id", "topic__code")
    for consultation_id, code in pairs:
        codes[consultation_id].append(code)
    for topic_codes in codes.values():
        topic_codes.sort()
    return codes


def referrals_generate(*, seed: int, now: datetime | None = None) -> int:
    """Give demo consultations their referrals (see the module's docstring). Returns how
    many were made; none if the demo directory is not loaded."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    catalogue = Catalogue.load()
    if not catalogue.by_category:
        return 0
    centres = dict(
        Centre.objects.filter(code__in=[c.code for c in CENTRES]).values_list("pk", "city")
    )
    users = dict(User.objects.filter(username__in=demo_usernames()).values_list("pk", "username"))
    generator = ReferralGenerator(seed=seed, now=now, catalogue=catalogue, cities=centres)
    consultations = _demo_consultations(list(centres), list(users))
    bits: dict[str, int] = {
        code: bit
        for code, bit in Topic.objects.filter(parent=None).values_list("code", "bit")
        if bit is not None
    }
    generator.use_topic_bits(bits)
    with transaction.atomic():
        needs = F("topic_mask").bitand(generator.mask)
        candidates = consultations.alias(needs=needs).filter(needs__gt=0)
        # One pass over (id, topics): the order does not matter, each consultation's
        # draws depend on its id only. Those that may get a referral are read in full.
        scan = candidates.filter(created_at__lte=now).values_list("pk", "topic_mask")
        pending: list[uuid.UUID] = []
        for pk, topic_mask in scan.iterator(chunk_size=CHUNK):
            if generator.may_refer(pk, topic_mask):
                pending.append(pk)
            if len(pending) == CHUNK:
                _refer(generator, consultations, pending)
                pending = []
        _refer(generator, consultations, pending)
        _due_for_everyone(generator, consultations, users, now=now)
        generator.flush()
    return generator.made


def _due_for_everyone(
    generator: ReferralGenerator, consultations: Any, users: dict[Any, str], *, now: datetime
) -> None:
    """Every demo consultant gets open referrals due today or overdue, from their latest
    consultations without referrals (so that their home page has follow-ups)."""
    due = dict(
        Referral.objects.filter(
            follow_up_by_id__in=list(users),
            status__in=OPEN_REFERRAL_STATUSES,
            follow_up_on__lte=generator.today,
        )
        .values("follow_up_by_id")
        .annotate(n=Count("pk"))
        .values_list("follow_up_by_id", "n")
    )
    since = now - timedelta(days=RECENT_DAYS)
    for user_id, username in sorted(users.items(), key=lambda item: item[1]):
        if "consultant" not in username:
            continue
        missing = MIN_DUE_PER_CONSULTANT - due.get(user_id, 0)
        if missing <= 0:
            continue
        recent = consultations.filter(
            consultant_id=user_id, started_at__gte=since, created_at__lte=now
        ).order_by("-started_at", "pk")
        rows = [Row(*values) for values in recent.values_list(*ROW_FIELDS)[: missing * 5]]
        codes = _topic_codes(rows)
        for row in rows:
            missing -= generator.consultation(row, codes.get(row.pk, []), due_now=True)
            if missing <= 0:
                break
