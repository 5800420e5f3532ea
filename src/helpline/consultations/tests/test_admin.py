"""Coordinators keep the reference lists current in the admin site; codes stay fixed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helpline.accounts.models import Role
from helpline.accounts.services import user_create
from helpline.accounts.tests.factories import CentreFactory
from helpline.consultations.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client):
    user = user_create(
        username="coord",
        password="coordinator-pass-1",
        role=Role.CENTRE_COORDINATOR,
        centre=CentreFactory(),
    )
    client.force_login(user)
    return client


def test_coordinator_edits_a_label_but_not_the_code(coordinator_client):
    topic = Topic.objects.get(code="patent")
    url = reverse("admin:consultations_topic_change", args=[topic.pk])
    page = coordinator_client.get(url)
    assert page.status_code == 200
    response = coordinator_client.post(
        url,
        {
            "code": "changed-code",
            "name_ru": "Патент",
            "name_en": "Patent",
            "name_uz": "Patent",
            "name_tg": "Патент",
            "name_ky": "Патент",
            "position": 5,
            "is_active": "on",
            "parent": "",
        },
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.code == "patent" and topic.name_en == "Patent"


def test_coordinator_cannot_delete_reference_items_nor_see_consultations(coordinator_client):
    topic = Topic.objects.get(code="tax")
    delete = reverse("admin:consultations_topic_delete", args=[topic.pk])
    assert coordinator_client.get(delete).status_code == 403
    index = coordinator_client.get(reverse("admin:index")).content.decode()
    assert "consultations/topic/" in index
    assert "accounts/user/" not in index
    assert "consultations/consultation/" not in index
