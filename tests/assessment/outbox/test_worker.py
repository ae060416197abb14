"""A real worker process (`manage.py db_worker`) against a real SMTP server: killed in the
middle of sending, it loses no mail, and the mail it was sending arrives once.

The worker is another process, so it works on a database of its own (tests/processes.py).
"""

import os
import signal
import time

from tests.processes import environment, manage, shell_json, worker

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
print("JSON", json.dumps(dict(OutgoingMail.objects.values_list("to", "status"))))
"""
TASKS = """
import json
from django_tasks_db.models import DBTaskResult
print("JSON", json.dumps(list(DBTaskResult.objects.values_list("status", flat=True))))
"""


def test_a_worker_killed_while_sending_loses_no_mail_and_sends_none_twice(separate_database, smtp):
    # Production settings: no reloader, so the worker is the one process killed.
    env = environment(separate_database, smtp.port, DEBUG="false", OUTBOX_ABANDONED_AFTER="2")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", QUEUE % ADDRESSES)
    smtp.hold_next = 30  # the first mail hangs at the server's door

    running = worker(env)
    try:
        assert smtp.holding.wait(timeout=60), "the worker never started sending"
        os.kill(running.pid, signal.SIGKILL)
        running.wait(timeout=10)
    finally:
        if running.poll() is None:
            running.kill()
    assert smtp.received == []
    statuses = shell_json(env, STATUSES)
    assert statuses == {a: "sending" if a == smtp.held else "waiting" for a in ADDRESSES}

    time.sleep(2.5)  # longer than OUTBOX_ABANDONED_AFTER: the claim is stale
    # The two never taken have waited that long too: they are now on the queue twice,
    # and must still arrive once.
    periodic = manage(env, "periodic").stdout
    assert "mails handed out again: 3" in periodic
    # The killed worker's task is no longer shown running.
    assert "tasks whose worker was lost: 1" in periodic
    assert "RUNNING" not in shell_json(env, TASKS)
    finished = worker(env, "--batch")
    assert finished.wait(timeout=120) == 0

    for address in ADDRESSES:
        assert len(smtp.to(address)) == 1, address
    statuses = shell_json(env, STATUSES)
    assert set(statuses.values()) == {"sent"}
