"""URLs of the directory: HSDS import and export."""

from django.urls import path

from . import transfer

urlpatterns: list = [
    path("transfer/", transfer.transfer, name="transfer"),
    path("transfer/export/<str:kind>/", transfer.export, name="export"),
    path("transfer/import/", transfer.import_confirm, name="import"),
]
