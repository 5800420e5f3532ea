from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext
from pypdf import PdfReader

from helpline.accounts.tests.factories import (
    CentreFactory,
    administrator,
    consultant,
    coordinator,
    national,
)
from helpline.common.models import Language
from helpline.consultations.tests.factories import ConsultationFactory
from helpline.directory.models import Referral, RequiredDocument, Schedule
from helpline.directory.slip import SLIP_LANGUAGES, referral_slip_pdf
from helpline.directory.tests.factories import service_in_city

pytestmark = pytest.mark.django_db

QUESTION = "Employer took my passport, Qx-7391-unique"
SPECIAL_LETTERS = "ҷӣӯҳқғ ңөү oʻgʻ"


def make_referral(*, service=None, language="ru", centre=None, **fields) -> Referral:
    centre = centre or CentreFactory()
    consultation = ConsultationFactory(
        centre=centre,
        question=QUESTION,
        answer="Call the Qx-answer-5512 line.",
        notes="Caller is Qx-notes-8830.",
        language=Language.objects.get(code=language) if language else None,
    )
    snapshot = {
        "service_name": service.name if service else "Legal aid desk",
        "organization_name": service.organization.name if service else "Partner NGO",
        "phone": "+7 495 765-43-21",
        "address": "12 Tverskaya Street, Moscow",
        "hours": "Mon–Fri 09:00–18:00",
        "documents": "Passport\nMigration card",
        **fields,
    }
    return Referral.objects.create(
        consultation=consultation,
        centre=centre,
        service=service,
        follow_up_by=consultation.consultant,
        status_changed_at=timezone.now(),
        **snapshot,
    )


def read_pdf(data: bytes) -> tuple[PdfReader, str]:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


@pytest.fixture
def service():
    return service_in_city("Moscow", address="5 Lenin Street", name="Migrant Legal Clinic")


@pytest.mark.parametrize("language", SLIP_LANGUAGES)
def test_the_slip_is_one_page_with_the_service_and_the_hotline(service, language):
    referral = make_referral(service=service)
    reader, text = read_pdf(referral_slip_pdf(referral=referral, language=language))
    assert len(reader.pages) == 1
    assert "Migrant Legal Clinic" in text
    assert service.organization.name in text
    assert "+7 495 765-43-21" in text
    assert "12 Tverskaya Street, Moscow" in text
    assert settings.HELPLINE_HOTLINE_NUMBER in text
    assert settings.HELPLINE_HOTLINE_NAME in text


def test_the_slip_is_printed_in_the_chosen_language(service):
    referral = make_referral(service=service)
    _, text = read_pdf(referral_slip_pdf(referral=referral, language="ru"))
    with translation.override("ru"):
        labels = [
            gettext("Hotline number"),
            gettext("Referral slip"),
            gettext("What to bring"),
            gettext("Opening hours"),
            pgettext("weekday", "Mon"),
        ]
        date = formats.date_format(timezone.localtime(referral.created_at).date(), "DATE_FORMAT")
    for label in labels:
        assert label in text
    # Translated by a catalogue whatever ours holds: the month, from Django's.
    assert any("а" <= letter <= "я" for letter in date) and date in text
    # A label our Russian catalogue translates is not left in English.
    if labels[0] != "Hotline number":
        assert "Hotline number" not in text


def test_every_letter_of_the_five_languages_prints_in_a_system_font():
    referral = make_referral(service_name=f"Ёлка {SPECIAL_LETTERS}")
    reader, text = read_pdf(referral_slip_pdf(referral=referral, language="tg"))
    assert f"Ёлка {SPECIAL_LETTERS}" in text
    fonts = {
        str(font["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert fonts and all(
        any(name in font for name in ("DejaVu", "Noto", "Liberation")) for font in fonts
    ), fonts


def test_live_hours_in_the_slips_language_and_the_snapshot_when_the_service_is_archived(
    service,
):
    referral = make_referral(service=service, hours="Snapshot hours 10-12")
    _, text = read_pdf(referral_slip_pdf(referral=referral, language="en"))
    assert "Mon–Fri 09:00–18:00" in text and "Snapshot hours" not in text
    assert "Free" in text and "Russian" in text  # cost and languages spoken, live

    service.archived_at = timezone.now()
    service.save(update_fields=["archived_at"])
    _, text = read_pdf(referral_slip_pdf(referral=referral, language="en"))
    assert "Snapshot hours 10-12" in text
    assert "Passport" in text and "Migration card" in text


def test_the_snapshot_is_the_base_and_the_live_service_fills_its_gaps(service):
    referral = make_referral(service=service, phone="+7 800 111-22-33", address="")
    RequiredDocument.objects.create(service=service, document="Patent receipt")
    location = service.service_at_locations.get().location
    location.transportation = "Metro Okhotny Ryad, exit 3"
    location.save(update_fields=["transportation"])
    _, text = read_pdf(referral_slip_pdf(referral=referral, language="en"))
    assert "+7 800 111-22-33" in text  # as given on the call
    assert service.phones.get().number not in text
    assert "5 Lenin Street, Moscow" in text  # no address in the snapshot: the live one
    assert "Patent receipt" in text and "Metro Okhotny Ryad, exit 3" in text


def test_no_documents_needed_is_said_in_the_slips_language(service):
    service.no_documents_needed = True
    service.save(update_fields=["no_documents_needed"])
    referral = make_referral(service=service)
    _, text = read_pdf(referral_slip_pdf(referral=referral, language="ky"))
    with translation.override("ky"):
        assert gettext("No documents needed") in text


def test_long_content_stays_on_one_page(service):
    RequiredDocument.objects.bulk_create(
        RequiredDocument(service=service, document=f"Document number {n:02d} " + "word " * 30)
        for n in range(40)
    )
    Schedule.objects.filter(service=service).delete()
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            byday="MO,WE,FR" if n % 2 else "TU,TH",
            opens_at=datetime.time(6 + n % 12, n % 4 * 15),
            closes_at=datetime.time(19, 0),
            description="by appointment " * (n % 3),
        )
        for n in range(15)
    )
    referral = make_referral(
        service=service,
        service_name="Very long service name " * 10,
        organization_name="Very long organisation name " * 8,
        address="A very long address line " * 15,
        phone="+7 495 000-00-00, " * 10,
    )
    for language in ("ru", "tg"):
        reader, text = read_pdf(referral_slip_pdf(referral=referral, language=language))
        assert len(reader.pages) == 1
        assert "…" in text
        assert "Document number 00" in text and "Document number 39" not in text
        assert settings.HELPLINE_HOTLINE_NUMBER in text


def test_a_long_snapshot_without_a_live_service_stays_on_one_page():
    referral = make_referral(
        documents="\n".join(f"Paper {n}: " + "x" * 250 for n in range(40)),
        hours="Open " * 80,
        service_name="W" * 250,  # one unbreakable word
    )
    reader, text = read_pdf(referral_slip_pdf(referral=referral, language="uz"))
    assert len(reader.pages) == 1
    assert "Paper 0:" in text and "Paper 39:" not in text and "…" in text


def test_markup_in_a_service_name_is_printed_as_text():
    referral = make_referral(
        service_name='<b>Bold</b> & <img src="http://example.org/x.png"> Clinic'
    )
    _, text = read_pdf(referral_slip_pdf(referral=referral, language="en"))
    assert "<b>Bold</b> &" in text
    assert "<img src=" in text


def test_the_slip_holds_nothing_about_the_caller(service):
    referral = make_referral(service=service)
    for language in SLIP_LANGUAGES:
        reader, text = read_pdf(referral_slip_pdf(referral=referral, language=language))
        assert "Qx-" not in text
        assert "Qx-" not in str(reader.metadata)
        assert referral.consultation.consultant.username not in text
        assert str(referral.pk) not in text


# --- The view ----------------------------------------------------------------------------


def slip_url(referral: Referral, lang: str | None = "en") -> str:
    url = reverse("directory:referral_slip", args=[referral.pk])
    return f"{url}?lang={lang}" if lang else url


def test_a_consultant_of_the_centre_gets_the_pdf(client, service):
    referral = make_referral(service=service)
    client.force_login(consultant(referral.centre))
    response = client.get(slip_url(referral, "tg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="referral-slip.pdf"'
    assert response["Content-Language"] == "tg"
    assert "no-store" in response["Cache-Control"]
    reader, text = read_pdf(response.content)
    assert len(reader.pages) == 1 and "Migrant Legal Clinic" in text


@pytest.mark.parametrize("make_user", [coordinator, national, administrator])
def test_coordinators_and_administrators_get_the_pdf(client, service, make_user):
    referral = make_referral(service=service)
    user = make_user(referral.centre) if make_user is coordinator else make_user()
    client.force_login(user)
    assert client.get(slip_url(referral)).status_code == 200


@pytest.mark.parametrize("make_user", [consultant, coordinator])
def test_another_centre_is_refused_as_if_the_referral_did_not_exist(client, make_user):
    referral = make_referral()
    client.force_login(make_user(CentreFactory()))
    assert client.get(slip_url(referral)).status_code == 404
    missing = reverse("directory:referral_slip", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(missing).status_code == 404


def test_an_inactive_user_is_refused(client):
    referral = make_referral()
    user = consultant(referral.centre)
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(slip_url(referral))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_users_are_sent_to_log_in(client):
    referral = make_referral()
    response = client.get(slip_url(referral))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_only_get_is_allowed(client):
    referral = make_referral()
    client.force_login(consultant(referral.centre))
    assert client.post(slip_url(referral)).status_code == 405


@pytest.mark.parametrize(
    ("asked", "consultation_language", "printed"),
    [
        ("ky", "tg", "ky"),
        ("xx", "tg", "tg"),
        (None, "uz", "uz"),
        ("xx", "kk", "ru"),
        ("", None, "ru"),
    ],
)
def test_an_unknown_language_falls_back_to_the_consultations_then_russian(
    client, asked, consultation_language, printed
):
    Language.objects.get_or_create(
        code="kk", defaults={"name_ru": "Казахский", "name_en": "Kazakh"}
    )
    referral = make_referral(language=consultation_language)
    client.force_login(consultant(referral.centre))
    response = client.get(slip_url(referral, asked))
    assert response.status_code == 200
    assert response["Content-Language"] == printed


# --- The links ---------------------------------------------------------------------------


def test_the_slip_links_offer_five_languages_the_callers_first():
    referral = make_referral(language="tg")
    html = render_to_string("directory/_slip_links.html", {"referral": referral})
    names = ["Тоҷикӣ", "Русский", "Oʻzbekcha", "Кыргызча", "English"]
    positions = [html.index(f">{name}<") for name in names]
    assert positions == sorted(positions)
    base = reverse("directory:referral_slip", args=[referral.pk])
    for code in SLIP_LANGUAGES:
        assert html.count(f'href="{base}?lang={code}"') == 1
    assert gettext("Print slip") in html


def test_the_slip_links_put_russian_first_for_another_language():
    referral = make_referral(language=None)
    html = render_to_string("directory/_slip_links.html", {"referral": referral})
    positions = [
        html.index(f">{name}<")
        for name in ["Русский", "Oʻzbekcha", "Тоҷикӣ", "Кыргызча", "English"]
    ]
    assert positions == sorted(positions)
