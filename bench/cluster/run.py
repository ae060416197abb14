"""Samenspel on several machines, built on this one: nginx in front of two gunicorn app
servers, a PostgreSQL primary with a streaming replica, Redis, two task workers. Then the
load test through nginx, one app server and one worker stopped half-way, and the checks.

    .venv/bin/python bench/cluster/run.py                  # or: bench/cluster/run.sh
    .venv/bin/python bench/cluster/run.py --users 150 --duration 120 --hard

1. PostgreSQL: a new primary cluster under --base (initdb, as the postgres user, on its own
   port), and a streaming replica of it made with pg_basebackup (its own port); the
   database migrated and seeded as bench/load/run.py does; the replica caught up.
2. Two gunicorn app servers (gunicorn.conf.py) on two loopback ports with production
   settings, DATABASE_REPLICA_URL (the coordinator pages read from the replica), REDIS_URL
   (the running Redis at 127.0.0.1:6379, its own db number, emptied before and after);
   nginx (Debian's package, installed when missing) in front of both; two
   `manage.py db_worker` processes; a real SMTP server on loopback (aiosmtpd, in this
   process) that takes --smtp-delay seconds to accept each mail.
3. The load (bench/load/locustfile.py) through nginx. While it runs, --mails mails are
   queued in batches (as invitations would be); half-way one app server is stopped
   (SIGTERM, as a deploy or a scale-in does; --hard: SIGKILL, as a crash) and one worker is
   killed (SIGKILL: a crash in the middle of sending).
4. Once locust is done and the mails are sent (`manage.py periodic` hands out the mails the
   dead worker had claimed, after OUTBOX_ABANDONED_AFTER): every session locust saw through
   to the thank-you page is one submitted response, stored whole, none twice; every queued
   mail reached the SMTP server exactly once and says sent; the replica has replayed all of
   the primary's WAL and answers the same counts, and its coordinator CSV equals the
   primary's. Everything is stopped and removed at the end (--keep leaves the folder).
Exit status 0 when every check passes.
"""

import argparse
import asyncio
import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "samenspel"
MAIL_KIND = "account-invitation"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--users", type=int, default=120, help="concurrent respondents")
    add("--facilitators", type=int, default=6)
    add("--coordinators", type=int, default=4)
    add("--spawn-rate", type=float, default=10, help="users started per second")
    add("--duration", type=int, default=120, help="seconds in which sessions start")
    add("--think", default="2,6", help="seconds a respondent thinks per page: min,max")
    add("--workers", type=int, default=3, help="gunicorn workers per app server")
    add("--teams", type=int, default=20, help="teams per network (two networks)")
    add("--mails", type=int, default=400, help="mails queued during the load")
    add("--smtp-delay", type=float, default=0.15, help="seconds the SMTP server takes a mail")
    add("--hard", action="store_true", help="kill the app server (SIGKILL), not stop it")
    add("--redis-db", type=int, default=13, help="Redis database number, emptied")
    add("--primary-port", type=int, default=5441)
    add("--replica-port", type=int, default=5442)
    add("--nginx-port", type=int, default=8770)
    add("--app-ports", default="8771,8772")
    add("--base", type=Path, default=Path("/tmp/samenspel-cluster"))
    add("--keep", action="store_true", help="leave the folder (logs, data) after the run")
    add("--processes", type=int, default=0, help="locust --processes (0: one process)")
    args = parser.parse_args()
    args.out = args.base / "run"
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def as_postgres(*command: str | Path, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)],
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


# --- 1. PostgreSQL: a primary and its streaming replica ---------------------------------


def primary_and_replica(args: argparse.Namespace) -> None:
    primary, replica = args.base / "primary", args.base / "replica"
    as_postgres(PG_BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8")
    with open(primary / "postgresql.conf", "a") as conf:
        # Enough for the budget in bench/cluster/README.md, and WAL for a standby.
        conf.write(
            f"port = {args.primary_port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{args.base}'\nmax_connections = 100\n"
            "wal_level = replica\nmax_wal_senders = 4\nshared_buffers = 64MB\n"
            "fsync = on\nsynchronous_commit = on\n"
        )
    as_postgres(PG_BIN / "pg_ctl", "-D", primary, "-l", args.base / "primary.log", "-w", "start")
    as_postgres(
        PG_BIN / "pg_basebackup",
        *("-h", "127.0.0.1", "-p", str(args.primary_port), "-U", "postgres"),
        *("-D", replica, "-R", "-X", "stream", "-c", "fast"),
    )
    with open(replica / "postgresql.auto.conf", "a") as conf:
        conf.write(f"port = {args.replica_port}\nhot_standby = on\n")
    as_postgres(PG_BIN / "pg_ctl", "-D", replica, "-l", args.base / "replica.log", "-w", "start")
    import psycopg

    with psycopg.connect(url(args.primary_port, "postgres"), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
        deadline = time.time() + 30
        while not connection.execute(
            "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
        ).fetchone()[0]:
            if time.time() > deadline:
                raise RuntimeError("the replica does not stream")
            time.sleep(0.5)
    with psycopg.connect(url(args.replica_port, "postgres"), autocommit=True) as connection:
        assert connection.execute("SELECT pg_is_in_recovery()").fetchone()[0]


def url(port: int, database: str = DATABASE) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{database}"


def caught_up(args: argparse.Namespace, seconds: float = 60) -> float:
    """Waits until the replica has replayed all the primary's WAL written so far; returns
    how long that took."""
    import psycopg

    began = time.time()
    with (
        psycopg.connect(url(args.primary_port), autocommit=True) as primary,
        psycopg.connect(url(args.replica_port), autocommit=True) as replica,
    ):
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        while True:
            behind = replica.execute(
                "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())", [target]
            ).fetchone()[0]
            if behind <= 0:
                return time.time() - began
            if time.time() - began > seconds:
                raise RuntimeError(f"the replica is still {behind} bytes behind")
            time.sleep(0.1)


# --- 2. The machines ----------------------------------------------------------------------


def environment(args: argparse.Namespace, smtp_port: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "cluster-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url(args.primary_port),
        "DATABASE_REPLICA_URL": url(args.replica_port),
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "DB_CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(args.base / "static"),
        "WEB_CONCURRENCY": str(args.workers),
        "LOG_LEVEL": "WARNING",
        # nginx is the one proxy in front: it appends the client's address.
        "TRUSTED_PROXIES": "1",
        "RESPONSES_PER_ADDRESS_PER_HOUR": "1000000",  # every respondent is 127.0.0.1
        "REPLICA_PIN_SECONDS": "8",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        # The dead worker's mail is handed out again after this long (production: 600).
        "OUTBOX_ABANDONED_AFTER": "20",
    }


class Mailbox:
    """The SMTP server's side: every recipient it accepted, after --smtp-delay."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


NGINX = """
user root;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {base}/nginx-body;
    proxy_temp_path {base}/nginx-proxy;
    fastcgi_temp_path {base}/nginx-fastcgi;
    uwsgi_temp_path {base}/nginx-uwsgi;
    scgi_temp_path {base}/nginx-scgi;
    upstream samenspel {{
        # A server that refuses a connection is left alone for 10 s; the request goes to
        # the other. A form already sent to a server that died is not sent again
        # (non-idempotent): the person presses again, and submitting twice stores once.
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://samenspel;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # The TLS terminator in front of nginx is played by locust (see bench/load).
            proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


class Cluster:
    """The processes started, so that all of them end, whatever happens."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str]) -> None:
        self.args, self.env = args, {**os.environ, **env}
        self.apps: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None
        self.files: list[Any] = []

    def _start(self, command: list[str], name: str, **env: str) -> subprocess.Popen:
        output = open(self.args.out / f"{name}.log", "w")  # noqa: SIM115
        self.files.append(output)
        return subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **env}, stdout=output, stderr=subprocess.STDOUT
        )

    def start(self) -> None:
        ports = self.args.app_ports.split(",")
        for n, port in enumerate(ports, start=1):
            command = [str(BIN / "gunicorn"), "config.wsgi", "-c", "gunicorn.conf.py"]
            self.apps.append(self._start(command, f"app{n}", BIND=f"127.0.0.1:{port}"))
        for n in (1, 2):
            command = [sys.executable, "manage.py", "db_worker", "--interval", "0.5"]
            command += ["--no-startup-delay", "--no-reload", "--worker-id", f"worker{n}"]
            self.workers.append(self._start(command, f"worker{n}"))
        base = self.args.base
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (base / f"nginx-{folder}").mkdir(exist_ok=True)
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports
        )
        conf = base / "nginx.conf"
        conf.write_text(NGINX.format(base=base, servers=servers, port=self.args.nginx_port))
        self.nginx = self._start(["nginx", "-c", str(conf), "-g", "daemon off;"], "nginx")
        for port in [*ports, str(self.args.nginx_port)]:
            wait_until_healthy(f"http://127.0.0.1:{port}")

    def stop(self) -> None:
        for process in [*self.apps, *self.workers, *([self.nginx] if self.nginx else [])]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.apps, *self.workers, *([self.nginx] if self.nginx else [])]:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        for output in self.files:
            output.close()


def wait_until_healthy(base_url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.time() > deadline:
                raise
        time.sleep(0.3)


# --- 3. The load, the mail, the failures ----------------------------------------------------


def connections_in_use(args: argparse.Namespace) -> dict[str, int]:
    """What the running cluster holds open: the budget of bench/cluster/README.md."""
    import psycopg
    import redis

    counted = {}
    for name, port in (("primary", args.primary_port), ("replica", args.replica_port)):
        with psycopg.connect(url(port, "postgres"), autocommit=True) as connection:
            counted[name] = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid()",
                [DATABASE],
            ).fetchone()[0]
    clients = redis.Redis(host="127.0.0.1", port=6379).client_list()
    counted["redis"] = sum(int(client.get("db", -1)) == args.redis_db for client in clients)
    return counted


def queue_mails(addresses: list[str]) -> None:
    from django.db import transaction

    from assessment.outbox.compose import queue_mail

    invitation = {
        "team": {"name": "Team", "network": {"name": "Netwerk"}},
        "get_role_display": "Lid",
        "expires_at": None,
    }
    with transaction.atomic():
        queue_mail(
            kind=MAIL_KIND,
            to=addresses,
            template="account_invitation",
            context={"invitation": invitation, "link": "https://example.org/i/x/"},
            language="nl",
        )


def drive(args: argparse.Namespace, cluster: Cluster, plan: dict) -> dict[str, Any]:
    from bench.load import run as load

    url = f"http://127.0.0.1:{args.nginx_port}"
    load_env = {
        "LOAD_PLAN": str(args.out / "plan.json"),
        "LOAD_OUT": str(args.out),
        "LOAD_THINK": args.think,
        "LOAD_FACILITATORS": str(args.facilitators),
        "LOAD_COORDINATORS": str(args.coordinators),
    }
    with open(args.out / "locust.log", "w") as output:
        locust = subprocess.Popen(
            load.locust_command(args, url),
            cwd=ROOT,
            env={**os.environ, **load_env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    began = time.time()
    events: dict[str, Any] = {"began": began}
    batches = 8
    addresses = [f"collega{i}@example.org" for i in range(args.mails)]
    # The mails go out during the first 60 % of the load; the failures come at half-way.
    steps = sorted(
        [(args.duration * 0.6 * b / batches, "mail", b) for b in range(batches)]
        + [(args.duration / 2, "fail", 0)]
    )
    try:
        for at, what, batch in steps:
            time.sleep(max(0.0, began + at - time.time()))
            if what == "mail":
                size = -(-len(addresses) // batches)
                queue_mails(addresses[batch * size : (batch + 1) * size])
                continue
            events["connections"] = connections_in_use(args)
            app, worker = cluster.apps[0], cluster.workers[0]
            app.send_signal(signal.SIGKILL if args.hard else signal.SIGTERM)
            worker.send_signal(signal.SIGKILL)
            events["failed_at"] = time.time() - began
            log(
                f"   +{events['failed_at']:.0f} s: app server 1 "
                f"{'killed' if args.hard else 'stopped'}, worker 1 killed"
            )
        locust.wait()
    finally:
        if locust.poll() is None:
            locust.terminate()
            locust.wait(timeout=30)
    events["ended"] = time.time()
    events["addresses"] = addresses
    return events


def mail_sent(args: argparse.Namespace, env: dict[str, str], queued: int) -> dict[str, Any]:
    """Waits for the mail to be sent; the dead worker's claimed mails go out again through
    `manage.py periodic` once they count as abandoned."""
    from django.db.models import Count

    from assessment.models.outbox import OutgoingMail

    deadline = time.time() + 240
    periodic_runs, sent_before = 0, -1
    while True:
        statuses = dict(
            OutgoingMail.objects.filter(kind=MAIL_KIND)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
        sent = statuses.get(OutgoingMail.Status.SENT, 0)
        if sent == queued or time.time() > deadline:
            return {"statuses": statuses, "periodic_runs": periodic_runs}
        if sent == sent_before:
            # No progress: what is left was claimed by the dead worker (the mail, or its
            # task). The periodic run hands it out again once it counts as abandoned.
            subprocess.run(
                [sys.executable, "manage.py", "periodic"],
                cwd=ROOT,
                env={**os.environ, **env},
                check=True,
                capture_output=True,
            )
            periodic_runs += 1
        sent_before = sent
        time.sleep(5)


# --- 4. The checks --------------------------------------------------------------------------


def replica_checks(args: argparse.Namespace, plan: dict) -> dict[str, Any]:
    """The replica replays everything and then answers as the primary does: the counts of
    what the load wrote, and the coordinator's CSV through nginx, read from the replica and
    (right after a form, pinned) from the primary."""
    from django.db.models import Count, Sum

    from assessment.models import Answer, DimensionScore, DimensionTotal, Response
    from assessment.models.outbox import OutgoingMail

    lag = caught_up(args)

    def counts(alias: str) -> dict[str, Any]:
        rounds = plan["open_round_ids"]
        return {
            "responses": Response.objects.using(alias).count(),
            "submitted": Response.objects.using(alias).filter(submitted_at__isnull=False).count(),
            "answers": Answer.objects.using(alias).count(),
            "dimension_scores": DimensionScore.objects.using(alias).count(),
            "score_sum": round(
                DimensionScore.objects.using(alias)
                .filter(round_id__in=rounds)
                .aggregate(s=Sum("score"))["s"]
                or 0,
                6,
            ),
            "totals_n": DimensionTotal.objects.using(alias).aggregate(n=Sum("n"))["n"],
            "mails": dict(
                OutgoingMail.objects.using(alias)
                .values_list("status")
                .annotate(n=Count("id"))
                .order_by()
            ),
        }

    primary, replica = counts("default"), counts("replica")
    pinned, unpinned, served = coordinator_csvs(args, plan)
    return {
        "replica_caught_up_in_s": round(lag, 2),
        "replica_counts_equal": primary == replica,
        "counts": primary,
        "replica_served_transactions": replica_transactions(args),
        "csv_rows": unpinned.count("\n") - 1,
        "csv_from_replica_equals_primary": pinned == unpinned and len(unpinned) > 0,
        # The replica's transactions in our database while the CSV was
        # read right after logging in, and once the pin had ended.
        "replica_transactions_for_csv": served,
    }


def replica_transactions(args: argparse.Namespace) -> int:
    """Transactions the replica served in our database: the coordinators' reads."""
    import psycopg

    with psycopg.connect(url(args.replica_port, "postgres"), autocommit=True) as connection:
        row = connection.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [DATABASE]
        ).fetchone()
    return row[0] if row else 0


def coordinator_csvs(args: argparse.Namespace, plan: dict) -> tuple[str, str, dict[str, int]]:
    """The comparison CSV right after logging in (pinned to the primary), and once the pin
    ended (from the replica)."""
    import re

    import requests

    base = f"http://127.0.0.1:{args.nginx_port}"
    https = {"X-Forwarded-Proto": "https"}
    session = requests.Session()
    account = plan["coordinators"][0]
    # A backend reports its transactions to pg_stat_database within 10 s of going idle.
    flushed = 11
    time.sleep(flushed)
    before = replica_transactions(args)
    page = session.get(f"{base}/account/login/", headers=https)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    for cookie in session.cookies:  # a browser sends these Secure cookies over https
        cookie.secure = False
    assert token, "no login form"
    session.post(
        f"{base}/account/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": account["email"],
            "password": account["password"],
        },
        headers={**https, "Origin": base.replace("http://", "https://")},
        allow_redirects=False,
    ).raise_for_status()
    for cookie in session.cookies:
        cookie.secure = False
    pinned = session.get(f"{base}/compare.csv", headers=https)
    time.sleep(flushed)  # longer than REPLICA_PIN_SECONDS=8
    between = replica_transactions(args)
    unpinned = session.get(f"{base}/compare.csv", headers=https)
    time.sleep(flushed)
    after = replica_transactions(args)
    pinned.raise_for_status()
    unpinned.raise_for_status()
    served = {"pinned": between - before, "unpinned": after - between}
    return pinned.text, unpinned.text, served


def main() -> int:
    args = arguments()
    if not shutil.which("nginx"):
        log("nginx is missing: apt-get install -y nginx")
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True)
    if args.base.exists():
        subprocess.run([PG_BIN / "pg_ctl", "--version"], check=True, capture_output=True)
        for cluster_dir in ("replica", "primary"):
            with contextlib.suppress(subprocess.CalledProcessError):
                as_postgres(PG_BIN / "pg_ctl", "-D", args.base / cluster_dir, "stop", "-m", "fast")
        shutil.rmtree(args.base)
    args.out.mkdir(parents=True)
    postgres = pwd.getpwnam("postgres")
    os.chown(args.base, postgres.pw_uid, postgres.pw_gid)

    import redis

    cache = redis.Redis(host="127.0.0.1", port=6379, db=args.redis_db)
    if cache.dbsize():
        log(f"Redis db {args.redis_db} is not empty: choose another with --redis-db")
        return 2

    from aiosmtpd.controller import Controller

    from tests.conftest import free_port

    mailbox = Mailbox(args.smtp_delay)
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    env = environment(args, smtp.port)
    os.environ.update(env)
    cluster = Cluster(args, env)
    passed = False
    try:
        log(f"1. PostgreSQL primary :{args.primary_port}, replica :{args.replica_port}")
        primary_and_replica(args)
        import django

        django.setup()
        from django.db import connections

        from bench.load import run as load

        plan = load.seed(args.teams)
        (args.out / "plan.json").write_text(json.dumps(plan))
        log(f"   seeded; the replica caught up in {caught_up(args):.2f} s")
        connections.close_all()

        smtp.start()
        log(
            f"2. nginx :{args.nginx_port} -> gunicorn :{args.app_ports} ({args.workers} "
            f"workers each), 2 task workers, Redis db {args.redis_db}, SMTP :{smtp.port}"
        )
        cluster.start()
        log(
            f"3. locust through nginx: {args.users} respondents + {args.facilitators} "
            f"facilitators + {args.coordinators} coordinators, {args.duration} s, "
            f"{args.mails} mails"
        )
        events = drive(args, cluster, plan)
        log("4. Mail, responses, replica")
        mail = mail_sent(args, env, args.mails)
        passed = report(args, plan, events, mail, mailbox, load)
    finally:
        log("Teardown")
        cluster.stop()
        with contextlib.suppress(Exception):
            smtp.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        for cluster_dir in ("replica", "primary"):
            with contextlib.suppress(subprocess.CalledProcessError):
                as_postgres(PG_BIN / "pg_ctl", "-D", args.base / cluster_dir, "stop", "-m", "fast")
        cache.flushdb()
        if not args.keep:
            shutil.rmtree(args.base, ignore_errors=True)
    return 0 if passed else 1


def report(args, plan, events, mail, mailbox: Mailbox, load) -> bool:
    requests = [json.loads(line) for f in args.out.glob("requests-*.txt") for line in f.open()]
    users = args.users + args.facilitators + args.coordinators
    began = events["began"]
    table = load.latency_table(requests, (began + users / args.spawn_rate, began + args.duration))
    responses = load.database_checks(plan, load.read_lines(args.out, "completed"))
    responses["abandoned_sessions"] = len(load.read_lines(args.out, "abandoned"))
    failed = [r for r in requests if not r["ok"]]
    responses["failed_requests"] = len(failed)
    responses["failed_statuses"] = dict(Counter(r["status"] for r in failed))
    received = Counter(mailbox.received)
    mails = {
        "queued": args.mails,
        "received": len(mailbox.received),
        "lost": sum(1 for a in events["addresses"] if a not in received),
        "received_twice": sum(1 for n in received.values() if n > 1),
        "statuses": mail["statuses"],
        "periodic_runs": mail["periodic_runs"],
    }
    replica = replica_checks(args, plan)
    checks = {"responses": responses, "mail": mails, "replica": replica}
    checks["connections_half_way"] = events.get("connections")
    print("\nChecks:\n" + json.dumps(checks, indent=2, default=str))
    passed = (
        responses["completed"] > 0
        # Every session started was seen through: none cut off by the end of the run.
        and responses["started_not_submitted"] == 0
        and responses["lost"] == 0
        and responses["completed_twice"] == 0
        and responses["submitted_not_seen_completed"] == 0
        and responses["incomplete_answers"] == 0
        and responses["submitted_without_scores"] == 0
        and responses["totals_agree_with_scores"]
        and responses["abandoned_sessions"] == 0
        and mails["lost"] == 0
        and mails["received_twice"] == 0
        and mails["statuses"] == {"sent": args.mails}
        and replica["replica_counts_equal"]
        and replica["csv_from_replica_equals_primary"]
        and replica["replica_served_transactions"] > 0
        and replica["replica_transactions_for_csv"]["pinned"] == 0
        and replica["replica_transactions_for_csv"]["unpinned"] > 0
    )
    overall = table["ALL"]
    print(
        f"\n{'PASS' if passed else 'FAIL'}: {responses['completed']} sessions completed, "
        f"{responses['submitted']} submitted, {responses['lost']} lost, "
        f"{responses['completed_twice']} twice; {mails['received']} of {args.mails} mails "
        f"received, {mails['lost']} lost, {mails['received_twice']} twice; "
        f"{len(failed)} failed requests (retried); p50 {overall['p50']:.0f} ms, "
        f"p95 {overall['p95']:.0f} ms; replica equal: {replica['replica_counts_equal']}"
    )
    summary = {"arguments": {k: str(v) for k, v in vars(args).items()}, "latency": table}
    # Outside the folder, which the teardown removes.
    kept = args.base.parent / f"samenspel-cluster-{time.strftime('%Y%m%d-%H%M%S')}.json"
    kept.write_text(json.dumps(summary | {"checks": checks}, indent=2))
    print(f"Summary: {kept}")
    return passed


if __name__ == "__main__":
    sys.exit(main())
