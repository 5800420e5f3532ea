"""URLs of the directory: referrals and their follow-up."""

from django.urls import path

from . import referral_views

urlpatterns = [
    path("referrals/", referral_views.referral_list, name="referrals"),
    path("referrals/outcomes/", referral_views.referral_outcomes, name="outcomes"),
    path("referrals/<uuid:pk>/", referral_views.referral_detail, name="referral"),
]
