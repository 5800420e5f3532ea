from __future__ import annotations

import pytest
from django.utils import translation

from helpline.consultations.models import Topic

pytestmark = pytest.mark.django_db


def test_label_follows_the_language_and_falls_back_to_russian():
    topic = Topic.objects.get(code="patent")
    with translation.override("en"):
        assert topic.label == "Work patent or permit"
    with translation.override("ru"):
        assert topic.label == "Патент и разрешение на работу"
    topic.name_ky = ""
    with translation.override("ky"):
        assert topic.label == "Патент и разрешение на работу"
    with translation.override("fr"):
        assert str(topic) == "Патент и разрешение на работу"


def test_every_shipped_item_has_russian_and_english_labels():
    from helpline.consultations.services import REFERENCE_LISTS

    for model, _items in REFERENCE_LISTS:
        assert not model.objects.filter(name_ru="").exists()
        assert not model.objects.filter(name_en="").exists()
