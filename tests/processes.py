"""Samenspel as separate processes, as in production: a web server, task workers and the
periodic run, each a `manage.py` process of its own, beside the tests.

Another process cannot see the tests' database (on SQLite it lives in memory, and inside a
transaction that never commits), so these processes share a database of their own: a file
on SQLite, a new database beside the tests' one on PostgreSQL (the `separate_database`
fixture in tests/conftest.py). The tests read it back through `manage.py shell`.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def environment(database_url: str, smtp_port: int, **overrides: str) -> dict[str, str]:
    """Production settings but for DEBUG (so the web server serves the static files itself):
    mail over SMTP to the test server, tasks on the database queue."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "processes-test-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        **overrides,
    }


def manage(env: dict, *args: str, timeout: float | None = 120) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    # The command's own traceback, not only its exit code, in the test's report.
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}"
    return done


def shell_json(env: dict, code: str) -> object:
    """Runs `code` in `manage.py shell`; it prints its answer as `JSON <json>`."""
    output = manage(env, "shell", "-c", code).stdout
    return json.loads(output.split("JSON ", 1)[1])


def start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def worker(env: dict, *args: str) -> subprocess.Popen:
    return start(env, "db_worker", "--interval", "0.1", "--no-startup-delay", *args)


def wait_until_serving(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the web server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered at {url} within {seconds} s")


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
