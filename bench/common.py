"""Shared set-up for the benchmarks: Django on a throw-away test database.

Runs on SQLite by default and on PostgreSQL when DATABASE_URL is set, like the tests.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["DEBUG"] = "false"
os.environ.setdefault(
    "SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
os.environ["SECURE_SSL_REDIRECT"] = "false"
# Persistent connections, as a production set-up would use (DB_CONN_MAX_AGE).
os.environ.setdefault("DB_CONN_MAX_AGE", "60")
os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def test_database() -> Callable[[], None]:
    """Create the test database; returns the function that destroys it."""
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    def destroy() -> None:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    return destroy


def measure(label: str, call: Callable[[], object], *, repeat: int = 50, warmup: int = 3) -> dict:
    """Median and 95th percentile wall time in ms, and the queries of one call."""
    for _ in range(warmup):
        call()
    with CaptureQueriesContext(connection) as captured:
        call()
    # Read now: every later request clears the connection's query log.
    query_count = len(captured)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    result = {
        "label": label,
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "queries": query_count,
        "repeat": repeat,
    }
    print(
        f"{label:<48} median {result['median_ms']:7.2f} ms   p95 {result['p95_ms']:7.2f} ms"
        f"   {result['queries']:3d} queries   (n={repeat})"
    )
    return result


def database_name() -> str:
    return connection.vendor


def uninstrument_templates() -> None:
    """Render templates as a server does: without the test environment's signal, through
    which django.test.Client copies every template's context (for assertTemplateUsed)."""
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render  # type: ignore[method-assign]
