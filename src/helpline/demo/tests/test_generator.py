"""The demo generator: deterministic, realistic in its mixes, and safe to run twice."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from helpline.accounts.models import Centre, Role, User
from helpline.consultations.models import QUESTIONNAIRE_VERSION, Consultation, ConsultationTopic
from helpline.demo import generator, network

N = 2000
NOW = datetime(2025, 4, 16, 12, 30, tzinfo=UTC)


def load(count: int = N, seed: int = 1, now: datetime = NOW) -> int:
    network.ensure_network()
    return generator.generate_consultations(count=count, seed=seed, now=now, batch_size=700)


def digest() -> str:
    """A digest of every stored contact and its topics, independent of users' and centres'
    random ids (those are made by the accounts services, not by the generator)."""
    topics: dict[str, list[str]] = {}
    for cid, code in ConsultationTopic.objects.values_list("consultation_id", "topic__code"):
        topics.setdefault(str(cid), []).append(code)
    h = hashlib.sha256()
    fields = [
        f.attname
        for f in Consultation._meta.concrete_fields
        if f.attname not in ("centre_id", "consultant_id")
    ]
    rows = Consultation.objects.order_by("id").values_list(
        "centre__code", "consultant__username", *fields
    )
    for row in rows:
        h.update(repr(row).encode())
        h.update(repr(sorted(topics.get(str(row[2]), []))).encode())
    return h.hexdigest()


def data_rows():  # type: ignore[no-untyped-def]
    return Consultation.objects.filter(non_data_type__isnull=True)


@pytest.mark.django_db
def test_same_seed_gives_identical_data():
    load()
    first = digest()
    Consultation.objects.all().delete()
    load()
    assert digest() == first
    Consultation.objects.all().delete()
    load(seed=2)
    assert digest() != first


@pytest.mark.django_db
def test_count_and_shape():
    assert load() == N
    assert Consultation.objects.count() == N
    assert set(Consultation.objects.values_list("questionnaire_version", flat=True)) == {
        QUESTIONNAIRE_VERSION
    }
    assert set(Consultation.objects.values_list("version", flat=True)) == {1}
    assert not Consultation.objects.filter(started_at__gt=NOW).exists()
    oldest = Consultation.objects.order_by("started_at").first()
    assert oldest is not None
    assert NOW - oldest.started_at < timedelta(days=24 * 31)
    assert NOW - oldest.started_at > timedelta(days=22 * 30)
    assert set(Centre.objects.values_list("code", flat=True)) >= {"moscow", "spb", "ekb"}
    per_centre = Counter(Consultation.objects.values_list("centre__code", flat=True))
    assert per_centre["moscow"] > per_centre["spb"] > per_centre["ekb"] > 0
    durations = list(data_rows().values_list("duration_minutes", flat=True))
    assert min(durations) >= 2
    assert max(durations) <= 30
    # Mostly inside 8:00-21:00 Moscow time, more on weekdays.
    local = [
        timezone.localtime(t) for t in Consultation.objects.values_list("started_at", flat=True)
    ]
    assert sum(8 <= t.hour < 21 for t in local) / N > 0.95
    assert sum(t.weekday() < 5 for t in local) / N > 0.8


@pytest.mark.django_db
def test_non_data_share_and_no_answers():
    load()
    non_data = Consultation.objects.filter(non_data_type__isnull=False)
    share = non_data.count() / N
    assert 0.03 <= share <= 0.07
    assert not non_data.exclude(
        caller_role__isnull=True,
        citizenship="",
        question="",
        answer="",
        follow_up_needed=False,
        follow_up_due__isnull=True,
        caller_key="",
        sex="",
        age_band__isnull=True,
        language__isnull=True,
        region__isnull=True,
    ).exists()
    assert not ConsultationTopic.objects.filter(consultation__in=non_data).exists()


@pytest.mark.django_db
def test_women_share_and_citizenship():
    load()
    sexes = Counter(data_rows().values_list("sex", flat=True))
    women = sexes["female"] / sum(sexes.values())
    assert 0.10 <= women <= 0.35
    for code in ("moscow", "spb", "ekb"):
        centre = Counter(data_rows().filter(centre__code=code).values_list("sex", flat=True))
        assert 0.10 <= centre["female"] / sum(centre.values()) <= 0.35
    citizenship = Counter(data_rows().values_list("citizenship", flat=True))
    assert [c for c, _n in citizenship.most_common(3)] == ["UZ", "TJ", "KG"]
    assert citizenship[""] > 0  # some callers do not say


@pytest.mark.django_db
def test_topics_follow_ups_and_support():
    load()
    counts = Counter(ConsultationTopic.objects.values_list("consultation_id", flat=True))
    data_ids = list(data_rows().values_list("id", flat=True))
    assert all(1 <= counts[i] <= 5 for i in data_ids)
    codes = Counter(ConsultationTopic.objects.values_list("topic__code", flat=True))
    groups = Counter()
    for code, n in codes.items():
        groups[code.split(".")[0]] += n
    assert {g for g, _n in groups.most_common(3)} == {"patent", "registration", "documents"}
    assert groups["trafficking"] < groups["patent"] / 20
    assert any("." in c for c in codes) and any("." not in c for c in codes)
    data = data_rows()
    follow_up = data.filter(follow_up_needed=True)
    assert 0.05 <= follow_up.count() / len(data_ids) <= 0.12
    assert not follow_up.filter(follow_up_due__isnull=True).exists()
    old = follow_up.filter(follow_up_due__lt=NOW.date() - timedelta(days=30))
    assert old.filter(follow_up_done_at__isnull=False).count() > old.count() / 2
    assert old.filter(follow_up_done_at__isnull=True).exists()  # some overdue, not done
    psych = data.filter(psychological_support=True).count() / len(data_ids)
    assert 0.06 <= psych <= 0.16
    assert all(q and a for q, a in data.values_list("question", "answer"))


@pytest.mark.django_db
def test_repeat_callers():
    load()
    keys = Counter(data_rows().exclude(caller_key="").values_list("caller_key", flat=True))
    assert 0.10 <= sum(keys.values()) / data_rows().count() <= 0.20
    repeated = [n for n in keys.values() if n > 1]
    assert len(repeated) >= 20
    assert max(keys.values()) <= 6
    assert all(len(k) == 64 for k in keys)


@pytest.mark.django_db
def test_every_consultant_has_recent_work_and_open_follow_ups():
    load()
    consultants = User.objects.filter(role=Role.CONSULTANT, username__in=network.demo_usernames())
    assert consultants.count() == 9
    week_ago = NOW - timedelta(days=7)
    horizon = NOW.date() + timedelta(days=7)
    for user in consultants:
        mine = Consultation.objects.filter(consultant=user)
        assert mine.filter(started_at__gte=week_ago).count() >= 4
        assert mine.filter(
            follow_up_needed=True,
            follow_up_done_at__isnull=True,
            follow_up_due__gte=NOW.date(),
            follow_up_due__lte=horizon,
        ).exists()
        assert set(mine.values_list("centre_id", flat=True)) == {user.centre_id}


@pytest.mark.django_db
def test_demo_command_if_empty_adds_nothing_the_second_time():
    out = StringIO()
    call_command("demo", count=300, seed=3, stdout=out)
    assert Consultation.objects.count() == 300
    assert "moscow-consultant" in out.getvalue()
    users = User.objects.count()
    out = StringIO()
    call_command("demo", count=300, if_empty=True, stdout=out)
    assert Consultation.objects.count() == 300
    assert User.objects.count() == users
    text = out.getvalue()
    assert "already has contacts" in text
    for username in network.demo_usernames():
        assert username in text
    assert network.DEMO_PASSWORD in text
    # Without --if-empty the network is reused (get-or-create) and contacts are added.
    call_command("demo", count=100, seed=4, stdout=StringIO())
    assert Consultation.objects.count() == 400
    assert User.objects.count() == users
    assert Centre.objects.filter(code__in=["moscow", "spb", "ekb"]).count() == 3


@pytest.mark.django_db
def test_demo_users_can_log_in(client):
    call_command("demo", count=50, stdout=StringIO())
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["moscow-consultant"] == Role.CONSULTANT
    assert roles["moscow-coordinator"] == Role.CENTRE_COORDINATOR
    assert roles["national"] == Role.NATIONAL_COORDINATOR
    assert roles["admin"] == Role.ADMINISTRATOR
    assert sum(1 for u in roles if u.startswith("moscow-consultant")) == 3
    for username in network.demo_usernames():
        assert client.login(
            request=HttpRequest(), username=username, password=network.DEMO_PASSWORD
        ), username
        client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"username": "spb-consultant", "password": network.DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_denormalised_topic_mask_agrees_with_the_services():
    from helpline.consultations import services

    load(count=600)
    for consultation in Consultation.objects.prefetch_related("topics__parent"):
        expected = services.topic_mask_for(consultation.topics.all())
        assert consultation.topic_mask == expected, consultation.pk
