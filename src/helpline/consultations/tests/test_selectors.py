from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from helpline.accounts.tests.factories import (
    CentreFactory,
    administrator,
    consultant,
    coordinator,
    national,
)
from helpline.consultations import selectors
from helpline.consultations.caller_key import caller_key
from helpline.consultations.models import Channel, Topic
from helpline.consultations.selectors import ConsultationFilters
from helpline.consultations.tests.factories import (
    ConsultationFactory,
    NonDataConsultationFactory,
    ref,
)

pytestmark = pytest.mark.django_db


def ids(qs):
    return {c.pk for c in qs}


def test_each_role_sees_what_it_may():
    a, b = CentreFactory(), CentreFactory()
    in_a, in_b = ConsultationFactory(centre=a), ConsultationFactory(centre=b)
    everything = ConsultationFilters()
    assert ids(selectors.consultation_list(actor=consultant(centre=a), filters=everything)) == {
        in_a.pk
    }
    assert ids(selectors.consultation_list(actor=coordinator(centre=b), filters=everything)) == {
        in_b.pk
    }
    for actor in (national(), administrator()):
        assert ids(selectors.consultation_list(actor=actor, filters=everything)) == {
            in_a.pk,
            in_b.pk,
        }
    inactive = consultant(centre=a, is_active=False)
    assert not ids(selectors.consultation_list(actor=inactive, filters=everything))


def test_filters():
    centre = CentreFactory()
    user = consultant(centre=centre)
    now = timezone.now()
    patent_uz = ConsultationFactory(centre=centre, citizenship="UZ", topics=["patent.payment"])
    tax_tj = ConsultationFactory(centre=centre, citizenship="TJ", sex="female", topics=["tax"])
    old = ConsultationFactory(
        centre=centre, citizenship="KG", started_at=now - timedelta(days=90), topics=["wages"]
    )
    silent = NonDataConsultationFactory(centre=centre)
    visit = ConsultationFactory(
        centre=centre, citizenship="KZ", channel=ref(Channel, "visit"), topics=["health"]
    )
    due = ConsultationFactory(
        centre=centre,
        citizenship="AM",
        follow_up_needed=True,
        follow_up_due=timezone.localdate(),
        topics=["patent"],
    )

    def run(**kw):
        return ids(selectors.consultation_list(actor=user, filters=ConsultationFilters(**kw)))

    # A first-level topic also finds its second-level topics.
    assert run(topic_id=ref(Topic, "patent").pk, citizenship="UZ") == {patent_uz.pk}
    assert run(topic_id=ref(Topic, "patent").pk) == {patent_uz.pk, due.pk}
    assert patent_uz.pk not in run(topic_id=ref(Topic, "tax").pk)
    assert run(sex="female") == {tax_tj.pk}
    assert old.pk not in ids(
        selectors.consultation_list(actor=user, filters=ConsultationFilters.default())
    )
    assert run(kind="non_data") == {silent.pk}
    assert silent.pk not in run(kind="data")
    assert run(channel_id=ref(Channel, "visit").pk) == {visit.pk}
    assert run(follow_up="due") == {due.pk}
    assert run(consultant_id=user.pk) == set()
    newest_first = [
        c.pk for c in selectors.consultation_list(actor=user, filters=ConsultationFilters())
    ]
    assert newest_first[-1] == old.pk


def test_earlier_contacts_counts_network_and_links_visible_only():
    key = caller_key("+79161234567")
    mine, other = CentreFactory(), CentreFactory()
    user = consultant(centre=mine)
    ConsultationFactory(centre=mine, caller_key=key)
    ConsultationFactory(centre=other, caller_key=key)
    ConsultationFactory(centre=mine, caller_key=caller_key("+79160000000"))
    earlier = selectors.earlier_contacts(actor=user, caller_key=key)
    assert earlier.total == 2
    assert [c.centre for c in earlier.visible] == [mine]
    assert selectors.earlier_contacts(actor=user, caller_key="").total == 0


def test_follow_ups_due_are_the_consultants_own():
    user = consultant()
    today = timezone.localdate()
    mine = ConsultationFactory(
        centre=user.centre, consultant=user, follow_up_needed=True, follow_up_due=today
    )
    ConsultationFactory(centre=user.centre, follow_up_needed=True, follow_up_due=today)
    ConsultationFactory(
        centre=user.centre,
        consultant=user,
        follow_up_needed=True,
        follow_up_due=today + timedelta(days=30),
    )
    assert ids(selectors.follow_ups_due(actor=user)) == {mine.pk}
    assert len(selectors.follow_ups_due(actor=coordinator(centre=user.centre))) == 2


def test_topic_mask_follows_topics_through_edits():
    from helpline.consultations import services

    c = ConsultationFactory(topics=["patent.payment", "tax"])
    user = consultant(centre=c.centre)

    def found(code):
        f = ConsultationFilters(topic_id=ref(Topic, code).pk)
        return c.pk in ids(selectors.consultation_list(actor=user, filters=f))

    assert found("patent") and found("patent.payment") and found("tax")
    assert not found("wages") and not found("patent.obtain")
    services.consultation_update(
        actor=user,
        consultation=c,
        data={},
        topics=[ref(Topic, "wages.unpaid")],
        expected_version=1,
    )
    assert found("wages") and found("wages.unpaid")
    assert not found("patent") and not found("tax")
