"""Search time of the knowledge base with 10,000 articles in 5 languages, SQLite and PostgreSQL.

    .venv/bin/python bench/knowledge_bench.py [--articles N] [--databases sqlite,postgresql]

For each database a fresh one is made (an SQLite file in a temporary directory; a throwaway
PostgreSQL server from scripts/pg_server.py), migrated and loaded with the demo knowledge
base; then N more articles are generated from the demo texts (a published version each,
translated into ru, en, uz, tg and ky), bulk-inserted, indexed with ``index_rebuild()`` and
analysed. After warm-up, the script times (a) ``knowledge_search`` for the labelled queries
of bench/knowledge_queries.tsv, (b) the same filtered by citizenship UZ and (c) the intake
suggestions (``knowledge_intake:suggestions``) through Django's test client, logged in as a
consultant. The goal is p95 ≤ 20 ms for each. The results go to
bench/results/knowledge.json and to a section of bench/RESULTS.md. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import itertools
import json
import random
import re
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness

ROOT = harness.ROOT
QUERIES = ROOT / "bench" / "knowledge_queries.tsv"
RESULTS_JSON = ROOT / "bench" / "results" / "knowledge.json"
MARK_START = "<!-- knowledge:start -->"
MARK_END = "<!-- knowledge:end -->"
GOAL_P95_MS = 20.0
LANGUAGES = ("ru", "en", "uz", "tg", "ky")
CONSULTANT = "moscow-consultant"
CITIZENSHIP = "UZ"
# Callers' citizenships for the intake suggestions, roughly as often as they call.
INTAKE_CITIZENSHIPS = ("UZ", "UZ", "UZ", "TJ", "TJ", "KG", "KZ", "AM", "AZ", "IN")
BATCH = 2000
SCENARIOS = (
    ("search", "knowledge_search, top 10"),
    ("search_uz", "knowledge_search, top 10, citizenship UZ"),
    ("suggestions", "Intake suggestions (GET, test client)"),
)

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_LIST_MARK = re.compile(r"^\s*(?:[-+*]|\d+\.)\s+")
_WORD = re.compile(r"\w+")


# --- Generated articles ---------------------------------------------------------------------


@dataclass
class DemoArticle:
    slug: str
    topic_ids: list[int]
    questions: dict[str, str]  # language → question
    phrasings: dict[str, list[str]] = field(default_factory=dict)  # language → phrasings


@dataclass
class LanguageTexts:
    """What the demo says in one language, in a stable order, to recombine."""

    questions: list[str] = field(default_factory=list)
    phrasings: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


def _sentences(markdown: str) -> list[str]:
    """The sentences of an answer: list items and lines cut at their full stops."""
    found = []
    for line in markdown.splitlines():
        line = _LIST_MARK.sub("", line).strip()
        if not line or line.startswith(("#", "|", ">")):
            continue
        for sentence in _SENTENCE_END.split(line):
            if len(sentence.split()) >= 3:
                found.append(sentence)
    return found


def demo_texts() -> tuple[list[DemoArticle], dict[str, LanguageTexts]]:
    """The published demo articles and their texts by language."""
    from helpline.knowledge.models import Article, ArticleTranslation

    articles: dict[uuid.UUID, DemoArticle] = {}
    for article in Article.objects.filter(is_demo=True).prefetch_related("topics"):
        articles[article.pk] = DemoArticle(
            slug=article.slug,
            topic_ids=sorted(t.pk for t in article.topics.all()),
            questions={},
        )
    texts = {language: LanguageTexts() for language in LANGUAGES}
    words: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    translations = (
        ArticleTranslation.objects.filter(
            version__article__is_demo=True,
            version__review_status="published",
            status="published",
        )
        .select_related("version")
        .order_by("version__article__slug", "-version__valid_from", "language")
    )
    for t in translations:
        if t.language not in texts:
            continue
        demo = articles[t.version.article_id]
        demo.questions.setdefault(t.language, t.question)
        demo.phrasings.setdefault(t.language, t.phrasing_list)
        pool = texts[t.language]
        pool.questions.append(t.question)
        pool.phrasings.extend(t.phrasing_list)
        pool.sentences.extend(_sentences(t.answer))
        for text in (t.question, t.phrasings, t.answer):
            words[t.language].update(
                w.lower() for w in _WORD.findall(text) if w.isalpha() and len(w) >= 4
            )
    for language, pool in texts.items():
        pool.questions = list(dict.fromkeys(pool.questions))
        pool.phrasings = list(dict.fromkeys(pool.phrasings))
        pool.sentences = list(dict.fromkeys(pool.sentences))
        pool.words = sorted(words[language])
        if not (pool.questions and pool.phrasings and len(pool.sentences) >= 8 and pool.words):
            raise SystemExit(f"The demo knowledge base has too little text in {language}.")
    return sorted(articles.values(), key=lambda a: a.slug), texts


def _question(rng: random.Random, base: DemoArticle, pool: LanguageTexts, language: str) -> str:
    question = base.questions.get(language) or rng.choice(pool.questions)
    extra = " ".join(rng.sample(pool.words, rng.choice((1, 2))))
    stem = question.rstrip("?!. ")
    return f"{stem} {extra}?" if question.endswith("?") else f"{stem} {extra}"


def _phrasings(rng: random.Random, base: DemoArticle, pool: LanguageTexts, language: str) -> str:
    """2–4 demo phrasings: the base article's own first, then others of the language."""
    count = rng.randint(2, 4)
    own = base.phrasings.get(language, [])
    chosen = rng.sample(own, min(count, len(own)))
    while len(chosen) < count:
        chosen.append(rng.choice(pool.phrasings))
    return "\n".join(dict.fromkeys(chosen))


def _answer(rng: random.Random, pool: LanguageTexts) -> str:
    sentences = rng.sample(pool.sentences, rng.randint(3, 8))
    lead = rng.randint(1, min(3, len(sentences)))
    paragraphs = [" ".join(sentences[:lead])]
    rest = sentences[lead:]
    if rest and rng.random() < 0.5:
        paragraphs.append("\n".join(f"- {s}" for s in rest))
    elif rest:
        paragraphs.append(" ".join(rest))
    return "\n\n".join(paragraphs)


def _citizenship(rng: random.Random) -> tuple[bool, bool, bool]:
    """Who an article applies to: everyone half of the time, else one or two groups."""
    if rng.random() < 0.5:
        return True, True, True
    groups = rng.choice(
        [(True, False, False), (False, True, False), (False, False, True),
         (False, True, True), (True, True, False)]
    )  # fmt: skip
    return groups


def articles_generate(count: int, seed: int) -> dict[str, int]:
    """`count` published articles in the five languages, bulk-inserted. Returns row counts."""
    from django.db import transaction

    from helpline.consultations.models import Topic
    from helpline.consultations.services import topic_mask_for
    from helpline.knowledge.models import Article, ArticleTranslation, ArticleVersion

    rng = random.Random(f"knowledge-bench-{seed}")
    bases, texts = demo_texts()
    topic_ids = sorted({pk for base in bases for pk in base.topic_ids})
    topics = {t.pk: t for t in Topic.objects.filter(pk__in=topic_ids).select_related("parent")}
    through = Article.topics.through
    counts = {"articles": 0, "versions": 0, "translations": 0, "topic_links": 0}

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    articles: list[Article] = []
    versions: list[ArticleVersion] = []
    translations: list[ArticleTranslation] = []
    links: list[Any] = []

    def flush() -> None:
        Article.objects.bulk_create(articles, batch_size=BATCH)
        ArticleVersion.objects.bulk_create(versions, batch_size=BATCH)
        ArticleTranslation.objects.bulk_create(translations, batch_size=BATCH)
        through.objects.bulk_create(links, batch_size=BATCH)
        counts["articles"] += len(articles)
        counts["versions"] += len(versions)
        counts["translations"] += len(translations)
        counts["topic_links"] += len(links)
        for rows in (articles, versions, translations, links):
            rows.clear()

    first_day = datetime.date(2024, 1, 1)
    with transaction.atomic():
        for n in range(count):
            base = rng.choice(bases)
            if rng.random() < 0.7 and base.topic_ids:
                chosen = base.topic_ids
            else:
                chosen = sorted(rng.sample(topic_ids, rng.choice((1, 1, 2))))
            eaeu, visa_free, visa = _citizenship(rng)
            article = Article(
                id=new_id(),
                slug=f"bench-{n:05d}-{base.slug}"[:100],
                topic_mask=topic_mask_for(topics[pk] for pk in chosen),
                for_eaeu=eaeu,
                for_visa_free=visa_free,
                for_visa=visa,
                for_migrants=True,
                for_employers=rng.random() < 0.1,
            )
            valid_from = first_day + datetime.timedelta(days=rng.randrange(700))
            version = ArticleVersion(
                id=new_id(),
                article=article,
                valid_from=valid_from,
                review_status="published",
                reviewer_name="legal-team",
                reviewed_on=valid_from,
                next_review_on=valid_from + datetime.timedelta(days=365),
            )
            articles.append(article)
            versions.append(version)
            links.extend(through(article_id=article.pk, topic_id=pk) for pk in chosen)
            for language in LANGUAGES:
                pool = texts[language]
                translations.append(
                    ArticleTranslation(
                        id=new_id(),
                        version=version,
                        language=language,
                        question=_question(rng, base, pool, language),
                        phrasings=_phrasings(rng, base, pool, language),
                        answer=_answer(rng, pool),
                        status="published",
                    )
                )
            if len(articles) >= BATCH:
                flush()
        flush()
    return counts


# --- Measurements ---------------------------------------------------------------------------


def read_queries(path: Path = QUERIES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["query"].strip()]


def _timed(
    run: Callable[[dict[str, str]], int],
    warm: list[dict[str, str]],
    order: list[dict[str, str]],
) -> tuple[list[float], list[int], list[int]]:
    """Run each query of `warm` untimed, then each of `order` timed around the call.

    `run` returns how many answers it found. SQL queries are counted during the timed
    calls by an execute wrapper (a counter: microseconds against milliseconds).
    """
    from django.db import connection

    for row in warm:
        run(row)
    executed = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed[0] += 1
        return execute(sql, params, many, context)

    times: list[float] = []
    queries: list[int] = []
    found: list[int] = []
    with connection.execute_wrapper(count):
        for row in order:
            before = executed[0]
            began = time.perf_counter()
            hits = run(row)
            times.append(time.perf_counter() - began)
            queries.append(executed[0] - before)
            found.append(hits)
    return times, queries, found


def measure(
    name: str, texts: list[dict[str, str]], requests: int, warmup: int, seed: int
) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from helpline.accounts.models import User
    from helpline.common.models import Language
    from helpline.knowledge.selectors import knowledge_search

    consultant = User.objects.get(username=CONSULTANT)
    # The warm-up starts the cycle where the timed requests do not end, so both see all.
    order = list(itertools.islice(itertools.cycle(texts), requests))
    warm = [texts[-1 - i % len(texts)] for i in range(warmup)]

    if name in ("search", "search_uz"):
        citizenship = CITIZENSHIP if name == "search_uz" else ""

        def run(row: dict[str, str]) -> int:
            hits = knowledge_search(
                actor=consultant, text=row["query"], citizenship=citizenship, top=10
            )
            return len(hits)

    elif name == "suggestions":
        client = Client()
        client.force_login(consultant)
        url = reverse("knowledge_intake:suggestions")
        language_pk = dict(Language.objects.values_list("code", "pk"))
        rng = random.Random(f"{seed}-suggestions")
        citizenships = {id(row): rng.choice(INTAKE_CITIZENSHIPS) for row in texts}

        def run(row: dict[str, str]) -> int:
            # What the intake form sends: the question, the caller's citizenship and the
            # language of the consultation (a pk of the languages list).
            response = client.get(
                url,
                {
                    "question": row["query"],
                    "citizenship": citizenships[id(row)],
                    "language": str(language_pk.get(row["lang"], "")),
                },
            )
            if response.status_code != 200:
                raise SystemExit(f"suggestions: HTTP {response.status_code}")
            return response.content.count(b'class="suggestion"')

    else:  # pragma: no cover
        raise ValueError(name)

    times, queries, found = _timed(run, warm, order)
    result = harness.stats(times, queries)
    result["queries_mean"] = round(sum(queries) / len(queries), 2)
    result["hits_mean"] = round(sum(found) / len(found), 2)
    result["no_hits"] = sum(1 for n in found if n == 0)
    return result


def _index_size() -> dict[str, int]:
    from helpline.knowledge.models import SearchDocument, SearchTerm
    from helpline.knowledge.search.vocabulary import vocabulary

    vocab = vocabulary()
    return {
        "documents": SearchDocument.objects.count(),
        "vocabulary": SearchTerm.objects.count(),
        "vocabulary_stems": sum(len(keys) for keys in vocab.by_initial.values()),
        "most_common_keys": dict(
            SearchTerm.objects.order_by("-documents", "key").values_list("key", "documents")[:8]
        ),
    }


def worker(args: argparse.Namespace) -> None:
    harness.worker_environment(args)
    from django.core.management import call_command

    from helpline.demo.articles import knowledge_load
    from helpline.demo.network import ensure_network
    from helpline.knowledge.models import Article, ArticleTranslation
    from helpline.knowledge.search.indexing import index_rebuild

    log = sys.stderr

    def say(message: str) -> None:
        print(f"[{args.database}] {message}", file=log, flush=True)

    say("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    ensure_network()
    began = time.perf_counter()
    demo_articles = knowledge_load()
    demo_seconds = time.perf_counter() - began
    say(f"{demo_articles} demo articles loaded and indexed in {demo_seconds:.1f} s")
    say(f"generating and inserting {args.articles:,} articles × {len(LANGUAGES)} languages")
    began = time.perf_counter()
    counts = articles_generate(args.articles, args.seed)
    load_seconds = time.perf_counter() - began
    say(f"{counts['translations']:,} translations inserted in {load_seconds:.1f} s; indexing")
    # First as an import does it: in the same state as after the load, before the
    # planner has statistics of the new rows; then again once they are analysed.
    began = time.perf_counter()
    documents = index_rebuild()
    index_seconds = time.perf_counter() - began
    say(f"{documents:,} search documents built in {index_seconds:.1f} s; analysing")
    analyze_seconds = harness.analyze()
    began = time.perf_counter()
    index_rebuild()
    reindex_seconds = time.perf_counter() - began
    analyze_seconds += harness.analyze()
    say(f"rebuilt with statistics in {reindex_seconds:.1f} s")
    result: dict[str, Any] = {
        "database": args.database,
        "version": harness.database_version(),
        "articles": Article.objects.count(),
        "demo_articles": demo_articles,
        "generated_articles": counts["articles"],
        "translations": ArticleTranslation.objects.count(),
        "topic_links": Article.topics.through.objects.count(),
        **_index_size(),
        "demo_load_seconds": round(demo_seconds, 1),
        "load_seconds": round(load_seconds, 1),
        "index_seconds": round(index_seconds, 1),
        "reindex_seconds": round(reindex_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
        "scenarios": [],
    }
    texts = read_queries()
    random.Random(f"{args.seed}-queries").shuffle(texts)
    result["queries_in_set"] = len(texts)
    for name, label in SCENARIOS:
        stats = measure(name, texts, args.requests, args.warmup, args.seed)
        stats.update(scenario=name, label=label)
        result["scenarios"].append(stats)
        say(
            f"{label}: p50 {stats['p50_ms']} ms, p95 {stats['p95_ms']} ms,"
            f" max {stats['max_ms']} ms, {harness.queries_label(stats)} queries"
        )
    Path(args.result_file).write_text(json.dumps(result, indent=2))


# --- Parent: one child per database, then the report --------------------------------------


def markdown(report: dict[str, Any]) -> str:
    lines = [
        MARK_START,
        "## Knowledge base: search time at scale",
        "",
        f"Run {report['date']} with `bench/knowledge_bench.py --articles {report['articles']}`"
        f" on {harness.machine_line(report['machine'])}.",
        "",
        f"The demo knowledge base plus {report['articles']:,} generated articles, each with a"
        f" published version in {len(LANGUAGES)} languages ({', '.join(LANGUAGES)}), texts"
        " recombined from the demo texts of the same language. The"
        f" {len(read_queries())} labelled queries of `bench/knowledge_queries.tsv`, in"
        f" a fixed shuffled order, repeated to {report['requests']} timed requests after"
        f" {report['warmup']} warm-up ones; goal: p95 ≤ {GOAL_P95_MS:.0f} ms. Search: time"
        " of the `knowledge_search` call (answers valid today, top 10). Suggestions: server"
        " time of a GET of the intake suggestions through Django's test client (question,"
        " caller's citizenship and language; 5 answers). Queries: SQL queries per request"
        " (session and user included for the suggestions). Hits: answers found, on average.",
        "",
    ]
    for db in report["databases"]:
        lines += [
            f"### {db['version']}: {db['articles']:,} articles, {db['documents']:,} search"
            f" documents, {db['vocabulary']:,} index keys",
            "",
            f"Measured {db.get('date', report['date'])}. Generated and bulk-inserted in"
            f" {db['load_seconds']} s ({db['translations']:,} translations, generated from"
            f" {db['demo_articles']} demo articles); indexed by `index_rebuild()` in"
            f" {db['index_seconds']} s right after the load, in {db['reindex_seconds']} s"
            " again once analysed;"
            f" {'VACUUM ANALYZE' if db['database'] == 'postgresql' else 'ANALYZE'}:"
            f" {db['analyze_seconds']} s.",
            "",
            "| Scenario | p50 ms | p95 ms | mean ms | max ms | queries | hits | goal |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
        ]
        for s in db["scenarios"]:
            ok = "✅" if s["p95_ms"] <= GOAL_P95_MS else "❌"
            lines.append(
                f"| {s['label']} | {s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']}"
                f" | {s['max_ms']} | {harness.queries_label(s)} | {s['hits_mean']} | {ok} |"
            )
        lines.append("")
    lines.append(MARK_END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles to generate")
    harness.add_common_arguments(parser, requests=1000, warmup=50)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return
    harness.run_benchmark(
        args,
        parser,
        script=Path(__file__),
        sizes={"articles": args.articles},
        goal_p95_ms=GOAL_P95_MS,
        results_json=RESULTS_JSON,
        markdown=markdown,
        marks=(MARK_START, MARK_END),
    )


if __name__ == "__main__":
    main()
