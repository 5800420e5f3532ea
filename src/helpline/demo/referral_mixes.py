"""What the demo referrals look like: which topics call for which services and how often,
how follow-ups end, and which services keep failing."""

from __future__ import annotations

from datetime import timedelta

from helpline.directory.models import ReferralStatus

S = ReferralStatus
INSPECTORATE = "state.labour_inspectorate"
# A topic (or its first level) -> the share of its consultations that get a referral, and
# the categories of service it calls for, with weights.
TOPIC_NEEDS: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "social": (0.4, (("housing", 3), ("shelter", 2), ("red_cross", 1))),
    "social.shelter": (0.6, (("shelter", 4), ("red_cross", 1), ("crisis_women", 1))),
    "social.hostel": (0.6, (("housing", 1),)),
    "social.housing": (0.4, (("housing", 1),)),
    "social.assistance": (0.4, (("red_cross", 3), ("shelter", 1))),
    "health": (0.25, (("clinic", 3), ("hiv_tb", 1), ("red_cross", 1))),
    "health.care": (0.3, (("clinic", 3), ("red_cross", 1))),
    "health.insurance": (0.15, (("clinic", 1),)),
    "health.clinics": (0.5, (("clinic", 1),)),
    "health.tb_hiv": (0.6, (("hiv_tb", 1),)),
    "health.pregnancy": (0.4, (("clinic", 2), ("crisis_women", 1))),
    "wages": (0.22, (("trade_union", 2), (INSPECTORATE, 2), ("legal_aid", 2))),
    "employment": (0.08, (("trade_union", 1), ("legal_aid", 1), ("employment", 1))),
    "employment.search": (0.3, (("employment", 1),)),
    "employment.injury": (0.3, (("legal_aid", 1), (INSPECTORATE, 1), ("clinic", 1))),
    "employment.dismissal": (0.15, (("trade_union", 1), ("legal_aid", 1), (INSPECTORATE, 1))),
    "trafficking": (0.9, (("shelter.trafficking", 3), ("legal_aid", 1), ("psychological", 1),
                          ("state.prosecutor", 1))),
    "trafficking.sexual": (0.9, (("shelter.trafficking", 3), ("crisis_women", 2))),
    "police.violence": (0.45, (("legal_aid", 2), ("state.prosecutor", 2), ("crisis_women", 2),
                               ("psychological", 1))),
    "police.extortion": (0.25, (("state.prosecutor", 2), ("legal_aid", 2))),
    "police.detention": (0.15, (("legal_aid", 2), ("consulate", 1))),
    "police.discrimination": (0.1, (("legal_aid", 1), ("state", 1))),
    "psychosocial": (0.35, (("psychological", 3), ("crisis_women", 1))),
    "education": (0.25, (("school", 2), ("russian_courses", 1), ("russian_courses.children", 1))),
    "education.school": (0.45, (("school", 2), ("russian_courses.children", 1))),
    "education.russian": (0.45, (("russian_courses.adults", 2), ("russian_courses", 1),
                                 ("russian_courses.children", 1))),
    "legal_status": (0.05, (("legal_aid", 1), ("state.migration", 1))),
    "legal_status.lost_passport": (0.5, (("consulate", 3), ("state.migration", 1))),
    "legal_status.entry_ban": (0.12, (("legal_aid", 2), ("consulate", 1))),
    "legal_status.expulsion": (0.2, (("legal_aid", 3), ("refugee", 1))),
    "legal_status.overstay": (0.1, (("legal_aid", 2), ("return", 1))),
    "return": (0.45, (("return", 3), ("consulate", 1))),
    "family": (0.05, (("psychological", 1), ("crisis_women", 1))),
    "family.reproductive": (0.2, (("clinic", 1),)),
    "family.birth": (0.1, (("consulate", 1),)),
    "documents": (0.02, (("state.migration", 1),)),
}  # fmt: skip
TWO_REFERRALS_SHARE = 0.25
CONSENT_SHARE = 0.15
CONSENT_SHARE_PROTECTION = 0.6  # trafficking and violence: passed on to the service
FOLLOW_UP_DAYS = (1, 2, 3, 3, 3, 4, 5, 7)
# Services that fail most referrals: fewer outcomes, more of them (weight in the picks).
FAILING_SERVICES = {"msk-gd-vykhino": 3.0, "spb-nevskiy-obvodny": 3.0, "ekb-uralskiy-dom": 3.0}
OUTCOMES = ((S.RECEIVED, 70), (S.CLOSED, 18), (S.DECLINED, 4), (S.NO_SHOW, 4), (S.UNREACHABLE, 4))
OUTCOMES_FAILING = (
    (S.RECEIVED, 12),
    (S.CLOSED, 6),
    (S.DECLINED, 12),
    (S.NO_SHOW, 38),
    (S.UNREACHABLE, 32),
)
# How each outcome is reached (after "given"); some have a short way too.
PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    S.RECEIVED: ((S.CONTACTED, S.ACCEPTED, S.RECEIVED),),
    S.NO_SHOW: ((S.CONTACTED, S.ACCEPTED, S.NO_SHOW),),
    S.DECLINED: ((S.CONTACTED, S.DECLINED),),
    S.UNREACHABLE: ((S.UNREACHABLE,), (S.CONTACTED, S.UNREACHABLE)),
    S.CLOSED: ((S.CLOSED,), (S.CONTACTED, S.CLOSED)),
}
OPEN_SHARE_RECENT = 0.5  # of referrals due in the last RECENT_DAYS days, still open
OPEN_SHARE_OLD = 0.005
RECENT_DAYS = 10
MIN_DUE_PER_CONSULTANT = 3  # open referrals due today or overdue, for every consultant
LATEST_STEP = timedelta(minutes=5)  # no step later than now minus this
