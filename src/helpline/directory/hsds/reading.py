"""Reading an uploaded file safely: its size, its encoding, its JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from .errors import DirectoryImportError, ImportProblem

MAX_BYTES = 50 * 1024 * 1024  # a JSON file, or all the files of a package together
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)


def too_big(name: str) -> DirectoryImportError:
    return DirectoryImportError(
        [
            ImportProblem(
                name,
                None,
                "",
                _("The file is larger than %(size)s MB: split the directory or ask an "
                  "administrator to import it.") % {"size": MAX_MEGABYTES},
            )
        ]
    )  # fmt: skip


def read_bytes(source: Path | IO[bytes], name: str, limit: int = MAX_BYTES) -> bytes:
    """At most `limit` bytes of a file or stream; DirectoryImportError if there are more."""
    if isinstance(source, Path):
        with source.open("rb") as stream:
            return read_bytes(stream, name, limit)
    content = source.read(limit + 1)
    if len(content) > limit:
        raise too_big(name)
    return content


def decode(content: bytes, name: str) -> str:
    """UTF-8 text, with or without a byte order mark; anything else is refused, saying where
    the first wrong byte is and, when it can tell, what the file probably is."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        message = _("The file is not in UTF-8 (the first wrong character is on line %(line)s).")
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = _("It is in UTF-16: save it again as UTF-8.")
        else:
            try:
                content.decode("cp1251")
            except UnicodeDecodeError:
                hint = _("Save it again as UTF-8.")
            else:
                hint = _("It looks like Windows-1251 (Cyrillic): save it again as UTF-8.")
        problem = ImportProblem(name, None, "", f"{message % {'line': line}} {hint}")
        raise DirectoryImportError([problem]) from exc


def _no_constant(value: str) -> Any:
    raise ValueError(value)


def parse_json(content: bytes, name: str) -> Any:
    text = decode(content, name)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        message = _("This is not valid JSON (line %(line)s, column %(column)s).") % {
            "line": exc.lineno,
            "column": exc.colno,
        }
    except ValueError as exc:
        message = _("This is not valid JSON: %(value)s is not a number.") % {"value": exc}
    except RecursionError:
        message = _("The JSON is nested too deeply.")
    raise DirectoryImportError([ImportProblem(name, None, "", message)])
