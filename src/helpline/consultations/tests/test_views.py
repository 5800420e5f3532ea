from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.accounts.tests.factories import consultant, national
from helpline.consultations.models import CallerRole, Channel, Consultation, Topic
from helpline.consultations.tests.factories import ConsultationFactory, ref

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    u = consultant()
    client.force_login(u)
    return u


def form_data(**extra):
    return {
        "started_at": (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "6",
        "channel": ref(Channel, "hotline").pk,
        "caller_role": ref(CallerRole, "migrant").pk,
        "citizenship": "KG",
        "sex": "male",
        "topics": [ref(Topic, "registration").pk],
        "question": "Где встать на учёт?",
        "answer": "В МФЦ или почте.",
        **extra,
    }


def test_intake_saves_and_shows_the_consultation(client, user):
    response = client.post(reverse("consultations:create"), form_data(), HTTP_ACCEPT_LANGUAGE="en")
    c = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:detail", args=[c.pk])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Где встать на учёт?" in page and "Consultation saved." in page


def test_invalid_intake_shows_field_errors_in_the_users_language(client, user):
    response = client.post(
        reverse("consultations:create"),
        form_data(topics=[], caller_phone="12ab", follow_up_needed="on"),
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert Consultation.objects.count() == 0
    assert "Выберите хотя бы одну тему." in page
    assert 'id="id_caller_phone_error"' in page
    assert 'id="id_follow_up_due_error"' in page
    # The form is redisplayed with what was typed.
    assert "Где встать на учёт?" in page


def test_html_in_text_is_escaped(client, user):
    client.post(reverse("consultations:create"), form_data(question="<script>alert(1)</script>"))
    c = Consultation.objects.get()
    assert c.question == "<script>alert(1)</script>"
    page = client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_phone_number_is_never_stored_nor_echoed(client, user):
    client.post(reverse("consultations:create"), form_data(caller_phone="+7 916 765-43-21"))
    c = Consultation.objects.get()
    row = Consultation.objects.filter(pk=c.pk).values().get()
    assert not any("9167654321" in str(v) or "765-43-21" in str(v) for v in row.values())
    page = client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert "765-43-21" not in page and "9167654321" not in page
    history = client.post(
        reverse("consultations:caller_history"),
        {"caller_phone": "8 (916) 765 43 21"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "1 earlier contact" in history
    assert "765 43 21" not in history and "7654321" not in history


def test_edit_with_stale_version_is_refused(client, user):
    c = ConsultationFactory(centre=user.centre, consultant=user)
    url = reverse("consultations:edit", args=[c.pk])
    data = form_data(version=1, answer="First edit")
    assert client.post(url, data).status_code == 302
    response = client.post(url, form_data(version=1, answer="Second edit"))
    assert response.status_code == 409
    assert b"stale-warning" in response.content
    c.refresh_from_db()
    assert c.answer == "First edit" and c.version == 2


def test_list_query_count_does_not_grow_with_page_size(client, user):
    for i in range(60):
        ConsultationFactory(
            centre=user.centre,
            consultant=user,
            started_at=timezone.now() - timedelta(hours=i + 1),
            topics=["patent", "tax"],
        )

    def queries(per_page):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("consultations:list"), {"per_page": per_page})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    small, small_page = queries(25)
    large, large_page = queries(100)
    assert small == large
    assert "60 contacts found" in large_page or "60 " in large_page
    assert large_page.count('class="chip"') > small_page.count('class="chip"')


def test_list_filters_by_topic_and_citizenship(client, user):
    hit = ConsultationFactory(centre=user.centre, citizenship="UZ", topics=["patent.obtain"])
    miss = ConsultationFactory(centre=user.centre, citizenship="TJ", topics=["patent"])
    page = client.get(
        reverse("consultations:list"),
        {"topic": ref(Topic, "patent").pk, "citizenship": "UZ", "period": "30"},
    ).content.decode()
    assert reverse("consultations:detail", args=[hit.pk]) in page
    assert reverse("consultations:detail", args=[miss.pk]) not in page


def test_list_returns_partial_for_htmx(client, user):
    response = client.get(reverse("consultations:list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b'id="consultations"' in response.content


def test_non_data_one_click(client, user):
    response = client.post(reverse("consultations:non_data"), {"non_data_type": "wrong_number"})
    assert response.status_code == 302
    c = Consultation.objects.get()
    assert c.non_data_type.code == "wrong_number" and c.consultant == user


def test_national_coordinator_reads_but_does_not_record(client):
    c = ConsultationFactory()
    client.force_login(national())
    assert client.get(reverse("consultations:detail", args=[c.pk])).status_code == 200
    assert client.get(reverse("consultations:edit", args=[c.pk])).status_code == 403
    assert client.get(reverse("consultations:create")).status_code == 403
    page = client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert reverse("consultations:edit", args=[c.pk]) not in page


def test_home_shows_follow_ups_and_latest(client, user):
    c = ConsultationFactory(
        centre=user.centre,
        consultant=user,
        follow_up_needed=True,
        follow_up_due=timezone.localdate() - timedelta(days=1),
    )
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="overdue"' in page
    detail = reverse("consultations:detail", args=[c.pk])
    assert page.count(f'href="{detail}"') == 2
    client.post(reverse("consultations:follow_up_done", args=[c.pk]), {"next": "home"})
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="overdue"' not in page


def test_pages_carry_a_strict_content_security_policy(client, user):
    policy = client.get(reverse("consultations:create"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
