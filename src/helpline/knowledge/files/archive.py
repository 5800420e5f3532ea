"""Zip archives of the Markdown folder: unpack an upload safely, pack an export."""

from __future__ import annotations

import io
import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_FILES = 5000
MAX_BYTES = 50 * 1024 * 1024  # unpacked, all files together


def zip_folder(root: Path, stream: io.BytesIO) -> None:
    """Pack `root` (and its name as the top folder) into `stream`."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, Path(root.name) / path.relative_to(root))


class ArchiveError(Exception):
    """A zip that is not safe or not sensible to unpack; the message says why."""


def _member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise ArchiveError(_("The archive holds an absolute path: %(name)s") % {"name": name})
    if ".." in path.parts:
        raise ArchiveError(_("The archive holds a path with “..”: %(name)s") % {"name": name})
    return path


def archive_extract(upload: IO[bytes] | Any, target: Path) -> Path:
    """Unpack an uploaded zip into `target`, refusing anything unsafe; the folder to import.

    Refused: absolute paths, "..", symbolic links, more than MAX_FILES entries or
    MAX_BYTES unpacked (counted while writing, not trusted from the header). When
    the zip holds a single top folder of article folders, that folder is returned.
    """
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(_("This is not a valid zip file.")) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_FILES:
            raise ArchiveError(_("The archive holds more than %(n)s files.") % {"n": MAX_FILES})
        if sum(member.file_size for member in members) > MAX_BYTES:
            raise ArchiveError(_("The archive unpacks to more than 50 MB."))
        root = target.resolve()
        written = 0
        for member in members:
            path = _member_path(member.filename)
            if stat.S_ISLNK(member.external_attr >> 16):
                raise ArchiveError(
                    _("The archive holds a symbolic link: %(name)s") % {"name": member.filename}
                )
            destination = (root / path).resolve()
            if destination != root and root not in destination.parents:
                raise ArchiveError(
                    _("The archive holds a path outside its folder: %(name)s")
                    % {"name": member.filename}
                )
            if member.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, destination.open("wb") as sink:
                while chunk := source.read(1024 * 1024):
                    written += len(chunk)
                    if written > MAX_BYTES:
                        raise ArchiveError(_("The archive unpacks to more than 50 MB."))
                    sink.write(chunk)
    return _import_root(root)


def _import_root(root: Path) -> Path:
    """The folder holding the article folders: `root`, or its only top folder if it is one."""
    for junk in ("__MACOSX",):
        if (root / junk).is_dir():
            shutil.rmtree(root / junk)
    entries = [entry for entry in root.iterdir() if not entry.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        inner = entries[0]
        if not any(child.is_file() and child.suffix == ".md" for child in inner.iterdir()):
            return inner
    return root
