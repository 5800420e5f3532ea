"""What the benchmarks share: a worker process per database, statistics, the report files.

A benchmark script runs itself again as a child process (``--worker``) for each database,
because the settings read the database URL from the environment when they are imported:

- ``run_database`` makes a fresh database (an SQLite file in a temporary directory, or a
  throwaway PostgreSQL server from ``scripts/pg_server.py``), runs the worker against it
  and returns the worker's JSON result;
- in the worker, ``setup_django`` then ``analyze``, ``database_version`` and ``stats``;
- in the parent, ``machine`` describes the computer, ``merge_previous`` keeps the last
  results of the databases not measured this time, and ``write_results_md`` replaces the
  benchmark's marked section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
PG_SERVER = ROOT / "scripts" / "pg_server.py"
DATABASES = ("sqlite", "postgresql")


# --- Command line -------------------------------------------------------------------------


def add_common_arguments(
    parser: argparse.ArgumentParser, *, requests: int, warmup: int, seed: int = 1
) -> None:
    """--databases, --requests, --warmup, --seed, --no-write, --verbose and the worker's."""
    parser.add_argument("--databases", default=",".join(DATABASES), help="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=requests, help="timed requests each")
    parser.add_argument("--warmup", type=int, default=warmup, help="untimed requests first")
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--no-write", action="store_true", help="print, do not save results")
    parser.add_argument("--verbose", action="store_true", help="show the load's progress")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)


def databases_chosen(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The databases of --databases, checked; also checks that --requests allows a p95."""
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - set(DATABASES)
    if unknown:
        parser.error(f"unknown database: {', '.join(sorted(unknown))}")
    if args.requests < 20:
        parser.error("--requests must be at least 20 (p95 needs them)")
    return databases


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


# --- Worker side ----------------------------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpline.settings")
    import django

    django.setup()


def worker_environment(args: argparse.Namespace) -> None:
    """Point the settings at the worker's database and set Django up."""
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("HELPLINE_DEBUG", "0")  # measure as served, not in debug mode
    setup_django()


def analyze() -> float:
    """Statistics for the planner after a bulk load; returns the seconds it took."""
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


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("show server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def stats(times: Sequence[float], queries: Sequence[int]) -> dict[str, Any]:
    """p50, p95, mean and max in ms of `times` (seconds); the most and fewest queries."""
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


def queries_label(result: dict[str, Any]) -> str:
    """The queries of one request, for a table: 6, or 6–10 when they vary."""
    if result["queries"] == result["queries_min"]:
        return str(result["queries"])
    return f"{result['queries_min']}–{result['queries']}"


# --- Parent side ----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
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


def machine_line(m: dict[str, Any]) -> str:
    return (
        f"{m.get('processor', '?')}, {m.get('cpu_count', '?')} CPUs,"
        f" {m.get('memory_gib', '?')} GiB RAM, {m.get('platform', '?')},"
        f" Python {m.get('python', '?')}"
    )


def _run_worker(
    script: Path, database: str, url: str, data_dir: Path, worker_args: Sequence[str]
) -> dict[str, Any]:
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
        sys.executable, str(Path(script).resolve()), "--worker",
        "--database", database, "--database-url", url, "--result-file", str(result_file),
        *worker_args,
    ]  # fmt: skip
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return json.loads(result_file.read_text())


def run_sqlite(script: Path, worker_args: Sequence[str]) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="helpline-bench-sqlite-"))
    try:
        url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        return _run_worker(script, "sqlite", url, data_dir, worker_args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run_postgresql(script: Path, worker_args: Sequence[str]) -> dict[str, Any]:
    server_dir = Path(tempfile.mkdtemp(prefix="helpline-bench-pg-", dir="/tmp"))
    data_dir = Path(tempfile.mkdtemp(prefix="helpline-bench-data-"))
    try:
        url = subprocess.run(
            [sys.executable, str(PG_SERVER), "start", str(server_dir)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return _run_worker(script, "postgresql", url, data_dir, worker_args)
    finally:
        subprocess.run([sys.executable, str(PG_SERVER), "stop", str(server_dir)], check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


def run_database(database: str, script: Path, worker_args: Sequence[str]) -> dict[str, Any]:
    """Run `script --worker` on a fresh database of that kind; its result."""
    runners: dict[str, Callable[[Path, Sequence[str]], dict[str, Any]]] = {
        "sqlite": run_sqlite,
        "postgresql": run_postgresql,
    }
    return runners[database](script, worker_args)


def write_results_md(section: str, start: str, end: str, path: Path = RESULTS_MD) -> None:
    """Replace the section between `start` and `end` of RESULTS.md, keeping the others.

    `section` includes both marks. The file is read just before it is written, so that
    sections another benchmark wrote meanwhile are kept.
    """
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _old, after = rest.split(end, 1)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def merge_previous(
    report: dict[str, Any], results_json: Path, same: Sequence[str]
) -> dict[str, Any]:
    """Keep the last results of the databases not measured this time.

    Only when the previous report was made with the same values of the keys `same`
    (``count``, say); each kept database keeps its own date.
    """
    try:
        previous = json.loads(results_json.read_text())
    except (OSError, ValueError):
        return report
    # A key the previous report lacks (an older format) does not count as a difference.
    if any(key in previous and previous[key] != report.get(key) for key in same):
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


def save_report(report: dict[str, Any], results_json: Path) -> None:
    results_json.parent.mkdir(parents=True, exist_ok=True)
    results_json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def worker_arguments(args: argparse.Namespace, sizes: dict[str, int]) -> list[str]:
    """The command line of a worker: the benchmark's size options, then the common ones."""
    found = [part for name, value in sizes.items() for part in (f"--{name}", str(value))]
    found += ["--seed", str(args.seed), "--requests", str(args.requests)]
    found += ["--warmup", str(args.warmup)]
    return [*found, "--verbose"] if args.verbose else found


def run_benchmark(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    *,
    script: Path,
    sizes: dict[str, int],
    goal_p95_ms: float,
    results_json: Path,
    markdown: Callable[[dict[str, Any]], str],
    marks: tuple[str, str],
) -> None:
    """The parent's whole run: one worker per database chosen, the report, the files."""
    report: dict[str, Any] = {
        "date": now(),
        **sizes,
        "requests": args.requests,
        "warmup": args.warmup,
        "seed": args.seed,
        "goal_p95_ms": goal_p95_ms,
        "machine": machine(),
        "databases": [],
    }
    for database in databases_chosen(parser, args):
        result = run_database(database, script, worker_arguments(args, sizes))
        result["date"] = report["date"]
        report["databases"].append(result)
    if not args.no_write:
        report = merge_previous(report, results_json, same=[*sizes, "seed"])
    section = markdown(report)
    print(section)
    if not args.no_write:
        save_report(report, results_json)
        write_results_md(section, *marks)
        print(f"Written {results_json.relative_to(ROOT)} and bench/RESULTS.md.")
