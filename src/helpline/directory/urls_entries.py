"""URLs of the directory: entries (the service page, editing, keeping entries current)."""

from django.urls import path

from . import entries

urlpatterns = [
    path("services/new/", entries.service_create, name="service_create"),
    path("services/<uuid:service_id>/", entries.service, name="service"),
    path("services/<uuid:service_id>/edit/", entries.service_edit, name="service_edit"),
    path("services/<uuid:service_id>/verify/", entries.service_verify, name="service_verify"),
    path("services/<uuid:service_id>/archive/", entries.service_archive, name="service_archive"),
    path("services/<uuid:service_id>/restore/", entries.service_restore, name="service_restore"),
    path("stale/", entries.stale, name="stale"),
    path("archived/", entries.archived, name="archived"),
    path("organisations/", entries.organizations, name="organizations"),
    path("organisations/new/", entries.organization_create, name="organization_create"),
    path(
        "organisations/<uuid:organization_id>/edit/",
        entries.organization_edit,
        name="organization_edit",
    ),
]
