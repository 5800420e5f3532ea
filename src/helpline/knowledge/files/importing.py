"""Import of a Markdown folder or an XLSX workbook: check everything, then save at once."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helpline.accounts import access
from helpline.accounts.models import User

from .. import services
from ..content import ArticleData
from .archive import ArchiveError, archive_extract
from .errors import ImportProblem, KnowledgeImportError
from .markdown import read_folder
from .spreadsheet import read_xlsx

Kind = Literal["markdown", "xlsx"]


@dataclass(frozen=True)
class ImportSummary:
    articles: int
    versions: int
    translations: int


def knowledge_import(
    *,
    actor: User | None,
    source: Path | IO[bytes],
    kind: Kind,
    is_demo: bool = False,
) -> ImportSummary:
    """Read and check `source`, then create or replace its articles by slug.

    `source` is a folder (or a ZIP of one, as a stream) for "markdown", a workbook (path or
    stream) for "xlsx". Raises KnowledgeImportError listing every problem; then nothing is
    written. `actor` None is the command line (no user); a user must be allowed to edit the
    knowledge base.
    """
    if actor is not None and not access.can_edit_knowledge(actor):
        raise PermissionDenied
    articles = _read(source, kind, is_demo)
    try:
        with transaction.atomic():
            services.articles_save(actor=actor, articles=articles)
    except ValidationError as exc:  # the database changed since the check (a topic removed)
        raise KnowledgeImportError(
            [
                ImportProblem(source="", line=None, field=field, message=message)
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc
    return ImportSummary(
        articles=len(articles),
        versions=sum(len(article.versions) for article in articles),
        translations=sum(
            len(version.translations) for article in articles for version in article.versions
        ),
    )


def _read(source: Path | IO[bytes], kind: Kind, is_demo: bool) -> list[ArticleData]:
    if kind == "xlsx":
        return read_xlsx(source, is_demo=is_demo)
    if kind != "markdown":
        raise ValueError(f"unknown kind of import: {kind}")
    if isinstance(source, str | Path):
        return read_folder(Path(source), is_demo=is_demo)
    return read_zip(source, is_demo=is_demo)


def read_zip(stream: IO[bytes], *, is_demo: bool = False) -> list[ArticleData]:
    """A ZIP of the Markdown folder (its articles at the top, or inside one folder)."""
    with tempfile.TemporaryDirectory(prefix="knowledge-") as folder:
        try:
            root = archive_extract(stream, Path(folder))
        except ArchiveError as exc:
            raise KnowledgeImportError([ImportProblem(_("the file"), None, "", str(exc))]) from exc
        return read_folder(root, is_demo=is_demo)
