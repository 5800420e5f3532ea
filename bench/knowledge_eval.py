"""Search quality: hit@1 and hit@3 per language on a labelled query set.

    .venv/bin/python bench/knowledge_eval.py [--queries bench/knowledge_queries.tsv] [--no-write]

A fresh SQLite database in a temporary directory is migrated and loaded with the demo
knowledge base. Every query of the set (language, kind, expected first-level topic,
text) is searched as a consultant would search it: any language, no filter, answers
valid today. A query is a hit at k when an article of the expected topic is among the
first k answers.

The baseline is what SQLite gives without our analyser: an FTS5 table with its default
tokenizer (unicode61) over the same published texts (question, phrasings, answer),
queried with the query's words joined by OR and ranked by bm25.

Results: bench/results/knowledge_eval.json and a section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import re
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "knowledge_queries.tsv"
RESULTS_JSON = ROOT / "bench" / "results" / "knowledge_eval.json"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
MARK_START = "<!-- knowledge-eval:start -->"
MARK_END = "<!-- knowledge-eval:end -->"
LANGUAGES = ("ru", "en", "uz", "tg", "ky")
GOAL_OVERALL, GOAL_PER_LANGUAGE = 0.90, 0.80
TOP = 3


def _setup(data_dir: str) -> None:
    os.environ["HELPLINE_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpline.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _read_queries(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _roots(codes: list[str]) -> set[str]:
    return {code.split(".")[0] for code in codes}


class Baseline:
    """Plain FTS5 (unicode61, bm25) over the same texts."""

    def __init__(self, today: datetime.date) -> None:
        from helpline.knowledge.models import ArticleTranslation, ReviewStatus, TranslationStatus
        from helpline.knowledge.validity import validity_periods

        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE base USING fts5(slug, question, phrasings, answer)")
        self.topics: dict[str, set[str]] = {}
        translations = ArticleTranslation.objects.filter(
            version__review_status=ReviewStatus.PUBLISHED, status=TranslationStatus.PUBLISHED
        ).select_related("version__article")
        by_article: dict[Any, list[Any]] = defaultdict(list)
        for translation in translations:
            by_article[translation.version.article].append(translation)
        for article, items in by_article.items():
            self.topics[article.slug] = _roots([t.code for t in article.topics.all()])
            periods = validity_periods({t.version.pk: t.version for t in items}.values())
            for t in items:
                until = periods[t.version.pk]
                if t.version.valid_from <= today and (until is None or today <= until):
                    self.db.execute(
                        "INSERT INTO base VALUES (?, ?, ?, ?)",
                        (article.slug, t.question, t.phrasings, t.answer),
                    )

    def search(self, text: str) -> list[str]:
        words = re.findall(r"\w+", text.lower())
        if not words:
            return []
        expression = " OR ".join(f'"{word}"' for word in words)
        rows = self.db.execute(
            "SELECT slug FROM base WHERE base MATCH ? ORDER BY rank LIMIT 50", (expression,)
        ).fetchall()
        return list(dict.fromkeys(slug for (slug,) in rows))[:TOP]


def _score(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for language in (*LANGUAGES, "all"):
        chosen = [r for r in rows if language in ("all", r["lang"])]
        if not chosen:
            continue
        table[language] = {
            "queries": len(chosen),
            "hit@1": round(sum(r[key][0] for r in chosen) / len(chosen), 3),
            "hit@3": round(sum(r[key][1] for r in chosen) / len(chosen), 3),
        }
    return table


def _by_kind(rows: list[dict[str, Any]]) -> dict[str, float]:
    kinds: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        kinds[row["kind"]].append(row["ours"][1])
    return {kind: round(sum(v) / len(v), 3) for kind, v in sorted(kinds.items())}


def run(queries_path: Path) -> dict[str, Any]:
    from django.db import connection

    from helpline.accounts.models import Role, User
    from helpline.demo.articles import knowledge_load
    from helpline.knowledge.selectors import knowledge_search

    articles = knowledge_load()
    today = datetime.date.today()
    reader = User(username="eval", role=Role.CONSULTANT, is_active=True)
    baseline = Baseline(today)
    rows = []
    for query in _read_queries(queries_path):
        hits = knowledge_search(actor=reader, text=query["query"], on_date=today, top=TOP)
        ours = [query["topic"] in _roots(hit.topic_codes) for hit in hits]
        theirs = [
            query["topic"] in baseline.topics[slug] for slug in baseline.search(query["query"])
        ]
        rows.append(
            {
                **query,
                "ours": (any(ours[:1]), any(ours[:TOP])),
                "baseline": (any(theirs[:1]), any(theirs[:TOP])),
                "top": [hit.slug for hit in hits],
            }
        )
    ours_table, base_table = _score(rows, "ours"), _score(rows, "baseline")
    met = ours_table["all"]["hit@3"] >= GOAL_OVERALL and all(
        ours_table[lang]["hit@3"] >= GOAL_PER_LANGUAGE for lang in LANGUAGES if lang in ours_table
    )
    return {
        "date": today.isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "sqlite": sqlite3.sqlite_version,
        "database": connection.vendor,
        "articles": articles,
        "documents": _documents(),
        "ours": ours_table,
        "baseline": base_table,
        "ours_hit3_by_kind": _by_kind(rows),
        "goal": {"overall_hit@3": GOAL_OVERALL, "per_language_hit@3": GOAL_PER_LANGUAGE},
        "goal_met": met,
        "misses": [
            {k: r[k] for k in ("lang", "kind", "topic", "query", "top")}
            for r in rows
            if not r["ours"][1]
        ],
    }


def _documents() -> int:
    from helpline.knowledge.models import SearchDocument

    return SearchDocument.objects.count()


def _markdown(result: dict[str, Any]) -> str:
    lines = [
        MARK_START,
        f"### Knowledge search quality ({result['date']}, {result['machine']})",
        "",
        f"{result['articles']} demo articles, {result['documents']} searchable texts; "
        f"queries from `bench/knowledge_queries.tsv`. Goal: hit@3 ≥ {GOAL_OVERALL:.2f} overall "
        f"and ≥ {GOAL_PER_LANGUAGE:.2f} in every language: "
        f"**{'met' if result['goal_met'] else 'not met'}**.",
        "",
        "| Language | Queries | Ours hit@1 | Ours hit@3 | FTS5 hit@1 | FTS5 hit@3 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for language in (*LANGUAGES, "all"):
        ours, base = result["ours"].get(language), result["baseline"].get(language)
        if ours:
            lines.append(
                f"| {language} | {ours['queries']} | {ours['hit@1']:.3f} | {ours['hit@3']:.3f} "
                f"| {base['hit@1']:.3f} | {base['hit@3']:.3f} |"
            )
    kinds = ", ".join(f"{kind} {value:.3f}" for kind, value in result["ours_hit3_by_kind"].items())
    lines += ["", f"Ours, hit@3 by kind of query: {kinds}.", MARK_END]
    return "\n".join(lines)


def _write(result: dict[str, Any]) -> None:
    RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    section = _markdown(result)
    text = RESULTS_MD.read_text("utf-8") if RESULTS_MD.exists() else "# Benchmark results\n"
    if MARK_START in text:
        before, _, rest = text.partition(MARK_START)
        _, _, after = rest.partition(MARK_END)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_MD.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    parser.add_argument("--misses", action="store_true", help="Print every missed query.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="helpline-eval-") as data_dir:
        _setup(data_dir)
        result = run(args.queries)
    print(_markdown(result))
    if args.misses:
        for miss in result["misses"]:
            print(
                f"{miss['lang']}\t{miss['kind']}\t{miss['topic']}\t{miss['query']}\t{miss['top']}"
            )
    if not args.no_write:
        _write(result)


if __name__ == "__main__":
    main()
