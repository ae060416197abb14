"""A real worker process (`manage.py db_worker`) against a real SMTP server: killed in the
middle of sending, it loses no mail, and the mail it was sending arrives once.

The worker is another process, so it gets a database of its own (the tests' database lives
in memory on SQLite, and inside a transaction that never commits): a file on SQLite, a new
database beside the tests' one on PostgreSQL.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import MailServer, free_port

ROOT = Path(__file__).resolve().parents[3]
ADDRESSES = ["eerste@example.org", "tweede@example.org", "derde@example.org"]

# Also bench/mail/run.py's: mails to the addresses %r, handed to the queue on commit.
QUEUE = """
from django.db import transaction
from assessment.outbox.compose import queue_mail
invitation = {"team": {"name": "Team", "network": {"name": "Netwerk"}},
              "get_role_display": "Lid", "expires_at": None}
with transaction.atomic():
    queue_mail(kind="account-invitation", to=%r, template="account_invitation",
               context={"invitation": invitation, "link": "https://example.org/i/x/"},
               language="nl")
"""
STATUSES = """
import json
from assessment.models.outbox import OutgoingMail
print("STATUSES", json.dumps(dict(OutgoingMail.objects.values_list("to", "status"))))
"""


@pytest.fixture
def worker_database(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        return
    import psycopg

    name = f"samenspel_worker_{uuid.uuid4().hex[:8]}"
    server = url.rsplit("/", 1)[0]
    # The server's own database: the one in DATABASE_URL exists only as the tests' copy.
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def smtp():
    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    server.port = controller.port
    yield server
    controller.stop()


def manage(env: dict, *args: str, timeout: float | None = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )


def _statuses(env: dict) -> dict:
    output = manage(env, "shell", "-c", STATUSES).stdout
    return json.loads(output.split("STATUSES ", 1)[1])


def _worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"]
        + list(args),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_worker_killed_while_sending_loses_no_mail_and_sends_none_twice(worker_database, smtp):
    env = {
        **os.environ,
        "DATABASE_URL": worker_database,
        # Production settings: no reloader, so the worker is the one process killed.
        "DEBUG": "false",
        "SECRET_KEY": "worker-test-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "localhost",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "OUTBOX_ABANDONED_AFTER": "2",
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", QUEUE % ADDRESSES)
    smtp.hold_next = 30  # the first mail hangs at the server's door

    worker = _worker(env)
    try:
        assert smtp.holding.wait(timeout=60), "the worker never started sending"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert smtp.received == []
    statuses = _statuses(env)
    assert statuses == {a: "sending" if a == smtp.held else "waiting" for a in ADDRESSES}

    time.sleep(2.5)  # longer than OUTBOX_ABANDONED_AFTER: the claim is stale
    # The two never taken have waited that long too: they are now on the queue twice,
    # and must still arrive once.
    assert "mails handed out again: 3" in manage(env, "periodic").stdout
    finished = _worker(env, "--batch")
    assert finished.wait(timeout=120) == 0

    for address in ADDRESSES:
        assert len(smtp.to(address)) == 1, address
    statuses = _statuses(env)
    assert set(statuses.values()) == {"sent"}
