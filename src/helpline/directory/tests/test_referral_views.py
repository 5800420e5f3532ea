"""Referral screens: made in the intake form, followed up from home, outcomes for coordinators."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from helpline.accounts.tests.factories import administrator, consultant, coordinator, national
from helpline.consultations.models import Consultation
from helpline.consultations.tests.test_views import form_data
from helpline.directory.models import Referral, Service
from helpline.directory.referrals import ReferralPick, referral_status_change, referrals_record
from helpline.directory.tests.factories import service_in_city

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _referral(user, service: Service | None = None, **pick: object) -> Referral:
    from helpline.consultations.tests.factories import ConsultationFactory

    consultation = ConsultationFactory(centre=user.centre, consultant=user)
    service = service or service_in_city(name="Hostel Uyut")
    return referrals_record(
        actor=user,
        consultation=consultation,
        picks=[ReferralPick(service_id=service.pk, **pick)],  # type: ignore[arg-type]
    )[0]


def test_the_intake_form_makes_referrals_with_consent_and_follow_up(client) -> None:
    user = consultant()
    client.force_login(user)
    first, second = service_in_city(name="Hostel Uyut"), service_in_city(name="Clinic Zdorovye")
    follow_up = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    response = client.post(
        reverse("consultations:create"),
        form_data(
            referral_service=[str(first.pk), str(second.pk), "not-an-id"],
            referral_consent=[str(second.pk)],
            **{f"referral_follow_up_{first.pk}": follow_up},
        ),
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    referrals = {r.service_name: r for r in consultation.referrals.all()}
    assert set(referrals) == {"Hostel Uyut", "Clinic Zdorovye"}
    assert referrals["Hostel Uyut"].follow_up_on.isoformat() == follow_up
    assert referrals["Hostel Uyut"].consent_to_share is False
    assert referrals["Clinic Zdorovye"].consent_to_share is True
    assert referrals["Clinic Zdorovye"].follow_up_on is None
    page = client.get(response["Location"]).content.decode()
    assert "Hostel Uyut" in page and "Referral given" in page


def test_a_bad_follow_up_date_names_the_service_and_saves_nothing(client) -> None:
    user = consultant()
    client.force_login(user)
    service = service_in_city(name="Hostel Uyut")
    response = client.post(
        reverse("consultations:create"),
        form_data(
            referral_service=[str(service.pk)],
            **{f"referral_follow_up_{service.pk}": "31.02.2026"},
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Referral to “Hostel Uyut”" in page and "31.02.2026" in page
    # the pick is shown again, so that nothing typed is lost
    assert f'name="referral_follow_up_{service.pk}" value="31.02.2026"' in page
    assert not Consultation.objects.exists()
    assert not Referral.objects.exists()


def test_editing_a_consultation_adds_referrals_and_keeps_the_old_ones(client) -> None:
    user = consultant()
    referral = _referral(user)
    consultation = referral.consultation
    client.force_login(user)
    page = client.get(reverse("consultations:edit", args=[consultation.pk])).content.decode()
    assert reverse("directory:referral", args=[referral.pk]) in page
    new = service_in_city(name="Legal aid desk")
    data = form_data(
        version=consultation.version,
        referral_service=[str(referral.service_id), str(new.pk)],
    )
    response = client.post(reverse("consultations:edit", args=[consultation.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(consultation.referrals.values_list("service_name", flat=True)) == [
        "Hostel Uyut",
        "Legal aid desk",
    ]


def test_the_home_screen_lists_referrals_due_and_the_status_is_updated_from_there(client) -> None:
    user = consultant()
    referral = _referral(user, follow_up_on=timezone.localdate())
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert 'id="referral-follow-ups"' in home and "Hostel Uyut" in home

    url = reverse("directory:referral", args=[referral.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' in page and "Referral given" in page
    response = client.post(url, {"status": "unreachable", "revision": referral.revision})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "unreachable"
    home = client.get(reverse("home")).content.decode()
    assert "Hostel Uyut" not in home


def test_a_stale_status_form_gets_409(client) -> None:
    user = consultant()
    referral = _referral(user)
    referral_status_change(actor=user, referral=referral, status="contacted")
    client.force_login(user)
    response = client.post(
        reverse("directory:referral", args=[referral.pk]), {"status": "accepted", "revision": 1}
    )
    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.status == "contacted"


def test_a_backward_status_is_refused_with_the_field_named(client) -> None:
    user = consultant()
    referral = _referral(user)
    referral_status_change(actor=user, referral=referral, status="accepted")
    client.force_login(user)
    response = client.post(
        reverse("directory:referral", args=[referral.pk]),
        {"status": "given", "revision": referral.revision + 1},
    )
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_who_sees_a_referral(client) -> None:
    user = consultant()
    referral = _referral(user)
    url = reverse("directory:referral", args=[referral.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(consultant())
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "contacted", "revision": 1}).status_code == 404
    client.force_login(national())
    page = client.get(url)
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    assert client.post(url, {"status": "contacted", "revision": 1}).status_code == 403
    client.force_login(coordinator(centre=user.centre))
    assert 'name="status"' in client.get(url).content.decode()
    client.force_login(administrator())
    assert client.get(url).status_code == 200


def test_outcomes_are_for_coordinators(client) -> None:
    user = consultant()
    hostel = service_in_city(name="Hostel Uyut")
    for status in ("no_show", "unreachable", "declined"):
        referral_status_change(actor=user, referral=_referral(user, hostel), status=status)
    url = reverse("directory:outcomes")
    client.force_login(user)
    assert client.get(url).status_code == 403
    client.force_login(coordinator(centre=user.centre))
    page = client.get(url).content.decode()
    assert "Keeps failing" in page and "Hostel Uyut" in page
    client.force_login(coordinator())
    assert "Hostel Uyut" not in client.get(url).content.decode()
    client.force_login(national())
    assert "Keeps failing" in client.get(url).content.decode()


def test_the_referral_list_has_no_n_plus_one(client, django_assert_max_num_queries) -> None:
    user = consultant()
    for _ in range(6):
        _referral(user)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("directory:referrals"), {"status": "open"})
    assert page.content.decode().count("Hostel Uyut") == 6
