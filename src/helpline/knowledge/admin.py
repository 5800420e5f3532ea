"""The knowledge base in the admin site: for administrators to look things up.

Articles are written on the knowledge screens (services keep the search index and the
revision history); here everything is read-only except the demo flag.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse

from .models import Article, ArticleTranslation, ArticleVersion


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ArticleVersion
    fields = ("valid_from", "valid_until", "review_status", "reviewer_name", "revision")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    ordering = ("-valid_from",)


class TranslationInline(ReadOnlyMixin, admin.StackedInline):
    model = ArticleTranslation
    fields = ("language", "status", "question", "phrasings", "answer")
    readonly_fields = fields
    extra = 0


@admin.register(Article)
class ArticleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("slug", "is_demo", "for_eaeu", "for_visa_free", "for_visa", "updated_at")
    list_filter = ("topics", "is_demo", "for_eaeu", "for_visa_free", "for_visa", "for_employers")
    search_fields = ("slug", "versions__translations__question")
    readonly_fields = (
        "slug",
        "topics",
        "for_eaeu",
        "for_visa_free",
        "for_visa",
        "for_migrants",
        "for_employers",
        "created_at",
        "updated_at",
    )
    fields = (*readonly_fields, "is_demo")
    inlines = [VersionInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).distinct()

    def view_on_site(self, obj: Article) -> str:
        return reverse("knowledge:article", args=[obj.slug])


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("article", "valid_from", "valid_until", "review_status", "next_review_on")
    list_filter = ("review_status", "article__topics")
    search_fields = ("article__slug",)
    list_select_related = ("article",)
    readonly_fields = (
        "article",
        "valid_from",
        "valid_until",
        "review_status",
        "reviewed_by",
        "reviewer_name",
        "reviewed_on",
        "next_review_on",
        "references",
        "revision",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    inlines = [TranslationInline]

    def view_on_site(self, obj: ArticleVersion) -> str:
        return reverse("knowledge:article", args=[obj.article.slug]) + f"?version={obj.pk}"


@admin.register(ArticleTranslation)
class ArticleTranslationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("version", "language", "status", "question")
    list_filter = ("language", "status")
    search_fields = ("question", "phrasings", "version__article__slug")
    list_select_related = ("version__article",)
    readonly_fields = ("version", "language", "status", "question", "phrasings", "answer")
    fields = readonly_fields
