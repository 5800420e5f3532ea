"""The directory's import and export screen: who may use it, downloads, the check, the
report and the import."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from helpline.accounts.tests.factories import consultant, coordinator, national
from helpline.directory.hsds.reading import MAX_BYTES
from helpline.directory.models import Organization, Service

from .test_hsds_export import HTML, export_csv, export_json, rich_directory
from .test_hsds_roundtrip import empty_directory
from .test_hsds_validation import publication

pytestmark = pytest.mark.django_db

TRANSFER = reverse("directory:transfer")
IMPORT = reverse("directory:import")


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path, client):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def editor(client):  # type: ignore[no-untyped-def]
    user = coordinator()
    client.force_login(user)
    return user


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def waiting(tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "directory-imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_anonymous_users_are_sent_to_log_in(client):
    for url in (TRANSFER, reverse("directory:export", args=["json"]), IMPORT):
        response = client.post(url) if url == IMPORT else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_consultants_are_refused_everything(client):
    client.force_login(consultant())
    assert client.get(TRANSFER).status_code == 403
    assert client.post(TRANSFER, {"file": upload("d.json", b"{}")}).status_code == 403
    for kind in ("json", "csv"):
        assert client.get(reverse("directory:export", args=[kind])).status_code == 403
    assert client.post(IMPORT, {"token": "0" * 32}).status_code == 403


def test_the_page_offers_both_downloads_and_the_upload(client, editor):
    page = client.get(TRANSFER).content.decode()
    assert reverse("directory:export", args=["json"]) in page
    assert reverse("directory:export", args=["csv"]) in page
    assert 'id="check-form"' in page and 'accept=".json,.zip"' in page


def test_national_coordinators_may_use_it(client):
    client.force_login(national())
    assert client.get(TRANSFER).status_code == 200


def test_downloads_are_the_exports(client, editor):
    rich_directory()
    response = client.get(reverse("directory:export", args=["json"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="directory-')
    document = json.loads(response.content)
    assert len(document["services"]["contents"]) == 3
    response = client.get(reverse("directory:export", args=["csv"]))
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = {name.split("/", 1)[1] for name in archive.namelist()}
    assert names == set(export_csv())
    assert client.get(reverse("directory:export", args=["xml"])).status_code == 404


def test_check_then_import(client, editor, tmp_path):
    rich_directory()
    content = export_json()
    empty_directory()

    response = client.post(TRANSFER, {"file": upload("directory.json", content)})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-report"' in page
    assert "directory.json is ready to import" in page
    assert "Services: 3 new, 0 updated" in page
    assert not Service.objects.exists()  # only checked
    [token] = waiting(tmp_path)
    assert f'value="{token}"' in page

    response = client.post(IMPORT, {"token": token})

    assert response.status_code == 302 and response["Location"] == TRANSFER
    assert Service.objects.count() == 3
    assert Service.objects.filter(updated_by=editor).count() == 3
    assert waiting(tmp_path) == []
    page = client.get(TRANSFER).content.decode()
    assert "Imported directory.json: Organisations: 2 new, 0 updated" in page
    assert export_json() == content


def test_a_zip_of_csv_tables_is_checked_and_imported(client, editor, tmp_path):
    rich_directory()
    zipped = client.get(reverse("directory:export", args=["csv"])).content
    empty_directory()
    response = client.post(TRANSFER, {"file": upload("directory.zip", zipped)})
    assert "Services: 3 new, 0 updated" in response.content.decode()
    [token] = waiting(tmp_path)
    client.post(IMPORT, {"token": token})
    assert Service.objects.count() == 3


def test_problems_are_listed_escaped_and_nothing_is_kept(client, editor, tmp_path):
    document = publication()
    document["services"][0]["status"] = HTML
    document["services"][0]["email"] = "x"
    response = client.post(TRANSFER, {"file": upload("bad.json", json.dumps(document).encode())})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="import-problems"' in page
    assert "bad.json cannot be imported: 2 problems found" in page
    assert "service 1 (id 22222222-2222-4222-8222-222222222222)" in page
    assert "<td>status</td>" in page and "<td>email</td>" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert 'id="import-form"' not in page
    assert waiting(tmp_path) == []
    assert not Organization.objects.exists()


def test_notes_say_what_is_not_kept(client, editor):
    document = publication()
    document["services"][0]["accreditations"] = "ISO 9001"
    response = client.post(TRANSFER, {"file": upload("d.json", json.dumps(document).encode())})
    page = response.content.decode()
    assert 'id="import-notes"' in page
    assert "The field “accreditations” of 1 service is not kept." in page


def test_wrong_files_are_refused_by_the_form(client, editor):
    response = client.post(TRANSFER, {"file": upload("d.xlsx", b"PK")})
    assert response.status_code == 400
    assert "Choose a .json or a .zip file." in response.content.decode()
    huge = upload("huge.json", b" " * (MAX_BYTES + 1))
    response = client.post(TRANSFER, {"file": huge})
    assert response.status_code == 400
    assert "The file is larger than 50 MB." in response.content.decode()


def test_a_windows_1251_upload_is_explained(client, editor):
    content = json.dumps({"services": [{"name": "Помощь"}]}, ensure_ascii=False).encode("cp1251")
    response = client.post(TRANSFER, {"file": upload("d.json", content)})
    assert response.status_code == 400
    assert "Windows-1251" in response.content.decode()


def test_only_the_file_this_session_checked_can_be_imported(client, editor, tmp_path):
    content = json.dumps(publication()).encode()
    client.post(TRANSFER, {"file": upload("d.json", content)})
    [token] = waiting(tmp_path)
    other = coordinator()
    client.force_login(other)  # a new session
    response = client.post(IMPORT, {"token": token})
    assert response.status_code == 302
    assert not Service.objects.exists()
    response = client.post(IMPORT, {"token": "../../etc/passwd"})
    assert response.status_code == 302
    page = client.get(TRANSFER).content.decode()
    assert "no longer waiting to be imported" in page
    assert client.get(IMPORT).status_code == 405


def test_a_new_check_replaces_the_file_waiting(client, editor, tmp_path):
    content = json.dumps(publication()).encode()
    client.post(TRANSFER, {"file": upload("a.json", content)})
    [first] = waiting(tmp_path)
    client.post(TRANSFER, {"file": upload("b.json", content)})
    [second] = waiting(tmp_path)
    assert first != second
    assert client.post(IMPORT, {"token": first}).status_code == 302
    assert not Service.objects.exists()
    client.post(IMPORT, {"token": second})
    assert Service.objects.count() == 1
