"""Repeat callers without identity: a keyed hash of the phone number, never the number.

The number a caller agrees to give is parsed and normalised to E.164 with ``phonenumbers``
(so "8 (916) 123-45-67", "+7 916 1234567" and "79161234567" are one number), then turned
into HMAC-SHA256 under ``settings.CALLER_KEY_SECRET``. Without the secret the key cannot be
turned back into a number, even by trying every number of a country.
"""

from __future__ import annotations

import hashlib
import hmac

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(raw: str, *, region: str | None = None) -> str:
    """The number in E.164 form, or ValidationError if it is not a possible phone number."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    if len(text) > 40:
        raise ValidationError(_("This is not a phone number."), code="invalid")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, region or settings.HELPLINE_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number."), code="invalid") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError(_("This is not a phone number."), code="invalid")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def caller_key(raw: str, *, secret: str | None = None, region: str | None = None) -> str:
    """HMAC-SHA256 (hex) of the normalised number under the deployment secret."""
    number = normalise_phone(raw, region=region)
    key = (secret if secret is not None else settings.CALLER_KEY_SECRET).encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()
