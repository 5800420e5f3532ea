"""The directory's import and export screen, for those who keep the directory.

Download: the whole directory as an HSDS JSON document or as the HSDS CSV datapackage
(a zip). Upload: a JSON document or a zip is checked in full first (nothing written) and
the report says what an import would do; the file waits on the server, for this user's
session only, until they press Import (or for a day).
"""

from __future__ import annotations

import functools
import io
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpline.accounts import access

from .hsds.document import document_bytes
from .hsds.errors import DirectoryImportError, ImportProblem
from .hsds.exporting import directory_tables
from .hsds.importing import ImportSummary, Kind, directory_import
from .hsds.reading import MAX_BYTES, MAX_MEGABYTES
from .hsds.tabular import write_zip

SESSION_KEY = "directory_import"
KEEP_SECONDS = 24 * 3600
MAX_PROBLEMS_SHOWN = 500
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def current_user(request: HttpRequest) -> Any:
    return request.user


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else to the login page) and allowed to edit the directory (else 403)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_edit_directory(current_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HSDS file"),
        help_text=gettext_lazy(
            "A .json document, or a .zip of the CSV datapackage, as exported here or by "
            "another HSDS 3.0 system."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.zip"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".json", ".zip")):
            raise forms.ValidationError(_("Choose a .json or a .zip file."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_MEGABYTES}
            )
        return upload

    @property
    def kind(self) -> Kind:
        return "json" if self.cleaned_data["file"].name.lower().endswith(".json") else "csv"


# --- The file waiting for Import ------------------------------------------------------------


def _folder() -> Path:
    folder = Path(settings.DATA_DIR) / "directory-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stash(request: HttpRequest, upload: Any, kind: Kind) -> str:
    folder = _folder()
    for old in folder.iterdir():
        if old.is_file() and time.time() - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    _forget(request)
    token = secrets.token_hex(16)
    upload.seek(0)
    with (folder / token).open("wb") as sink:
        for chunk in upload.chunks():
            sink.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "kind": kind, "name": upload.name}
    return token


def _forget(request: HttpRequest) -> None:
    stashed = request.session.pop(SESSION_KEY, None)
    if stashed and _TOKEN.match(str(stashed.get("token", ""))):
        (_folder() / stashed["token"]).unlink(missing_ok=True)


# --- Views --------------------------------------------------------------------------------


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    problems: list[ImportProblem] = context.get("problems", [])
    context.update(
        form=context.get("form") or UploadForm(),
        shown=problems[:MAX_PROBLEMS_SHOWN],
        more=max(0, len(problems) - MAX_PROBLEMS_SHOWN),
    )
    status = 400 if problems or context["form"].errors else 200
    return render(request, "directory/transfer.html", context, status=status)


@editor_required
def transfer(request: HttpRequest) -> HttpResponse:
    """GET: the downloads and the upload form. POST: check an upload and report."""
    if request.method != "POST":
        return _page(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form)
    upload = form.cleaned_data["file"]
    try:
        summary = directory_import(
            actor=current_user(request),
            source=upload,
            kind=form.kind,
            name=upload.name,
            dry_run=True,
        )
    except DirectoryImportError as exc:
        _forget(request)
        return _page(request, problems=exc.problems, file_name=upload.name)
    token = _stash(request, upload, form.kind)
    return _page(request, summary=summary, token=token, file_name=upload.name)


@editor_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the file checked a moment ago (the one this session's report was about)."""
    stashed = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    path = _folder() / token if _TOKEN.match(token) else None
    if token != stashed.get("token") or path is None or not path.is_file():
        messages.error(
            request, _("That file is no longer waiting to be imported: upload it again.")
        )
        return redirect("directory:transfer")
    try:
        with path.open("rb") as stream:
            summary: ImportSummary = directory_import(
                actor=current_user(request),
                source=stream,
                kind=stashed["kind"],
                name=stashed["name"],
            )
    except DirectoryImportError as exc:  # the directory changed since the check
        _forget(request)
        return _page(request, problems=exc.problems, file_name=stashed["name"])
    _forget(request)
    messages.success(
        request,
        _("Imported %(name)s: %(summary)s.") % {"name": stashed["name"], "summary": summary},
    )
    return redirect("directory:transfer")


@editor_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """The whole directory: kind "json" (HSDS JSON) or "csv" (the CSV datapackage, zipped)."""
    if kind not in ("json", "csv"):
        raise Http404
    tables = directory_tables(actor=current_user(request), language=get_language())
    stamp = timezone.localdate().isoformat()
    if kind == "json":
        response = HttpResponse(document_bytes(tables), content_type="application/json")
        name = f"directory-{stamp}.hsds.json"
    else:
        stream = io.BytesIO()
        write_zip(tables, stream, top=f"directory-{stamp}")
        response = HttpResponse(stream.getvalue(), content_type="application/zip")
        name = f"directory-{stamp}.hsds-csv.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
