"""Settings come from the environment; bad values stop start-up with the variable named."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "samenspel.example.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", ""),
        ("ALLOWED_HOSTS", ""),
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "nonsense://"),
        ("DB_CONN_MAX_AGE", "forever"),
        ("DATABASE_REPLICA_URL", "nonsense://"),
        ("REPLICA_PIN_SECONDS", "a while"),
    ],
)
def test_a_missing_or_malformed_variable_stops_start_up_and_names_it(variable, value):
    result = manage("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert variable in result.stderr.splitlines()[-1]


def test_production_uses_secure_cookies_and_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr


SHOW_STORES = (
    "from django.conf import settings as s; "
    "print(sorted(s.DATABASES), s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
)


def test_without_redis_or_a_replica_each_process_caches_for_itself_and_reads_the_primary():
    result = manage("shell", "--no-imports", "-c", SHOW_STORES)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['default']",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]


def test_redis_holds_the_cache_and_the_sessions_and_a_replica_url_adds_the_replica():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_STORES + "; r = s.DATABASES['replica']; print(r['HOST'], r['TEST']['MIRROR'])",
        REDIS_URL="redis://127.0.0.1:6379/5",
        DATABASE_REPLICA_URL="postgres://postgres@replica.internal:5433/samenspel",
    )
    assert result.returncode == 0, result.stderr
    stores, replica = result.stdout.splitlines()
    assert stores.split() == [
        "['default',",
        "'replica']",
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]
    assert replica == "replica.internal default"


def test_development_needs_no_variables():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_a_link_without_a_request_is_built_on_site_root_even_in_development(settings):
    # The admin's invitation column has no request to ask: SITE_ROOT, which `make run`
    # sets to the port it serves on.
    from config.links import absolute_link

    settings.DEBUG = True
    settings.SITE_ROOT = "http://127.0.0.1:8100"

    assert absolute_link("/r/abc/") == "http://127.0.0.1:8100/r/abc/"
