"""Two editors saving the same version at the same moment: exactly one wins."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from helpline.accounts.tests.factories import consultant
from helpline.consultations import services
from helpline.consultations.models import Consultation, ConsultationChange
from helpline.consultations.services import reference_data_sync
from helpline.consultations.tests.factories import ConsultationFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_edits_of_one_version():
    reference_data_sync()
    c = ConsultationFactory()
    editors = [consultant(centre=c.centre), consultant(centre=c.centre)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(actor, answer):
        try:
            barrier.wait(timeout=10)
            services.consultation_update(
                actor=actor,
                consultation=Consultation.objects.get(pk=c.pk),
                data={"answer": answer},
                topics=None,
                expected_version=1,
            )
            outcomes.append("saved")
        except services.StaleVersionError:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(actor, f"answer {i}"))
        for i, actor in enumerate(editors)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["saved", "stale"]
    c.refresh_from_db()
    assert c.version == 2
    assert c.answer in ("answer 0", "answer 1")
    assert ConsultationChange.objects.filter(consultation=c).count() == 1
