from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from helpline.accounts.tests.factories import CentreFactory, UserFactory
from helpline.consultations.models import (
    CallerRole,
    Channel,
    Consultation,
    ConsultationTopic,
    NonDataType,
    Topic,
)
from helpline.consultations.services import topic_mask_for


def ref(model: type, code: str):  # type: ignore[no-untyped-def]
    """A shipped reference item (loaded by the data migration)."""
    return model.objects.get(code=code)  # type: ignore[attr-defined]


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    consultant = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    duration_minutes = 7
    channel = factory.LazyFunction(lambda: ref(Channel, "hotline"))
    caller_role = factory.LazyFunction(lambda: ref(CallerRole, "migrant"))
    citizenship = "UZ"
    sex = "male"
    question = "How do I get a patent?"
    answer = "Apply within 30 days of entry."

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not create:
            return
        codes = extracted if extracted is not None else ["patent"]
        topics = [Topic.objects.select_related("parent").get(code=code) for code in codes]
        for topic in topics:
            ConsultationTopic.objects.create(consultation=obj, topic=topic)
        obj.topic_mask = topic_mask_for(topics)
        obj.save(update_fields=["topic_mask"])


class NonDataConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    centre = factory.SubFactory(CentreFactory)
    consultant = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))
    started_at = factory.LazyFunction(timezone.now)
    channel = factory.LazyFunction(lambda: ref(Channel, "hotline"))
    non_data_type = factory.LazyFunction(lambda: ref(NonDataType, "silent"))
