"""Knowledge base import and export screens.

Reads go through the selectors (which check access), writes through the services; the
views only pick the request apart and choose the template.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext

from .files.archive import zip_folder
from .files.dataset import articles_as_data
from .files.errors import KnowledgeExportError, KnowledgeImportError
from .files.importing import knowledge_import
from .files.markdown import write_folder
from .files.spreadsheet import write_xlsx
from .forms import (
    TransferUploadForm,
)
from .web import (
    current_user,
    editor_required,
)

# --- Import and export --------------------------------------------------------------------


@editor_required
def transfer(request: HttpRequest) -> HttpResponse:
    problems: list[Any] = []
    status = 200
    if request.method == "POST":
        form = TransferUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = knowledge_import(
                    actor=current_user(request),
                    source=upload,
                    kind="xlsx" if form.kind == "xlsx" else "markdown",
                )
            except KnowledgeImportError as exc:
                problems = list(exc.problems)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Imported %(articles)s article: %(versions)s versions, "
                        "%(translations)s translations.",
                        "Imported %(articles)s articles: %(versions)s versions, "
                        "%(translations)s translations.",
                        summary.articles,
                    )
                    % {
                        "articles": summary.articles,
                        "versions": summary.versions,
                        "translations": summary.translations,
                    },
                )
                return redirect("knowledge:transfer")
        status = 400
    else:
        form = TransferUploadForm()
    return render(
        request,
        "knowledge/transfer.html",
        {"form": form, "problems": problems},
        status=status,
    )


@editor_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    try:
        if kind == "xlsx":
            stream = io.BytesIO()
            write_xlsx(articles_as_data(), stream)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            name = f"knowledge-{stamp}.xlsx"
        elif kind == "markdown":
            stream = io.BytesIO()
            with tempfile.TemporaryDirectory(prefix="knowledge-export-") as folder:
                root = Path(folder) / "knowledge"
                root.mkdir()
                write_folder(articles_as_data(), root)
                zip_folder(root, stream)
            content_type = "application/zip"
            name = f"knowledge-{stamp}.zip"
        else:
            raise Http404
    except KnowledgeExportError as exc:
        messages.error(request, str(exc))
        return redirect("knowledge:transfer")
    response = HttpResponse(stream.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
