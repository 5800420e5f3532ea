"""The Markdown folder format (docs/knowledge-files.md): reading, checking, writing."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import translation

from helpline.knowledge.content import ArticleData, TranslationData, VersionData
from helpline.knowledge.files.dataset import articles_as_data
from helpline.knowledge.files.errors import ImportProblem, KnowledgeImportError
from helpline.knowledge.files.importing import knowledge_import
from helpline.knowledge.files.markdown import read_folder, write_folder
from helpline.knowledge.models import Article, ArticleTranslation, ArticleVersion
from helpline.knowledge.services import articles_save

DEMO = Path(__file__).resolve().parents[2] / "demo" / "knowledge"
SOURCE = "patent-obtain/2025-01-01.ru.md"

RU = """\
---
question: Как получить патент на работу?
phrasings:
  - patent kak oformit
topics: [patent.obtain]
citizenship: [visa_free]
audience: [migrant]
review_status: published
reviewed_on: 2026-10-01
references:
  - law: Федеральный закон № 115-ФЗ
    article: ст. 13.3
    url: https://www.consultant.ru/document/cons_doc_LAW_37868/
---
Патент нужен гражданам безвизовых стран, кроме стран ЕАЭС.
"""
EN = """\
---
question: How do I get a work patent?
---
A patent is needed by citizens of visa-free countries outside the EAEU.
"""


def sample_articles() -> list[ArticleData]:
    """Articles that use every field, with texts that YAML and spreadsheets like to mangle."""
    tricky = [
        "как оформить патент",
        "patent kak oformit",
        "патэнт получить",
        "Патент olish qanday? патент",  # mixed scripts
        "yes",
        "no",
        "123",
        "2025-01-01",
        "null",
        "патент: как # быстро",
        '=HYPERLINK("http://evil.example/","click")',
        "+7 999 000-00-00",
        "-патент",
        "@патент",
        "'кавычки' и \"двойные\"",
        "<b>патент</b>",
    ]
    return [
        ArticleData(
            slug="employer-notify",
            topics=["employment.contract"],
            citizenship=["eaeu", "visa_free", "visa"],
            audience=["employer"],
            versions=[
                VersionData(
                    valid_from=datetime.date(2025, 1, 1),
                    translations={
                        "ru": TranslationData(
                            language="ru",
                            question="Как уведомить МВД о приёме иностранца на работу?",
                            answer="- Уведомление подаётся в течение 3 рабочих дней.\n"
                            "- <script>alert('x')</script> остаётся текстом.",
                        )
                    },
                    review_status="in_review",
                )
            ],
        ),
        ArticleData(
            slug="patent-obtain",
            topics=["health.insurance", "patent.obtain"],
            citizenship=["visa_free"],
            audience=["migrant", "employer"],
            versions=[
                VersionData(
                    valid_from=datetime.date(2025, 1, 1),
                    valid_until=datetime.date(2025, 12, 31),
                    review_status="retired",
                    reviewer="Иванова А. А.",
                    reviewed_on=datetime.date(2025, 1, 10),
                    next_review_on=datetime.date(2025, 7, 1),
                    references=[
                        {
                            "law": "Федеральный закон № 115-ФЗ «О правовом положении иностранных "
                            "граждан в Российской Федерации»",
                            "article": "ст. 13.3",
                            "url": "https://www.consultant.ru/document/cons_doc_LAW_37868/",
                        },
                        {"law": "Трудовой кодекс Российской Федерации"},
                    ],
                    translations={
                        "ru": TranslationData(
                            language="ru",
                            question="Как получить патент? # важно",
                            answer="## Шаги\n\n1. Полис ДМС.\n2. Медосмотр.\n\n"
                            "<b>Жирный</b> & <i>курсив</i> — [ссылка](https://example.org)  \n"
                            "Строка после жёсткого переноса.",
                            phrasings=tricky,
                        ),
                        "en": TranslationData(
                            language="en",
                            question="How do I get a patent?",
                            answer="=1+1 stays text.",
                            phrasings=["patent how"],
                            status="draft",
                        ),
                    },
                ),
                VersionData(
                    valid_from=datetime.date(2026, 1, 1),
                    review_status="published",
                    reviewer="legal-team",
                    translations={
                        language: TranslationData(
                            language=language,
                            question=f"Патент с 2026 года ({language})?",
                            answer=f"Ответ {language}: Patent olish — ПАТЕНТ.",
                            status="published" if language != "ky" else "outdated",
                        )
                        for language in ("ru", "en", "uz", "tg", "ky")
                    },
                ),
            ],
        ),
    ]


def tree(path: Path) -> dict[str, bytes]:
    return {
        str(file.relative_to(path)): file.read_bytes()
        for file in sorted(path.rglob("*"))
        if file.is_file()
    }


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    with translation.override("en"), pytest.raises(KnowledgeImportError) as caught:
        read_folder(root)
    return [str(problem) for problem in caught.value.problems]


def locations_of(root: Path) -> list[tuple[str, int | None, str]]:
    with translation.override("en"), pytest.raises(KnowledgeImportError) as caught:
        read_folder(root)
    return [(p.source, p.line, p.field) for p in caught.value.problems]


# --- Reading what the documentation shows ------------------------------------------------


@pytest.mark.django_db
def test_reads_the_documented_layout(tmp_path):
    root = write(
        tmp_path,
        {
            "patent-obtain/2025-01-01.ru.md": RU,
            "patent-obtain/2025-01-01.en.md": EN,
            "patent-obtain/2026-01-01.ru.md": RU.replace("[visa_free]", "[all]")
            .replace("[migrant]", "[employer, migrant]")
            .replace("[patent.obtain]", "[patent.obtain, health]"),
            ".git/config": "not an article",
            "README.md": "About this folder.",
        },
    )

    [article] = read_folder(root)

    assert article.slug == "patent-obtain"
    assert article.is_demo is False
    # the article's fields come from the latest version
    assert article.topics == ["health", "patent.obtain"]
    assert article.citizenship == ["eaeu", "visa_free", "visa"]
    assert article.audience == ["migrant", "employer"]
    first, second = article.versions
    assert first.valid_from == datetime.date(2025, 1, 1)
    assert second.valid_from == datetime.date(2026, 1, 1)
    assert first.review_status == "published"
    assert first.reviewed_on == datetime.date(2026, 10, 1)
    assert first.references == [
        {
            "law": "Федеральный закон № 115-ФЗ",
            "article": "ст. 13.3",
            "url": "https://www.consultant.ru/document/cons_doc_LAW_37868/",
        }
    ]
    assert list(first.translations) == ["ru", "en"]
    ru = first.translations["ru"]
    assert ru.question == "Как получить патент на работу?"
    assert ru.phrasings == ["patent kak oformit"]
    assert ru.answer == "Патент нужен гражданам безвизовых стран, кроме стран ЕАЭС."
    assert ru.status == "published"
    assert first.translations["en"].question == "How do I get a work patent?"
    assert list(second.translations) == ["ru"]


@pytest.mark.django_db
def test_is_demo_is_a_parameter(tmp_path):
    root = write(tmp_path, {SOURCE: RU})
    assert read_folder(root, is_demo=True)[0].is_demo is True


@pytest.mark.django_db
def test_values_are_taken_as_written_not_as_yaml_types(tmp_path):
    root = write(
        tmp_path,
        {
            SOURCE: RU.replace(
                "  - patent kak oformit", "  - no\n  - 115\n  - 2025-01-01\n  - null"
            )
            .replace("article: ст. 13.3", "article: 13.30")
            .replace("question: Как получить патент на работу?", "question: yes"),
        },
    )
    [article] = read_folder(root)
    ru = article.versions[0].translations["ru"]
    assert ru.question == "yes"
    assert ru.phrasings == ["no", "115", "2025-01-01", "null"]
    assert article.versions[0].references[0]["article"] == "13.30"


@pytest.mark.django_db
def test_windows_line_ends_and_byte_order_mark_are_accepted(tmp_path):
    root = write(tmp_path, {SOURCE: ("\ufeff" + RU).replace("\n", "\r\n").encode("utf-8")})
    [article] = read_folder(root)
    assert article.versions[0].translations["ru"].answer.startswith("Патент нужен")


@pytest.mark.django_db
def test_html_and_mixed_scripts_are_kept_as_text(tmp_path):
    answer = (
        "<script>alert(1)</script> <b>Патент</b> & Patent olish — патэнт\n\n<!-- комментарий -->"
    )
    root = write(
        tmp_path,
        {SOURCE: RU.replace("Патент нужен гражданам безвизовых стран, кроме стран ЕАЭС.", answer)},
    )
    [article] = read_folder(root)
    assert article.versions[0].translations["ru"].answer == answer
    write_folder([article], tmp_path / "out")
    assert answer in (tmp_path / "out" / SOURCE).read_text(encoding="utf-8")


# --- Writing -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_write_read_write_gives_identical_files(tmp_path):
    articles = sample_articles()
    write_folder(articles, tmp_path / "a")

    again = read_folder(tmp_path / "a")
    write_folder(again, tmp_path / "b")

    assert again == articles
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


@pytest.mark.django_db
def test_written_file_looks_like_the_documentation(tmp_path):
    write_folder(sample_articles(), tmp_path)
    text = (tmp_path / SOURCE).read_text(encoding="utf-8")
    assert text.startswith("---\nquestion: 'Как получить патент? # важно'\nphrasings:\n")
    assert "  - как оформить патент\n" in text  # block list, indented, not escaped
    assert "  - 'yes'\n" in text  # quoted where YAML would read another type
    keys = [line.split(":")[0] for line in text.split("---\n")[1].splitlines() if line[0] != " "]
    assert keys == [
        "question",
        "phrasings",
        "topics",
        "citizenship",
        "audience",
        "valid_until",
        "review_status",
        "reviewed_by",
        "reviewed_on",
        "next_review_on",
        "references",
    ]
    assert "topics: [health.insurance, patent.obtain]\n" in text
    assert "valid_until: 2025-12-31\n" in text
    assert "  - law: Трудовой кодекс Российской Федерации\n" in text
    assert "status:" not in text.replace("review_status:", "")  # published is the default
    employer = (tmp_path / "employer-notify/2025-01-01.ru.md").read_text(encoding="utf-8")
    assert "citizenship: [all]\n" in employer
    assert "audience: [employer]\n" in employer
    assert "references" not in employer and "reviewed_by" not in employer
    en = (tmp_path / "patent-obtain/2025-01-01.en.md").read_text(encoding="utf-8")
    assert en == (
        "---\nquestion: How do I get a patent?\nphrasings:\n  - patent how\nstatus: draft\n"
        "---\n=1+1 stays text.\n"
    )
    assert sorted(path.name for path in (tmp_path / "patent-obtain").iterdir()) == [
        "2025-01-01.en.md",
        "2025-01-01.ru.md",
        "2026-01-01.en.md",
        "2026-01-01.ky.md",
        "2026-01-01.ru.md",
        "2026-01-01.tg.md",
        "2026-01-01.uz.md",
    ]


@pytest.mark.django_db
def test_writing_again_removes_translations_that_are_gone(tmp_path):
    articles = sample_articles()
    write_folder(articles, tmp_path)
    (tmp_path / "patent-obtain" / "notes.txt").write_text("kept", encoding="utf-8")
    del articles[1].versions[1].translations["ky"]
    write_folder(articles, tmp_path)
    assert not (tmp_path / "patent-obtain/2026-01-01.ky.md").exists()
    assert (tmp_path / "patent-obtain/2026-01-01.tg.md").exists()
    assert (tmp_path / "patent-obtain/notes.txt").exists()


# --- The database, out and back ----------------------------------------------------------


@pytest.mark.django_db
def test_database_export_import_export_gives_identical_files(tmp_path):
    articles_save(actor=None, articles=sample_articles())
    write_folder(articles_as_data(), tmp_path / "a")
    Article.objects.all().delete()
    assert ArticleVersion.objects.count() == 0

    summary = knowledge_import(actor=None, source=tmp_path / "a", kind="markdown")
    write_folder(articles_as_data(), tmp_path / "b")

    assert (summary.articles, summary.versions, summary.translations) == (2, 3, 8)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert articles_as_data() == sample_articles()


@pytest.mark.django_db
def test_the_database_is_read_in_four_queries(django_assert_num_queries):
    articles_save(actor=None, articles=sample_articles())
    with django_assert_num_queries(4):  # articles, topics, versions with reviewers, translations
        assert len(articles_as_data()) == 2


@pytest.mark.django_db
def test_nothing_is_written_when_one_file_is_invalid(tmp_path):
    articles_save(actor=None, articles=sample_articles()[:1])
    before = (Article.objects.count(), ArticleVersion.objects.count())
    before_translations = list(ArticleTranslation.objects.values_list("question", flat=True))
    write_folder(sample_articles(), tmp_path)
    (tmp_path / "employer-notify/2025-01-01.ru.md").write_text(
        (tmp_path / "employer-notify/2025-01-01.ru.md")
        .read_text(encoding="utf-8")
        .replace("Как уведомить", "Изменено: как уведомить"),
        encoding="utf-8",
    )
    broken = tmp_path / "patent-obtain/2025-01-01.en.md"
    broken.write_text("---\nquestion: [\n---\nanswer\n", encoding="utf-8")

    with pytest.raises(KnowledgeImportError):
        knowledge_import(actor=None, source=tmp_path, kind="markdown")

    assert (Article.objects.count(), ArticleVersion.objects.count()) == before
    assert list(ArticleTranslation.objects.values_list("question", flat=True)) == (
        before_translations
    )


# --- Every kind of problem, with its file and line ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "topics: [patent.obtain]",
            "topics: [patent.obtain, patent.xyz]",
            [f"{SOURCE}, line 5: topics: unknown topic code 'patent.xyz'"],
        ),
        (
            "topics: [patent.obtain]",
            "topics:\n  - patent.obtain\n  - nope\n  - patent.xyz",
            [
                f"{SOURCE}, line 7: topics: unknown topic code 'nope'",
                f"{SOURCE}, line 8: topics: unknown topic code 'patent.xyz'",
            ],
        ),
        (
            "topics: [patent.obtain]",
            "topics: []",
            [f"{SOURCE}, line 5: topics: give at least one value"],
        ),
        (
            "citizenship: [visa_free]",
            "citizenship: [visa_free, asia]",
            [
                f"{SOURCE}, line 6: citizenship: unknown value 'asia': use one or more of "
                "eaeu, visa_free, visa, all"
            ],
        ),
        (
            "audience: [migrant]",
            "audience: [tourist]",
            [
                f"{SOURCE}, line 7: audience: unknown value 'tourist': use one or both of "
                "migrant, employer"
            ],
        ),
        (
            "review_status: published",
            "review_status: approved",
            [
                f"{SOURCE}, line 8: review_status: unknown value 'approved': use one of "
                "draft, in_review, published, retired"
            ],
        ),
        (
            "review_status: published",
            "status: done",
            [
                f"{SOURCE}, line 8: status: unknown value 'done': use one of "
                "draft, in_review, published, outdated"
            ],
        ),
        (
            "reviewed_on: 2026-10-01",
            "reviewed_on: 2026-13-01",
            [f"{SOURCE}, line 9: reviewed_on: '2026-13-01' is not a date: write YYYY-MM-DD"],
        ),
        (
            "reviewed_on: 2026-10-01",
            "reviewed_on: 1.10.2026",
            [f"{SOURCE}, line 9: reviewed_on: '1.10.2026' is not a date: write YYYY-MM-DD"],
        ),
        (
            "reviewed_on: 2026-10-01",
            "valid_until: 2024-12-31",
            [
                f"{SOURCE}, line 9: valid_until: 2024-12-31 is before the version's start, "
                "2025-01-01"
            ],
        ),
        (
            "question: Как получить патент на работу?\n",
            "",
            [f"{SOURCE}, line 1: question: the field is missing"],
        ),
        (
            "question: Как получить патент на работу?",
            'question: "  "',
            [f"{SOURCE}, line 2: question: this field is required"],
        ),
        (
            "Патент нужен гражданам безвизовых стран, кроме стран ЕАЭС.\n",
            "\n\n",
            [f"{SOURCE}, line 14: answer: this field is required"],
        ),
        (
            "Патент нужен гражданам",
            "Патент\x07 нужен гражданам",
            [f"{SOURCE}, line 15: answer: contains a control character (code 7): remove it"],
        ),
        (
            "citizenship: [visa_free]",
            "citizenship: visa_free: eaeu",
            [f"{SOURCE}, line 6: invalid YAML: mapping values are not allowed here"],
        ),
        (
            "  - patent kak oformit",
            '  - "patent kak oformit',
            [
                f"{SOURCE}, line 13: invalid YAML: found unexpected end of stream "
                "(while scanning a quoted scalar that begins on line 4)"
            ],
        ),
        (
            "audience: [migrant]",
            "topic: [patent.obtain]",
            [
                f"{SOURCE}, line 7: topic: unknown field: the fields are question, phrasings, "
                "status, topics, citizenship, audience, valid_until, review_status, "
                "reviewed_by, reviewed_on, next_review_on, references"
            ],
        ),
        (
            "audience: [migrant]",
            "topics: [patent]",
            [f"{SOURCE}, line 7: topics: the field appears twice (first on line 5)"],
        ),
        (
            "question: Как получить патент на работу?",
            "question: !!python/object/apply:os.system ['echo hacked']",
            [
                f"{SOURCE}, line 2: invalid YAML: the tag "
                "tag:yaml.org,2002:python/object/apply:os.system is not allowed"
            ],
        ),
        (
            "  - law: Федеральный закон № 115-ФЗ\n",
            "  - law: ''\n",
            [f"{SOURCE}, line 11: references: a reference needs the law it cites ('law')"],
        ),
        (
            "url: https://www.consultant.ru/document/cons_doc_LAW_37868/",
            "url: consultant.ru\n    page: 3",
            [
                f"{SOURCE}, line 14: references: unknown field 'page': a reference has law, "
                "article and url",
                f"{SOURCE}, line 11: references: 'consultant.ru' is not a web address "
                "(http:// or https://)",
            ],
        ),
        (
            "  - patent kak oformit",
            "  - |\n    две\n    строки",
            [
                f"{SOURCE}, line 4: phrasings: one phrasing per item: a phrasing cannot span "
                "several lines"
            ],
        ),
        (
            "phrasings:\n  - patent kak oformit",
            "phrasings:\n  - [nested]",
            [f"{SOURCE}, line 3: phrasings: each item of the list must be a single value"],
        ),
        (
            "---\nquestion",
            "question",
            [
                f"{SOURCE}, line 1: the file must begin with a line '---' that opens the front "
                "matter"
            ],
        ),
    ],
)
def test_each_problem_names_file_line_and_field(tmp_path, old, new, expected):
    assert old in RU
    root = write(tmp_path, {SOURCE: RU.replace(old, new, 1)})
    assert problems_of(root) == expected


@pytest.mark.django_db
def test_unclosed_front_matter(tmp_path):
    root = write(tmp_path, {SOURCE: "---\nquestion: Как?\n\nОтвет без конца.\n"})
    assert problems_of(root) == [
        f"{SOURCE}, line 1: the front matter is not closed: end it with a line '---'"
    ]


@pytest.mark.django_db
def test_fields_of_the_russian_file_are_refused_elsewhere(tmp_path):
    en = EN.replace("---\nquestion", "---\ntopics: [patent.obtain]\nreviewed_by: x\nquestion")
    root = write(tmp_path, {SOURCE: RU, "patent-obtain/2025-01-01.en.md": en})
    assert problems_of(root) == [
        "patent-obtain/2025-01-01.en.md, line 2: topics: only the Russian file of a version "
        "may carry this field",
        "patent-obtain/2025-01-01.en.md, line 3: reviewed_by: only the Russian file of a "
        "version may carry this field",
    ]


@pytest.mark.django_db
def test_missing_russian_file(tmp_path):
    root = write(tmp_path, {SOURCE: RU, "patent-obtain/2026-01-01.en.md": EN})
    assert problems_of(root) == [
        "patent-obtain/2026-01-01.ru.md: the file is missing: every version needs its Russian file"
    ]


@pytest.mark.django_db
def test_russian_file_needs_topics_and_citizenship(tmp_path):
    text = RU.replace("topics: [patent.obtain]\n", "").replace("citizenship: [visa_free]\n", "")
    root = write(tmp_path, {SOURCE: text})
    assert problems_of(root) == [
        f"{SOURCE}, line 1: topics: the field is missing",
        f"{SOURCE}, line 1: citizenship: the field is missing",
    ]


@pytest.mark.django_db
def test_bad_slug_and_bad_file_names(tmp_path):
    root = write(
        tmp_path,
        {
            "Patent_Obtain/2025-01-01.ru.md": RU,
            "patent-obtain/2025-01-01.md": RU,
            "patent-obtain/2025-13-01.ru.md": RU,
            "patent-obtain/2025-01-01.de.md": EN,
            "patent-obtain/notes.txt": "notes",
            "patent-obtain/2025-01-01.ru.md": RU,
            "loose-file.md": RU,
            "empty-article/.keep": "",
        },
    )
    assert problems_of(root) == [
        "Patent_Obtain/: the identifier 'Patent_Obtain' is not valid: use lower-case Latin "
        "letters, digits and single hyphens, e.g. patent-obtain",
        "empty-article/: the folder holds no files",
        "loose-file.md: not a folder: each article is a folder named by its identifier",
        "patent-obtain/2025-01-01.de.md: bad file name: unknown language 'de': use one of "
        "ru, en, uz, tg, ky",
        "patent-obtain/2025-01-01.md: bad file name: name each file <YYYY-MM-DD>.<language>.md, "
        "e.g. 2025-01-01.ru.md",
        "patent-obtain/2025-13-01.ru.md: bad file name: '2025-13-01' is not a date YYYY-MM-DD",
        "patent-obtain/notes.txt: bad file name: name each file <YYYY-MM-DD>.<language>.md, "
        "e.g. 2025-01-01.ru.md",
    ]


@pytest.mark.django_db
def test_a_file_that_is_not_utf8(tmp_path):
    root = write(tmp_path, {SOURCE: RU.encode("cp1251")})
    assert problems_of(root) == [
        f"{SOURCE}, line 2: the file is not UTF-8 text: save it in the UTF-8 encoding"
    ]


@pytest.mark.django_db
def test_a_file_bigger_than_one_megabyte(tmp_path):
    root = write(tmp_path, {SOURCE: RU + "а" * 600_000})
    size = len((RU + "а" * 600_000).encode("utf-8"))
    assert problems_of(root) == [
        f"{SOURCE}: the file is {size} bytes; a file may have at most 1048576 bytes"
    ]
    write(tmp_path, {SOURCE: RU + "a" * (1024 * 1024 - len(RU.encode("utf-8")))})
    assert read_folder(root)  # exactly 1 MB is allowed


@pytest.mark.django_db
def test_not_a_folder(tmp_path):
    (tmp_path / "file.md").write_text("x", encoding="utf-8")
    assert problems_of(tmp_path / "file.md") == [
        f"{tmp_path / 'file.md'}: not a folder of articles"
    ]
    assert problems_of(tmp_path / "missing") == [
        f"{tmp_path / 'missing'}: not a folder of articles"
    ]


@pytest.mark.django_db
def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    root = write(
        tmp_path,
        {
            SOURCE: RU.replace("[patent.obtain]", "[patent.xyz]").replace("2026-10-01", "someday"),
            "patent-obtain/2025-01-01.en.md": EN.replace(
                "---\nquestion", "---\nstatus: ok\nquestion"
            ),
            "patent-obtain/2026-01-01.uz.md": EN,
            "visa-entry/2025-01-01.ru.md": b"\xff\xfe bad",
            "visa-entry/2025-02-01.ru.md": RU.replace("[visa_free]", "[nobody]"),
            "work-ok/2025-01-01.ru.md": RU,
        },
    )
    assert locations_of(root) == [
        ("patent-obtain/2025-01-01.en.md", 2, "status"),
        (SOURCE, 5, "topics"),
        (SOURCE, 9, "reviewed_on"),
        ("patent-obtain/2026-01-01.ru.md", None, ""),
        ("visa-entry/2025-01-01.ru.md", 1, ""),
        ("visa-entry/2025-02-01.ru.md", 6, "citizenship"),
    ]


def test_problem_text():
    with translation.override("en"):
        assert (
            str(ImportProblem("a/2025-01-01.ru.md", 7, "topics", "unknown topic code 'x'"))
            == "a/2025-01-01.ru.md, line 7: topics: unknown topic code 'x'"
        )
        assert str(ImportProblem("a/", None, "", "bad")) == "a/: bad"
        assert (
            str(ImportProblem("translations", 3, "question", "required", unit="row"))
            == "sheet translations, row 3: question: required"
        )
        error = KnowledgeImportError(
            [ImportProblem("a", 1, "", "x"), ImportProblem("b", 2, "", "y")]
        )
        assert str(error) == "a, line 1: x\nb, line 2: y"


# --- The demo articles -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_articles_are_valid_and_survive_a_round_trip(tmp_path):
    assert DEMO.is_dir() and any(DEMO.iterdir()), "the demo knowledge base is missing"
    with translation.override("en"):
        try:
            articles = read_folder(DEMO, is_demo=True)
        except KnowledgeImportError as exc:  # show every problem, not just that it failed
            pytest.fail(f"invalid demo articles:\n{exc}")
    assert articles and all(article.is_demo for article in articles)
    write_folder(articles, tmp_path / "a")
    assert read_folder(tmp_path / "a", is_demo=True) == articles

    summary = knowledge_import(actor=None, source=DEMO, kind="markdown", is_demo=True)

    assert summary.articles == len(articles) == Article.objects.filter(is_demo=True).count()
    assert summary.translations == ArticleTranslation.objects.count()
