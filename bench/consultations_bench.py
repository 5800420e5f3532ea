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
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_JSON = ROOT / "bench" / "results" / "consultations.json"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
PG_SERVER = ROOT / "scripts" / "pg_server.py"
MARK_START = "<!-- consultations:start -->"
MARK_END = "<!-- consultations:end -->"
GOAL_P95_MS = 50.0
DATABASES = ("sqlite", "postgresql")
SCENARIOS = (
    ("create", "moscow-consultant", "Save an intake (POST)"),
    ("list_default", "moscow-consultant", "List, default filter"),
    ("list_default", "national", "List, default filter"),
    ("list_filtered", "moscow-consultant", "List, topic + citizenship, 30 days"),
    ("list_filtered", "national", "List, topic + citizenship, 30 days"),
    ("detail", "moscow-consultant", "Detail of a recent contact"),
)


# --- Worker: one database, in its own process ---------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpline.settings")
    import django

    django.setup()


def _analyze() -> float:
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
            cursor.execute("ANALYZE")
        else:
            # What autovacuum does after a bulk load: statistics, and the visibility map
            # that lets counts read indexes alone.
            cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - began


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def _stats(times: list[float], queries: list[int]) -> dict[str, Any]:
    ms = sorted(t * 1000 for t in times)
    return {
        "requests": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(statistics.quantiles(ms, n=100, method="inclusive")[94], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(ms[-1], 2),
        "queries": max(queries),
        "queries_min": min(queries),
    }


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
    result = _stats(times, queries)
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
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("HELPLINE_DEBUG", "0")  # measure as served, not in debug mode
    _setup_django()
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
    analyze_seconds = _analyze()
    result: dict[str, Any] = {
        "database": args.database,
        "version": _database_version(),
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


def _machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["processor"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return info


def _run_worker(database: str, url: str, data_dir: Path, args: argparse.Namespace) -> dict:
    result_file = data_dir / "result.json"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HELPLINE_DATA_DIR": str(data_dir),
        "HELPLINE_ENV": "development",
        "HELPLINE_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "helpline.settings",
    }
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker",
        "--database", database, "--database-url", url, "--result-file", str(result_file),
        "--count", str(args.count), "--seed", str(args.seed),
        "--requests", str(args.requests), "--warmup", str(args.warmup),
    ]  # fmt: skip
    if args.verbose:
        command.append("--verbose")
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return json.loads(result_file.read_text())


def run_sqlite(args: argparse.Namespace) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="helpline-bench-sqlite-"))
    try:
        url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        return _run_worker("sqlite", url, data_dir, args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run_postgresql(args: argparse.Namespace) -> dict:
    server_dir = Path(tempfile.mkdtemp(prefix="helpline-bench-pg-", dir="/tmp"))
    data_dir = Path(tempfile.mkdtemp(prefix="helpline-bench-data-"))
    try:
        url = subprocess.run(
            [sys.executable, str(PG_SERVER), "start", str(server_dir)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return _run_worker("postgresql", url, data_dir, args)
    finally:
        subprocess.run([sys.executable, str(PG_SERVER), "stop", str(server_dir)], check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        MARK_START,
        "## Consultations: server time at scale",
        "",
        f"Run {report['date']} with `bench/consultations_bench.py --count {report['count']}`"
        f" on {m.get('processor', '?')}, {m.get('cpu_count', '?')} CPUs,"
        f" {m.get('memory_gib', '?')} GiB RAM, {m.get('platform', '?')},"
        f" Python {m.get('python', '?')}.",
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
            queries = (
                str(s["queries"])
                if s["queries"] == s["queries_min"]
                else f"{s['queries_min']}–{s['queries']}"
            )
            lines.append(
                f"| {s['label']} | {s['user']} | {s['p50_ms']} | {s['p95_ms']} | {s['mean_ms']}"
                f" | {s['max_ms']} | {queries} | {ok} |"
            )
        lines.append("")
    lines.append(MARK_END)
    return "\n".join(lines)


def write_results_md(section: str, path: Path = RESULTS_MD) -> None:
    """Replace the consultations section of RESULTS.md, keeping every other section."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if MARK_START in text and MARK_END in text:
        before, rest = text.split(MARK_START, 1)
        _old, after = rest.split(MARK_END, 1)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def _merge_previous(report: dict[str, Any]) -> dict[str, Any]:
    """Keep the last results of the databases not measured this time (same --count only)."""
    try:
        previous = json.loads(RESULTS_JSON.read_text())
    except (OSError, ValueError):
        return report
    if previous.get("count") != report["count"]:
        return report
    measured = {db["database"] for db in report["databases"]}
    kept = [
        {**db, "date": db.get("date", previous.get("date"))}
        for db in previous.get("databases", [])
        if db.get("database") not in measured
    ]
    order = {name: i for i, name in enumerate(DATABASES)}
    merged = sorted([*report["databases"], *kept], key=lambda db: order.get(db["database"], 99))
    return {**report, "databases": merged}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="contacts to load")
    parser.add_argument("--databases", default=",".join(DATABASES), help="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=200, help="timed requests each")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="print, do not save results")
    parser.add_argument("--verbose", action="store_true", help="show the load's progress")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown database: {', '.join(sorted(unknown))}")
    if args.requests < 20:
        parser.error("--requests must be at least 20 (p95 needs them)")
    report: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "count": args.count,
        "requests": args.requests,
        "warmup": args.warmup,
        "goal_p95_ms": GOAL_P95_MS,
        "machine": _machine(),
        "databases": [],
    }
    runners = {"sqlite": run_sqlite, "postgresql": run_postgresql}
    for database in databases:
        result = runners[database](args)
        result["date"] = report["date"]
        report["databases"].append(result)
    if not args.no_write:
        report = _merge_previous(report)
    section = markdown(report)
    print(section)
    if not args.no_write:
        RESULTS_JSON.parent.mkdir(parents=True, exist_ok=True)
        RESULTS_JSON.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        write_results_md(section)
        print(f"Written {RESULTS_JSON.relative_to(ROOT)} and {RESULTS_MD.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
