"""Phone numbers of directory entries: read leniently, stored in one form for display.

"8 (495) 123-45-67", "+7 495 1234567" and "74951234567" are one number, stored as
"+7 495 123-45-67"; foreign numbers keep their country's grouping ("+998 71 123 45 67").
Short service numbers of the country ("112") are kept as they are. Letters are refused:
a number a consultant reads out must be digits.
"""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumbers import shortnumberinfo

MAX_LENGTH = 40
_ALLOWED = re.compile(r"^[0-9+()\-.\s/]+$")


def phone_normalise(raw: str, *, region: str | None = None) -> str:
    """The number in international form, or ValidationError saying what is wrong."""
    text = " ".join((raw or "").split())
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    if len(text) > MAX_LENGTH:
        raise ValidationError(_("This is too long for a phone number."), code="max_length")
    if not _ALLOWED.match(text):
        raise ValidationError(
            _("Use digits only (with spaces, dashes, brackets or a leading +)."), code="letters"
        )
    if text.startswith("00"):
        text = "+" + text[2:]
    region = region or settings.HELPLINE_PHONE_REGION
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number."), code="invalid") from exc
    if phonenumbers.is_possible_number(parsed):
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if not text.startswith("+") and shortnumberinfo.is_valid_short_number_for_region(
        parsed, region
    ):
        return re.sub(r"\D", "", text)
    raise ValidationError(
        _("This is not a phone number: check the number of digits."), code="invalid"
    )
