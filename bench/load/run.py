"""The load test in one command: a fresh PostgreSQL database, gunicorn with production
settings, locust without its web UI, then the numbers and the checks.

    .venv/bin/python bench/load/run.py --users 200 --duration 120
    .venv/bin/python bench/load/run.py --users 200 --duration 120 --fault

1. Creates the database (default samenspel_load; dropped first if it exists), migrates,
   installs the questionnaire, and makes two networks of teams, each team with a
   facilitator, a closed round with responses (for the readers) and an open round (for
   the respondents); one coordinator per network.
2. Starts gunicorn (gunicorn.conf.py) with DEBUG=false, a SECRET_KEY, ALLOWED_HOSTS and
   persistent connections (DB_CONN_MAX_AGE), static files collected into the run folder.
   Nothing is relaxed but the round link's limit per address (every simulated respondent
   comes from 127.0.0.1): locust sends X-Forwarded-Proto: https, as the TLS-terminating
   proxy in front of gunicorn would (gunicorn trusts it from 127.0.0.1).
3. Runs locust (bench/load/locustfile.py): --users respondents plus a few facilitators and
   coordinators. At the end of --duration no new session starts; sessions under way
   finish (locust's --stop-timeout), so every started respondent can reach the end.
   With --fault, PostgreSQL is stopped half-way for --outage seconds, then started.
4. Compares the sessions locust saw through to the thank-you page with the submitted
   responses in the database (the same secret tokens, none missing, none extra), checks
   that every submitted response has all its answers and scores and that the rounds'
   totals agree with the scores, and prints throughput and p50/p95/p99 per kind of request.
   With --fault: every failed request fell in the outage and got the friendly 503 page, and
   requests succeed again afterwards. Exit status 0 when every check passes.

Everything a run writes (plan, requests, logs, locust's CSV) goes to --out.
"""

import argparse
import contextlib
import json
import math
import os
import random
import re
import resource
import secrets
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVER = "postgres://postgres@127.0.0.1:5432"
CLUSTER = ("15", "main")
P95_TARGET_MS = 300
GRACE = 5.0  # seconds after PostgreSQL is back in which requests sent during the outage end


@dataclass(frozen=True)
class Outage:
    stopping: float  # the stop command began
    stopped: float
    started: float  # the start command returned: PostgreSQL accepts connections


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--users", type=int, default=200, help="concurrent respondents")
    add("--facilitators", type=int, default=8)
    add("--coordinators", type=int, default=2)
    add("--spawn-rate", type=float, default=10, help="users started per second")
    add("--duration", type=int, default=120, help="seconds in which sessions start")
    add("--think", default="2,6", help="seconds a respondent thinks per page: min,max")
    add("--workers", type=int, default=5, help="gunicorn worker processes")
    add("--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE")
    add("--processes", type=int, default=0, help="locust --processes (0: one process)")
    add("--teams", type=int, default=20, help="teams per network (two networks)")
    add("--fault", action="store_true", help="restart PostgreSQL in the middle")
    add("--outage", type=float, default=8, help="seconds PostgreSQL stays down")
    add("--database", default="samenspel_load")
    add("--port", type=int, default=8765)
    add("--out", type=Path, default=Path("/tmp/samenspel-load") / time.strftime("%Y%m%d-%H%M%S"))
    return parser.parse_args()


def environment(args: argparse.Namespace) -> dict[str, str]:
    """Production settings: what a deployment sets, and nothing that weakens it but the
    limit on new responses per address (see below)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "load-test-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{SERVER}/{args.database}",
        "DB_CONN_MAX_AGE": str(args.conn_max_age),
        "STATIC_ROOT": str(args.out / "static"),
        "WEB_CONCURRENCY": str(args.workers),
        "BIND": f"127.0.0.1:{args.port}",
        "LOG_LEVEL": "WARNING",
        # The one relaxation: every simulated respondent comes from 127.0.0.1, where a real
        # site sees one address per school network (each keeps its own browser cookie).
        "RESPONSES_PER_ADDRESS_PER_HOUR": "1000000",
    }


# --- 1. The database ------------------------------------------------------------------


def fresh_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed(teams_per_network: int) -> dict[str, Any]:
    """Networks, teams, accounts and rounds; returns the plan the locustfile reads."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from assessment.demo import TeamProfile, make_responses
    from assessment.models import QuestionnaireVersion, Round, Sector
    from assessment.questionnaire.importexport import install_shipped_questionnaire
    from teams.models import Membership, Network, Team, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    install_shipped_questionnaire()
    version = QuestionnaireVersion.objects.latest_published()
    password = secrets.token_urlsafe(12)
    hashed = make_password(password)  # once: hashing is slow on purpose
    sectors = (Sector.CHILDCARE, Sector.SCHOOL, Sector.YOUTH_CARE, Sector.BSO)
    rng = random.Random(1)
    plan: dict[str, Any] = {"open_rounds": [], "open_round_ids": [], "facilitators": []}
    plan["coordinators"] = []
    for n, name in enumerate(["Gemeente Laststad", "Stichting Drukte"], start=1):
        network = Network.objects.create(name=name)
        coordinator = User.objects.create(email=f"coordinator{n}@load.test", password=hashed)
        network.coordinators.add(coordinator)
        plan["coordinators"].append(
            {"email": coordinator.email, "password": password, "network": network.pk}
        )
        for t in range(1, teams_per_network + 1):
            team = Team.objects.create(network=network, name=f"Team {t:03d}", size=20)
            user = User.objects.create(email=f"team{n}-{t}@load.test", password=hashed)
            Membership.objects.create(team=team, user=user, role=Membership.Role.FACILITATOR)
            closed = Round.objects.create(
                team=team, version=version, title="Voorjaar", closed_at=timezone.now()
            )
            profile = TeamProfile(level=rng.uniform(2.4, 4.2), sectors=sectors)
            make_responses([(closed, rng.randint(8, 16), profile)], rng=rng)
            live = Round.objects.create(team=team, version=version, title="Najaar")
            plan["open_rounds"].append(live.token)
            plan["open_round_ids"].append(live.pk)
            plan["facilitators"].append(
                {
                    "email": user.email,
                    "password": password,
                    "team": team.pk,
                    "closed_round": closed.pk,
                    "open_round": live.pk,
                }
            )
    return plan


# --- 2 and 3. The server, the load, the fault -----------------------------------------


def wait_until_healthy(url: str, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.time() > deadline:
                raise
        time.sleep(0.3)


def others_on_postgres(database: str) -> int:
    """Connections of other programs, which a restart interrupts too."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
            "AND datname <> %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchone()
    return row[0] if row else 0


def restart_postgres(outage: float) -> Outage:
    stopping = time.time()
    subprocess.run(["pg_ctlcluster", *CLUSTER, "stop"], check=True)
    stopped = time.time()
    time.sleep(outage)
    subprocess.run(["pg_ctlcluster", *CLUSTER, "start"], check=True)
    return Outage(stopping, stopped, time.time())


def cpu_seconds_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> tuple[str, float]:
    """CPU of the PostgreSQL server: the postmaster, its live children, and the children
    that ended (backends come and go with DB_CONN_MAX_AGE). All databases, not only ours.
    With the postmaster's pid: after a restart the count starts again."""
    postmaster = Path(f"/var/lib/postgresql/{CLUSTER[0]}/{CLUSTER[1]}/postmaster.pid")
    try:
        pid = postmaster.read_text().split()[0]
    except OSError:
        return "", 0.0

    def ticks(process: str, children: bool) -> int:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(v) for v in fields[11 : 15 if children else 13])

    total = ticks(pid, children=True)
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        with contextlib.suppress(OSError):  # ended just now
            total += ticks(child, children=False)
    return pid, total / os.sysconf("SC_CLK_TCK")


# --- 4. The numbers and the checks -----------------------------------------------------


def read_lines(out: Path, kind: str) -> list[str]:
    files = sorted(out.glob(f"{kind}-*.txt"))
    return [line for f in files for line in f.read_text().splitlines() if line.strip()]


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(share * len(sorted_values) + 0.4999))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def latency_table(requests: list[dict], full_load: tuple[float, float]) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for request in requests:
        groups[request["kind"]].append(request)
        groups["ALL"].append(request)
        if request["kind"].startswith("respondent:"):
            groups["ALL respondent requests"].append(request)
    first = min(r["t"] for r in requests)
    last = max(r["t"] + r["ms"] / 1000 for r in requests)
    table = {}
    print(
        f"\n{'request kind':<44}{'count':>7}{'fail':>6}{'req/s':>8}"
        f"{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}  (ms)"
    )
    for kind in sorted(groups, key=lambda k: (k.startswith("ALL"), k)):
        rows = groups[kind]
        times = sorted(r["ms"] for r in rows)
        in_full_load = sum(full_load[0] <= r["t"] < full_load[1] for r in rows)
        stats = {
            "count": len(rows),
            "failures": sum(not r["ok"] for r in rows),
            "per_second": len(rows) / (last - first),
            "per_second_full_load": in_full_load / (full_load[1] - full_load[0]),
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "max": times[-1],
        }
        table[kind] = stats
        print(
            f"{kind:<44}{stats['count']:>7}{stats['failures']:>6}{stats['per_second']:>8.1f}"
            f"{stats['p50']:>7.0f}{stats['p95']:>7.0f}{stats['p99']:>7.0f}{stats['max']:>7.0f}"
        )
    overall = table["ALL"]
    print(
        f"\nThroughput: {overall['count']} requests in {last - first:.0f} s = "
        f"{overall['per_second']:.1f} req/s (ramp-up and drain included); "
        f"{overall['per_second_full_load']:.1f} req/s at full load"
    )
    return table


def server_times(out: Path) -> None:
    """Time inside gunicorn's workers (its access log), without the wait for a free worker."""
    log = (out / "gunicorn-access.log").read_text()
    times = sorted(int(ms) for ms in re.findall(r" (\d+)ms$", log, re.MULTILINE))
    print(
        f"Time in the workers (gunicorn's access log, {len(times)} requests): "
        f"p50 {percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
        f"p99 {percentile(times, 0.99):.0f} ms; the rest of a request's time is the wait "
        "for a free worker"
    )


def database_checks(plan: dict[str, Any], completed_lines: list[str]) -> dict[str, Any]:
    """Completed sessions against submitted responses, and that each was stored whole."""
    from django.db.models import Count, Sum

    from assessment.models import (
        Answer,
        DimensionScore,
        DimensionTotal,
        Item,
        Response,
        Round,
    )

    rounds = plan["open_round_ids"]
    version = Round.objects.get(pk=rounds[0]).version
    items = Item.objects.filter(dimension__version=version).count()
    responses = Response.objects.filter(round_id__in=rounds)
    submitted = set(responses.filter(submitted_at__isnull=False).values_list("token", flat=True))
    completed = set(completed_lines)
    answers = (
        Answer.objects.filter(response__token__in=submitted)
        .values("response")
        .annotate(n=Count("id"))
    )
    scored = set(
        DimensionScore.objects.filter(round_id__in=rounds)
        .values_list("response__token", flat=True)
        .distinct()
    )
    sums = {
        (row["round_id"], row["dimension_id"]): (row["n"], row["total"])
        for row in DimensionScore.objects.filter(round_id__in=rounds)
        .values("round_id", "dimension_id")
        .annotate(n=Count("id"), total=Sum("score"))
        .order_by()
    }
    totals = {
        (t.round_id, t.dimension_id): (t.n, t.total)
        for t in DimensionTotal.objects.filter(round_id__in=rounds)
    }
    totals_agree = totals.keys() == sums.keys() and all(
        totals[key][0] == sums[key][0] and abs(totals[key][1] - sums[key][1]) < 1e-6
        for key in totals
    )
    return {
        "completed": len(completed),
        "completed_twice": len(completed_lines) - len(completed),
        "submitted": len(submitted),
        "lost": len(completed - submitted),
        "submitted_not_seen_completed": len(submitted - completed),
        "started_not_submitted": responses.filter(submitted_at__isnull=True).count(),
        "incomplete_answers": sum(row["n"] != items for row in answers)
        + len(submitted)
        - len(answers),
        "submitted_without_scores": len(submitted - scored),
        "totals_agree_with_scores": totals_agree,
    }


def fault_checks(requests: list[dict], outage: Outage) -> dict[str, Any]:
    window = (outage.stopping - 2.0, outage.started + GRACE)
    failed = [r for r in requests if not r["ok"]]
    inside = [r for r in failed if window[0] <= r["t"] <= window[1]]
    after = [r for r in requests if r["t"] >= outage.started]
    first_success = min((r["t"] for r in after if r["ok"]), default=None)
    statuses: dict[int, int] = defaultdict(int)
    for r in inside:
        statuses[r["status"]] += 1
    return {
        "outage_seconds": round(outage.started - outage.stopping, 1),
        "requests_in_window": sum(window[0] <= r["t"] <= window[1] for r in requests),
        "failed_in_window": len(inside),
        "failed_statuses": dict(statuses),
        "failed_not_friendly_503": sum(
            r["status"] != 503 or not r["friendly"] or r["traceback"] for r in inside
        ),
        "failed_outside_window": len(failed) - len(inside),
        "succeeded_after_restart": sum(r["ok"] for r in after),
        "first_success_after_restart_s": None
        if first_success is None
        else round(first_success - outage.started, 2),
    }


@dataclass
class Run:
    began: float
    ended: float
    outage: Outage | None
    cpu: dict[str, float]  # core-seconds: machine, gunicorn, locust; others_before in cores


def locust_command(args: argparse.Namespace, url: str) -> list[str]:
    users = args.users + args.facilitators + args.coordinators
    command = [
        str(BIN / "locust"),
        f"--locustfile={Path(__file__).with_name('locustfile.py')}",
        "--headless",
        "--only-summary",
        f"--users={users}",
        f"--spawn-rate={args.spawn_rate}",
        f"--run-time={args.duration}s",
        "--stop-timeout=240",  # sessions under way at the end finish
        f"--host={url}",
        f"--csv={args.out / 'locust'}",
        "--loglevel=WARNING",
    ]
    return command + ([f"--processes={args.processes}"] if args.processes else [])


def drive(args: argparse.Namespace, env: dict[str, str], url: str) -> Run:
    """gunicorn up, locust through, PostgreSQL restarted half-way with --fault."""
    out: Path = args.out
    cpu_before = cpu_seconds_of_children()
    with open(out / "gunicorn-access.log", "w") as access, open(out / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            [BIN / "gunicorn", "config.wsgi", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=access,
            stderr=log,
        )
    try:
        wait_until_healthy(url)
        sample = machine_busy_seconds()
        time.sleep(3)
        others_before = (machine_busy_seconds() - sample) / 3
        load_env = {
            "LOAD_PLAN": str(out / "plan.json"),
            "LOAD_OUT": str(out),
            "LOAD_THINK": args.think,
            "LOAD_FACILITATORS": str(args.facilitators),
            "LOAD_COORDINATORS": str(args.coordinators),
        }
        busy_before = machine_busy_seconds()
        postgres_before = postgres_cpu_seconds()
        began = time.time()
        with open(out / "locust.log", "w") as log:
            load = subprocess.Popen(
                locust_command(args, url),
                cwd=ROOT,
                env={**os.environ, **load_env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        outage = None
        if args.fault:
            spawned = (args.users + args.facilitators + args.coordinators) / args.spawn_rate
            time.sleep(max(spawned + 15, args.duration / 2))
            # Other programs on this PostgreSQL would see the restart too: give them a moment.
            latest = began + args.duration - args.outage - 30
            while (others := others_on_postgres(args.database)) and time.time() < latest:
                time.sleep(1)
            if others:
                print(f"   note: {others} other connections to PostgreSQL see the restart too")
            outage = restart_postgres(args.outage)
            print(
                f"   PostgreSQL stopped at +{outage.stopping - began:.1f} s, "
                f"accepting connections again at +{outage.started - began:.1f} s"
            )
        load.wait()
        ended = time.time()
        machine = machine_busy_seconds() - busy_before
        postgres_after = postgres_cpu_seconds()
        same_server = postgres_after[0] == postgres_before[0]
        postgres = postgres_after[1] - postgres_before[1] if same_server else float("nan")
        locust = cpu_seconds_of_children() - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=60)
    gunicorn = cpu_seconds_of_children() - cpu_before - locust
    cpu = {"machine": machine, "gunicorn": gunicorn, "locust": locust, "postgres": postgres}
    return Run(began, ended, outage, cpu | {"others_before": others_before})


def print_cpu(run: Run, request_count: int) -> None:
    cpu, wall, cores = run.cpu, run.ended - run.began, os.cpu_count() or 1
    postgres = cpu["postgres"]  # not a number after a restart (--fault): not counted
    ours = cpu["gunicorn"] + cpu["locust"] + (0 if math.isnan(postgres) else postgres)
    print(
        f"CPU in core-seconds over {wall:.0f} s ({cores} cores: {cores * wall:.0f}): whole "
        f"machine {cpu['machine']:.0f}; gunicorn {cpu['gunicorn']:.0f}, PostgreSQL "
        f"{postgres:.0f}, locust {cpu['locust']:.0f}; other programs {cpu['machine'] - ours:.0f} "
        f"(before the run they kept {cpu['others_before']:.1f} cores busy). Per request: "
        f"gunicorn {1000 * cpu['gunicorn'] / request_count:.1f} ms, "
        f"PostgreSQL {1000 * postgres / request_count:.1f} ms, "
        f"locust {1000 * cpu['locust'] / request_count:.1f} ms"
    )


def report(args: argparse.Namespace, plan: dict[str, Any], run: Run) -> bool:
    out: Path = args.out
    requests = [json.loads(line) for f in out.glob("requests-*.txt") for line in f.open()]
    users = args.users + args.facilitators + args.coordinators
    full_load = (run.began + users / args.spawn_rate, run.began + args.duration)
    table = latency_table(requests, full_load)
    overall = table["ALL"]
    print_cpu(run, len(requests))
    server_times(out)
    checks = database_checks(plan, read_lines(out, "completed"))
    checks["abandoned_sessions"] = len(read_lines(out, "abandoned"))
    booted = (out / "gunicorn.log").read_text().count("Booting worker")
    checks["worker_restarts"] = booted - args.workers
    passed = (
        checks["lost"] == 0
        and checks["completed_twice"] == 0
        and checks["submitted_not_seen_completed"] == 0
        and checks["incomplete_answers"] == 0
        and checks["submitted_without_scores"] == 0
        and checks["totals_agree_with_scores"]
        and checks["abandoned_sessions"] == 0
    )
    if run.outage is None:
        passed &= overall["failures"] == 0 and overall["p95"] < P95_TARGET_MS
    else:
        checks |= fault_checks(requests, run.outage)
        passed &= (
            checks["failed_not_friendly_503"] == 0
            and checks["failed_outside_window"] == 0
            and checks["succeeded_after_restart"] > 0
        )
    print("\nChecks:")
    for name, value in checks.items():
        print(f"  {name:<32} {value}")
    target = "" if run.outage else f" (target: no errors, p95 < {P95_TARGET_MS} ms)"
    print(
        f"\n{'PASS' if passed else 'FAIL'}: {checks['completed']} sessions completed, "
        f"{checks['submitted']} responses submitted, {overall['failures']} failed requests, "
        f"p50 {overall['p50']:.0f} ms, p95 {overall['p95']:.0f} ms{target}"
    )
    summary = {"arguments": {k: str(v) for k, v in vars(args).items()}, "latency": table}
    summary |= {"checks": checks, "cpu": run.cpu, "passed": passed}
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    return passed


def main() -> int:
    args = arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    env = environment(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    print(f"Run folder: {args.out}\n1. Database {args.database}: fresh, migrated, seeded")
    fresh_database(args.database)
    import django

    django.setup()
    from django.db import connection

    plan = seed(args.teams)
    (args.out / "plan.json").write_text(json.dumps(plan))
    connection.close()

    url = f"http://127.0.0.1:{args.port}"
    print(f"2. gunicorn: {args.workers} workers at {url}, DB_CONN_MAX_AGE={args.conn_max_age}")
    print(
        f"3. locust: {args.users} respondents + {args.facilitators} facilitators + "
        f"{args.coordinators} coordinators, {args.spawn_rate}/s, {args.duration} s, "
        f"think {args.think} s" + (f", PostgreSQL down {args.outage:.0f} s" if args.fault else "")
    )
    run = drive(args, env, url)
    print("4. Results")
    return 0 if report(args, plan, run) else 1


if __name__ == "__main__":
    sys.exit(main())
