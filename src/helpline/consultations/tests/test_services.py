from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from helpline.accounts.tests.factories import CentreFactory, consultant, coordinator, national
from helpline.consultations import services
from helpline.consultations.models import (
    QUESTIONNAIRE_VERSION,
    CallerRole,
    Channel,
    Consultation,
    ConsultationChange,
    NonDataType,
    Topic,
)
from helpline.consultations.tests.factories import ConsultationFactory, ref

pytestmark = pytest.mark.django_db


def answers(**extra):
    return {
        "started_at": timezone.now() - timedelta(minutes=10),
        "duration_minutes": 8,
        "channel": ref(Channel, "hotline"),
        "caller_role": ref(CallerRole, "migrant"),
        "citizenship": "TJ",
        "sex": "female",
        "question": "Как оформить патент?",
        "answer": "Подать документы в течение 30 дней.",
        **extra,
    }


def test_reference_lists_are_shipped_with_the_domain_codes():
    first_level = set(Topic.objects.filter(parent=None).values_list("code", flat=True))
    assert first_level == {
        "registration", "patent", "documents", "employment", "wages", "tax", "health",
        "social", "education", "legal_status", "family", "trafficking", "police", "return",
        "integration", "psychosocial", "other",
    }  # fmt: skip
    assert set(NonDataType.objects.values_list("code", flat=True)) == {
        "silent", "hang_up", "wrong_number", "prank", "test",
    }  # fmt: skip
    assert Topic.objects.filter(parent__isnull=False).count() > 40


def test_create_records_answers_topics_version_and_caller_key():
    user = consultant()
    c = services.consultation_create(
        actor=user,
        centre=user.centre,
        data=answers(),
        topics=[ref(Topic, "patent"), ref(Topic, "patent.payment")],
        caller_phone="8 916 123 45 67",
    )
    c.refresh_from_db()
    assert c.consultant == user and c.centre == user.centre
    assert sorted(t.code for t in c.topics.all()) == ["patent", "patent.payment"]
    assert c.questionnaire_version == QUESTIONNAIRE_VERSION
    assert c.version == 1
    assert len(c.caller_key) == 64
    assert "9161234567" not in str(Consultation.objects.filter(pk=c.pk).values().get())


@pytest.mark.parametrize(
    ("extra", "topics", "field"),
    [
        ({}, [], "topics"),
        ({"follow_up_needed": True}, ["patent"], "follow_up_due"),
        ({"duration_minutes": 601}, ["patent"], "duration_minutes"),
        ({"started_at": timezone.now() + timedelta(days=1)}, ["patent"], "started_at"),
        ({}, ["patent", "tax", "wages", "health", "social", "family"], "topics"),
    ],
)
def test_invalid_answers_write_nothing(extra, topics, field):
    user = consultant()
    with pytest.raises(ValidationError) as err:
        services.consultation_create(
            actor=user,
            centre=user.centre,
            data=answers(**extra),
            topics=[ref(Topic, t) for t in topics],
        )
    assert field in err.value.message_dict
    assert Consultation.objects.count() == 0


def test_bad_phone_writes_nothing():
    user = consultant()
    with pytest.raises(ValidationError):
        services.consultation_create(
            actor=user, centre=user.centre, data=answers(), topics=[ref(Topic, "tax")],
            caller_phone="not a number",
        )  # fmt: skip
    assert Consultation.objects.count() == 0


def test_only_own_centre_staff_may_record():
    user = consultant()
    with pytest.raises(PermissionDenied):
        services.consultation_create(
            actor=user, centre=CentreFactory(), data=answers(), topics=[ref(Topic, "tax")]
        )
    with pytest.raises(PermissionDenied):
        services.consultation_create(
            actor=national(), centre=user.centre, data=answers(), topics=[ref(Topic, "tax")]
        )


def test_non_data_contact_has_nothing_else():
    user = consultant()
    c = services.consultation_record_non_data(
        actor=user, centre=user.centre, non_data_type=ref(NonDataType, "hang_up")
    )
    assert c.is_non_data and c.channel.code == "hotline"
    assert c.topics.count() == 0 and c.question == "" and c.caller_role is None


def test_database_refuses_a_non_data_contact_with_answers():
    c = ConsultationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.filter(pk=c.pk).update(non_data_type=ref(NonDataType, "silent"))


def test_update_keeps_history_of_changed_fields():
    c = ConsultationFactory(topics=["patent"])
    editor = coordinator(centre=c.centre)
    updated = services.consultation_update(
        actor=editor,
        consultation=c,
        data={**answers(), "started_at": c.started_at, "answer": "New answer"},
        topics=[ref(Topic, "patent"), ref(Topic, "tax")],
        expected_version=1,
    )
    assert updated.version == 2 and updated.answer == "New answer"
    assert updated.updated_by == editor
    change = ConsultationChange.objects.get(consultation=c)
    assert change.actor == editor and change.version == 2
    assert change.changes["answer"] == ["Apply within 30 days of entry.", "New answer"]
    assert change.changes["topics"] == [["patent"], ["patent", "tax"]]
    assert "started_at" not in change.changes


def test_stale_edit_is_refused_and_nothing_overwritten():
    c = ConsultationFactory()
    first, second = consultant(centre=c.centre), consultant(centre=c.centre)
    services.consultation_update(
        actor=first, consultation=c, data={"answer": "First"}, topics=None, expected_version=1
    )
    with pytest.raises(services.StaleVersionError) as err:
        services.consultation_update(
            actor=second, consultation=c, data={"answer": "Second"}, topics=None,
            expected_version=1,
        )  # fmt: skip
    assert err.value.current.answer == "First"
    c.refresh_from_db()
    assert c.answer == "First" and c.version == 2
    assert ConsultationChange.objects.filter(consultation=c).count() == 1


def test_unchanged_edit_does_not_bump_the_version():
    c = ConsultationFactory()
    same = services.consultation_update(
        actor=c.consultant, consultation=c, data={"answer": c.answer}, topics=None,
        expected_version=1,
    )  # fmt: skip
    assert same.version == 1
    assert not ConsultationChange.objects.exists()


def test_caller_key_can_be_forgotten():
    user = consultant()
    c = services.consultation_create(
        actor=user, centre=user.centre, data=answers(), topics=[ref(Topic, "tax")],
        caller_phone="+79161234567",
    )  # fmt: skip
    c = services.consultation_update(
        actor=user, consultation=c, data={}, topics=None, expected_version=1, forget_caller=True
    )
    assert c.caller_key == ""
    assert ConsultationChange.objects.get().changes == {"caller_key": [True, False]}


def test_other_centre_cannot_edit():
    c = ConsultationFactory()
    with pytest.raises(PermissionDenied):
        services.consultation_update(
            actor=consultant(), consultation=c, data={"answer": "x"}, topics=None,
            expected_version=1,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.consultation_update(
            actor=national(), consultation=c, data={"answer": "x"}, topics=None,
            expected_version=1,
        )  # fmt: skip


def test_follow_up_complete():
    c = ConsultationFactory(follow_up_needed=True, follow_up_due=timezone.localdate())
    done = services.consultation_follow_up_complete(actor=c.consultant, consultation=c)
    assert done.follow_up_done_at is not None and done.version == 2
    assert "follow_up_done_at" in ConsultationChange.objects.get().changes


def test_reference_sync_keeps_edited_labels():
    topic = ref(Topic, "patent")
    topic.name_en = "Patents (edited)"
    topic.save()
    services.reference_data_sync()
    assert ref(Topic, "patent").name_en == "Patents (edited)"


def test_the_same_moment_in_another_time_zone_is_no_change():
    c = ConsultationFactory()
    moscow = timezone.localtime(c.started_at)  # what the edit form sends back
    same = services.consultation_update(
        actor=c.consultant,
        consultation=c,
        data={"started_at": moscow, "answer": c.answer},
        topics=None,
        expected_version=1,
    )
    assert same.version == 1
    assert not ConsultationChange.objects.exists()
