"""Answers beside the intake form: suggestions while the consultant types the question,
and one answer opened in the caller's language."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from helpline.accounts import access
from helpline.common.models import Language as ConsultationLanguage

from .models import KNOWLEDGE_LANGUAGES, SOURCE_LANGUAGE, ArticleVersion, ReviewStatus
from .selectors import article_view, knowledge_search

SUGGESTIONS = 5
MIN_QUESTION = 3


_language_codes: dict[int, str] = {}  # pk → code; codes of reference items never change


def caller_language(value: str) -> str:
    """A knowledge language from the intake's language field (a pk or a code)."""
    if value in KNOWLEDGE_LANGUAGES:
        return value
    try:
        pk = int(value)
    except ValueError:
        return SOURCE_LANGUAGE
    if pk not in _language_codes:
        _language_codes.update(ConsultationLanguage.objects.values_list("pk", "code"))
    code = _language_codes.get(pk, "")
    return code if code in KNOWLEDGE_LANGUAGES else SOURCE_LANGUAGE


MAX_PICKED = 20


def picked_version_ids(values: list[str]) -> list[uuid.UUID]:
    """The article versions ticked as answers given (form values); garbage is ignored."""
    ids = []
    for raw in values[:MAX_PICKED]:
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            continue
    return ids


def _picked(request: HttpRequest) -> list[ArticleVersion]:
    ids = picked_version_ids(request.GET.getlist("answers_given"))
    return list(
        ArticleVersion.objects.filter(pk__in=ids, review_status=ReviewStatus.PUBLISHED)
        .select_related("article")
        .prefetch_related("translations")
    )


def _question(version: ArticleVersion, language: str) -> str:
    texts = {t.language: t.question for t in version.translations.all()}
    return texts.get(language) or texts.get(SOURCE_LANGUAGE) or version.article.slug


@never_cache
@login_required
def intake_suggestions(request: HttpRequest) -> HttpResponse:
    """Matching answers for the question typed so far, filtered by the caller's citizenship.

    The articles already ticked stay at the top, ticked, whatever the question now says.
    """
    actor: Any = request.user
    if not access.can_read_knowledge(actor):
        raise PermissionDenied
    text = request.GET.get("question", "").strip()
    language = caller_language(request.GET.get("language", ""))
    picked = _picked(request)
    hits = []
    if len(text) >= MIN_QUESTION:
        hits = knowledge_search(
            actor=actor,
            text=text,
            citizenship=request.GET.get("citizenship", ""),
            top=SUGGESTIONS + len(picked),
            prefer_language=language,
        )
    picked_ids = {v.pk for v in picked}
    return render(
        request,
        "knowledge/_intake_suggestions.html",
        {
            "picked": [(v, _question(v, language)) for v in picked],
            "hits": [h for h in hits if h.version_id not in picked_ids][:SUGGESTIONS],
            "language": language,
            "searched": len(text) >= MIN_QUESTION,
        },
    )


@never_cache
@login_required
def intake_answer(request: HttpRequest, slug: str) -> HttpResponse:
    """One answer, in the language asked for (Russian when there is no translation)."""
    actor: Any = request.user
    if not access.can_read_knowledge(actor):
        raise PermissionDenied
    language = caller_language(request.GET.get("lang", ""))
    try:
        version_id = uuid.UUID(request.GET.get("version", ""))
    except ValueError:
        version_id = None
    view = article_view(actor=actor, slug=slug, language=language, version_id=version_id)
    if view is None:
        raise Http404
    return render(
        request,
        "knowledge/_intake_answer.html",
        {"view": view, "languages": KNOWLEDGE_LANGUAGES},
    )
