"""Widgets rendered in Python rather than one template per option.

A page with a few hundred options (countries, topics, consultants) spends most of its
time rendering Django's per-option templates; these produce the same HTML far faster.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _value(value: Any) -> str:
    return "" if value is None else str(value)


class FastSelect(forms.Select):
    """A ``<select>`` with the same markup as Django's, rendered without templates."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                '<option value="{}"{}>{}</option>'.format(
                    escape(_value(option["value"])),
                    " selected" if option["selected"] else "",
                    conditional_escape(option["label"]),
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class FastCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes, each in its label, rendered without templates.

    ``option_class(value)`` may give a CSS class per option (e.g. to indent sub-items).
    """

    option_class = None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = []
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                css = self.option_class(option["value"]) if self.option_class else ""
                parts.append(
                    format_html(
                        '<label class="{}" for="{}"><input type="checkbox" name="{}" value="{}"'
                        ' id="{}"{}> {}</label>',
                        css,
                        option["attrs"].get("id", ""),
                        widget["name"],
                        _value(option["value"]),
                        option["attrs"].get("id", ""),
                        mark_safe(" checked") if option["selected"] else "",
                        option["label"],
                    )
                )
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
