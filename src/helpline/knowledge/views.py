"""Knowledge base screens: search, article, what changed, editing, history, transfer.

Reads go through the selectors (which check access), writes through the services; the
views only pick the request apart and choose the template.
"""

from __future__ import annotations

import datetime
import functools
import io
import shutil
import stat
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpline.accounts import access
from helpline.consultations.models import Topic

from . import selectors, services
from .diff import snapshot_diff, version_diff
from .files.dataset import articles_as_data
from .files.errors import ImportProblem, KnowledgeExportError, KnowledgeImportError
from .files.importing import knowledge_import
from .files.markdown import write_folder
from .files.spreadsheet import write_xlsx
from .forms import (
    LANGUAGE_ORDER,
    MAX_MARKDOWN,
    ArticleCreateForm,
    ArticleForm,
    ChangedSinceForm,
    KnowledgeSearchForm,
    TransferUploadForm,
    VersionCreateForm,
    VersionEditForm,
    language_label,
)
from .models import (
    KNOWLEDGE_LANGUAGES,
    SOURCE_LANGUAGE,
    Article,
    ArticleVersion,
    CitizenshipGroup,
    ReviewStatus,
    TranslationStatus,
)
from .rendering import markdown_html
from .validity import validity_periods, version_on

SEARCH_RESULTS = 20
ARCHIVE_MAX_FILES = 5000
ARCHIVE_MAX_BYTES = 50 * 1024 * 1024
CHANGED_FIELDS = ("question", "answer", "references")


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else to the login page) and allowed to edit the knowledge base (else 403)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_edit_knowledge(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _is_partial(request: HttpRequest) -> bool:
    """An htmx request for the results only (not a boosted link, not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request  # type: ignore[union-attr]


def _date_param(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return default


def _uuid_param(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def _language_param(value: str | None) -> str:
    return value if value in KNOWLEDGE_LANGUAGES else SOURCE_LANGUAGE


def _ui_language() -> str:
    code = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    return code if code in KNOWLEDGE_LANGUAGES else SOURCE_LANGUAGE


def _article_url(slug: str, **params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    url = reverse("knowledge:article", args=[slug])
    return f"{url}?{query}" if query else url


def _article_or_404(request: HttpRequest, slug: str) -> Article:
    article = selectors.article_list(actor=request.user).filter(slug=slug).first()
    if article is None:
        raise Http404
    return article


def _version_or_404(article: Article, version_id: uuid.UUID) -> ArticleVersion:
    version = next((v for v in article.versions.all() if v.pk == version_id), None)
    if version is None:
        raise Http404
    return version


def _published(versions: list[ArticleVersion]) -> list[ArticleVersion]:
    return [v for v in versions if v.review_status == ReviewStatus.PUBLISHED]


def _apply_errors(form: Any, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.message_dict.items():
        target = (rename or {}).get(name, name)
        for message in errors:
            form.add_error(target if target in form.fields else None, message)


def _references(version: ArticleVersion) -> list[dict[str, str]]:
    """Legal references for display; a link is kept only if it is a web address."""
    rows = []
    for reference in version.references or []:
        url = str(reference.get("url") or "")
        rows.append(
            {
                "law": str(reference.get("law") or ""),
                "article": str(reference.get("article") or ""),
                "url": url if urlsplit(url).scheme in ("http", "https") else "",
            }
        )
    return rows


# --- Search and browsing ------------------------------------------------------------------


@login_required
def search(request: HttpRequest) -> HttpResponse:
    actor = request.user
    editor = access.can_edit_knowledge(actor)
    form = KnowledgeSearchForm(request.GET or None, editor=editor)
    on_date = form.on_date
    context: dict[str, Any] = {
        "form": form,
        "query": form.query,
        "on_date": on_date,
        "editor": editor,
        "hits": None,
        "groups": None,
    }
    if form.query:
        params = form.search_kwargs()
        hits = selectors.knowledge_search(
            actor=actor,
            top=SEARCH_RESULTS,
            prefer_language=params["language"] or _ui_language(),
            **params,
        )
        labels = {t.code: t.label for t in Topic.objects.filter(code__in=_codes(hits))}
        context["hits"] = [
            {
                "hit": hit,
                "url": _article_url(hit.slug, lang=hit.language, on=on_date.isoformat()),
                "topics": [labels.get(code, code) for code in hit.topic_codes],
            }
            for hit in hits
        ]
    else:
        context["groups"] = _article_groups(request, form, editor)
    template = "knowledge/_results.html" if _is_partial(request) else "knowledge/search.html"
    return render(request, template, context)


def _codes(hits: list[Any]) -> set[str]:
    return {code for hit in hits for code in hit.topic_codes}


def _list_row(
    article: Article, on_date: datetime.date, language: str, editor: bool
) -> dict[str, Any] | None:
    """An article in the list: the version valid on the date, its question in a language."""
    versions = list(article.versions.all())
    published = _published(versions)
    version = version_on(published, on_date)
    if version is None:
        if not editor or not versions:
            return None
        version = versions[0]
    translations = {
        t.language: t
        for t in version.translations.all()
        if editor or t.status == TranslationStatus.PUBLISHED
    }
    translation = translations.get(language) or translations.get(SOURCE_LANGUAGE)
    if translation is None:
        return None
    periods = validity_periods(published)
    return {
        "article": article,
        "version": version,
        "question": translation.question,
        "language": translation.language,
        "valid_until": periods.get(version.pk, version.valid_until),
        "valid_on_date": version in published and version_on(published, on_date) == version,
        "languages": [code for code in LANGUAGE_ORDER if code in translations],
        "url": _article_url(
            article.slug,
            lang=translation.language,
            on=on_date.isoformat(),
            version="" if version in published else str(version.pk),
        ),
    }


def _article_groups(
    request: HttpRequest, form: KnowledgeSearchForm, editor: bool
) -> list[dict[str, Any]]:
    """The article list, grouped by first-level topic (an article may be in several)."""
    filters = form.search_kwargs()
    group = filters["citizenship_group_code"]
    language = filters["language"] or _ui_language()
    roots = list(Topic.objects.filter(parent__isnull=True).order_by("position", "code"))
    by_root: dict[Any, list[dict[str, Any]]] = {root.pk: [] for root in roots}
    others: list[dict[str, Any]] = []
    for article in selectors.article_list(actor=request.user, filters=form.list_filters()):
        if group in {g.value for g in CitizenshipGroup} and group not in article.citizenship_groups:
            continue
        row = _list_row(article, form.on_date, language, editor)
        if row is None:
            continue
        root_ids = list(dict.fromkeys(t.parent_id or t.pk for t in article.topics.all()))
        placed = False
        for root_id in root_ids:
            if root_id in by_root:
                by_root[root_id].append(row)
                placed = True
        if not placed:
            others.append(row)
    groups = [{"topic": root, "rows": by_root[root.pk]} for root in roots if by_root[root.pk]]
    if others:
        groups.append({"topic": None, "rows": others})
    return groups


@login_required
def article(request: HttpRequest, slug: str) -> HttpResponse:
    actor = request.user
    editor = access.can_edit_knowledge(actor)
    today = timezone.localdate()
    language = _language_param(request.GET.get("lang"))
    on_date = _date_param(request.GET.get("on"), today)
    version_id = _uuid_param(request.GET.get("version"))
    view = selectors.article_view(
        actor=actor, slug=slug, on_date=on_date, language=language, version_id=version_id
    )
    if view is None:
        if version_id is not None:
            raise Http404  # no such version, or one the actor may not see
        return _article_missing(request, slug, language=language, on_date=on_date, editor=editor)
    published = _published(view.versions)
    periods = validity_periods(published)
    current = version_on(published, today)
    shown = view.version
    version_param = str(version_id) if version_id else ""
    context = {
        "view": view,
        "article": view.article,
        "version": shown,
        "translation": view.translation,
        "answer_html": markdown_html(view.translation.answer),
        "language": language,
        "language_name": language_label(language),
        "editor": editor,
        "today": today,
        "is_current": current is not None and current.pk == shown.pk,
        "current": current,
        "current_url": _article_url(slug, lang=language) if current else "",
        "in_future": shown.valid_from > today,
        "language_links": [
            {
                "code": code,
                "label": language_label(code),
                "available": code in view.languages,
                "active": code == language,
                "url": _article_url(slug, lang=code, on=on_date.isoformat(), version=version_param),
            }
            for code in LANGUAGE_ORDER
        ],
        "versions": _version_rows(view.versions, periods, shown, current, language),
        "references": _references(shown),
        "citizenship": [CitizenshipGroup(g).label for g in view.article.citizenship_groups],
        "compare_url": _compare_url(slug, view.versions, shown),
    }
    return render(request, "knowledge/article.html", context)


def _compare_url(slug: str, versions: list[ArticleVersion], shown: ArticleVersion) -> str:
    """Compare the shown version with the one before it (or, for the first, the next one)."""
    older = [v for v in versions if v.valid_from < shown.valid_from]
    newer = [v for v in versions if v.valid_from > shown.valid_from]
    if older:
        before, after = older[0], shown
    elif newer:
        before, after = shown, newer[-1]
    else:
        return ""
    return reverse("knowledge:compare", args=[slug]) + f"?a={before.pk}&b={after.pk}"


def _version_rows(
    versions: list[ArticleVersion],
    periods: dict[Any, datetime.date | None],
    shown: ArticleVersion | None,
    current: ArticleVersion | None,
    language: str,
) -> list[dict[str, Any]]:
    return [
        {
            "version": v,
            "valid_until": periods.get(v.pk, v.valid_until),
            "shown": shown is not None and v.pk == shown.pk,
            "current": current is not None and v.pk == current.pk,
            "url": _article_url(v.article.slug, lang=language, version=str(v.pk)),
        }
        for v in versions
    ]


def _article_missing(
    request: HttpRequest, slug: str, *, language: str, on_date: datetime.date, editor: bool
) -> HttpResponse:
    """No version to show for that date: say so, and list the versions there are."""
    article = _article_or_404(request, slug)
    versions = list(article.versions.all())
    visible = versions if editor else _published(versions)
    published = _published(versions)
    return render(
        request,
        "knowledge/article_missing.html",
        {
            "article": article,
            "on_date": on_date,
            "editor": editor,
            "versions": _version_rows(
                visible,
                validity_periods(published),
                None,
                version_on(published, timezone.localdate()),
                language,
            ),
        },
    )


@login_required
def changed(request: HttpRequest) -> HttpResponse:
    """What changed since a date, for a migrant coming back: each changed answer, word by word."""
    actor = request.user
    editor = access.can_edit_knowledge(actor)
    today = timezone.localdate()
    default_since = today - datetime.timedelta(days=365)
    form = ChangedSinceForm(
        request.GET or None, initial={"since": default_since, "lang": SOURCE_LANGUAGE}
    )
    since, language = default_since, SOURCE_LANGUAGE
    rows: list[dict[str, Any]] | None = []
    if form.is_bound:
        if form.is_valid():
            since = form.cleaned_data["since"]
            language = form.cleaned_data.get("lang") or SOURCE_LANGUAGE
        else:
            rows = None
    if rows is not None:
        for change in selectors.articles_changed_since(actor=actor, since=since, until=today):
            rows.append(_changed_row(change, language, editor))
    return render(
        request,
        "knowledge/changed.html",
        {
            "form": form,
            "since": since,
            "today": today,
            "rows": rows,
            "language": language,
            "language_name": language_label(language),
        },
    )


def _changed_row(change: selectors.ArticleChange, language: str, editor: bool) -> dict[str, Any]:
    translations = {
        t.language: t
        for t in change.after.translations.all()
        if editor or t.status == TranslationStatus.PUBLISHED
    }
    shown = language if language in translations else SOURCE_LANGUAGE
    translation = translations.get(shown)
    changes = [
        c
        for c in version_diff(change.before, change.after, languages=[shown])
        if c.field in CHANGED_FIELDS
    ]
    return {
        "change": change,
        "question": translation.question if translation else change.article.slug,
        "answer_html": markdown_html(translation.answer) if translation else "",
        "is_new": change.before is None,
        "is_fallback": shown != language,
        "changes": changes,
        "url": _article_url(change.article.slug, lang=shown),
    }


# --- Editing ------------------------------------------------------------------------------


@editor_required
def article_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    status = 200
    if request.method == "POST":
        form = ArticleCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():  # the article, its version and its text, or nothing
                    new = services.article_create(
                        actor=actor, slug=data["slug"], **form.article_kwargs()
                    )
                    version = services.version_create(
                        actor=actor, article=new, valid_from=data["valid_from"]
                    )
                    services.version_save(
                        actor=actor,
                        version=version,
                        expected_revision=version.revision,
                        fields={},
                        translations={SOURCE_LANGUAGE: form.translation()},
                    )
            except ValidationError as exc:
                rename = {f"{SOURCE_LANGUAGE}-{name}": name for name in form.fields}
                _apply_errors(form, exc, rename)
            else:
                messages.success(
                    request,
                    _("Article created as a draft: add translations, then publish it."),
                )
                return redirect("knowledge:version_edit", slug=new.slug, version_id=version.pk)
        status = 400
    else:
        form = ArticleCreateForm()
    return render(request, "knowledge/article_new.html", {"form": form}, status=status)


@editor_required
def article_settings(request: HttpRequest, slug: str) -> HttpResponse:
    current = _article_or_404(request, slug)
    status = 200
    if request.method == "POST":
        form = ArticleForm(request.POST, article=current)
        if form.is_valid():
            try:
                services.article_update(
                    actor=request.user, article=current, **form.article_kwargs()
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("knowledge:article", slug=slug)
        status = 400
    else:
        form = ArticleForm(article=current)
    return render(
        request,
        "knowledge/article_settings.html",
        {"form": form, "article": current},
        status=status,
    )


def _copy_source(article: Article) -> ArticleVersion | None:
    """The version a new one starts from: the one valid today, else the newest."""
    versions = list(article.versions.all())
    return version_on(_published(versions), timezone.localdate()) or (
        versions[0] if versions else None
    )


@editor_required
def version_new(request: HttpRequest, slug: str) -> HttpResponse:
    current = _article_or_404(request, slug)
    source = _copy_source(current)
    status = 200
    if request.method == "POST":
        form = VersionCreateForm(request.POST)
        if form.is_valid():
            try:
                version = services.version_create(
                    actor=request.user,
                    article=current,
                    valid_from=form.cleaned_data["valid_from"],
                    copy_from=source,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("New version created: change what the law changed."))
                return redirect("knowledge:version_edit", slug=slug, version_id=version.pk)
        status = 400
    else:
        form = VersionCreateForm(initial={"valid_from": timezone.localdate()})
    return render(
        request,
        "knowledge/version_new.html",
        {"form": form, "article": current, "source": source},
        status=status,
    )


@editor_required
def version_edit(request: HttpRequest, slug: str, version_id: uuid.UUID) -> HttpResponse:
    actor = request.user
    current = _article_or_404(request, slug)
    version = _version_or_404(current, version_id)
    stale: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        form = VersionEditForm(request.POST, version=version)
        if form.is_valid():
            expected = form.cleaned_data["revision"]
            try:
                services.version_save(
                    actor=actor,
                    version=version,
                    expected_revision=expected,
                    fields=form.version_fields(),
                    translations=form.translations(),
                )
            except services.StaleRevisionError as exc:
                stale = _stale(request, exc.current, expected)
                data = request.POST.copy()
                data["revision"] = str(exc.current.revision)  # saving again replaces theirs
                form = VersionEditForm(data, version=version)
                form.is_valid()
                status = 409
            except ValidationError as exc:
                _apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Version saved."))
                return redirect(_article_url(slug, version=str(version.pk)))
        else:
            status = 400
    else:
        form = VersionEditForm(version=version)
    return render(
        request,
        "knowledge/version_edit.html",
        {
            "form": form,
            "article": current,
            "version": version,
            "stale": stale,
            "preview_url": reverse("knowledge:preview"),
        },
        status=status,
    )


def _stale(request: HttpRequest, current: ArticleVersion, expected: int) -> dict[str, Any]:
    """Who saved the version meanwhile, and what they changed since the user opened it."""
    revisions = list(selectors.version_revisions(actor=request.user, version=current))
    latest = revisions[0] if revisions else None
    base = next((r for r in revisions if r.number == expected), None)
    return {
        "revision": latest,
        "changes": (
            snapshot_diff(base.snapshot if base else None, latest.snapshot) if latest else []
        ),
    }


@editor_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The posted Markdown as it will look (htmx; the same sanitising as the article page)."""
    text = request.POST.get("markdown", "")[:MAX_MARKDOWN]
    return render(request, "knowledge/_preview.html", {"html": markdown_html(text)})


@editor_required
def history(request: HttpRequest, slug: str, version_id: uuid.UUID) -> HttpResponse:
    current = _article_or_404(request, slug)
    version = _version_or_404(current, version_id)
    revisions = list(selectors.version_revisions(actor=request.user, version=version))
    by_number = {r.number: r for r in revisions}
    after = by_number.get(_int_param(request.GET.get("b"))) or (revisions[0] if revisions else None)
    before = by_number.get(_int_param(request.GET.get("a")))
    if before is None and after is not None and "a" not in request.GET:
        before = next((r for r in revisions if r.number < after.number), None)
    changes = snapshot_diff(before.snapshot if before else None, after.snapshot) if after else []
    return render(
        request,
        "knowledge/history.html",
        {
            "article": current,
            "version": version,
            "revisions": revisions,
            "before": before,
            "after": after,
            "changes": changes,
        },
    )


def _int_param(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@editor_required
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    current = _article_or_404(request, slug)
    versions = list(current.versions.all())  # newest first
    if not versions:
        raise Http404
    by_id = {v.pk: v for v in versions}
    after = by_id.get(_uuid_param(request.GET.get("b"))) or versions[0]
    before = by_id.get(_uuid_param(request.GET.get("a")))
    if before is None and "a" not in request.GET:
        before = next((v for v in versions if v.valid_from < after.valid_from), None)
    return render(
        request,
        "knowledge/compare.html",
        {
            "article": current,
            "versions": versions,
            "before": before,
            "after": after,
            "changes": version_diff(before, after),
        },
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
                if form.kind == "xlsx":
                    summary = knowledge_import(actor=request.user, source=upload, kind="xlsx")
                else:
                    with tempfile.TemporaryDirectory(prefix="knowledge-import-") as folder:
                        root = archive_extract(upload, Path(folder))
                        summary = knowledge_import(actor=request.user, source=root, kind="markdown")
            except ArchiveError as exc:
                problems = [
                    ImportProblem(source=upload.name, line=None, field="", message=str(exc))
                ]
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
                _zip_folder(root, stream)
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


def _zip_folder(root: Path, stream: io.BytesIO) -> None:
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


def archive_extract(upload: Any, target: Path) -> Path:
    """Unpack an uploaded zip into `target`, refusing anything unsafe; the folder to import.

    Refused: absolute paths, "..", symbolic links, more than ARCHIVE_MAX_FILES entries or
    ARCHIVE_MAX_BYTES unpacked (counted while writing, not trusted from the header). When
    the zip holds a single top folder of article folders, that folder is returned.
    """
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(_("This is not a valid zip file.")) from exc
    with archive:
        members = archive.infolist()
        if len(members) > ARCHIVE_MAX_FILES:
            raise ArchiveError(
                _("The archive holds more than %(n)s files.") % {"n": ARCHIVE_MAX_FILES}
            )
        if sum(member.file_size for member in members) > ARCHIVE_MAX_BYTES:
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
                    if written > ARCHIVE_MAX_BYTES:
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
