from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpline.accounts.tests.factories import administrator, consultant, coordinator, national
from helpline.knowledge.files import archive
from helpline.knowledge.models import Article, ArticleRevision, ArticleVersion
from helpline.knowledge.tests.factories import (
    article_with_version,
    demo_article,
    version_edit,
    version_make,
)

pytestmark = pytest.mark.django_db

JAN_2026 = datetime.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def article():
    art, _version = article_with_version(
        texts={
            "ru": {
                "question": "Как продлить патент?",
                "phrasings": "продление патента",
                "answer": "Оплатите **НДФЛ** за патент до окончания срока.",
            },
            "en": ("How do I renew a patent?", "Pay the **income tax** before it expires."),
        }
    )
    return art


@pytest.fixture
def editor(client):
    user = national()
    client.force_login(user)
    return user


@pytest.fixture
def reader(client):
    user = consultant()
    client.force_login(user)
    return user


def edit_data(version, **extra):
    """The version edit form as the browser posts it, with its current values."""
    version.refresh_from_db()
    data = {
        "revision": version.revision,
        "valid_until": "",
        "review_status": version.review_status,
        "reviewer": "",
        "reviewed_on": "",
        "next_review_on": "",
        "references": "",
    }
    for t in version.translations.all():
        data.update(
            {
                f"{t.language}-question": t.question,
                f"{t.language}-phrasings": t.phrasings,
                f"{t.language}-answer": t.answer,
                f"{t.language}-status": t.status,
            }
        )
    for code in ("ru", "uz", "tg", "ky", "en"):
        data.setdefault(f"{code}-status", "draft")
    data.update(extra)
    return data


# --- Access -------------------------------------------------------------------------------


def urls(art):
    version = art.versions.get()
    return {
        "read": [
            reverse("knowledge:search"),
            reverse("knowledge:search") + "?q=patent",
            reverse("knowledge:article", args=[art.slug]),
            reverse("knowledge:changed"),
        ],
        "edit": [
            reverse("knowledge:new"),
            reverse("knowledge:settings", args=[art.slug]),
            reverse("knowledge:version_new", args=[art.slug]),
            reverse("knowledge:version_edit", args=[art.slug, version.pk]),
            reverse("knowledge:history", args=[art.slug, version.pk]),
            reverse("knowledge:compare", args=[art.slug]),
            reverse("knowledge:transfer"),
        ],
    }


def test_anonymous_are_sent_to_login_everywhere(client, article):
    all_urls = urls(article)
    for url in [*all_urls["read"], *all_urls["edit"], reverse("knowledge:preview")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    response = client.post(reverse("knowledge:preview"), {"markdown": "x"})
    assert response.status_code == 302


def test_consultant_reads_and_searches_but_edits_nothing(client, reader, article):
    all_urls = urls(article)
    for url in all_urls["read"]:
        assert client.get(url).status_code == 200, url
    for url in all_urls["edit"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert client.post(reverse("knowledge:preview"), {"markdown": "x"}).status_code == 403
    for kind in ("xlsx", "markdown"):
        assert client.get(reverse("knowledge:export", args=[kind])).status_code == 403
    page = client.get(reverse("knowledge:article", args=[article.slug])).content.decode()
    assert "editor-actions" not in page
    assert reverse("knowledge:new") not in client.get(reverse("knowledge:search")).content.decode()


@pytest.mark.parametrize("make_user", [coordinator, national], ids=["centre", "national"])
def test_coordinators_read_and_edit(client, article, make_user):
    client.force_login(make_user())
    all_urls = urls(article)
    for url in [*all_urls["read"], *all_urls["edit"]]:
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("knowledge:preview"), {"markdown": "x"}).status_code == 200
    page = client.get(reverse("knowledge:article", args=[article.slug])).content.decode()
    assert 'id="editor-actions"' in page


def test_consultant_does_not_see_drafts(client, reader):
    article_with_version(slug="draft-only", review_status="draft")
    assert client.get(reverse("knowledge:article", args=["draft-only"])).status_code == 404
    page = client.get(reverse("knowledge:search")).content.decode()
    assert "draft-only" not in page


def test_editor_sees_an_unpublished_article_as_its_draft(client, editor):
    article_with_version(
        slug="draft-only", review_status="draft", texts={"ru": ("Черновик?", "Да.")}
    )
    page = client.get(reverse("knowledge:article", args=["draft-only"])).content.decode()
    assert "Черновик?" in page and 'id="unpublished"' in page


# --- Search -------------------------------------------------------------------------------


def test_search_page_shows_highlighted_hits_linking_to_the_article(client, reader, article):
    response = client.get(reverse("knowledge:search"), {"q": "продлить патент"})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    assert "<mark>" in page and 'id="hits"' in page
    today = timezone.localdate().isoformat()
    assert f"{reverse('knowledge:article', args=[article.slug])}?lang=ru&amp;on={today}" in page
    assert "Valid from 1 January 2025" in page


def test_search_partial_for_htmx(client, reader, article):
    response = client.get(
        reverse("knowledge:search"), {"q": "renew patent"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "<html" not in content and 'id="hits"' in content
    assert "How do I <mark>renew</mark> a <mark>patent</mark>?" in content


def test_search_filters_by_date(client, reader, article):
    response = client.get(
        reverse("knowledge:search"), {"q": "патент", "on": "2024-06-01"}, HTTP_HX_REQUEST="true"
    )
    assert 'id="no-hits"' in response.content.decode()


def test_search_shows_demo_badge(client, reader):
    demo_article()
    page = client.get(reverse("knowledge:search"), {"q": "демо патент"}).content.decode()
    assert 'class="badge demo"' in page


def test_list_without_query_grouped_by_topic(client, reader, article):
    article_with_version(
        slug="clinic", topics=["health"], texts={"ru": ("Где лечиться?", "В поликлинике.")}
    )
    page = client.get(reverse("knowledge:search")).content.decode()
    assert 'class="topic-group"' in page
    assert page.index("Work patent") < page.index("How do I renew a patent?")
    assert "Где лечиться?" in page
    assert "Review due" not in page


def test_list_query_count_does_not_grow_with_articles(client, editor, article):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("knowledge:search"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(6):
        article_with_version(
            slug=f"extra-{n}",
            topics=["health", "tax"],
            texts={"ru": (f"Вопрос {n}?", "Ответ."), "en": (f"Question {n}?", "Answer.")},
        )
    assert queries() == few


def test_editor_list_filters(client, editor, article):
    article_with_version(slug="drafty", review_status="draft", texts={"ru": ("Черновик?", "Да.")})
    page = client.get(reverse("knowledge:search")).content.decode()
    assert "Review due" in page and 'id="new-article"' in page and "Черновик?" in page
    page = client.get(reverse("knowledge:search"), {"review_status": "draft"}).content.decode()
    assert "Черновик?" in page and "Как продлить патент?" not in page
    page = client.get(reverse("knowledge:search"), {"missing_language": "en"}).content.decode()
    assert "Черновик?" in page and "Как продлить патент?" not in page


# --- Article ------------------------------------------------------------------------------


def test_article_page(client, reader, article):
    url = reverse("knowledge:article", args=[article.slug])
    page = client.get(url, {"lang": "en"}).content.decode()
    assert "How do I renew a patent?" in page
    assert "<strong>income tax</strong>" in page
    assert "Valid from 1 January 2025 (current)" in page
    assert 'id="fallback-notice"' not in page and 'id="demo-banner"' not in page
    assert 'id="not-current"' not in page


def test_missing_translation_falls_back_to_russian_with_a_notice(client, reader, article):
    page = client.get(
        reverse("knowledge:article", args=[article.slug]), {"lang": "uz"}
    ).content.decode()
    assert "Как продлить патент?" in page
    assert "No translation into Uzbek yet: shown in Russian." in page


def test_the_version_valid_on_the_date_is_shown(client, reader, article):
    version_make(
        article,
        valid_from=JAN_2026,
        texts={"ru": ("Как продлить патент?", "С 2026 года платите **больше**.")},
    )
    url = reverse("knowledge:article", args=[article.slug])
    old = client.get(url, {"on": "2025-06-01"}).content.decode()
    new = client.get(url, {"on": "2026-02-01"}).content.decode()
    assert "Оплатите <strong>НДФЛ</strong>" in old and "больше" not in old
    assert "Valid from 1 January 2025 to 31 December 2025" in old
    assert "С 2026 года" in new and "Оплатите" not in new
    if timezone.localdate() >= JAN_2026:
        assert 'id="not-current"' in old and 'id="not-current"' not in new
    assert old.count('<a href="/knowledge/patent-renewal/?lang=ru&amp;version=') == 2


def test_demo_article_carries_the_banner(client, reader):
    art = demo_article()
    page = client.get(reverse("knowledge:article", args=[art.slug])).content.decode()
    assert 'id="demo-banner"' in page
    assert "verify with a lawyer before use" in page


def test_html_in_answer_is_sanitised_and_in_question_escaped(client, reader):
    art, _ = article_with_version(
        slug="xss",
        texts={
            "ru": (
                "<script>alert('q')</script> вопрос",
                "Ответ <script>alert('a')</script> [ссылка](javascript:alert(1)) "
                '<img src=x onerror="alert(2)">',
            )
        },
    )
    page = client.get(reverse("knowledge:article", args=[art.slug])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt; вопрос" in page
    assert 'href="javascript' not in page
    hits = client.get(reverse("knowledge:search"), {"q": "вопрос"}).content.decode()
    assert "<script>alert" not in hits


def test_legal_references_show_safe_links_only(client, reader):
    art, _ = article_with_version(
        slug="refs",
        references=[
            {"law": "115-FZ", "article": "art. 13.3", "url": "https://example.org/115"},
            {"law": "Bad", "article": "", "url": "javascript:alert(1)"},
        ],
    )
    page = client.get(reverse("knowledge:article", args=[art.slug])).content.decode()
    assert 'href="https://example.org/115"' in page and "art. 13.3" in page
    assert "javascript:" not in page


def test_unknown_article_is_404_and_date_before_the_first_version_explains(client, reader, article):
    assert client.get(reverse("knowledge:article", args=["nope"])).status_code == 404
    response = client.get(reverse("knowledge:article", args=[article.slug]), {"on": "2020-01-01"})
    assert response.status_code == 200
    assert 'id="no-version"' in response.content.decode()


# --- What changed -------------------------------------------------------------------------


def test_changed_since_shows_the_diff_and_new_articles(client, reader, article):
    version_make(
        article,
        valid_from=JAN_2026,
        texts={
            "ru": ("Как продлить патент?", "Оплатите НДФЛ и страховку до окончания срока."),
            "en": ("How do I renew a patent?", "Pay the income tax and insurance in time."),
        },
    )
    article_with_version(
        slug="new-rule",
        valid_from=datetime.date(2025, 9, 1),
        topics=["health"],
        texts={"ru": ("Новое правило?", "Да, новое.")},
    )
    url = reverse("knowledge:changed")
    page = client.get(url, {"since": "2025-06-01"}).content.decode()
    assert 'id="changed-new-rule"' in page and "1 new answer since then" in page
    if timezone.localdate() >= JAN_2026:
        assert "<ins> и страховку</ins>" in page
        assert page.index("<ins>") < page.index('id="new-articles"')  # changes come first
        english = client.get(url, {"since": "2025-06-01", "lang": "en"}).content.decode()
        assert "<ins> and insurance in time</ins>" in english
        assert "Новое правило?" in english  # new-rule has no English text: Russian title
    page = client.get(url, {"since": "2026-06-01"}).content.decode()
    assert 'id="nothing-changed"' in page or timezone.localdate() > datetime.date(2026, 6, 1)


def test_changed_since_rejects_a_bad_date(client, reader):
    response = client.get(reverse("knowledge:changed"), {"since": "yesterday"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


# --- Editing ------------------------------------------------------------------------------


def test_new_article_creates_article_version_and_text(client, editor):
    response = client.post(
        reverse("knowledge:new"),
        {
            "slug": "school-enrolment",
            "topics": [
                Article._meta.get_field("topics").related_model.objects.get(code="education").pk
            ],
            "citizenship": ["eaeu", "visa_free"],
            "audience": ["migrant"],
            "valid_from": "2025-03-01",
            "question": "Как записать ребёнка в школу?",
            "phrasings": "школа для детей мигрантов",
            "answer": "Нужен **тест** по русскому языку.",
        },
    )
    art = Article.objects.get(slug="school-enrolment")
    version = art.versions.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:version_edit", args=[art.slug, version.pk])
    assert not art.for_visa and art.for_eaeu
    assert version.translations.get(language="ru").answer == "Нужен **тест** по русскому языку."
    assert version.review_status == "draft"


def test_new_article_errors_next_to_fields_in_the_ui_language(client, editor, article):
    response = client.post(
        reverse("knowledge:new"),
        {"slug": article.slug, "valid_from": "2025-03-01", "question": "Q", "answer": ""},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_answer_error"' in page and 'id="id_topics_error"' in page
    assert "Обязательное поле." in page
    assert Article.objects.count() == 1


def test_new_article_with_a_taken_slug_writes_nothing(client, editor, article):
    topic = Article._meta.get_field("topics").related_model.objects.get(code="patent")
    response = client.post(
        reverse("knowledge:new"),
        {
            "slug": article.slug,
            "topics": [topic.pk],
            "citizenship": ["eaeu"],
            "audience": ["migrant"],
            "valid_from": "2025-03-01",
            "question": "Q?",
            "answer": "A.",
        },
    )
    assert response.status_code == 400
    assert 'id="id_slug_error"' in response.content.decode()
    assert Article.objects.count() == 1 and ArticleVersion.objects.count() == 1


def test_settings_update_the_article(client, editor, article):
    topic = Article._meta.get_field("topics").related_model.objects.get(code="tax")
    response = client.post(
        reverse("knowledge:settings", args=[article.slug]),
        {"topics": [topic.pk], "citizenship": ["visa"], "audience": ["employer"]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert [t.code for t in article.topics.all()] == ["tax"]
    assert article.for_visa and not article.for_eaeu and article.for_employers


def test_new_version_is_a_copy_then_opens_for_editing(client, editor, article):
    response = client.post(
        reverse("knowledge:version_new", args=[article.slug]), {"valid_from": "2026-01-01"}
    )
    version = article.versions.get(valid_from=JAN_2026)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "knowledge:version_edit", args=[article.slug, version.pk]
    )
    assert version.translations.count() == 2 and version.review_status == "draft"
    again = client.post(
        reverse("knowledge:version_new", args=[article.slug]), {"valid_from": "2026-01-01"}
    )
    assert again.status_code == 400 and 'id="id_valid_from_error"' in again.content.decode()


def test_version_edit_saves_texts_and_fields(client, editor, article):
    version = article.versions.get()
    url = reverse("knowledge:version_edit", args=[article.slug, version.pk])
    page = client.get(url).content.decode()
    assert 'name="revision"' in page and 'data-markdown="1"' in page
    assert "knowledge/knowledge.js" in page
    response = client.post(
        url,
        edit_data(
            version,
            **{
                "uz-question": "Patentni qanday uzaytirish mumkin?",
                "uz-answer": "Soliqni to'lang.",
                "uz-status": "published",
                "en-question": "",
                "en-phrasings": "",
                "en-answer": "",
                "references": "115-FZ | art. 13.3 | https://example.org/115\nLabour Code",
                "next_review_on": "2026-06-01",
            },
        ),
    )
    assert response.status_code == 302
    version.refresh_from_db()
    languages = set(version.translations.values_list("language", flat=True))
    assert languages == {"ru", "uz"}  # English emptied: removed
    assert version.references == [
        {"law": "115-FZ", "article": "art. 13.3", "url": "https://example.org/115"},
        {"law": "Labour Code", "article": "", "url": ""},
    ]
    assert version.next_review_on == datetime.date(2026, 6, 1)


def test_version_edit_shows_errors_next_to_fields(client, editor, article):
    version = article.versions.get()
    url = reverse("knowledge:version_edit", args=[article.slug, version.pk])
    response = client.post(
        url,
        edit_data(
            version,
            **{
                "ky-question": "Суроо?",
                "ky-answer": "",
                "references": "Law | art | ftp://x",
                "valid_until": "2024-01-01",
            },
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_ky-answer_error"' in page and 'id="id_references_error"' in page
    assert 'id="id_valid_until_error"' in page and "Line 1" in page
    assert "Суроо?" in page


def test_stale_save_is_refused_with_409_and_nothing_is_lost(client, editor, article):
    version = article.versions.get()
    url = reverse("knowledge:version_edit", args=[article.slug, version.pk])
    opened = edit_data(version)
    other = national(first_name="Olga", last_name="Petrova")
    version_edit(
        version,
        actor=other,
        texts={"ru": ("Как продлить патент?", "Оплатите НДФЛ заранее.")},
    )
    mine = {**opened, "ru-answer": "Мой вариант ответа, очень важный."}
    response = client.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 409
    assert 'id="stale-warning"' in page and "Olga Petrova" in page
    assert "Мой вариант ответа, очень важный." in page  # the user's text is kept
    assert "заранее</ins>" in page  # and the other person's change is shown
    version.refresh_from_db()
    assert version.translations.get(language="ru").answer == "Оплатите НДФЛ заранее."
    # Saving again (after reading their version) replaces it.
    revision = version.revision
    assert f'name="revision" value="{revision}"' in page
    assert client.post(url, {**mine, "revision": revision}).status_code == 302
    assert version.translations.get(language="ru").answer == "Мой вариант ответа, очень важный."


def test_preview_renders_sanitised_markdown(client, editor):
    response = client.post(
        reverse("knowledge:preview"),
        {"markdown": "**bold** <script>x</script>"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<strong>bold</strong>" in content and "<script>" not in content
    assert client.get(reverse("knowledge:preview")).status_code == 405
    included = client.post(reverse("knowledge:preview"), {"uz-answer": "*kursiv*"})
    assert "<em>kursiv</em>" in included.content.decode()


def test_history_shows_revisions_and_the_diff(client, editor, article):
    version = article.versions.get()
    version_edit(version, texts={"ru": ("Как продлить патент?", "Оплатите НДФЛ вовремя.")})
    url = reverse("knowledge:history", args=[article.slug, version.pk])
    page = client.get(url).content.decode()
    numbers = list(ArticleRevision.objects.filter(version=version).values_list("number", flat=True))
    assert len(numbers) == 3
    assert page.count('name="b"') == 3
    assert "<ins> вовремя</ins>" in page
    first = client.get(url, {"a": min(numbers), "b": max(numbers)}).content.decode()
    assert "Revision 1 → revision 3" in first


def test_compare_two_versions(client, editor, article):
    first = article.versions.get()
    second = version_make(
        article,
        valid_from=JAN_2026,
        texts={"ru": ("Как продлить патент?", "Оплатите НДФЛ за патент до конца месяца.")},
    )
    url = reverse("knowledge:compare", args=[article.slug])
    page = client.get(url, {"a": first.pk, "b": second.pk}).content.decode()
    change = "<del>окончания срока</del><ins>конца месяца</ins>"
    assert change in page
    assert client.get(url).content.decode().count(change) == 1  # default: the latest two
    article_page = client.get(
        reverse("knowledge:article", args=[article.slug]), {"version": second.pk}
    ).content.decode()
    assert f"?a={first.pk}&amp;b={second.pk}" in article_page


# --- Import and export --------------------------------------------------------------------


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    buffer.seek(0)
    buffer.name = "knowledge.zip"
    return buffer


def test_unsafe_zip_is_refused_and_nothing_written(client, editor):
    upload = zip_bytes({"../evil/2025-01-01.ru.md": "x"})
    response = client.post(reverse("knowledge:transfer"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="import-problems"' in page and "“..”" in page
    assert Article.objects.count() == 0


def test_not_a_zip_is_refused(client, editor):
    upload = io.BytesIO(b"not a zip at all")
    upload.name = "knowledge.zip"
    response = client.post(reverse("knowledge:transfer"), {"file": upload})
    assert response.status_code == 400
    assert "not a valid zip" in response.content.decode()


def test_archive_extract_refuses_links_and_too_much(tmp_path, monkeypatch):
    link = zipfile.ZipInfo("knowledge/link")
    link.external_attr = (0o120777 << 16) | 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr(link, "/etc/passwd")
    with pytest.raises(archive.ArchiveError, match="symbolic link"):
        archive.archive_extract(io.BytesIO(buffer.getvalue()), tmp_path / "a")
    with pytest.raises(archive.ArchiveError, match="absolute path"):
        archive.archive_extract(zip_bytes({"/srv/x.md": "x"}), tmp_path / "b")
    monkeypatch.setattr(archive, "MAX_FILES", 2)
    with pytest.raises(archive.ArchiveError, match="more than 2 files"):
        archive.archive_extract(zip_bytes({"a": "1", "b": "2", "c": "3"}), tmp_path / "c")
    monkeypatch.setattr(archive, "MAX_BYTES", 10)
    with pytest.raises(archive.ArchiveError, match="50 MB"):
        archive.archive_extract(zip_bytes({"a": "x" * 11}), tmp_path / "d")


def test_archive_extract_finds_the_folder_of_articles(tmp_path):
    nested = zip_bytes({"export/one/2025-01-01.ru.md": "x", "export/two/2025-01-01.ru.md": "y"})
    root = archive.archive_extract(nested, tmp_path / "a")
    assert root.name == "export" and (root / "one").is_dir()
    flat = zip_bytes({"one/2025-01-01.ru.md": "x", "two/2025-01-01.ru.md": "y"})
    assert archive.archive_extract(flat, tmp_path / "b") == (tmp_path / "b").resolve()
    single = zip_bytes({"one/2025-01-01.ru.md": "x"})  # one article folder: not a container
    assert archive.archive_extract(single, tmp_path / "c") == (tmp_path / "c").resolve()


def test_invalid_markdown_zip_shows_every_problem_and_writes_nothing(client, editor, article):
    upload = zip_bytes(
        {
            "knowledge/good-article/2025-01-01.ru.md": (
                "---\nquestion: Вопрос?\ntopics: [patent]\ncitizenship: [all]\n---\nОтвет.\n"
            ),
            "knowledge/bad-article/2025-01-01.ru.md": (
                "---\nquestion: Вопрос?\ntopics: [no-such-topic]\ncitizenship: [all]\n---\nОтвет.\n"
            ),
            "knowledge/bad-date/2025-13-45.ru.md": "---\nquestion: Q\n---\nA\n",
        }
    )
    response = client.post(reverse("knowledge:transfer"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="import-problems"' in page
    assert "bad-article/2025-01-01.ru.md" in page and "2025-13-45" in page
    assert list(Article.objects.values_list("slug", flat=True)) == [article.slug]


def test_valid_markdown_zip_is_imported(client, editor):
    upload = zip_bytes(
        {
            "knowledge/good-article/2025-01-01.ru.md": (
                "---\nquestion: Вопрос?\ntopics: [patent]\ncitizenship: [all]\n---\nОтвет.\n"
            ),
        }
    )
    response = client.post(reverse("knowledge:transfer"), {"file": upload})
    assert response.status_code == 302
    assert Article.objects.filter(slug="good-article").exists()


def test_export_downloads_and_round_trips(client, editor, article):
    response = client.get(reverse("knowledge:export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
    response = client.get(reverse("knowledge:export", args=["markdown"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    assert any(name.startswith(f"knowledge/{article.slug}/") for name in names)
    assert client.get(reverse("knowledge:export", args=["pdf"])).status_code == 404
    # The zip exported here imports back unchanged.
    upload = io.BytesIO(response.content)
    upload.name = "export.zip"
    assert client.post(reverse("knowledge:transfer"), {"file": upload}).status_code == 302
    assert Article.objects.count() == 1


def test_xlsx_export_imports_back(client, editor, article):
    workbook = io.BytesIO(client.get(reverse("knowledge:export", args=["xlsx"])).content)
    workbook.name = "knowledge.xlsx"
    response = client.post(reverse("knowledge:transfer"), {"file": workbook})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Imported 1 article: 1 versions, 2 translations." in page
    assert Article.objects.count() == 1


def test_upload_of_another_kind_of_file_is_refused(client, editor):
    upload = io.BytesIO(b"hello")
    upload.name = "notes.txt"
    response = client.post(reverse("knowledge:transfer"), {"file": upload})
    assert response.status_code == 400 and 'id="id_file_error"' in response.content.decode()


# --- Admin --------------------------------------------------------------------------------


def test_admin_lists_and_shows_articles_read_mostly(client, article):
    client.force_login(administrator())
    version = article.versions.get()
    translation = version.translations.get(language="ru")
    topic = article.topics.get()
    changelist = client.get(
        reverse("admin:knowledge_article_changelist"), {"topics__id__exact": topic.pk}
    )
    assert changelist.status_code == 200 and article.slug in changelist.content.decode()
    for name, obj in (
        ("article", article),
        ("articleversion", version),
        ("articletranslation", translation),
    ):
        assert client.get(reverse(f"admin:knowledge_{name}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:knowledge_{name}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert client.get(reverse(f"admin:knowledge_{name}_add")).status_code == 403
        assert (
            client.get(reverse(f"admin:knowledge_{name}_delete", args=[obj.pk])).status_code == 403
        )
    page = client.get(reverse("admin:knowledge_article_change", args=[article.pk])).content.decode()
    assert 'name="is_demo"' in page and 'name="slug"' not in page
