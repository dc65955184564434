"""Production settings: `check --deploy` is clean on the documented environment; bad settings fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION_ENV = {
    "KB_DEBUG": "0",
    "KB_SECRET_KEY": "k" * 40 + "-production-secret-for-tests-0123456789",
    "KB_ALLOWED_HOSTS": "kb.example.com",
    "KB_CSRF_TRUSTED_ORIGINS": "https://kb.example.com",
    "KB_PROXY_COUNT": "1",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KB_", "PYTEST", "DJANGO_SETTINGS", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    base["KB_TESTING"] = "0"
    base["KB_DATA_DIR"] = env.get("KB_DATA_DIR", str(Path(settings.DATA_DIR)))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warnings_with_documented_production_env(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "KB_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key(tmp_path):
    env = {**PRODUCTION_ENV, "KB_DATA_DIR": str(tmp_path)}
    env.pop("KB_SECRET_KEY")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "KB_SECRET_KEY" in result.stderr


def test_malformed_setting_names_the_variable(tmp_path):
    result = _manage("check", env={**PRODUCTION_ENV, "KB_DATA_DIR": str(tmp_path), "KB_PROXY_COUNT": "two"})
    assert result.returncode != 0
    assert "KB_PROXY_COUNT" in result.stderr
