"""The whole test suite, as `make test` runs it.

1. ruff (format and lint), mypy, `makemigrations --check`;
2. pytest on SQLite;
3. pytest on a throwaway PostgreSQL server started from the machine's binaries;
4. the browser tests (Playwright driving the machine's Chromium).

Missing PostgreSQL binaries or Chromium are installed from Debian's packages when running
as root; otherwise that leg is skipped with a loud warning, except under CI (CI=true),
where a missing leg fails the run.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))

import pg_server  # noqa: E402

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
WORKERS = os.environ.get("HELPLINE_TEST_WORKERS", "2")
# What WeasyPrint (the PDF referral slips) loads at run time: Pango and a font.
PDF_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core")


def banner(text: str) -> None:
    print(f"\n=== {text} ===", flush=True)


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    print("$ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, check=False)
    if result.returncode != 0:
        raise SystemExit(f"FAILED ({result.returncode}): {' '.join(cmd)}")


def apt_install(*packages: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    print(f"Installing {' '.join(packages)} from Debian's packages...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=False, env=env)


def find_chromium() -> str | None:
    for path in (os.environ.get("HELPLINE_CHROMIUM", ""), *CHROMIUM_CANDIDATES):
        if path and Path(path).exists():
            return path
    return shutil.which("chromium")


def ensure_pdf_libraries() -> None:
    """Install Pango and the DejaVu fonts when WeasyPrint could not find Pango."""
    if ctypes.util.find_library("pango-1.0") is None:
        apt_install(*PDF_PACKAGES)
    if ctypes.util.find_library("pango-1.0") is None:
        print(
            "!! WARNING: Pango not found; the PDF tests will fail. "
            f"Install {' '.join(PDF_PACKAGES)}.",
            flush=True,
        )


def missing_leg(name: str, why: str) -> None:
    message = f"{name} tests NOT RUN: {why}"
    if CI:
        raise SystemExit(f"FAILED: {message} (required under CI)")
    print("\n" + "!" * 78 + f"\n!! WARNING: {message}\n" + "!" * 78 + "\n", flush=True)


def pytest(args: list[str], env: dict[str, str] | None = None) -> None:
    run([str(BIN / "pytest"), "-q", "-p", "no:randomly", *args], env=env)


def main() -> None:
    banner("Static checks")
    code = [d for d in ("src", "bench", "scripts") if (ROOT / d).is_dir()]
    run([str(BIN / "ruff"), "format", "--check", *code])
    run([str(BIN / "ruff"), "check", *code])
    run([str(BIN / "mypy")])
    with tempfile.TemporaryDirectory(prefix="helpline-check-") as tmp:
        run(
            [str(BIN / "helpline"), "makemigrations", "--check", "--dry-run"],
            env={"HELPLINE_DATA_DIR": tmp},
        )

    ensure_pdf_libraries()
    base_env = {"HELPLINE_DATA_DIR": tempfile.mkdtemp(prefix="helpline-test-")}
    banner("Tests on SQLite")
    pytest(["-n", WORKERS, "-m", "not browser"], env=base_env)

    banner("Tests on PostgreSQL")
    if pg_server.find_bindir() is None:
        apt_install("postgresql")
    if pg_server.find_bindir() is None:
        missing_leg("PostgreSQL", "no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    else:
        pg_dir = Path(tempfile.mkdtemp(prefix="helpline-pg-"))
        try:
            url = pg_server.start(pg_dir)
            pytest(["-n", WORKERS, "-m", "not browser"], env={**base_env, "DATABASE_URL": url})
        finally:
            pg_server.stop(pg_dir)

    banner("Browser tests (Chromium)")
    if find_chromium() is None:
        apt_install("chromium")
    chromium = find_chromium()
    if chromium is None:
        missing_leg("Browser", "Chromium not found (install the 'chromium' package)")
    else:
        pytest(["-m", "browser"], env={**base_env, "HELPLINE_CHROMIUM": chromium})
    shutil.rmtree(base_env["HELPLINE_DATA_DIR"], ignore_errors=True)
    banner("All test legs passed")


if __name__ == "__main__":
    main()
