"""Server time of the consultant screens with a million contacts, on SQLite and PostgreSQL.

    .venv/bin/python bench/consultations_bench.py [--count N] [--databases sqlite,postgresql]

For each database a fresh one is made (an SQLite file in a temporary directory; a throwaway
PostgreSQL server from scripts/pg_server.py), migrated, loaded with the demo generator and
analysed; then Django's test client times, after warm-up requests, (a) saving an intake,
(b) the list with its default filter, (c) the list filtered by topic and citizenship and
(d) the detail page of recent contacts. The results go to bench/results/consultations.json
and to a section of bench/RESULTS.md. See bench/README.md.

Each database is measured in a child process (``--worker``) because the settings read the
database URL from the environment when they are imported.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import harness

ROOT = harness.ROOT
RESULTS_JSON = ROOT / "bench" / "results" / "consultations.json"
MARK_START = "<!-- consultations:start -->"
MARK_END = "<!-- consultations:end -->"
GOAL_P95_MS = 50.0
SCENARIOS = (
    ("create", "moscow-consultant", "Save an intake (POST)"),
    ("list_default", "moscow-consultant", "List, default filter"),
    ("list_default", "national", "List, default filter"),
    ("list_filtered", "moscow-consultant", "List, topic + citizenship, 30 days"),
    ("list_filtered", "national", "List, topic + citizenship, 30 days"),
    ("detail", "moscow-consultant", "Detail of a recent contact"),
)


# --- Worker: one database, in its own process ---------------------------------------------


def _measure(name: str, username: str, requests: int, warmup: int, seed: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from helpline.accounts.models import User
    from helpline.consultations.models import CallerRole, Channel, Consultation, Topic

    rng = random.Random(f"{seed}-{name}-{username}")
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    patent = Topic.objects.get(code="patent")
    url_list = reverse("consultations:list")
    total = warmup + requests

    query: dict[str, str] = {}
    if name == "create":
        channel = Channel.objects.get(code="hotline").pk
        role = CallerRole.objects.get(code="migrant").pk
        topics = list(Topic.objects.filter(is_active=True).values_list("pk", flat=True))
        citizenships = ["UZ", "TJ", "KG", "KZ", "AM"]

        def call() -> Any:
            started = timezone.localtime() - timedelta(minutes=rng.randrange(5, 120))
            data = {
                "started_at": started.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": str(rng.randrange(2, 30)),
                "channel": str(channel),
                "caller_role": str(role),
                "sex": rng.choice(["male", "male", "female"]),
                "citizenship": rng.choice(citizenships),
                "topics": [str(t) for t in rng.sample(topics, rng.choice([1, 2]))],
                "question": "Как оформить патент после въезда?",
                "answer": "Подать документы в течение 30 дней; объяснили список документов.",
            }
            return client.post(reverse("consultations:create"), data)

        expected = 302
    elif name == "list_default":

        def call() -> Any:
            return client.get(url_list)

        expected = 200
    elif name == "list_filtered":
        query = {"topic": str(patent.pk), "citizenship": "UZ", "period": "30"}

        def call() -> Any:
            return client.get(url_list, query)

        expected = 200
    elif name == "detail":
        since = timezone.now() - timedelta(days=30)
        pool = list(
            Consultation.objects.filter(centre_id=user.centre_id, started_at__gte=since)
            .order_by("-started_at")
            .values_list("pk", flat=True)[:5000]
        )
        targets = [rng.choice(pool) for _n in range(total)]

        def call() -> Any:
            return client.get(reverse("consultations:detail", args=[targets.pop()]))

        expected = 200
    else:  # pragma: no cover
        raise ValueError(name)

    queries: list[int] = []
    for _n in range(warmup):  # warm-up, counting queries (not timed)
        with CaptureQueriesContext(connection) as ctx:
            response = call()
        if response.status_code != expected:
            raise SystemExit(f"{name} as {username}: HTTP {response.status_code}")
        queries.append(len(ctx.captured_queries))
    times: list[float] = []
    for _n in range(requests):
        began = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - began)
        if response.status_code != expected:
            raise SystemExit(f"{name} as {username}: HTTP {response.status_code}")
    result = harness.stats(times, queries)
    if name.startswith("list"):
        result["rows_found"] = _rows_found(user, query if name == "list_filtered" else {})
    return result


def _rows_found(user: Any, query: dict[str, str]) -> int:
    """How many contacts the list found (what its pager counts)."""
    from helpline.consultations import selectors
    from helpline.consultations.forms import ConsultationFilterForm

    form = ConsultationFilterForm(query or None, actor=user)
    filters = form.to_filters() if query else selectors.ConsultationFilters.default()
    return selectors.consultation_list(actor=user, filters=filters).count()


def worker(args: argparse.Namespace) -> None:
    harness.worker_environment(args)
    from django.core.management import call_command

    from helpline.consultations.models import Consultation, ConsultationTopic
    from helpline.demo import generator

    log = sys.stderr
    print(f"[{args.database}] migrating", file=log, flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    print(f"[{args.database}] loading {args.count:,} contacts", file=log, flush=True)
    began = time.perf_counter()
    generator.run(count=args.count, seed=args.seed, progress=log if args.verbose else None)
    load_seconds = time.perf_counter() - began
    analyze_seconds = harness.analyze()
    result: dict[str, Any] = {
        "database": args.database,
        "version": harness.database_version(),
        "rows": Consultation.objects.count(),
        "topic_rows": ConsultationTopic.objects.count(),
        "load_seconds": round(load_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
        "scenarios": [],
    }
    print(
        f"[{args.database}] {result['rows']:,} contacts loaded in {load_seconds:.0f} s,"
        f" analysed in {analyze_seconds:.0f} s",
        file=log,
        flush=True,
    )
    for name, username, label in SCENARIOS:
        stats = _measure(name, username, args.requests, args.warmup, args.seed)
        stats.update(scenario=name, user=username, label=label)
        result["scenarios"].append(stats)
        print(
            f"[{args.database}] {label} ({username}): p50 {stats['p50_ms']} ms,"
            f" p95 {stats['p95_ms']} ms, {stats['queries']} queries",
            file=log,
            flush=True,
        )
    Path(args.result_file).write_text(json.dumps(result, indent=2))


# --- Parent: one child per database, then the report --------------------------------------


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        MARK_START,
        "## Consultations: server time at scale",
        "",
        f"Run {report['date']} with `bench/consultations_bench.py --count {report['count']}`"
        f" on {harness.machine_line(m)}.",
        "",
        f"Server time per request through Django's test client, {report['requests']} requests"
        f" after {report['warmup']} warm-up ones; goal: p95 ≤ {GOAL_P95_MS:.0f} ms."
        " Queries: SQL queries made by one request (session and user included).",
        "",
    ]
    for db in report["databases"]:
        lines += [
            f"### {db['version']}: {db['rows']:,} contacts ({db['topic_rows']:,} topic links)",
            "",
            f"Measured {db.get('date', report['date'])}. Loaded by the demo generator in"
            f" {db['load_seconds']} s (then ANALYZE, VACUUM on PostgreSQL:"
            f" {db['analyze_seconds']} s).",
            "",
            "| Scenario | User | p50 ms | p95 ms | mean ms | max ms | queries | goal |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | :---: |",
        ]
        for s in db["scenarios"]:
            ok = "✅" if s["p95_ms"] <= GOAL_P95_MS else "❌"
            queries = harness.queries_label(s)
            lines.append(
                f"| {s['label']} | {s['user']} | {s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']}"
                f" | {s['max_ms']} | {queries} | {ok} |"
            )
        lines.append("")
    lines.append(MARK_END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="contacts to load")
    harness.add_common_arguments(parser, requests=200, warmup=20)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return
    harness.run_benchmark(
        args,
        parser,
        script=Path(__file__),
        sizes={"count": args.count},
        goal_p95_ms=GOAL_P95_MS,
        results_json=RESULTS_JSON,
        markdown=markdown,
        marks=(MARK_START, MARK_END),
    )


if __name__ == "__main__":
    main()
