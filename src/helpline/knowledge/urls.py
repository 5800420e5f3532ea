from django.urls import path

from . import editing, transfer, views

app_name = "knowledge"

urlpatterns = [
    path("", views.search, name="search"),
    path("changed/", views.changed, name="changed"),
    path("new/", editing.article_new, name="new"),
    path("preview/", editing.preview, name="preview"),
    path("transfer/", transfer.transfer, name="transfer"),
    path("transfer/export/<str:kind>/", transfer.export, name="export"),
    path("<slug:slug>/", views.article, name="article"),
    path("<slug:slug>/settings/", editing.article_settings, name="settings"),
    path("<slug:slug>/compare/", editing.compare, name="compare"),
    path("<slug:slug>/versions/new/", editing.version_new, name="version_new"),
    path("<slug:slug>/versions/<uuid:version_id>/edit/", editing.version_edit, name="version_edit"),
    path("<slug:slug>/versions/<uuid:version_id>/history/", editing.history, name="history"),
]
