"""Production settings refuse to start without secrets and pass `check --deploy` cleanly."""

from __future__ import annotations

import os
import subprocess
import sys

PROD = {
    "HELPLINE_ENV": "production",
    "HELPLINE_SECRET_KEY": "k" * 20 + "9f8e7d6c5b4a3a2b1c0d-_" + "x" * 20,
    "HELPLINE_CALLER_KEY_SECRET": "c" * 48,
    "HELPLINE_ALLOWED_HOSTS": "helpline.example.org",
}


def helpline(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
    return subprocess.run(
        [sys.executable, "-m", "helpline", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_has_no_warnings(tmp_path):
    result = helpline(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PROD, "HELPLINE_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secrets(tmp_path):
    for missing in ("HELPLINE_SECRET_KEY", "HELPLINE_CALLER_KEY_SECRET", "HELPLINE_ALLOWED_HOSTS"):
        env = {k: v for k, v in PROD.items() if k != missing}
        result = helpline("check", env={**env, "HELPLINE_DATA_DIR": str(tmp_path)})
        assert result.returncode != 0
        assert missing in result.stderr
    assert not list(tmp_path.iterdir())  # no secret was invented for production
