"""The service categories, kept as data in `data/categories.yaml`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.yaml"


def category_rows() -> list[dict[str, Any]]:
    with CATEGORIES_FILE.open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = yaml.safe_load(handle)
    return rows


def categories_sync(*, category_model: Any = None) -> int:
    """Create or relabel the categories of the data file; returns how many it holds.

    Codes already in the database keep their rows (referrals point at them); labels follow
    the file. Takes the model from a migration's app registry when given one."""
    if category_model is None:
        from .models import ServiceCategory

        category_model = ServiceCategory
    by_code: dict[str, Any] = {}
    for position, row in enumerate(category_rows()):
        code = row["code"]
        parent_code = code.rpartition(".")[0]
        values = {f"name_{lang}": row.get(lang, "") for lang in ("ru", "en", "uz", "tg", "ky")}
        values.update(
            position=position * 10,
            is_active=True,
            parent=by_code.get(parent_code) if parent_code else None,
        )
        item, _created = category_model.objects.update_or_create(code=code, defaults=values)
        by_code[code] = item
    return len(by_code)
