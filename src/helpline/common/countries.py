"""Country choices, translated and sorted once per language (django-countries sorts the
translated names on every iteration, which is slow for a select on every list page)."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language, override
from django_countries import countries


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    with override(language):
        return tuple((str(code), str(name)) for code, name in countries)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) in the current language, the common countries of origin first."""
    return list(_choices(get_language() or "ru"))
