"""A throwaway PostgreSQL server for tests and benchmarks, from the machine's binaries.

    python scripts/pg_server.py start DIR   # prints the DATABASE_URL, server keeps running
    python scripts/pg_server.py stop DIR    # stops it and removes DIR

The server listens on 127.0.0.1 on a free port and on a socket inside DIR, trusts local
connections (it holds only test data) and is run as an unprivileged user when started by
root, as PostgreSQL requires. Nothing outside DIR is touched.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL server binaries, or None."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user() -> tuple[list[str], str | None]:
    """Command prefix to drop root privileges, and the user name (None when not root)."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], name
    raise SystemExit("No unprivileged user (postgres, nobody) to run PostgreSQL as.")


def start(directory: Path) -> str:
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) not found.")
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "data"
    prefix, user = _as_user()
    if user:
        info = pwd.getpwnam(user)
        os.chown(directory, info.pw_uid, info.pw_gid)
    directory.chmod(0o700)
    port = _free_port()
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "helpline",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        " -c max_connections=200 -c shared_buffers=256MB -c work_mem=16MB"
    )
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(directory / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (directory / "port").write_text(str(port))
    return f"postgres://helpline@127.0.0.1:{port}/postgres"


def stop(directory: Path) -> None:
    bindir = find_bindir()
    data = directory / "data"
    if bindir is not None and data.exists():
        prefix, _user = _as_user()
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        raise SystemExit(__doc__)
    target = Path(sys.argv[2]).resolve()
    if sys.argv[1] == "start":
        print(start(target))
    else:
        stop(target)
