"""`helpline knowledge-search`: ranked answers with their topics, for operators and evaluation."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from helpline.knowledge.services import articles_save
from helpline.knowledge.tests.test_search import CORPUS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def corpus():
    articles_save(actor=None, articles=CORPUS)


def run(*args: str) -> str:
    out = StringIO()
    call_command("knowledge-search", *args, stdout=out)
    return out.getvalue()


def test_prints_ranked_answers_with_topic_codes():
    printed = run("patent kak oformit", "--date", "2026-01-01", "--top", "2")
    lines = printed.splitlines()
    assert lines[0].startswith(" 1. [ru] patent-obtain  (patent.obtain)")
    assert "Как получить патент на работу?" in lines[1]
    assert lines[2].startswith(" 2. ")
    assert len([line for line in lines if line[:3].strip().endswith(".")]) == 2


def test_json_with_filters():
    rows = json.loads(
        run("патент", "--json", "--citizenship", "KG", "--lang", "ru", "--date", "2026-01-01")
    )
    assert [(r["rank"], r["slug"], r["language"], r["topics"]) for r in rows] == [
        (1, "patent-eaeu", "ru", ["patent.eaeu"])
    ]
    older = json.loads(run("авансовый платёж", "--json", "--date", "2024-05-01"))
    assert older[0]["valid_until"] == "2024-12-31"


def test_nothing_found_and_bad_options():
    assert run("абракадабра") == "No answers found.\n"
    with pytest.raises(CommandError, match="--date"):
        run("патент", "--date", "yesterday")
    with pytest.raises(CommandError, match="--topic"):
        run("патент", "--topic", "nope")
    with pytest.raises(CommandError, match="--top"):
        run("патент", "--top", "0")
