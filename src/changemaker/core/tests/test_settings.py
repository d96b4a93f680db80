"""Settings come from the environment; production passes Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "changemaker.settings.production",
    "SECRET_KEY": "x" * 20 + "production-secret-from-the-environment-0123456789",
    "ALLOWED_HOSTS": "participate.exampleton.gov.uk",
    "DATABASE_URL": "postgres://cm:secret@db.internal:5432/changemaker",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=ROOT,
        check=False,
    )


def test_production_passes_check_deploy_with_no_warnings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_weak_secret_key() -> None:
    result = _manage("check", env={**PROD_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_reads_the_environment() -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'],"
        " s.ALLOWED_HOSTS, s.DEBUG, s.SESSION_COOKIE_SECURE)"
    )
    result = _manage("shell", "--no-imports", "-c", code, env=PROD_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "['participate.exampleton.gov.uk']",
        "False",
        "True",
    ]


def test_dev_defaults_to_sqlite_under_var() -> None:
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['NAME'])",
        env={
            "DJANGO_SETTINGS_MODULE": "changemaker.settings.dev",
            "CHANGEMAKER_VAR": "/tmp/cm-var",
        },
    )
    assert result.stdout.strip() == "/tmp/cm-var/changemaker.sqlite3", result.stderr


def test_production_refuses_to_skip_two_factor() -> None:
    result = _manage("check", env={**PROD_ENV, "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR": "1"})
    assert result.returncode != 0
    assert "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR" in result.stderr


def test_check_deploy_refuses_skipping_two_factor_in_any_settings() -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "changemaker.settings.dev",
        "CHANGEMAKER_VAR": "/tmp/cm-var",
        "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR": "1",
    }
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "changemaker.E001" in result.stderr + result.stdout
    # without the switch, two-factor is not the deployment problem
    quiet = _manage("check", "--deploy", env={**env, "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR": ""})
    assert "changemaker.E001" not in quiet.stderr + quiet.stdout
