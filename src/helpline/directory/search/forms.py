"""The search form of the directory: words and filters, read from the query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helpline.accounts.models import User
from helpline.common.countries import country_choices

from .selectors import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ServiceSearchQuery,
    search_categories,
    search_cities,
    search_filter_codes,
    search_languages,
)

MORE = 10  # services added by "Show more"


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, kind of help, city… in any language"),
                "autocomplete": "off",
            }
        ),
    )
    # Any city name is accepted (a city no service is in finds the national services).
    city = forms.CharField(label=_("City"), required=False, max_length=100, widget=forms.Select)
    category = forms.ChoiceField(label=_("Category"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    citizenship = forms.ChoiceField(label=_("Caller's citizenship"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    free = forms.BooleanField(label=_("Free only"), required=False)
    limit = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, actor: User, labels: bool = True, **kwargs: Any) -> None:
        """`labels`: the form is shown, its lists need their labels; without, it only reads
        a query (the results alone), and the lists are the codes the search knows."""
        super().__init__(*args, **kwargs)
        self._choices("citizenship", [("", str(_("Any citizenship"))), *country_choices()])
        if not labels:
            categories, languages = search_filter_codes(actor=actor)
            self._choices("category", [("", ""), *((code, code) for code in categories)])
            self._choices("language", [("", ""), *((code, code) for code in languages)])
            return
        cities: list[tuple[str, str]] = [("", str(_("Anywhere")))]
        cities += [(city.name, city.name) for city in search_cities(actor=actor)]
        chosen = (self.data.get("city") or "").strip() if self.is_bound else ""
        if chosen and chosen not in dict(cities):
            cities.append((chosen, chosen))
        self.fields["city"].widget.choices = cities
        choices: list[tuple[str, Any]] = [("", str(_("Any category")))]
        for group in search_categories(actor=actor):
            if group.children:
                options = [
                    (
                        group.category.code,
                        str(_("All of “%(category)s”")) % {"category": group.category.label},
                    )
                ]
                options += [(child.code, child.label) for child in group.children]
                choices.append((group.category.label, options))
            else:
                choices.append((group.category.code, group.category.label))
        self._choices("category", choices)
        spoken = [(language.code, language.label) for language in search_languages(actor=actor)]
        self._choices("language", [("", str(_("Any language"))), *spoken])

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def search_query(self) -> ServiceSearchQuery:
        """The query of the valid fields (a field in error is left out)."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return ServiceSearchQuery(
            text=data.get("q") or "",
            city=data.get("city") or "",
            category=data.get("category") or "",
            language=data.get("language") or "",
            citizenship=data.get("citizenship") or "",
            open_now=bool(data.get("open_now")),
            free_only=bool(data.get("free")),
            limit=data.get("limit") or DEFAULT_LIMIT,
        )

    def params(self, **changes: Any) -> dict[str, Any]:
        """The query string of this search (non-empty values), with `changes`."""
        values = {key: value for key, value in (self.data or {}).items() if key in self.fields}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None)}

    def more(self) -> dict[str, Any]:
        query = self.search_query()
        return self.params(limit=min(query.limit + MORE, MAX_LIMIT))
