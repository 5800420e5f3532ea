"""The referral slip: one printed page in the caller's language, to take to the service.

It says where to go and what to bring, and how to reach the hotline: the service's name,
organisation, address, phone, opening hours, documents, cost, languages spoken, how to
get there, the date of the referral and the hotline's name and free number. It never
says anything about the caller: of the consultation, only its language is used.

The slip stays one page whatever the directory holds: long lists and texts are cut with
"…" (saying how many items were left out), and when the page still overflows the slip is
laid out again smaller and shorter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpline.accounts.access import can_follow_up_referral, centre_scope, sees_all_centres

from .models import Referral, Service
from .presentation import SERVICE_CARD_PREFETCH, service_card

if TYPE_CHECKING:
    from helpline.accounts.models import User

# The languages a slip is printed in, in the order the links offer them (after the
# caller's; see directory/_slip_links.html).
SLIP_LANGUAGES = ("ru", "uz", "tg", "ky", "en")
DEFAULT_SLIP_LANGUAGE = "ru"
ELLIPSIS = "…"


def referral_for_slip(*, actor: User, pk: Any) -> Referral:
    """The referral if the actor may print its slip; Referral.DoesNotExist otherwise.

    The centre's consultants and coordinators (who follow the referral up), national
    coordinators and administrators may; anyone else gets the same answer as for a
    referral that does not exist.
    """
    referral = (
        Referral.objects.filter(centre_scope(actor))
        .select_related("consultation__language")
        .get(pk=pk)
    )
    if not (can_follow_up_referral(actor, referral.centre_id) or sees_all_centres(actor)):
        raise Referral.DoesNotExist
    return referral


def slip_language(*, requested: str, referral: Referral) -> str:
    """The language asked for if a slip can be printed in it; else the consultation's
    language if it is one of them; else Russian."""
    code = requested.strip().lower()
    if code in SLIP_LANGUAGES:
        return code
    language = referral.consultation.language
    if language is not None and language.code in SLIP_LANGUAGES:
        return language.code
    return DEFAULT_SLIP_LANGUAGE


@dataclass
class SlipContent:
    """What a slip prints, in the active language, before it is fitted to the page."""

    name: str
    organization: str
    referral_date: datetime.date
    addresses: list[str] = field(default_factory=list)
    transportation: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    hours: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    cost: str = ""
    languages: list[str] = field(default_factory=list)


def _live_service(referral: Referral) -> Service | None:
    """The referral's service as the directory has it now, unless it is gone or archived."""
    if referral.service_id is None:
        return None
    return (
        Service.objects.filter(pk=referral.service_id, archived_at__isnull=True)
        .select_related("organization")
        .prefetch_related(*SERVICE_CARD_PREFETCH)
        .first()
    )


def _lines(text: str) -> list[str]:
    return [line.strip(" \t-•;") for line in text.splitlines() if line.strip(" \t-•;")]


def slip_content(referral: Referral) -> SlipContent:
    """What the slip of `referral` says, in the active language.

    The referral's snapshot is the base: the name, organisation, address and phone are
    what the consultant gave on the call, so the slip and the call agree, and they
    still print when the service has since changed, been archived or deleted. The
    service as the directory has it now (if it still exists and is not archived) adds
    what the snapshot cannot hold well: opening hours written in the slip's language
    (the snapshot's are in the consultant's language), the list of documents to bring
    (with "no documents needed" translated), cost, languages spoken and how to get
    there. A snapshot field left empty is filled from the live service too. Nothing
    comes from the consultation.
    """
    content = SlipContent(
        name=referral.service_name,
        organization=referral.organization_name,
        referral_date=timezone.localtime(referral.created_at).date(),
        addresses=[referral.address] if referral.address else [],
        phones=[referral.phone] if referral.phone else [],
        hours=[referral.hours] if referral.hours else [],
        documents=_lines(referral.documents),
    )
    service = _live_service(referral)
    if service is not None:
        card = service_card(service)
        content.name = content.name or card.name
        content.organization = content.organization or card.organization
        content.addresses = content.addresses or card.addresses
        content.phones = content.phones or card.phones
        content.hours = card.hours or content.hours
        content.documents = card.documents or content.documents
        content.cost = " — ".join(
            part for part in (card.cost, service.fees_description.strip()) if part
        )
        content.languages = card.languages
        content.transportation = list(
            dict.fromkeys(
                link.location.transportation.strip()
                for link in service.service_at_locations.all()
                if link.location.transportation.strip()
            )
        )
    if content.organization == content.name:
        content.organization = ""
    return content


@dataclass(frozen=True)
class _Fit:
    """How much of each part a layout prints."""

    css_class: str
    documents: int
    hours: int
    contacts: int  # addresses, phones, ways to get there
    item_chars: int  # one line of a list
    text_chars: int  # the name and the organisation


# From the roomiest layout to the tightest, each tried only if the one before overflowed
# the page; the tightest fits one page whatever the data.
_FITS = (
    _Fit("", documents=12, hours=7, contacts=3, item_chars=140, text_chars=250),
    _Fit("", documents=8, hours=5, contacts=2, item_chars=90, text_chars=160),
    _Fit("compact", documents=8, hours=5, contacts=2, item_chars=100, text_chars=160),
    _Fit("compact", documents=5, hours=4, contacts=2, item_chars=100, text_chars=120),
    _Fit("tight", documents=4, hours=3, contacts=1, item_chars=70, text_chars=90),
)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;.:-–") + ELLIPSIS


def _cap(items: list[str], *, count: int, chars: int) -> dict[str, Any]:
    """At most `count` lines of at most `chars` characters, and a line saying how many
    more there are."""
    shown = [_shorten(item, chars) for item in items[:count]]
    hidden = len(items) - len(shown)
    more = ""
    if hidden:
        more = ngettext(
            "… and %(count)s more: ask the service or the hotline",
            "… and %(count)s more: ask the service or the hotline",
            hidden,
        ) % {"count": hidden}
    return {"lines": shown, "more": more}


def _context(content: SlipContent, fit: _Fit, language: str) -> dict[str, Any]:
    def row(label: str, items: list[str], count: int, css: str = "") -> dict[str, Any]:
        return {"label": label, "css": css, **_cap(items, count=count, chars=fit.item_chars)}

    languages = [", ".join(content.languages)] if content.languages else []
    rows = [
        row(_("Address"), content.addresses, fit.contacts, "address"),
        row(_("How to get there"), content.transportation, fit.contacts),
        row(_("Phone"), content.phones, fit.contacts, "phone"),
        row(_("Opening hours"), content.hours, fit.hours),
        row(_("What to bring"), content.documents, fit.documents, "documents"),
        row(_("Cost"), [content.cost] if content.cost else [], 1),
        row(_("Languages spoken"), languages, 1),
    ]
    return {
        "language": language,
        "css_class": fit.css_class,
        "hotline_name": _shorten(settings.HELPLINE_HOTLINE_NAME, 120),
        "hotline_number": settings.HELPLINE_HOTLINE_NUMBER,
        "name": _shorten(content.name, fit.text_chars),
        "organization": _shorten(content.organization, fit.text_chars),
        "rows": [r for r in rows if r["lines"]],
        "referral_date": content.referral_date,
    }


def _document(html: str) -> Any:
    from weasyprint import HTML, URLFetcher  # imported here: it loads Pango

    # The slip embeds everything it needs: it loads nothing, from anywhere, while printing.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).render()


def referral_slip_pdf(*, referral: Referral, language: str) -> bytes:
    """The referral's slip as a one-page PDF (A4) in `language`, one of SLIP_LANGUAGES.

    See `slip_content` for where each part comes from. A slip takes about a tenth of a
    second to lay out; one whose lists are too long for the page is laid out again,
    shorter, up to four times.
    """
    with translation.override(language):
        content = slip_content(referral)
        document = None
        for fit in _FITS:
            html = render_to_string("directory/slip.html", _context(content, fit, language))
            document = _document(html)
            if len(document.pages) == 1:
                break
        assert document is not None
        if len(document.pages) > 1:  # not seen with the tightest layout; one page regardless
            document = document.copy(document.pages[:1])
        return bytes(document.write_pdf())
