"""URLs of the directory: slip."""

from django.urls import path

from . import slips

urlpatterns: list = [
    path("referrals/<uuid:pk>/slip.pdf", slips.referral_slip, name="referral_slip"),
]
