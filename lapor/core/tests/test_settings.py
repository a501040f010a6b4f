"""Configuration from the environment, checked in fresh interpreters."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # a clean environment: the test settings put their own values into os.environ
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    base["LAPOR_VAR_DIR"] = str(ROOT / "var")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_without_debug_is_a_clear_startup_error():
    # when Django starts with DEBUG off and no SECRET_KEY
    result = _manage("check", env={"DEBUG": "0"})
    # then it refuses to start and says what to do
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_with_production_defaults():
    # given production-like environment: only a secret and the host name
    env = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "lapor.go.id"}
    # when
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_the_database():
    # given a DATABASE_URL for PostgreSQL
    env = {"DEBUG": "1", "DATABASE_URL": "postgres://someone@db.example:5433/lapor"}
    # when the settings are printed
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])",
        env=env,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "db.example",
        "5433",
        "lapor",
    ]
