"""Production settings: hardened, and no unsafe default left to fall back on."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIDA_", "CACHE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "VIDA_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "vida.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/vida",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://vida:secret@mail.example.org:587",
    "VIDA_BASE_URL": "https://vida.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_where_mail_goes_and_where_links_point():
    for name in ("EMAIL_URL", "VIDA_BASE_URL"):
        result = manage("check", env={k: v for k, v in PRODUCTION.items() if k != name})
        assert result.returncode != 0
        assert name in result.stderr


def without_vida_env(env):
    return {k: v for k, v in env.items() if k != "VIDA_ENV"}


def test_with_no_vida_env_the_settings_are_production_and_ask_for_secrets():
    result = manage("check", env={"DATABASE_URL": "sqlite://:memory:"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_with_no_vida_env_debug_is_off_and_check_deploy_is_clean():
    env = without_vida_env(PRODUCTION)
    shown = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG, settings.PRODUCTION)", env=env
    )
    assert shown.stdout.splitlines()[-1].split() == ["False", "True"], shown.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_needs_a_shared_cache_for_throttles_and_lockouts():
    env = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr
