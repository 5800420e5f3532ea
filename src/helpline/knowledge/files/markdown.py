"""The knowledge base as Markdown files with YAML front matter (docs/knowledge-files.md).

`read_folder` checks every file and raises KnowledgeImportError listing every problem,
each with its file and line; `write_folder` writes the same layout, deterministically, so
that a folder written, read and written again is byte for byte the same.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..content import ArticleData, TranslationData, VersionData
from ..models import (
    KNOWLEDGE_LANGUAGES,
    SOURCE_LANGUAGE,
    ReviewStatus,
    TranslationStatus,
)
from . import validation as check
from .errors import ImportProblem, KnowledgeImportError

MAX_FILE_BYTES = 1024 * 1024
FILE_NAME_RE = re.compile(r"^(?P<date>[^.]+)\.(?P<language>[A-Za-z_-]+)\.md$")
WRITTEN_NAME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\.[a-z]{2}\.md$")
DELIMITER = "---"

TRANSLATION_KEYS = ("question", "phrasings", "status")
SOURCE_KEYS = (
    "topics",
    "citizenship",
    "audience",
    "valid_until",
    "review_status",
    "reviewed_by",
    "reviewed_on",
    "next_review_on",
    "references",
)
ALL_KEYS = TRANSLATION_KEYS + SOURCE_KEYS

_YAML = "tag:yaml.org,2002:"
_NULL = _YAML + "null"
_PLAIN_TAGS = {_YAML + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_YAML + "seq", _YAML + "map"}


class _Problems:
    """Collects the problems of one read, each located in a file."""

    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, source: str, line: int | None, field: str, message: str) -> None:
        self.items.append(ImportProblem(source=source, line=line, field=field, message=message))


@dataclass
class _Entry:
    """One key of the front matter: its line in the file and its YAML node."""

    line: int
    node: Node


@dataclass
class _File:
    """What one file says; `translation` stays None when the file has a problem."""

    source: str
    language: str
    valid_from: datetime.date
    translation: TranslationData | None = None
    values: dict[str, Any] = field(default_factory=dict)


# --- Reading ------------------------------------------------------------------------------


def read_folder(path: Path, *, is_demo: bool = False) -> list[ArticleData]:
    """Every article of the folder `path`, checked; KnowledgeImportError lists all problems."""
    problems = _Problems()
    path = Path(path)
    if not path.is_dir():
        problems.add(str(path), None, "", _("not a folder of articles"))
        raise KnowledgeImportError(problems.items)
    known_topics = check.known_topic_codes()
    articles = []
    folders = sorted(entry for entry in path.iterdir() if not _ignored(entry))
    if not folders:
        problems.add(str(path), None, "", _("the folder holds no article folders"))
    for folder in folders:
        if not folder.is_dir():
            problems.add(
                folder.name,
                None,
                "",
                _("not a folder: each article is a folder named by its identifier"),
            )
            continue
        article = _read_article(folder, known_topics, problems)
        if article is not None:
            article.is_demo = is_demo
            articles.append(article)
    if problems.items:
        raise KnowledgeImportError(problems.items)
    return articles


def _ignored(entry: Path) -> bool:
    """Hidden files (.git, .DS_Store) and a README beside the articles are not articles."""
    return entry.name.startswith(".") or (
        entry.is_file() and entry.name.lower().startswith("readme")
    )


def _read_article(folder: Path, known_topics: set[str], problems: _Problems) -> ArticleData | None:
    slug = folder.name
    count = len(problems.items)
    try:
        check.slug(slug)
    except check.FieldError as exc:
        problems.add(f"{slug}/", None, "", exc.message)
    files: list[_File] = []
    entries = sorted(entry for entry in folder.iterdir() if not entry.name.startswith("."))
    if not entries:
        problems.add(f"{slug}/", None, "", _("the folder holds no files"))
    for entry in entries:
        source = f"{slug}/{entry.name}"
        if not entry.is_file():
            problems.add(source, None, "", _("not a file: an article folder holds only files"))
            continue
        parsed = _read_name(entry.name, source, problems)
        if parsed is None:
            continue
        valid_from, language = parsed
        files.append(_read_file(entry, source, valid_from, language, known_topics, problems))
    by_date: dict[datetime.date, dict[str, _File]] = {}
    for item in files:
        by_date.setdefault(item.valid_from, {})[item.language] = item
    for valid_from, languages in sorted(by_date.items()):
        if SOURCE_LANGUAGE not in languages:
            problems.add(
                f"{slug}/{valid_from.isoformat()}.{SOURCE_LANGUAGE}.md",
                None,
                "",
                _("the file is missing: every version needs its Russian file"),
            )
    if len(problems.items) > count or not by_date:
        return None
    versions = []
    for valid_from, languages in sorted(by_date.items()):
        fields = languages[SOURCE_LANGUAGE].values
        translations = {
            lang: languages[lang].translation for lang in KNOWLEDGE_LANGUAGES if lang in languages
        }
        versions.append(
            VersionData(
                valid_from=valid_from,
                translations={
                    lang: translation
                    for lang, translation in translations.items()
                    if translation is not None
                },
                valid_until=fields.get("valid_until"),
                review_status=fields.get("review_status", ReviewStatus.PUBLISHED.value),
                reviewer=fields.get("reviewed_by", ""),
                reviewed_on=fields.get("reviewed_on"),
                next_review_on=fields.get("next_review_on"),
                references=fields.get("references", []),
            )
        )
    latest = by_date[max(by_date)][SOURCE_LANGUAGE].values
    return ArticleData(
        slug=slug,
        topics=latest["topics"],
        citizenship=latest["citizenship"],
        audience=latest.get("audience", list(check.DEFAULT_AUDIENCE)),
        versions=versions,
    )


def _read_name(name: str, source: str, problems: _Problems) -> tuple[datetime.date, str] | None:
    match = FILE_NAME_RE.match(name)
    if not match:
        problems.add(
            source,
            None,
            "",
            _("bad file name: name each file <YYYY-MM-DD>.<language>.md, e.g. 2025-01-01.ru.md"),
        )
        return None
    valid_from = language = None
    try:
        valid_from = check.day(match["date"])
    except check.FieldError:
        problems.add(
            source,
            None,
            "",
            _("bad file name: '%(value)s' is not a date YYYY-MM-DD") % {"value": match["date"]},
        )
    try:
        language = check.language(match["language"])
    except check.FieldError as exc:
        problems.add(source, None, "", _("bad file name: %(problem)s") % {"problem": exc.message})
    if valid_from is None or language is None:
        return None
    return valid_from, language


def _read_file(
    path: Path,
    source: str,
    valid_from: datetime.date,
    language: str,
    known_topics: set[str],
    problems: _Problems,
) -> _File:
    result = _File(source=source, language=language, valid_from=valid_from)
    count = len(problems.items)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.add(
            source,
            None,
            "",
            _("the file is %(size)d bytes; a file may have at most %(max)d bytes")
            % {"size": size, "max": MAX_FILE_BYTES},
        )
        return result
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(
            source,
            raw[: exc.start].count(b"\n") + 1,
            "",
            _("the file is not UTF-8 text: save it in the UTF-8 encoding"),
        )
        return result
    content = content.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = content.split("\n")
    if lines[0].rstrip() != DELIMITER:
        problems.add(
            source,
            1,
            "",
            _("the file must begin with a line '---' that opens the front matter"),
        )
        return result
    end = next(
        (number for number in range(1, len(lines)) if lines[number].rstrip() == DELIMITER), None
    )
    if end is None:
        problems.add(source, 1, "", _("the front matter is not closed: end it with a line '---'"))
        return result
    entries = _front_matter("\n".join(lines[1:end]), source, problems)
    if entries is None:
        return result
    values = _values(entries, source, language, valid_from, known_topics, problems)
    try:
        answer = check.text("\n".join(lines[end + 1 :]), required=True)
    except check.FieldError as exc:
        bad = [n for n in range(end + 1, len(lines)) if check.CONTROL_RE.search(lines[n])]
        problems.add(source, (bad[0] if bad else end) + 1, "answer", exc.message)
        answer = ""
    required = (
        ("question", "topics", "citizenship") if language == SOURCE_LANGUAGE else ("question",)
    )
    for key in required:
        if key not in entries:
            problems.add(source, 1, key, _("the field is missing"))
    if len(problems.items) == count:
        result.values = values
        result.translation = TranslationData(
            language=language,
            question=values["question"],
            answer=answer,
            phrasings=values.get("phrasings", []),
            status=values.get("status", TranslationStatus.PUBLISHED.value),
        )
    return result


def _front_matter(text: str, source: str, problems: _Problems) -> dict[str, _Entry] | None:
    """The keys of the front matter with their lines (file lines: the YAML starts on line 2)."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = _("invalid YAML: %(problem)s") % {"problem": exc.problem or exc.context}
        if exc.context and exc.context_mark and exc.problem_mark:
            message = _("%(message)s (%(context)s that begins on line %(line)d)") % {
                "message": message,
                "context": exc.context,
                "line": exc.context_mark.line + 2,
            }
        problems.add(source, mark.line + 2 if mark else None, "", message)
        return None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        position = getattr(exc, "position", None)
        problems.add(
            source,
            text[:position].count("\n") + 2 if position is not None else None,
            "",
            _("invalid YAML: %(problem)s") % {"problem": exc},
        )
        return None
    finally:
        loader.dispose()
    if root is None:
        return {}
    if not isinstance(root, MappingNode):
        problems.add(
            source,
            _line(root),
            "",
            _("the front matter must be fields written 'name: value', one per line"),
        )
        return None
    bad_tag = _unsupported_tag(root)
    if bad_tag is not None:
        problems.add(
            source,
            _line(bad_tag),
            "",
            _("invalid YAML: the tag %(tag)s is not allowed") % {"tag": bad_tag.tag},
        )
        return None
    entries: dict[str, _Entry] = {}
    for key_node, value_node in root.value:
        line = _line(key_node)
        if not isinstance(key_node, ScalarNode):
            problems.add(source, line, "", _("a field name must be a word such as 'question'"))
            continue
        key = key_node.value
        if key in entries:
            problems.add(
                source,
                line,
                key,
                _("the field appears twice (first on line %(line)d)") % {"line": entries[key].line},
            )
            continue
        entries[key] = _Entry(line=line, node=value_node)
    return entries


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 2


def _unsupported_tag(node: Node) -> Node | None:
    """A node with a tag outside plain YAML (e.g. !!python/object), if any."""
    if isinstance(node, ScalarNode):
        return None if node.tag in _PLAIN_TAGS else node
    if node.tag not in _COLLECTION_TAGS:
        return node
    children: list[Node] = (
        [child for pair in node.value for child in pair]
        if isinstance(node, MappingNode)
        else list(node.value)
    )
    for child in children:
        found = _unsupported_tag(child)
        if found is not None:
            return found
    return None


def _values(
    entries: dict[str, _Entry],
    source: str,
    language: str,
    valid_from: datetime.date,
    known_topics: set[str],
    problems: _Problems,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, entry in entries.items():
        if key not in ALL_KEYS:
            problems.add(
                source,
                entry.line,
                key,
                _("unknown field: the fields are %(fields)s") % {"fields": ", ".join(ALL_KEYS)},
            )
            continue
        if key in SOURCE_KEYS and language != SOURCE_LANGUAGE:
            problems.add(
                source,
                entry.line,
                key,
                _("only the Russian file of a version may carry this field"),
            )
            continue
        try:
            value = _value(key, entry, known_topics, source, problems)
        except check.FieldError as exc:
            problems.add(source, entry.line, key, exc.message)
            continue
        if value is not None:
            values[key] = value
    if "valid_until" in values:
        try:
            check.period(valid_from, values["valid_until"])
        except check.FieldError as exc:
            problems.add(source, entries["valid_until"].line, "valid_until", exc.message)
    return values


def _value(
    key: str, entry: _Entry, known_topics: set[str], source: str, problems: _Problems
) -> Any:
    """The clean value of one field, None when it is left empty (then the default applies)."""
    node = entry.node
    if key == "question":
        return check.text(_scalar(node) or "", required=True)
    if key in ("status", "review_status"):
        value = _scalar(node)
        choices = TranslationStatus if key == "status" else ReviewStatus
        return None if value is None else check.choice(value, choices)
    if key in ("valid_until", "reviewed_on", "next_review_on"):
        value = _scalar(node)
        return None if value is None else check.day(value)
    if key == "reviewed_by":
        return check.reviewer(_scalar(node) or "")
    if key == "references":
        return _references(node, source, problems)
    items = _items(node)
    cleaners = {
        "phrasings": check.phrasing,
        "topics": lambda code: check.topic(code, known_topics),
        "citizenship": check.citizenship_group,
        "audience": check.audience_group,
    }
    cleaned, failed = [], False
    for text, line in items:
        try:
            cleaned.append(cleaners[key](text))
        except check.FieldError as exc:
            problems.add(source, line, key, exc.message)
            failed = True
    if failed:
        return None
    if key == "phrasings":
        return cleaned
    if not cleaned:
        raise check.FieldError(_("give at least one value"))
    if key == "topics":
        return check.topics_clean(cleaned)
    if key == "citizenship":
        return check.citizenship_clean(cleaned)
    return check.audience_clean(cleaned)


def _scalar(node: Node) -> str | None:
    """The text of a single value, exactly as written (YAML never turns `no` into False here)."""
    if not isinstance(node, ScalarNode):
        raise check.FieldError(_("write a single value here, not a list"))
    if node.tag == _NULL and node.style is None:
        return None
    return str(node.value)


def _items(node: Node) -> list[tuple[str, int]]:
    """The texts of a list (a single value counts as a list of one), with their lines."""
    if isinstance(node, ScalarNode):
        value = _scalar(node)
        return [] if value is None else [(value, _line(node))]
    if not isinstance(node, SequenceNode):
        raise check.FieldError(_("write a list of values"))
    items = []
    for item in node.value:
        if not isinstance(item, ScalarNode):
            raise check.FieldError(_("each item of the list must be a single value"))
        items.append((str(item.value), _line(item)))  # "- null" is the word null
    return items


def _references(node: Node, source: str, problems: _Problems) -> list[dict[str, str]] | None:
    if isinstance(node, ScalarNode) and _scalar(node) is None:
        return []
    if not isinstance(node, SequenceNode):
        raise check.FieldError(_("write a list of references, each with law, article and url"))
    references, failed = [], False
    for item in node.value:
        line = _line(item)
        if not isinstance(item, MappingNode):
            problems.add(source, line, "references", _("each reference needs law, article and url"))
            failed = True
            continue
        parts: dict[str, str] = {}
        for key_node, value_node in item.value:
            key = str(key_node.value)
            if key not in check.REFERENCE_KEYS:
                problems.add(
                    source,
                    _line(key_node),
                    "references",
                    _("unknown field '%(key)s': a reference has law, article and url")
                    % {"key": key},
                )
                failed = True
                continue
            try:
                parts[key] = _scalar(value_node) or ""
            except check.FieldError as exc:
                problems.add(source, _line(key_node), "references", exc.message)
                failed = True
        try:
            references.append(
                check.reference(
                    parts.get("law", ""), parts.get("article", ""), parts.get("url", "")
                )
            )
        except check.FieldError as exc:
            problems.add(source, line, "references", exc.message)
            failed = True
    return None if failed else references


# --- Writing ------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as in docs/knowledge-files.md."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(key: str, value: Any, *, flow: bool = False) -> str:
    return yaml.dump(
        {key: value},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None if flow else False,
        width=1_000_000_000,
    )


def render_file(article: ArticleData, version: VersionData, translation: TranslationData) -> str:
    """The text of one file: front matter in the documented order, then the answer."""
    parts = [_dump("question", translation.question)]
    if translation.phrasings:
        parts.append(_dump("phrasings", list(translation.phrasings)))
    if translation.status != TranslationStatus.PUBLISHED:
        parts.append(_dump("status", translation.status))
    if translation.language == SOURCE_LANGUAGE:
        parts.append(_dump("topics", check.topics_clean(article.topics), flow=True))
        parts.append(_dump("citizenship", check.citizenship_text(article.citizenship), flow=True))
        audience = check.audience_clean(article.audience) or list(check.DEFAULT_AUDIENCE)
        parts.append(_dump("audience", audience, flow=True))
        if version.valid_until:
            parts.append(_dump("valid_until", version.valid_until))
        parts.append(_dump("review_status", version.review_status))
        if version.reviewer:
            parts.append(_dump("reviewed_by", version.reviewer))
        if version.reviewed_on:
            parts.append(_dump("reviewed_on", version.reviewed_on))
        if version.next_review_on:
            parts.append(_dump("next_review_on", version.next_review_on))
        if version.references:
            references = [
                {key: ref[key] for key in check.REFERENCE_KEYS if ref.get(key)}
                for ref in version.references
            ]
            parts.append(_dump("references", references))
    answer = translation.answer.strip()
    return f"{DELIMITER}\n{''.join(parts)}{DELIMITER}\n" + (f"{answer}\n" if answer else "")


def write_folder(articles: list[ArticleData], path: Path) -> None:
    """Write `articles` as the folder layout of docs/knowledge-files.md into `path`.

    Files of the written articles' folders that the data no longer has (a removed
    translation) are deleted, so that the folder shows the knowledge base as it is; other
    files are left alone. A version without its Russian text cannot be written, and is not.
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    for article in sorted(articles, key=lambda item: item.slug):
        versions = [v for v in article.versions if SOURCE_LANGUAGE in v.translations]
        if not versions:
            continue
        folder = path / article.slug
        folder.mkdir(exist_ok=True)
        written = set()
        for version in sorted(versions, key=lambda item: item.valid_from):
            for language in KNOWLEDGE_LANGUAGES:
                translation = version.translations.get(language)
                if translation is None:
                    continue
                name = f"{version.valid_from.isoformat()}.{language}.md"
                (folder / name).write_bytes(
                    render_file(article, version, translation).encode("utf-8")
                )
                written.add(name)
        for stale in folder.iterdir():
            if stale.is_file() and WRITTEN_NAME_RE.match(stale.name) and stale.name not in written:
                stale.unlink()
