"""How many mails a minute one task worker sends on this machine.

    .venv/bin/python bench/mail/run.py --mails 500 --runs 3

Each run: a fresh PostgreSQL database (127.0.0.1:5432, user postgres), migrated; `--mails`
invitation mails written into the outbox in one transaction (which hands them to the
queue); then one `manage.py db_worker --batch` with production settings sends them all
through a real SMTP server on loopback (aiosmtpd, in this process, accepting at once) and
exits. It reports, per run and as medians: the worker's whole time (start-up included), and
the rate between the first and the last mail the server received; it checks that every
mail arrived once and every outbox row says sent.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://postgres@127.0.0.1:5432"
STATUSES = """
import json
from django.db.models import Count
from assessment.models.outbox import OutgoingMail
counts = OutgoingMail.objects.values_list("status").annotate(n=Count("id"))
print("STATUSES", json.dumps(dict(counts)))
"""


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.addresses: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.times.append(time.perf_counter())
            self.addresses.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def one_run(args: argparse.Namespace, port: int, counter: Counter) -> dict:
    import psycopg

    from tests.assessment.outbox.test_worker import QUEUE
    from tests.processes import manage

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{args.database}"')
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "mail-bench-" + secrets.token_urlsafe(30),
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"{SERVER}/{args.database}",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", QUEUE % [f"collega{i}@example.org" for i in range(args.mails)])
    with counter.lock:
        counter.times.clear()
        counter.addresses.clear()
    started = time.perf_counter()
    manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", timeout=None)
    whole = time.perf_counter() - started
    statuses = json.loads(manage(env, "shell", "-c", STATUSES).stdout.split("STATUSES ", 1)[1])
    first, last = counter.times[0], counter.times[-1]
    return {
        "mails": args.mails,
        "received": len(counter.addresses),
        "distinct": len(set(counter.addresses)),
        "statuses": statuses,
        "whole_seconds": round(whole, 2),
        "per_minute_whole": round(args.mails / whole * 60),
        "per_minute_steady": round((len(counter.times) - 1) / (last - first) * 60),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default="samenspel_mail")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from aiosmtpd.controller import Controller

    from tests.conftest import free_port

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    runs = []
    try:
        for number in range(args.runs):
            result = one_run(args, controller.port, counter)
            runs.append(result)
            print(f"run {number + 1}: {json.dumps(result)}", flush=True)
    finally:
        controller.stop()
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    ok = all(
        r["received"] == r["distinct"] == r["mails"] and r["statuses"] == {"sent": r["mails"]}
        for r in runs
    )
    whole = statistics.median(r["per_minute_whole"] for r in runs)
    steady = statistics.median(r["per_minute_steady"] for r in runs)
    print(
        f"{'PASS' if ok else 'FAIL'}: one worker, {args.mails} mails x {args.runs} runs: "
        f"median {whole:.0f} mails/min over the worker's whole run (start-up included), "
        f"{steady:.0f} mails/min between the first and the last mail received"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
