"""Knowledge base editing screens: new article, settings, versions, preview, history.

Reads go through the selectors (which check access), writes through the services; the
views only pick the request apart and choose the template.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .diff import snapshot_diff, version_diff
from .forms import (
    MAX_MARKDOWN,
    ArticleCreateForm,
    ArticleForm,
    VersionCreateForm,
    VersionEditForm,
)
from .models import (
    SOURCE_LANGUAGE,
    Article,
    ArticleVersion,
)
from .rendering import markdown_html
from .validity import version_on
from .web import (
    apply_errors,
    article_or_404,
    article_url,
    current_user,
    editor_required,
    published_only,
    uuid_param,
    version_or_404,
)

# --- Editing ------------------------------------------------------------------------------


@editor_required
def article_new(request: HttpRequest) -> HttpResponse:
    actor = current_user(request)
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
                apply_errors(form, exc, rename)
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
    current = article_or_404(request, slug)
    status = 200
    if request.method == "POST":
        form = ArticleForm(request.POST, article=current)
        if form.is_valid():
            try:
                services.article_update(
                    actor=current_user(request), article=current, **form.article_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
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
    return version_on(published_only(versions), timezone.localdate()) or (
        versions[0] if versions else None
    )


@editor_required
def version_new(request: HttpRequest, slug: str) -> HttpResponse:
    current = article_or_404(request, slug)
    source = _copy_source(current)
    status = 200
    if request.method == "POST":
        form = VersionCreateForm(request.POST)
        if form.is_valid():
            try:
                version = services.version_create(
                    actor=current_user(request),
                    article=current,
                    valid_from=form.cleaned_data["valid_from"],
                    copy_from=source,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
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
    actor = current_user(request)
    current = article_or_404(request, slug)
    version = version_or_404(current, version_id)
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
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Version saved."))
                return redirect(article_url(slug, version=str(version.pk)))
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
    revisions = list(selectors.version_revisions(actor=current_user(request), version=current))
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
    text = request.POST.get("markdown")
    if text is None:  # a textarea posted under its own name (hx-include)
        text = next((v for k, v in request.POST.items() if k.endswith("answer")), "")
    text = text[:MAX_MARKDOWN]
    return render(request, "knowledge/_preview.html", {"html": markdown_html(text)})


@editor_required
def history(request: HttpRequest, slug: str, version_id: uuid.UUID) -> HttpResponse:
    current = article_or_404(request, slug)
    version = version_or_404(current, version_id)
    revisions = list(selectors.version_revisions(actor=current_user(request), version=version))
    by_number: dict[int | None, Any] = {r.number: r for r in revisions}
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
    current = article_or_404(request, slug)
    versions = list(current.versions.all())  # newest first
    if not versions:
        raise Http404
    by_id: dict[uuid.UUID | None, ArticleVersion] = {v.pk: v for v in versions}
    after = by_id.get(uuid_param(request.GET.get("b"))) or versions[0]
    before = by_id.get(uuid_param(request.GET.get("a")))
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
