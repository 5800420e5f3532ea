from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.search, name="search"),
    path("changed/", views.changed, name="changed"),
    path("new/", views.article_new, name="new"),
    path("preview/", views.preview, name="preview"),
    path("transfer/", views.transfer, name="transfer"),
    path("transfer/export/<str:kind>/", views.export, name="export"),
    path("<slug:slug>/", views.article, name="article"),
    path("<slug:slug>/settings/", views.article_settings, name="settings"),
    path("<slug:slug>/compare/", views.compare, name="compare"),
    path("<slug:slug>/versions/new/", views.version_new, name="version_new"),
    path("<slug:slug>/versions/<uuid:version_id>/edit/", views.version_edit, name="version_edit"),
    path("<slug:slug>/versions/<uuid:version_id>/history/", views.history, name="history"),
]
