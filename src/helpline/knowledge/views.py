"""Knowledge base reading screens: search and browse, one article, what changed since.

Reads go through the selectors (which check access), writes through the services; the
views only pick the request apart and choose the template.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from helpline.accounts import access
from helpline.consultations.models import Topic

from . import selectors
from .diff import version_diff
from .forms import (
    LANGUAGE_ORDER,
    ChangedSinceForm,
    KnowledgeSearchForm,
    language_label,
)
from .models import (
    SOURCE_LANGUAGE,
    Article,
    ArticleVersion,
    CitizenshipGroup,
    TranslationStatus,
)
from .rendering import markdown_html
from .validity import validity_periods, version_on
from .web import (
    article_or_404,
    article_url,
    current_user,
    date_param,
    is_partial,
    language_param,
    published_only,
    references_of,
    ui_language,
    uuid_param,
)

SEARCH_RESULTS = 20
CHANGED_FIELDS = ("question", "answer", "references")


# --- Search and browsing ------------------------------------------------------------------


@login_required
def search(request: HttpRequest) -> HttpResponse:
    actor = current_user(request)
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
            prefer_language=params["language"] or ui_language(),
            **params,
        )
        labels = {t.code: t.label for t in Topic.objects.filter(code__in=_codes(hits))}
        context["hits"] = [
            {
                "hit": hit,
                "url": article_url(hit.slug, lang=hit.language, on=on_date.isoformat()),
                "topics": [(code, labels.get(code, code)) for code in hit.topic_codes],
            }
            for hit in hits
        ]
    else:
        context["groups"] = _article_groups(request, form, editor)
    template = "knowledge/_results.html" if is_partial(request) else "knowledge/search.html"
    return render(request, template, context)


def _codes(hits: list[Any]) -> set[str]:
    return {code for hit in hits for code in hit.topic_codes}


def _list_row(
    article: Article, on_date: datetime.date, language: str, editor: bool
) -> dict[str, Any] | None:
    """An article in the list: the version valid on the date, its question in a language."""
    versions = list(article.versions.all())
    published = published_only(versions)
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
    valid_on_date = version_on(published, on_date) == version
    return {
        "article": article,
        "version": version,
        "question": translation.question,
        "language": translation.language,
        "valid_until": periods.get(version.pk, version.valid_until),
        "valid_on_date": valid_on_date,
        "languages": [code for code in LANGUAGE_ORDER if code in translations],
        "url": article_url(
            article.slug,
            lang=translation.language,
            on=on_date.isoformat(),
            version="" if valid_on_date else str(version.pk),
        ),
    }


def _article_groups(
    request: HttpRequest, form: KnowledgeSearchForm, editor: bool
) -> list[dict[str, Any]]:
    """The article list, grouped by first-level topic (an article may be in several)."""
    filters = form.search_kwargs()
    group = filters["citizenship_group_code"]
    language = filters["language"] or ui_language()
    roots = list(Topic.objects.filter(parent__isnull=True).order_by("position", "code"))
    by_root: dict[Any, list[dict[str, Any]]] = {root.pk: [] for root in roots}
    others: list[dict[str, Any]] = []
    for article in selectors.article_list(actor=current_user(request), filters=form.list_filters()):
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
    actor = current_user(request)
    editor = access.can_edit_knowledge(actor)
    today = timezone.localdate()
    language = language_param(request.GET.get("lang"))
    on_date = date_param(request.GET.get("on"), today)
    version_id = uuid_param(request.GET.get("version"))
    view = selectors.article_view(
        actor=actor, slug=slug, on_date=on_date, language=language, version_id=version_id
    )
    if view is None and version_id is None and editor:
        view = _draft_view(request, slug, language=language, on_date=on_date)
    if view is None:
        if version_id is not None:
            raise Http404  # no such version, or one the actor may not see
        return _article_missing(request, slug, language=language, on_date=on_date, editor=editor)
    published = published_only(view.versions)
    periods = validity_periods(published)
    current = version_on(published, today)
    shown = view.version
    version_param = str(version_id) if version_id else ""
    within = shown.valid_from <= on_date and (
        view.valid_until is None or on_date <= view.valid_until
    )
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
        "current_url": article_url(slug, lang=language) if current else "",
        "in_future": shown.valid_from > today,
        "picker_date": on_date if within else shown.valid_from,
        "language_links": [
            {
                "code": code,
                "label": language_label(code),
                "available": code in view.languages,
                "active": code == language,
                "url": article_url(slug, lang=code, on=on_date.isoformat(), version=version_param),
            }
            for code in LANGUAGE_ORDER
        ],
        "versions": _version_rows(view.versions, periods, shown, current, language),
        "references": references_of(shown),
        "citizenship": [CitizenshipGroup(g).label for g in view.article.citizenship_groups],
        "compare_url": _compare_url(slug, view.versions, shown),
    }
    return render(request, "knowledge/article.html", context)


def _draft_view(
    request: HttpRequest, slug: str, *, language: str, on_date: datetime.date
) -> selectors.ArticleView | None:
    """For an editor, an article not published yet shows its newest draft."""
    versions = list(article_or_404(request, slug).versions.all())
    if not versions or published_only(versions):
        return None
    return selectors.article_view(
        actor=current_user(request),
        slug=slug,
        on_date=on_date,
        language=language,
        version_id=versions[0].pk,
    )


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
            "url": article_url(v.article.slug, lang=language, version=str(v.pk)),
        }
        for v in versions
    ]


def _article_missing(
    request: HttpRequest, slug: str, *, language: str, on_date: datetime.date, editor: bool
) -> HttpResponse:
    """No version to show for that date: say so, and list the versions there are."""
    article = article_or_404(request, slug)
    versions = list(article.versions.all())
    visible = versions if editor else published_only(versions)
    published = published_only(versions)
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
    actor = current_user(request)
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
            "rows": None if rows is None else [row for row in rows if not row["is_new"]],
            "new_rows": [row for row in rows or [] if row["is_new"]],
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
        "url": article_url(change.article.slug, lang=shown),
    }
