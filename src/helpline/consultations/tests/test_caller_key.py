"""The repeat-caller key: one key per number however it is written, never the number."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from helpline.consultations.caller_key import caller_key, normalise_phone

SECRET = "s" * 40
# Russian mobile numbers: +7 9XX XXX XX XX.
ru_mobile = st.integers(min_value=900_000_0000, max_value=999_999_9999).map(str)


def spellings(national: str) -> list[str]:
    """Ways people write one Russian mobile number."""
    a, b, c, d, e = national[:3], national[3:6], national[6:8], national[8:], national
    return [
        f"+7{e}",
        f"+7 ({a}) {b}-{c}-{d}",
        f"8 {a} {b} {c} {d}",
        f"8({a}){b}{c}{d}",
        f"7{e}",
        f"007{e}",
        f" +7-{a}-{b}-{c}-{d} ",
    ]


@given(ru_mobile)
@settings(max_examples=200, deadline=None)
def test_every_spelling_of_a_number_gives_the_same_key(national):
    keys = {caller_key(s, secret=SECRET, region="RU") for s in spellings(national)}
    assert len(keys) == 1


@given(ru_mobile, ru_mobile)
@settings(max_examples=200, deadline=None)
def test_different_numbers_give_different_keys(one, other):
    if one == other:
        return
    assert caller_key(one, secret=SECRET, region="RU") != caller_key(
        other, secret=SECRET, region="RU"
    )


def test_key_is_an_hmac_not_the_number():
    key = caller_key("+79161234567", secret=SECRET, region="RU")
    assert len(key) == 64
    assert "9161234567" not in key
    assert key != caller_key("+79161234567", secret="another" * 6, region="RU")


def test_foreign_numbers_with_country_code():
    uz = caller_key("+998 90 123 45 67", secret=SECRET, region="RU")
    assert uz == caller_key("00998901234567", secret=SECRET, region="RU")
    assert uz != caller_key("+7 901 234 56 70", secret=SECRET, region="RU")
    assert normalise_phone("+998 90 123 45 67", region="RU") == "+998901234567"


@pytest.mark.parametrize("bad", ["", "   ", "abc", "12", "+7 916", "x" * 60, "=1+2"])
def test_not_a_phone_number_is_refused(bad):
    with pytest.raises(ValidationError):
        caller_key(bad, secret=SECRET, region="RU")
