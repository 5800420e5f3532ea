"""Citizenship groups: the legal regime a caller's citizenship puts them in."""

from __future__ import annotations

from .models import CitizenshipGroup

# Member states of the Eurasian Economic Union other than Russia: no patent needed.
EAEU = frozenset({"AM", "BY", "KZ", "KG"})
# Visa-free entry, outside the EAEU: a patent is needed to work.
VISA_FREE = frozenset({"AZ", "GE", "MD", "TJ", "UA", "UZ"})


def citizenship_group(country_code: str) -> str:
    """The group of an ISO 3166-1 alpha-2 code; "" when unknown or Russian."""
    code = (country_code or "").upper()
    if not code or code == "RU":
        return ""
    if code in EAEU:
        return CitizenshipGroup.EAEU
    if code in VISA_FREE:
        return CitizenshipGroup.VISA_FREE
    return CitizenshipGroup.VISA
