"""Request helpers shared by the knowledge screens: parameters, lookups, access."""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language

from helpline.accounts import access

from . import selectors
from .models import (
    KNOWLEDGE_LANGUAGES,
    SOURCE_LANGUAGE,
    Article,
    ArticleVersion,
    ReviewStatus,
)


def current_user(request: HttpRequest) -> Any:
    return request.user


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else to the login page) and allowed to edit the knowledge base (else 403)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_edit_knowledge(current_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def is_partial(request: HttpRequest) -> bool:
    """An htmx request for the results only (not a boosted link, not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request  # type: ignore[union-attr]


def date_param(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return default


def uuid_param(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def language_param(value: str | None) -> str:
    return value if value in KNOWLEDGE_LANGUAGES else SOURCE_LANGUAGE


def ui_language() -> str:
    code = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    return code if code in KNOWLEDGE_LANGUAGES else SOURCE_LANGUAGE


def article_url(slug: str, **params: Any) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    url = reverse("knowledge:article", args=[slug])
    return f"{url}?{query}" if query else url


def article_or_404(request: HttpRequest, slug: str) -> Article:
    article = selectors.article_list(actor=current_user(request)).filter(slug=slug).first()
    if article is None:
        raise Http404
    return article


def version_or_404(article: Article, version_id: uuid.UUID) -> ArticleVersion:
    version = next((v for v in article.versions.all() if v.pk == version_id), None)
    if version is None:
        raise Http404
    return version


def published_only(versions: list[ArticleVersion]) -> list[ArticleVersion]:
    return [v for v in versions if v.review_status == ReviewStatus.PUBLISHED]


def apply_errors(form: Any, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.message_dict.items():
        target = (rename or {}).get(name, name)
        for message in errors:
            form.add_error(target if target in form.fields else None, message)


def references_of(version: ArticleVersion) -> list[dict[str, str]]:
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
