"""The knowledge base as one XLSX workbook, for people who edit in a spreadsheet.

Sheet "articles": one row per article (slug, topics, citizenship, audience; lists
comma-separated). Sheet "translations": one row per version and language; the version's
fields are repeated on each of its rows and read from the Russian row (another row may
leave them empty, but may not contradict it). Texts that a spreadsheet would take for a
formula (= + - @ at the start) are stored as text, never as formulas.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..content import ArticleData, TranslationData, VersionData
from ..models import KNOWLEDGE_LANGUAGES, SOURCE_LANGUAGE, ReviewStatus, TranslationStatus
from . import validation as check
from .errors import ImportProblem, KnowledgeExportError, KnowledgeImportError

ARTICLES = "articles"
TRANSLATIONS = "translations"
ARTICLE_COLUMNS = ("slug", "topics", "citizenship", "audience")
TRANSLATION_COLUMNS = (
    "slug",
    "valid_from",
    "valid_until",
    "review_status",
    "reviewer",
    "reviewed_on",
    "next_review_on",
    "references",
    "language",
    "status",
    "question",
    "phrasings",
    "answer",
)
REQUIRED_COLUMNS = {
    ARTICLES: ("slug", "topics", "citizenship"),
    TRANSLATIONS: ("slug", "valid_from", "language", "question", "answer"),
}
VERSION_COLUMNS = (
    "valid_until",
    "review_status",
    "reviewer",
    "reviewed_on",
    "next_review_on",
    "references",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARACTERS = 32_767  # what Excel keeps in one cell
REFERENCE_SEPARATOR = " | "
WIDTHS = {"question": 50, "phrasings": 40, "answer": 80, "references": 50, "topics": 30}

Source = str | Path | IO[bytes]


# --- Writing ------------------------------------------------------------------------------


def write_xlsx(articles: Iterable[ArticleData], path_or_stream: Source) -> None:
    """Write `articles` as a workbook. Versions without their Russian text are left out."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = ARTICLES
    translations = workbook.create_sheet(TRANSLATIONS)
    _header(sheet, ARTICLE_COLUMNS)
    _header(translations, TRANSLATION_COLUMNS)
    for article in sorted(articles, key=lambda item: item.slug):
        versions = sorted(
            (v for v in article.versions if SOURCE_LANGUAGE in v.translations),
            key=lambda item: item.valid_from,
        )
        if not versions:
            continue
        _row(
            sheet,
            article.slug,
            (
                article.slug,
                ", ".join(check.topics_clean(article.topics)),
                ", ".join(check.citizenship_text(article.citizenship)),
                ", ".join(check.audience_clean(article.audience) or check.DEFAULT_AUDIENCE),
            ),
        )
        for version in versions:
            for language in KNOWLEDGE_LANGUAGES:
                translation = version.translations.get(language)
                if translation is not None:
                    _row(
                        translations, article.slug, _translation_row(article, version, translation)
                    )
    workbook.save(path_or_stream)


def _translation_row(
    article: ArticleData, version: VersionData, translation: TranslationData
) -> tuple[Any, ...]:
    return (
        article.slug,
        version.valid_from,
        version.valid_until,
        version.review_status,
        version.reviewer,
        version.reviewed_on,
        version.next_review_on,
        "\n".join(_reference_text(reference) for reference in version.references),
        translation.language,
        translation.status,
        translation.question,
        "\n".join(translation.phrasings),
        translation.answer,
    )


def _reference_text(reference: dict[str, str]) -> str:
    parts = [reference.get(key, "") for key in check.REFERENCE_KEYS]
    while parts and not parts[-1]:
        parts.pop()
    return REFERENCE_SEPARATOR.join(parts)


def _header(sheet: Worksheet, columns: tuple[str, ...]) -> None:
    for number, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number)
        _set(cell, name)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"


def _row(sheet: Worksheet, slug: str, values: tuple[Any, ...]) -> None:
    row = sheet.max_row + 1
    for number, value in enumerate(values, start=1):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
            raise KnowledgeExportError(
                _(
                    "%(slug)s: a text of %(length)d characters does not fit in a spreadsheet "
                    "cell (at most %(max)d); export to Markdown instead"
                )
                % {"slug": slug, "length": len(value), "max": MAX_CELL_CHARACTERS}
            )
        _set(sheet.cell(row=row, column=number), value)


def _set(cell: Cell, value: Any) -> None:
    """Put `value` in `cell`; text is always text, never a formula (formula injection)."""
    if value is None or value == "":
        return
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return
    text = str(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula, "#N/A" as an error
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # what a leading apostrophe does: the cell stays text on edit
    if "\n" in text:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


# --- Reading ------------------------------------------------------------------------------


@dataclass
class _Row:
    """One row of a sheet: its number and its cells by column name."""

    number: int
    cells: dict[str, Any]


@dataclass
class _VersionRows:
    valid_from: datetime.date
    rows: dict[str, tuple[int, dict[str, Any], TranslationData]] = field(default_factory=dict)


class _Problems:
    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.items.append(
            ImportProblem(source=sheet, line=row, field=column, message=message, unit="row")
        )


def read_xlsx(path_or_stream: Source, *, is_demo: bool = False) -> list[ArticleData]:
    """Every article of the workbook, checked; KnowledgeImportError lists all problems."""
    problems = _Problems()
    try:
        workbook = load_workbook(path_or_stream, read_only=True, data_only=False)
        try:
            sheets = {}
            for name in (ARTICLES, TRANSLATIONS):
                if name not in workbook.sheetnames:
                    problems.add(name, None, "", _("the sheet is missing"))
                else:
                    sheets[name] = _rows(workbook[name], name, problems)
        finally:
            workbook.close()
    except Exception as exc:  # not a zip, not a workbook, an old .xls, a damaged file...
        raise KnowledgeImportError(
            [
                ImportProblem(
                    source=_name(path_or_stream),
                    line=None,
                    field="",
                    message=_(
                        "the file is not an XLSX workbook (Excel 2007 or later): "
                        "save it as .xlsx and try again"
                    ),
                )
            ]
        ) from exc
    if problems.items:
        raise KnowledgeImportError(problems.items)
    articles = _articles(sheets[ARTICLES], sheets[TRANSLATIONS], problems)
    if problems.items:
        raise KnowledgeImportError(problems.items)
    for article in articles:
        article.is_demo = is_demo
    return articles


def _name(source: Source) -> str:
    if isinstance(source, str | Path):
        return Path(source).name
    name = getattr(source, "name", None)
    return Path(name).name if isinstance(name, str) and name else _("the file")


def _rows(sheet: Any, name: str, problems: _Problems) -> list[_Row]:
    """The rows of a sheet below its header, by column name; empty rows are skipped."""
    rows = sheet.iter_rows()
    header = next(rows, ())
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        title = str(cell.value).strip().lower() if cell.value is not None else ""
        if not title:
            continue
        if title in columns.values():
            problems.add(name, 1, title, _("the column appears twice"))
        columns[index] = title
    for column in REQUIRED_COLUMNS[name]:
        if column not in columns.values():
            problems.add(name, 1, column, _("the column is missing"))
    result = []
    for number, cells in enumerate(rows, start=2):
        values: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            if index not in columns or cell.value is None:
                continue
            column = columns[index]
            if getattr(cell, "data_type", None) == "f":
                problems.add(
                    name, number, column, _("formulas are not allowed: type the text itself")
                )
                continue
            values[column] = cell.value
        if any(_text(value) for value in values.values()):
            result.append(_Row(number=number, cells=values))
    return result


def _text(value: Any) -> str:
    """The text of a cell: numbers as written, dates as YYYY-MM-DD, line ends as \\n."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0, 0):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _list(value: Any) -> list[str]:
    return [item for item in re.split(r"[\s,;]+", _text(value)) if item]


class _RowReader:
    """Reads the cells of one row, recording a problem for each bad one."""

    def __init__(self, sheet: str, row: _Row, problems: _Problems) -> None:
        self.sheet, self.row, self.problems = sheet, row, problems
        self.failed = False

    def get(self, column: str, clean: Callable[[Any], Any], default: Any = None) -> Any:
        value = self.row.cells.get(column)
        if _text(value) == "":
            if column in REQUIRED_COLUMNS[self.sheet]:
                self.fail(column, _("this field is required"))
            return default
        try:
            return clean(value)
        except check.FieldError as exc:
            self.fail(column, exc.message)
            return default

    def items(self, column: str, clean: Callable[[str], str], *, lines: bool = False) -> list[str]:
        """A list cell (comma-separated, or one per line): each value checked."""
        value = self.row.cells.get(column)
        texts = _text(value).split("\n") if lines else _list(value)
        result, failed = [], False
        for item in texts:
            if not item.strip():
                continue
            try:
                result.append(clean(item))
            except check.FieldError as exc:
                self.fail(column, exc.message)
                failed = True
        if not result and not failed and column in REQUIRED_COLUMNS[self.sheet]:
            self.fail(column, _("this field is required"))
        return result

    def fail(self, column: str, message: str) -> None:
        self.problems.add(self.sheet, self.row.number, column, message)
        self.failed = True


def _articles(
    article_rows: list[_Row], translation_rows: list[_Row], problems: _Problems
) -> list[ArticleData]:
    known_topics = check.known_topic_codes()
    articles: dict[str, tuple[int, ArticleData]] = {}
    for row in article_rows:
        reader = _RowReader(ARTICLES, row, problems)
        slug = reader.get("slug", lambda value: check.slug(_text(value)))
        topics = reader.items("topics", lambda code: check.topic(code, known_topics))
        citizenship = reader.items("citizenship", check.citizenship_group)
        audience = reader.items("audience", check.audience_group)
        if slug is None:
            continue
        if slug in articles:
            reader.fail(
                "slug",
                _("the article appears twice (first on row %(row)d)") % {"row": articles[slug][0]},
            )
            continue
        articles[slug] = (
            row.number,
            ArticleData(
                slug=slug,
                topics=check.topics_clean(topics),
                citizenship=check.citizenship_clean(citizenship),
                audience=check.audience_clean(audience) or list(check.DEFAULT_AUDIENCE),
            ),
        )
    versions: dict[str, dict[datetime.date, _VersionRows]] = {}
    mentioned = {_text(row.cells.get("slug")) for row in translation_rows}
    for row in translation_rows:
        _translation(row, articles, versions, problems)
    result = []
    for slug, (number, article) in sorted(articles.items()):
        if slug not in mentioned:
            problems.add(
                ARTICLES,
                number,
                "slug",
                _("the article has no rows in the sheet %(sheet)s") % {"sheet": TRANSLATIONS},
            )
            continue
        for _start, version_rows in sorted(versions.get(slug, {}).items()):
            version = _version(slug, version_rows, problems)
            if version is not None:
                article.versions.append(version)
        result.append(article)
    return result


def _translation(
    row: _Row,
    articles: dict[str, tuple[int, ArticleData]],
    versions: dict[str, dict[datetime.date, _VersionRows]],
    problems: _Problems,
) -> None:
    reader = _RowReader(TRANSLATIONS, row, problems)
    slug = reader.get("slug", lambda value: check.slug(_text(value)))
    valid_from = reader.get("valid_from", check.day)
    language = reader.get("language", lambda value: check.language(_text(value)))
    status = reader.get(
        "status",
        lambda value: check.choice(_text(value), TranslationStatus),
        TranslationStatus.PUBLISHED.value,
    )
    question = reader.get("question", lambda value: check.text(_text(value), required=True))
    phrasings = reader.items("phrasings", check.phrasing, lines=True)
    answer = reader.get("answer", lambda value: check.text(_text(value), required=True))
    fields = {
        "valid_until": reader.get("valid_until", check.day),
        "review_status": reader.get(
            "review_status",
            lambda value: check.choice(_text(value), ReviewStatus),
            ReviewStatus.PUBLISHED.value,
        ),
        "reviewer": reader.get("reviewer", lambda value: check.reviewer(_text(value)), ""),
        "reviewed_on": reader.get("reviewed_on", check.day),
        "next_review_on": reader.get("next_review_on", check.day),
        "references": _references(reader),
    }
    if slug is not None and slug not in articles:
        reader.fail(
            "slug",
            _("no row for this article in the sheet %(sheet)s") % {"sheet": ARTICLES},
        )
    if reader.failed or slug is None or valid_from is None or language is None:
        return
    version = versions.setdefault(slug, {}).setdefault(valid_from, _VersionRows(valid_from))
    if language in version.rows:
        reader.fail(
            "language",
            _("this version already has this language (row %(row)d)")
            % {"row": version.rows[language][0]},
        )
        return
    present = {column: value for column, value in fields.items() if _text(row.cells.get(column))}
    version.rows[language] = (
        row.number,
        {**fields, "present": present},
        TranslationData(
            language=language,
            question=question,
            answer=answer,
            phrasings=phrasings,
            status=status,
        ),
    )


def _references(reader: _RowReader) -> list[dict[str, str]]:
    references = []
    for line in _text(reader.row.cells.get("references")).split("\n"):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > len(check.REFERENCE_KEYS):
            reader.fail(
                "references",
                _("write each reference on its own line as: law | article | url"),
            )
            continue
        parts += [""] * (len(check.REFERENCE_KEYS) - len(parts))
        try:
            references.append(check.reference(*parts))
        except check.FieldError as exc:
            reader.fail("references", exc.message)
    return references


def _version(slug: str, rows: _VersionRows, problems: _Problems) -> VersionData | None:
    """A version from its rows; the Russian row carries the version's fields."""
    if SOURCE_LANGUAGE not in rows.rows:
        first = min(number for number, _fields, _t in rows.rows.values())
        problems.add(
            TRANSLATIONS,
            first,
            "language",
            _("the version %(slug)s of %(date)s has no Russian row: every version needs one")
            % {"slug": slug, "date": rows.valid_from.isoformat()},
        )
        return None
    source_row, source, _translation_data = rows.rows[SOURCE_LANGUAGE]
    failed = False
    if source["valid_until"] is not None:
        try:
            check.period(rows.valid_from, source["valid_until"])
        except check.FieldError as exc:
            problems.add(TRANSLATIONS, source_row, "valid_until", exc.message)
            failed = True
    for language, (number, fields, _t) in rows.rows.items():
        if language == SOURCE_LANGUAGE:
            continue
        for column, value in fields["present"].items():
            if value != source[column]:
                problems.add(
                    TRANSLATIONS,
                    number,
                    column,
                    _("differs from the Russian row of the version (row %(row)d)")
                    % {"row": source_row},
                )
                failed = True
    if failed:
        return None
    return VersionData(
        valid_from=rows.valid_from,
        translations={
            language: rows.rows[language][2]
            for language in KNOWLEDGE_LANGUAGES
            if language in rows.rows
        },
        valid_until=source["valid_until"],
        review_status=source["review_status"],
        reviewer=source["reviewer"],
        reviewed_on=source["reviewed_on"],
        next_review_on=source["next_review_on"],
        references=source["references"],
    )
