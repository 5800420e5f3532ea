"""The XLSX workbook: sheets "articles" and "translations", checks, formula injection."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from helpline.knowledge.content import ArticleData, TranslationData, VersionData
from helpline.knowledge.files.dataset import articles_as_data
from helpline.knowledge.files.errors import KnowledgeExportError, KnowledgeImportError
from helpline.knowledge.files.importing import knowledge_import
from helpline.knowledge.files.markdown import read_folder
from helpline.knowledge.files.spreadsheet import (
    ARTICLE_COLUMNS,
    TRANSLATION_COLUMNS,
    read_xlsx,
    write_xlsx,
)
from helpline.knowledge.models import (
    KNOWLEDGE_LANGUAGES,
    Article,
    ArticleTranslation,
    ArticleVersion,
)
from helpline.knowledge.services import articles_save

from .test_files_markdown import DEMO, sample_articles

INJECTION = '=HYPERLINK("http://evil.example/","click")'


def xlsx(articles: list[ArticleData]) -> bytes:
    stream = io.BytesIO()
    write_xlsx(articles, stream)
    return stream.getvalue()


def cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Every cell value of every sheet: what two workbooks must share to be the same."""
    workbook = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def workbook(articles: list[list[object]], translations: list[list[object]]) -> io.BytesIO:
    """A workbook as a person might type it: headers, then rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "articles"
    sheet.append(list(ARTICLE_COLUMNS))
    for row in articles:
        sheet.append(row)
    sheet = book.create_sheet("translations")
    sheet.append(list(TRANSLATION_COLUMNS))
    for row in translations:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


ARTICLE = ["patent-obtain", "patent.obtain, health.insurance", "visa_free", "migrant"]


def row(**values: object) -> list[object]:
    """A translations row: a valid Russian row unless told otherwise."""
    defaults: dict[str, object] = {
        "slug": "patent-obtain",
        "valid_from": "2025-01-01",
        "language": "ru",
        "question": "Как получить патент?",
        "answer": "Патент нужен гражданам безвизовых стран.",
    }
    defaults.update(values)
    return [defaults.get(column) for column in TRANSLATION_COLUMNS]


def problems_of(stream: io.BytesIO | Path) -> list[str]:
    with translation.override("en"), pytest.raises(KnowledgeImportError) as caught:
        read_xlsx(stream)
    return [str(problem) for problem in caught.value.problems]


# --- Round trips -------------------------------------------------------------------------


@pytest.mark.django_db
def test_write_read_write_gives_the_same_workbook():
    articles = sample_articles()
    first = xlsx(articles)

    again = read_xlsx(io.BytesIO(first))

    assert again == articles
    assert cells(xlsx(again)) == cells(first)


@pytest.mark.django_db
def test_layout_of_the_sheets():
    sheets = cells(xlsx(sample_articles()))
    assert sheets["articles"] == [
        ARTICLE_COLUMNS,
        ("employer-notify", "employment.contract", "all", "employer"),
        ("patent-obtain", "health.insurance, patent.obtain", "visa_free", "migrant, employer"),
    ]
    header, *rows = sheets["translations"]
    assert header == TRANSLATION_COLUMNS
    assert [(r[0], r[1].date(), r[8]) for r in rows] == [
        ("employer-notify", datetime.date(2025, 1, 1), "ru"),
        ("patent-obtain", datetime.date(2025, 1, 1), "ru"),
        ("patent-obtain", datetime.date(2025, 1, 1), "en"),
        *[("patent-obtain", datetime.date(2026, 1, 1), lang) for lang in KNOWLEDGE_LANGUAGES],
    ]
    ru = dict(zip(header, rows[1], strict=True))
    assert ru["references"] == (
        "Федеральный закон № 115-ФЗ «О правовом положении иностранных граждан в Российской "
        "Федерации» | ст. 13.3 | https://www.consultant.ru/document/cons_doc_LAW_37868/\n"
        "Трудовой кодекс Российской Федерации"
    )
    assert ru["phrasings"].split("\n")[:2] == ["как оформить патент", "patent kak oformit"]
    assert ru["reviewer"] == "Иванова А. А."
    assert ru["valid_until"].date() == datetime.date(2025, 12, 31)


@pytest.mark.django_db
def test_database_export_import_export_gives_the_same_workbook(tmp_path):
    articles_save(actor=None, articles=sample_articles())
    path = tmp_path / "knowledge.xlsx"
    write_xlsx(articles_as_data(), path)
    Article.objects.all().delete()

    summary = knowledge_import(actor=None, source=path, kind="xlsx")

    assert (summary.articles, summary.versions, summary.translations) == (2, 3, 8)
    assert cells(xlsx(articles_as_data())) == cells(path.read_bytes())
    assert articles_as_data() == sample_articles()


@pytest.mark.django_db
def test_the_demo_articles_survive_a_spreadsheet(tmp_path):
    assert DEMO.is_dir() and any(DEMO.iterdir()), "the demo knowledge base is missing"
    articles = read_folder(DEMO)
    assert read_xlsx(io.BytesIO(xlsx(articles))) == articles


# --- Formula injection -------------------------------------------------------------------


@pytest.mark.django_db
def test_formulas_are_written_as_text_and_read_back_as_text(tmp_path):
    articles = sample_articles()
    articles[0].versions[0].translations["ru"].question = INJECTION
    articles[0].versions[0].translations["ru"].phrasings = ["+SUM(1;2)", "@cmd", "-2+3", "#N/A"]
    data = xlsx(articles)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    assert "HYPERLINK" in xml

    sheet = load_workbook(io.BytesIO(data))["translations"]
    question = sheet.cell(row=2, column=TRANSLATION_COLUMNS.index("question") + 1)
    assert question.value == INJECTION
    assert question.data_type == "s"
    assert question.quotePrefix  # the cell stays text when someone edits it
    answer = sheet.cell(row=2, column=TRANSLATION_COLUMNS.index("answer") + 1)
    assert answer.value.startswith("- ") and answer.data_type == "s" and answer.quotePrefix
    plain = sheet.cell(row=3, column=TRANSLATION_COLUMNS.index("question") + 1)
    assert not plain.quotePrefix

    again = read_xlsx(io.BytesIO(data))
    ru = again[0].versions[0].translations["ru"]
    assert ru.question == INJECTION
    assert ru.phrasings == ["+SUM(1;2)", "@cmd", "-2+3", "#N/A"]
    assert again == articles


@pytest.mark.django_db
def test_a_real_formula_in_a_workbook_is_refused():
    stream = workbook([ARTICLE], [row(question="=1+1")])
    assert problems_of(stream) == [
        "sheet translations, row 2: question: formulas are not allowed: type the text itself"
    ]


@pytest.mark.django_db
def test_html_and_mixed_scripts_are_kept_as_text():
    answer = "<script>alert(1)</script> <b>Патент</b> & Patent olish — патэнт"
    [article] = read_xlsx(
        workbook([ARTICLE], [row(answer=answer, question="Patent nima? Патент?")])
    )
    assert article.versions[0].translations["ru"].answer == answer
    assert article.versions[0].translations["ru"].question == "Patent nima? Патент?"


@pytest.mark.django_db
def test_texts_too_long_for_a_cell_are_refused_on_export():
    articles = sample_articles()
    articles[0].versions[0].translations["ru"].answer = "а" * 40_000
    with translation.override("en"), pytest.raises(KnowledgeExportError, match="employer-notify"):
        xlsx(articles)


# --- Reading what people type ------------------------------------------------------------


@pytest.mark.django_db
def test_reads_typed_values():
    stream = workbook(
        [ARTICLE, ["visa-entry", "documents", "all", ""]],
        [
            row(
                valid_from=datetime.datetime(2025, 1, 1),
                valid_until="2025-06-30",
                review_status="in_review",
                reviewer="legal-team",
                references="Закон о въезде | ст. 25.10\nКоАП | ст. 18.8 | https://example.org/koap",
                phrasings="патент как\n\n  patent kak  \n",
                question=115,
            ),
            row(language="en", question="How?", answer="Like this.", status="draft"),
            row(slug="visa-entry", valid_from="2024-02-01"),
            [None] * len(TRANSLATION_COLUMNS),
        ],
    )
    patent, visa = read_xlsx(stream, is_demo=True)
    assert patent.topics == ["health.insurance", "patent.obtain"]
    assert patent.is_demo and visa.is_demo
    assert visa.citizenship == ["eaeu", "visa_free", "visa"]
    assert visa.audience == ["migrant"]
    [version] = patent.versions
    assert version.valid_from == datetime.date(2025, 1, 1)
    assert version.valid_until == datetime.date(2025, 6, 30)
    assert version.review_status == "in_review"
    assert version.reviewer == "legal-team"
    assert version.references == [
        {"law": "Закон о въезде", "article": "ст. 25.10"},
        {"law": "КоАП", "article": "ст. 18.8", "url": "https://example.org/koap"},
    ]
    assert version.translations["ru"] == TranslationData(
        language="ru",
        question="115",
        answer="Патент нужен гражданам безвизовых стран.",
        phrasings=["патент как", "patent kak"],
    )
    assert version.translations["en"].status == "draft"
    assert visa.versions == [
        VersionData(
            valid_from=datetime.date(2024, 2, 1),
            translations={
                "ru": TranslationData(
                    language="ru",
                    question="Как получить патент?",
                    answer="Патент нужен гражданам безвизовых стран.",
                )
            },
        )
    ]


# --- Every kind of problem, with its sheet, row and column -------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("articles", "translations", "expected"),
    [
        (
            [["Patent Obtain", "patent.xyz, patent", "asia", "tourist"]],
            [],
            [
                "sheet articles, row 2: slug: the identifier 'Patent Obtain' is not valid: use "
                "lower-case Latin letters, digits and single hyphens, e.g. patent-obtain",
                "sheet articles, row 2: topics: unknown topic code 'patent.xyz'",
                "sheet articles, row 2: citizenship: unknown value 'asia': use one or more of "
                "eaeu, visa_free, visa, all",
                "sheet articles, row 2: audience: unknown value 'tourist': use one or both of "
                "migrant, employer",
            ],
        ),
        (
            [["patent-obtain", "", None, None]],
            [row()],
            [
                "sheet articles, row 2: topics: this field is required",
                "sheet articles, row 2: citizenship: this field is required",
            ],
        ),
        (
            [ARTICLE, ARTICLE, ["visa-entry", "documents", "all"]],
            [row()],
            [
                "sheet articles, row 3: slug: the article appears twice (first on row 2)",
                "sheet articles, row 4: slug: the article has no rows in the sheet translations",
            ],
        ),
        (
            [ARTICLE],
            [
                row(valid_from="01.01.2025", language="de", status="done", question=" "),
                row(
                    valid_until="2024-12-31",
                    review_status="ok",
                    reviewed_on=datetime.datetime(2025, 1, 1, 12, 30),
                    next_review_on="soon",
                    answer="",
                ),
            ],
            [
                "sheet translations, row 2: valid_from: '01.01.2025' is not a date: write "
                "YYYY-MM-DD",
                "sheet translations, row 2: language: unknown language 'de': use one of "
                "ru, en, uz, tg, ky",
                "sheet translations, row 2: status: unknown value 'done': use one of draft, "
                "in_review, published, outdated",
                "sheet translations, row 2: question: this field is required",
                "sheet translations, row 3: answer: this field is required",
                "sheet translations, row 3: review_status: unknown value 'ok': use one of draft, "
                "in_review, published, retired",
                "sheet translations, row 3: reviewed_on: '2025-01-01 12:30:00' is not a date: "
                "write YYYY-MM-DD",
                "sheet translations, row 3: next_review_on: 'soon' is not a date: write YYYY-MM-DD",
            ],
        ),
        (
            [ARTICLE],
            [row(valid_until="2024-12-31")],
            [
                "sheet translations, row 2: valid_until: 2024-12-31 is before the version's "
                "start, 2025-01-01"
            ],
        ),
        (
            [ARTICLE],
            [row(language="en"), row(language="uz"), row(valid_from="2026-01-01")],
            [
                "sheet translations, row 2: language: the version patent-obtain of 2025-01-01 "
                "has no Russian row: every version needs one"
            ],
        ),
        (
            [ARTICLE],
            [row(), row(question="Again")],
            ["sheet translations, row 3: language: this version already has this language (row 2)"],
        ),
        (
            [ARTICLE],
            [
                row(review_status="draft", reviewer="a"),
                row(language="en", review_status="published", reviewer="a"),
                row(language="uz"),
            ],
            [
                "sheet translations, row 3: review_status: differs from the Russian row of the "
                "version (row 2)"
            ],
        ),
        (
            [ARTICLE],
            [
                row(
                    references="Закон | ст. 1 | https://x.example | лишнее\n | ст. 2\n"
                    "Закон | ст. 3 | not a url",
                ),
                row(slug="visa-entry", language="en"),
            ],
            [
                "sheet translations, row 2: references: write each reference on its own line "
                "as: law | article | url",
                "sheet translations, row 2: references: a reference needs the law it cites ('law')",
                "sheet translations, row 2: references: 'not a url' is not a web address "
                "(http:// or https://)",
                "sheet translations, row 3: slug: no row for this article in the sheet articles",
            ],
        ),
    ],
)
def test_each_problem_names_sheet_row_and_column(articles, translations, expected):
    assert problems_of(workbook(articles, translations)) == expected


@pytest.mark.django_db
def test_missing_sheets_and_columns():
    book = Workbook()
    book.active.title = "articles"
    book.active.append(["slug", "topics", "Topics", "notes"])
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    assert problems_of(stream) == [
        "sheet articles, row 1: topics: the column appears twice",
        "sheet articles, row 1: citizenship: the column is missing",
        "sheet translations: the sheet is missing",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"slug,topics\npatent-obtain,patent\n",  # a CSV
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # an old .xls
        b"PK\x03\x04 damaged",
        b"",
    ],
)
def test_a_file_that_is_not_xlsx(tmp_path, content):
    path = tmp_path / "knowledge.xlsx"
    path.write_bytes(content)
    message = (
        "knowledge.xlsx: the file is not an XLSX workbook (Excel 2007 or later): save it as "
        ".xlsx and try again"
    )
    assert problems_of(path) == [message]
    assert problems_of(io.BytesIO(content)) == [message.replace("knowledge.xlsx", "the file")]


@pytest.mark.django_db
def test_a_zip_that_is_not_a_workbook():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("hello.txt", "hello")
    stream.seek(0)
    assert problems_of(stream) == [
        "the file: the file is not an XLSX workbook (Excel 2007 or later): save it as .xlsx "
        "and try again"
    ]


@pytest.mark.django_db
def test_nothing_is_written_when_one_row_is_invalid():
    articles_save(actor=None, articles=sample_articles()[:1])
    before = (
        Article.objects.count(),
        ArticleVersion.objects.count(),
        list(ArticleTranslation.objects.values_list("question", flat=True)),
    )
    articles = sample_articles()
    articles[0].versions[0].translations["ru"].question = "Изменено"
    articles[1].topics = ["patent.obtain"]
    data = bytearray(xlsx(articles))
    book = load_workbook(io.BytesIO(data))
    book["articles"]["B3"] = "patent.xyz"
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)

    with translation.override("en"), pytest.raises(KnowledgeImportError) as caught:
        knowledge_import(actor=None, source=stream, kind="xlsx")

    assert [str(p) for p in caught.value.problems] == [
        "sheet articles, row 3: topics: unknown topic code 'patent.xyz'"
    ]
    assert (
        Article.objects.count(),
        ArticleVersion.objects.count(),
        list(ArticleTranslation.objects.values_list("question", flat=True)),
    ) == before
