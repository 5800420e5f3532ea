"""Forms of the knowledge base: search and list filters, article and version editing, transfer."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpline.common.widgets import FastSelect
from helpline.consultations.forms import TopicCheckboxes, TopicChoiceField, TopicFilterField
from helpline.consultations.models import Topic

from .diff import references_text
from .models import (
    SOURCE_LANGUAGE,
    Article,
    ArticleVersion,
    Audience,
    CitizenshipGroup,
    Language,
    ReviewStatus,
    TranslationStatus,
)
from .selectors import ArticleListFilters

# The order of the language switcher and of the editing fieldsets.
LANGUAGE_ORDER = ("ru", "uz", "tg", "ky", "en")
# Paths under /knowledge/ that an article identifier must not take.
RESERVED_SLUGS = frozenset({"new", "changed", "preview", "transfer", "compare", "versions"})
MAX_MARKDOWN = 50_000


def language_label(code: str) -> str:
    try:
        return str(Language(code).label)
    except ValueError:
        return code


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_label(code)) for code in LANGUAGE_ORDER]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _topics_queryset(current: list[Any] | None = None) -> Any:
    return (
        Topic.objects.filter(Q(is_active=True) | Q(pk__in=current or []))
        .select_related("parent")
        .order_by("position", "code")
    )


class KnowledgeSearchForm(forms.Form):
    """The search box and its filters; editors get the list filters of their work too."""

    q = forms.CharField(
        label=_("Question"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "autofocus": True,
                "placeholder": _("Type the caller's question, in any language or spelling"),
            }
        ),
    )
    topic = TopicFilterField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    on = forms.DateField(label=_("Valid on"), required=False, widget=DateInput)
    review_status = forms.ChoiceField(label=_("Review status"), required=False)
    review_due = forms.BooleanField(label=_("Review due"), required=False)
    missing_language = forms.ChoiceField(label=_("Missing translation"), required=False)

    def __init__(self, *args: Any, editor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = _topics_queryset()
        self.fields["topic"].empty_label = _("— all topics —")
        self.fields["topic"].widget = FastSelect(choices=self.fields["topic"].choices)
        self.fields["language"].choices = [("", _("— all languages —")), *language_choices()]
        self.fields["citizenship"].choices = [
            ("", _("— any citizenship —")),
            *CitizenshipGroup.choices,
        ]
        self.fields["review_status"].choices = [("", "—"), *ReviewStatus.choices]
        self.fields["missing_language"].choices = [("", "—"), *language_choices()]
        self.fields["on"].initial = timezone.localdate()
        self.editor = editor
        if not editor:
            for name in ("review_status", "review_due", "missing_language"):
                self.fields.pop(name)

    def _data(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()  # invalid filters are reported and left out; the others still apply
        return self.cleaned_data

    @property
    def query(self) -> str:
        return str(self._data().get("q") or "").strip()

    @property
    def on_date(self) -> datetime.date:
        return self._data().get("on") or timezone.localdate()

    def search_kwargs(self) -> dict[str, Any]:
        data = self._data()
        return {
            "text": self.query,
            "on_date": self.on_date,
            "language": data.get("language") or "",
            "citizenship_group_code": data.get("citizenship") or "",
            "topic": data.get("topic"),
        }

    def list_filters(self) -> ArticleListFilters:
        data = self._data()
        return ArticleListFilters(
            topic=data.get("topic"),
            review_status=data.get("review_status") or "",
            missing_language=data.get("missing_language") or "",
            review_due=bool(data.get("review_due")),
        )


class ArticleForm(forms.Form):
    """Who an article is for and what it is about (its settings)."""

    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        widget=TopicCheckboxes,
        error_messages={"required": _("Choose at least one topic.")},
    )
    citizenship = forms.MultipleChoiceField(
        label=_("Citizenship groups"),
        choices=CitizenshipGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose who the article applies to.")},
    )
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose migrants, employers or both.")},
    )

    def __init__(self, *args: Any, article: Article | None = None, **kwargs: Any) -> None:
        if article is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "topics": list(article.topics.all()),
                "citizenship": article.citizenship_groups,
                "audience": [
                    audience
                    for audience, applies in (
                        (Audience.MIGRANT, article.for_migrants),
                        (Audience.EMPLOYER, article.for_employers),
                    )
                    if applies
                ],
            }
        super().__init__(*args, **kwargs)
        current = list(article.topics.values_list("pk", flat=True)) if article else []
        self.fields["topics"].queryset = _topics_queryset(current)

    def article_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "topics": [topic.code for topic in data["topics"]],
            "citizenship": list(data["citizenship"]),
            "audience": list(data["audience"]),
        }


class ArticleCreateForm(ArticleForm):
    """A new article: its settings and the Russian text of its first version."""

    slug = forms.SlugField(
        label=_("Identifier"),
        max_length=100,
        help_text=_("Latin letters, digits and hyphens, e.g. patent-renewal; part of the address."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    question = forms.CharField(
        label=_("Question (Russian)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    phrasings = forms.CharField(
        label=_("Other phrasings (Russian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: how people really ask."),
    )
    answer = forms.CharField(
        label=_("Answer (Russian)"),
        max_length=MAX_MARKDOWN,
        widget=forms.Textarea(attrs={"rows": 12, "data-markdown": "1"}),
        help_text=_("Markdown: **bold**, lists with -, links as [text](https://...)."),
    )

    field_order = ["slug", "topics", "citizenship", "audience", "valid_from"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "valid_from": timezone.localdate(),
                "citizenship": [group.value for group in CitizenshipGroup],
                "audience": [Audience.MIGRANT.value],
            },
        )
        super().__init__(*args, **kwargs)

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"]).strip().lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This identifier is reserved; choose another."))
        return slug

    def translation(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "question": data["question"],
            "phrasings": data.get("phrasings", ""),
            "answer": data["answer"],
            "status": TranslationStatus.PUBLISHED,
        }


class VersionCreateForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DateInput,
        help_text=_("The day the changed law takes effect. The new version starts as a copy."),
    )


def references_parse(text: str) -> list[dict[str, str]]:
    """ "law | article | url" lines into reference dicts; ValidationError names the line."""
    references, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 3:
            errors.append(
                _("Line %(line)s: use at most two “|”: law | article | link.") % {"line": number}
            )
            continue
        law, article, url = (*parts, "", "")[:3]
        if not law:
            errors.append(_("Line %(line)s: the law is missing.") % {"line": number})
            continue
        if url and urlsplit(url).scheme not in ("http", "https"):
            errors.append(
                _("Line %(line)s: the link must start with http:// or https://.") % {"line": number}
            )
            continue
        references.append({"law": law, "article": article, "url": url})
    if errors:
        raise forms.ValidationError(errors)
    return references


class VersionEditForm(forms.Form):
    """A version's fields and one group of fields per language, with the revision it read."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty while the law is in force; a newer version ends it anyway."),
    )
    review_status = forms.ChoiceField(
        label=_("Review status"), choices=ReviewStatus.choices, widget=FastSelect
    )
    reviewer = forms.CharField(
        label=_("Reviewer"),
        required=False,
        max_length=150,
        help_text=_("User name of a colleague, or the name of the lawyer."),
    )
    reviewed_on = forms.DateField(label=_("Reviewed on"), required=False, widget=DateInput)
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput)
    references = forms.CharField(
        label=_("Legal references"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: law | article | link."),
    )

    TEXT_FIELDS = ("question", "phrasings", "answer")

    def __init__(self, *args: Any, version: ArticleVersion, **kwargs: Any) -> None:
        self.version = version
        self.existing = {t.language: t for t in version.translations.all()}
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        for code in LANGUAGE_ORDER:
            self.fields[f"{code}-question"] = forms.CharField(
                label=_("Question"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "lang": code}),
            )
            self.fields[f"{code}-phrasings"] = forms.CharField(
                label=_("Other phrasings"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
                help_text=_("One per line: how people really ask."),
            )
            self.fields[f"{code}-answer"] = forms.CharField(
                label=_("Answer"),
                required=False,
                max_length=MAX_MARKDOWN,
                widget=forms.Textarea(attrs={"rows": 12, "lang": code, "data-markdown": "1"}),
                help_text=_("Markdown."),
            )
            self.fields[f"{code}-status"] = forms.ChoiceField(
                label=_("Translation status"),
                choices=TranslationStatus.choices,
                widget=FastSelect,
            )

    def _initial(self) -> dict[str, Any]:
        version = self.version
        reviewer = version.reviewed_by.get_username() if version.reviewed_by else ""
        initial: dict[str, Any] = {
            "revision": version.revision,
            "valid_until": version.valid_until,
            "review_status": version.review_status,
            "reviewer": reviewer or version.reviewer_name,
            "reviewed_on": version.reviewed_on,
            "next_review_on": version.next_review_on,
            "references": references_text(version.references),
        }
        for code in LANGUAGE_ORDER:
            translation = self.existing.get(code)
            initial[f"{code}-status"] = (
                translation.status if translation else TranslationStatus.DRAFT
            )
            for field in self.TEXT_FIELDS:
                initial[f"{code}-{field}"] = getattr(translation, field) if translation else ""
        return initial

    def clean_references(self) -> list[dict[str, str]]:
        return references_parse(self.cleaned_data.get("references") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        until = data.get("valid_until")
        if until and until < self.version.valid_from:
            self.add_error(
                "valid_until",
                _("The version cannot end before it starts (its start: %(day)s).")
                % {"day": self.version.valid_from.isoformat()},
            )
        for code in LANGUAGE_ORDER:
            if not self._has_text(code) and code != SOURCE_LANGUAGE:
                continue
            for field in ("question", "answer"):
                name = f"{code}-{field}"
                if name in data and not str(data.get(name) or "").strip():
                    self.add_error(name, _("This field is required."))
        return data

    def _has_text(self, code: str) -> bool:
        return any(
            str(self.cleaned_data.get(f"{code}-{field}") or "").strip()
            for field in self.TEXT_FIELDS
        )

    def language_groups(self) -> list[dict[str, Any]]:
        """One group per language for the template: its fields and whether to show it open."""
        groups = []
        for code in LANGUAGE_ORDER:
            fields = [self[f"{code}-{field}"] for field in (*self.TEXT_FIELDS, "status")]
            filled = any(str(field.value() or "").strip() for field in fields[:3])
            groups.append(
                {
                    "code": code,
                    "label": language_label(code),
                    "fields": fields,
                    "exists": code in self.existing,
                    "open": filled or any(field.errors for field in fields),
                }
            )
        return groups

    def version_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "valid_until",
                "review_status",
                "reviewer",
                "reviewed_on",
                "next_review_on",
                "references",
            )
        }

    def translations(self) -> dict[str, dict[str, Any] | None]:
        """Per language: the values to save, or None to remove a translation emptied here."""
        data = self.cleaned_data
        result: dict[str, dict[str, Any] | None] = {}
        for code in LANGUAGE_ORDER:
            if self._has_text(code):
                result[code] = {
                    "question": data.get(f"{code}-question", ""),
                    "phrasings": data.get(f"{code}-phrasings", ""),
                    "answer": data.get(f"{code}-answer", ""),
                    "status": data.get(f"{code}-status") or TranslationStatus.DRAFT,
                }
            elif code in self.existing:
                result[code] = None
        return result


class ChangedSinceForm(forms.Form):
    since = forms.DateField(label=_("Last in Russia, or last asked, on"), widget=DateInput)
    lang = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lang"].choices = language_choices()


class TransferUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        help_text=_("A .zip of the Markdown folder, or an .xlsx spreadsheet exported from here."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.xlsx"}),
    )

    MAX_UPLOAD = 50 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".zip", ".xlsx")):
            raise forms.ValidationError(_("Choose a .zip or an .xlsx file."))
        if upload.size > self.MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload

    @property
    def kind(self) -> str:
        return "xlsx" if self.cleaned_data["file"].name.lower().endswith(".xlsx") else "markdown"
