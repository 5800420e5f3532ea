"""Import of a Markdown folder or an XLSX workbook: check everything, then save at once."""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helpline.accounts import access
from helpline.accounts.models import User

from .. import services
from ..content import ArticleData
from .errors import ImportProblem, KnowledgeImportError
from .markdown import MAX_FILE_BYTES, read_folder
from .spreadsheet import read_xlsx

Kind = Literal["markdown", "xlsx"]
MAX_ZIP_FILES = 20_000
MAX_ZIP_BYTES = 500 * 1024 * 1024  # unpacked, all files together


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
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_a_zip() from exc
    with archive, tempfile.TemporaryDirectory(prefix="knowledge-") as folder:
        root = Path(folder)
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_ZIP_FILES:
            raise _too_big()
        problems = []
        unpacked = 0
        for info in members:
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                problems.append(
                    ImportProblem(info.filename, None, "", _("a file name outside the folder"))
                )
            elif info.file_size > MAX_FILE_BYTES:
                problems.append(
                    ImportProblem(
                        info.filename,
                        None,
                        "",
                        _("the file is %(size)d bytes; a file may have at most %(max)d bytes")
                        % {"size": info.file_size, "max": MAX_FILE_BYTES},
                    )
                )
            else:
                target = root.joinpath(*name.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    with archive.open(info) as data:
                        content = data.read(MAX_FILE_BYTES + 1)
                except (
                    zipfile.BadZipFile,
                    zlib.error,
                    EOFError,
                    RuntimeError,
                    NotImplementedError,
                ) as exc:
                    raise _not_a_zip() from exc  # damaged, encrypted or oddly compressed
                unpacked += len(content)
                if unpacked > MAX_ZIP_BYTES:
                    raise _too_big()
                target.write_bytes(content)
        if problems:
            raise KnowledgeImportError(problems)
        entries = [entry for entry in root.iterdir() if not entry.name.startswith(("_", "."))]
        if (
            len(entries) == 1
            and entries[0].is_dir()
            and any(child.is_dir() for child in entries[0].iterdir())
        ):
            root = entries[0]
        return read_folder(root, is_demo=is_demo)


def _not_a_zip() -> KnowledgeImportError:
    return KnowledgeImportError(
        [
            ImportProblem(
                _("the file"),
                None,
                "",
                _("a Markdown import needs a folder, or a ZIP file of the folder"),
            )
        ]
    )


def _too_big() -> KnowledgeImportError:
    return KnowledgeImportError(
        [
            ImportProblem(
                _("the file"),
                None,
                "",
                _("the ZIP file is too big: at most %(files)d files and %(size)d MB unpacked")
                % {"files": MAX_ZIP_FILES, "size": MAX_ZIP_BYTES // (1024 * 1024)},
            )
        ]
    )
