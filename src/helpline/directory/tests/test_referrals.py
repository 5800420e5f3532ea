"""Referrals: made from a consultation with a snapshot, followed up forward only."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from helpline.accounts.tests.factories import consultant, coordinator, national
from helpline.consultations.tests.factories import ConsultationFactory
from helpline.directory import referral_selectors as selectors
from helpline.directory.models import Referral, ReferralStatus, Service
from helpline.directory.referral_selectors import ReferralFilters
from helpline.directory.referrals import (
    ReferralPick,
    StaleReferralError,
    next_statuses,
    referral_status_change,
    referrals_record,
)
from helpline.directory.tests.factories import service_in_city

pytestmark = pytest.mark.django_db


def _refer(user, service: Service, **pick: object) -> Referral:
    consultation = ConsultationFactory(centre=user.centre, consultant=user)
    made = referrals_record(
        actor=user,
        consultation=consultation,
        picks=[ReferralPick(service_id=service.pk, **pick)],  # type: ignore[arg-type]
    )
    return made[0]


def test_a_referral_keeps_a_snapshot_of_the_service_as_given() -> None:
    user = consultant()
    service = service_in_city("Moscow", address="5 Tverskaya Street", categories=["housing"])
    follow_up = timezone.localdate() + datetime.timedelta(days=3)
    referral = _refer(user, service, consent_to_share=True, follow_up_on=follow_up)

    assert referral.service_name == service.name
    assert referral.organization_name == service.organization.name
    assert referral.address == "5 Tverskaya Street, Moscow"
    assert referral.phone == service.phones.get().number
    assert referral.hours == "Mon–Fri 09:00–18:00"
    assert referral.category is not None and referral.category.code == "housing"
    assert referral.consent_to_share is True
    assert referral.follow_up_on == follow_up
    assert referral.follow_up_by == user
    assert referral.centre_id == user.centre_id
    assert [(c.status_from, c.status) for c in referral.changes.all()] == [("", "given")]

    given_name = service.name
    service.name = "Renamed"
    service.save()
    referral.refresh_from_db()
    assert referral.service_name == given_name
    service.delete()
    referral.refresh_from_db()
    assert referral.service is None
    assert referral.service_name == given_name
    assert referral.phone


def test_saving_the_same_pick_twice_does_not_duplicate() -> None:
    user = consultant()
    service = service_in_city()
    consultation = ConsultationFactory(centre=user.centre, consultant=user)
    pick = ReferralPick(service_id=service.pk)
    assert len(referrals_record(actor=user, consultation=consultation, picks=[pick, pick])) == 1
    assert referrals_record(actor=user, consultation=consultation, picks=[pick]) == []
    assert consultation.referrals.count() == 1


def test_an_archived_service_cannot_be_referred_to() -> None:
    user = consultant()
    service = service_in_city(archived_at=timezone.now())
    consultation = ConsultationFactory(centre=user.centre, consultant=user)
    with pytest.raises(ValidationError) as error:
        referrals_record(
            actor=user, consultation=consultation, picks=[ReferralPick(service_id=service.pk)]
        )
    assert "referrals" in error.value.message_dict
    assert not Referral.objects.exists()


def test_a_follow_up_date_far_away_is_refused_and_nothing_is_written() -> None:
    user = consultant()
    first, second = service_in_city(), service_in_city()
    consultation = ConsultationFactory(centre=user.centre, consultant=user)
    too_late = timezone.localdate() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as error:
        referrals_record(
            actor=user,
            consultation=consultation,
            picks=[
                ReferralPick(service_id=first.pk),
                ReferralPick(service_id=second.pk, follow_up_on=too_late),
            ],
        )
    assert error.value.message_dict["referrals"] == [
        f"Referral to “{second.name}”: The follow-up date must be between today and one year ahead."
    ]
    assert not Referral.objects.exists()


def test_another_centre_cannot_refer_from_a_consultation() -> None:
    service = service_in_city()
    consultation = ConsultationFactory()
    with pytest.raises(PermissionDenied):
        referrals_record(
            actor=consultant(),
            consultation=consultation,
            picks=[ReferralPick(service_id=service.pk)],
        )


def test_statuses_move_forward_only_and_every_change_is_kept() -> None:
    user = consultant()
    referral = _refer(user, service_in_city())
    assert next_statuses("given")[0] == ReferralStatus.CONTACTED
    assert ReferralStatus.GIVEN not in next_statuses("contacted")
    assert next_statuses("received") == []

    new_date = timezone.localdate() + datetime.timedelta(days=5)
    referral = referral_status_change(
        actor=user, referral=referral, status="contacted", follow_up_on=new_date
    )
    assert referral.follow_up_on == new_date
    referral = referral_status_change(actor=user, referral=referral, status="accepted")
    assert referral.follow_up_on == new_date
    referral = referral_status_change(actor=user, referral=referral, status="received")
    assert referral.status == "received"
    assert not referral.is_open
    with pytest.raises(ValidationError):
        referral_status_change(actor=user, referral=referral, status="contacted")
    with pytest.raises(ValidationError):
        referral_status_change(actor=user, referral=referral, status="bogus")
    history = list(referral.changes.values_list("status_from", "status", "changed_by"))
    assert history == [
        ("", "given", user.pk),
        ("given", "contacted", user.pk),
        ("contacted", "accepted", user.pk),
        ("accepted", "received", user.pk),
    ]
    assert referral.revision == 4


def test_a_stale_status_change_is_refused() -> None:
    user = consultant()
    referral = _refer(user, service_in_city())
    referral_status_change(actor=user, referral=referral, status="contacted")
    with pytest.raises(StaleReferralError) as error:
        referral_status_change(
            actor=user, referral=referral, status="unreachable", expected_revision=1
        )
    assert error.value.current.status == "contacted"


def test_only_the_referring_centre_follows_up() -> None:
    user = consultant()
    referral = _refer(user, service_in_city())
    with pytest.raises(PermissionDenied):
        referral_status_change(actor=consultant(), referral=referral, status="contacted")
    with pytest.raises(PermissionDenied):
        referral_status_change(actor=national(), referral=referral, status="contacted")
    colleague = coordinator(centre=user.centre)
    assert referral_status_change(actor=colleague, referral=referral, status="contacted")


def test_follow_ups_due_are_mine_for_a_consultant_and_the_centres_for_a_coordinator() -> None:
    user = consultant()
    colleague = consultant(centre=user.centre)
    today = timezone.localdate()
    mine = _refer(user, service_in_city(), follow_up_on=today)
    theirs = _refer(colleague, service_in_city(), follow_up_on=today)
    Referral.objects.filter(pk=theirs.pk).update(follow_up_on=today - datetime.timedelta(days=2))
    later = _refer(user, service_in_city(), follow_up_on=today + datetime.timedelta(days=30))
    done = _refer(user, service_in_city(), follow_up_on=today)
    referral_status_change(actor=user, referral=done, status="received")
    elsewhere = _refer(consultant(), service_in_city(), follow_up_on=today)

    assert list(selectors.referral_follow_ups_due(actor=user)) == [mine]
    boss = coordinator(centre=user.centre)
    assert list(selectors.referral_follow_ups_due(actor=boss)) == [theirs, mine]
    assert later not in selectors.referral_follow_ups_due(actor=user)
    assert elsewhere not in selectors.referral_follow_ups_due(actor=boss)


def test_outcomes_per_service_put_the_failing_service_first() -> None:
    user = consultant()
    good, bad = service_in_city(name="Good hostel"), service_in_city(name="Bad hostel")
    for status in ("received", "received", "no_show"):
        referral_status_change(actor=user, referral=_refer(user, good), status=status)
    for status in ("no_show", "unreachable", "declined", "received"):
        referral_status_change(actor=user, referral=_refer(user, bad), status=status)
    _refer(user, bad)  # still open
    _refer(consultant(), bad)  # another centre's

    rows = selectors.referral_outcomes(
        actor=coordinator(centre=user.centre), filters=ReferralFilters()
    )
    assert [row.service_name for row in rows] == ["Bad hostel", "Good hostel"]
    bad_row, good_row = rows
    assert (bad_row.total, bad_row.open, bad_row.failed, bad_row.finished) == (5, 1, 3, 4)
    assert bad_row.keeps_failing is True
    assert good_row.keeps_failing is False
    assert good_row.counts == {"received": 2, "no_show": 1}
    assert selectors.referral_outcomes(actor=user, filters=ReferralFilters()) == []
    network = selectors.referral_outcomes(actor=national(), filters=ReferralFilters())
    assert network[0].total == 6


def test_the_list_filters_by_status_and_service() -> None:
    user = consultant()
    service = service_in_city()
    open_one = _refer(user, service, follow_up_on=timezone.localdate())
    failed = _refer(user, service)
    referral_status_change(actor=user, referral=failed, status="unreachable")
    other = _refer(user, service_in_city())

    def listed(**kw: object) -> set[Referral]:
        return set(selectors.referral_list(actor=user, filters=ReferralFilters(**kw)))  # type: ignore[arg-type]

    assert listed(status="due") == {open_one}
    assert listed(status="failed") == {failed}
    assert listed(service_id=service.pk) == {open_one, failed}
    assert listed() == {open_one, failed, other}
    assert set(selectors.referral_list(actor=consultant(), filters=ReferralFilters())) == set()
