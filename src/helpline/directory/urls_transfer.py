"""URLs of the directory: transfer."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
