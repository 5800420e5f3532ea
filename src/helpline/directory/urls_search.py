"""URLs of the directory: search."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
