"""Shared test setup: fast password hashing, a fixed caller-key secret, English UI."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_outside_requests():  # type: ignore[no-untyped-def]
    """Code called directly (services, readers, commands) speaks English in tests; a
    request still gets the language its user or browser asks for."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CALLER_KEY_SECRET = "test-caller-key-secret-0123456789abcdef"  # noqa: S105
    settings.AXES_ENABLED = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


pytest_plugins = ["helpline.common.tests.browser"]
