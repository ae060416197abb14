"""Team conversations under load: many meetings at once, each with a presenter and a room of
phones that poll, follow the big screen and vote. One command (see README.md):

    .venv/bin/python bench/meeting/run.py --meetings 30 --phones 15 --duration 60 --poll 2

1. Creates the database (default samenspel_meeting; dropped first), migrates, installs the
   questionnaire, and makes one team per meeting: a facilitator, a closed round with 10-16
   submitted responses (assessment.demo) and a meeting started on its results
   (services.start_meeting), as the "start the conversation" button does.
2. Starts gunicorn as bench/load does (gunicorn.conf.py, sync workers, DEBUG=false,
   production settings; the client plays the TLS-terminating proxy: X-Forwarded-Proto).
3. Drives the meetings with one thread per phone and per presenter (the standard library's
   http.client; gunicorn's sync workers close every connection, so one connection a request):
   - presenters log in (once each: django-axes counts failures) and open their big screen;
   - phones join (GET /m/<code>/, which sets the phone's cookie), spread over --join-spread;
   - phase "poll only" (--poll-only seconds, from when every phone has joined): every phone
     polls /m/<code>/state/ every --poll seconds and nothing else happens, so the server's
     CPU over this phase divided by its polls is the CPU of one poll, clean;
   - phase "meeting": the meetings begin one after the other over --stagger seconds; each
     presenter steps through the agenda every --step-every seconds (POST move, then the big
     screen the browser is sent to); phones fetch /m/<code>/step/ when the revision moved; on
     the vote step the presenter opens the vote, every phone casts its 3 votes (one per poll
     cycle, as a person taps), and once --vote-seconds have passed and the room has voted
     the presenter closes the vote and goes on to the end of the agenda. The phones go on
     polling until the last presenter is done and at least --duration seconds have passed.
4. Prints requests, errors and p50/p95/p99 per kind of request (client side, the wait for a
   free worker included), the time inside gunicorn (its access log), the cores busy per
   phase and CPU per poll, and compares the votes the phones saw accepted with the
   MeetingVote rows. Writes summary.json and one line per request to --out. Exit status 0
   when there was no error and the votes agree; the latency target (p95 < 100 ms for poll
   and vote) is reported, not enforced. The database is dropped unless --keep-database.
"""

import argparse
import contextlib
import html
import http.client
import json
import multiprocessing
import os
import random
import re
import resource
import secrets
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's root, before the installed copy (if any)

from bench.load.run import (  # noqa: E402
    BIN,
    SERVER,
    environment,
    fresh_database,
    latency_table,
    machine_busy_seconds,
    percentile,
    postgres_cpu_seconds,
    wait_until_healthy,
)

HOST = "127.0.0.1"
ORIGIN = f"https://{HOST}"  # what a browser sends behind the TLS proxy; Django checks it
TIMEOUT = 30.0
P95_TARGET_MS = 100
TARGET_KINDS = ("poll", "vote")
# What each kind of request answers when all is well; anything else is an error.
EXPECTED = {
    "login page": 200,
    "login": 302,
    "open screen": 200,  # the big screen after the login: a worker's first results page
    "present": 200,
    "join": 200,
    "poll": 200,
    "step": 200,
    "vote": 200,
    "move": 302,
    "vote open": 302,
    "vote close": 302,
}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'data-revision="(\d+)"')
FOLLOW = re.compile(r'data-state-url="([^"]+)" data-step-url="([^"]+)"')


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--meetings", type=int, default=30, help="meetings at once, one team each")
    add("--phones", type=int, default=15, help="phones per meeting")
    add("--duration", type=float, default=60, help="seconds of polling at least, all phases")
    add("--poll", type=float, default=2, help="seconds between a phone's polls (phone.js: 2)")
    add("--poll-only", type=float, default=20, help="seconds of the phase with only polls")
    add("--join-spread", type=float, default=30, help="seconds over which the phones join")
    add("--step-every", type=float, default=5, help="seconds a presenter stays on a step")
    add("--vote-seconds", type=float, default=15, help="seconds the vote stays open at least")
    add("--stagger", type=float, default=30, help="seconds over which the meetings begin")
    add("--workers", type=int, default=multiprocessing.cpu_count() * 2 + 1, help="gunicorn")
    add("--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE")
    add("--database", default="samenspel_meeting")
    add("--keep-database", action="store_true", help="leave the database for a look")
    add("--port", type=int, default=8766)
    add("--seed", type=int, default=1)
    default_out = Path("/tmp/samenspel-meeting") / time.strftime("%Y%m%d-%H%M%S")
    add("--out", type=Path, default=default_out)
    return parser.parse_args()


# --- 1. The data -----------------------------------------------------------------------


def seed(meetings: int, rng: random.Random) -> list[dict[str, Any]]:
    """One team, facilitator, closed round and started meeting per meeting; the plan."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from assessment.demo import TeamProfile, make_responses
    from assessment.meetings import agenda
    from assessment.meetings.services import start_meeting
    from assessment.models import QuestionnaireVersion, Round
    from assessment.models.meetings import VOTES_PER_PHONE
    from assessment.results.aggregate import round_results
    from teams.models import Membership, Network, Team, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("install_questionnaire", verbosity=0)
    version = QuestionnaireVersion.objects.latest_published()
    password = secrets.token_urlsafe(12)
    hashed = make_password(password)  # once: hashing is slow on purpose
    network = Network.objects.create(name="Gemeente Vergaderstad")
    numbers = range(1, meetings + 1)
    # One query per model: every team has one facilitator and one closed round.
    teams = Team.objects.bulk_create(
        Team(network=network, name=f"Team {t:03d}", size=20) for t in numbers
    )
    users = User.objects.bulk_create(
        User(email=f"presenter{t}@meeting.test", password=hashed) for t in numbers
    )
    Membership.objects.bulk_create(
        Membership(team=team, user=user, role=Membership.Role.FACILITATOR)
        for team, user in zip(teams, users, strict=True)
    )
    rounds = Round.objects.bulk_create(
        Round(team=team, version=version, title="Voorjaar", closed_at=timezone.now())
        for team in teams
    )
    # Half the teams are split in two camps: their agenda gets "opinions differ" cards.
    profiles = [
        TeamProfile(level=rng.uniform(2.4, 4.2), divided=rng.choice((0.0, 1.6))) for _r in rounds
    ]
    make_responses(
        [(r, rng.randint(10, 16), p) for r, p in zip(rounds, profiles, strict=True)], rng=rng
    )
    plan = []
    for user, closed in zip(users, rounds, strict=True):
        results = round_results(closed)
        if not results.visible:
            raise SystemExit(f"round {closed.pk}: no results to present")
        meeting = start_meeting(round=closed, results=results, started_by=user)
        plan.append(
            {
                "meeting": meeting.pk,
                "code": meeting.code,
                "agenda": meeting.agenda,
                "cards": agenda.cards(meeting.agenda),
                "votes_per_phone": VOTES_PER_PHONE,
                "email": user.email,
                "password": password,
            }
        )
    return plan


# --- 3. The client ---------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    t: float  # when it was sent (time.time())
    ms: float
    status: int  # 0: no answer (an exception)
    ok: bool
    error: str = ""


class Browser:
    """One phone or presenter: its cookies, and a new connection per request (gunicorn's
    sync workers close every connection after the response). It sends what a browser behind
    the TLS-terminating proxy would: X-Forwarded-Proto, and an Origin on form posts. Cookies
    are kept by name (one host); Secure ones too, as a browser does over https."""

    def __init__(self, port: int, samples: list[Sample]) -> None:
        self.port = port
        self.samples = samples  # shared; list.append is atomic, so no lock
        self.cookies: dict[str, str] = {}

    def send(
        self, kind: str, method: str, path: str, form: dict[str, str] | None = None, **headers
    ) -> tuple[int, str]:
        """(status, body); status 0 when the server did not answer."""
        head = {"Host": HOST, "X-Forwarded-Proto": "https", **headers}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urlencode(form or {})
            head |= {"Origin": ORIGIN, "Content-Type": "application/x-www-form-urlencoded"}
        sent, started = time.time(), time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body, head)
            response = connection.getresponse()
            text = response.read().decode()
            status = response.status
            self._keep(response.headers.get_all("Set-Cookie") or [])
            error = "" if status == EXPECTED[kind] else f"status {status}"
        except (OSError, http.client.HTTPException) as exception:
            text, status, error = "", 0, f"{type(exception).__name__}: {exception}"[:200]
        finally:
            connection.close()
        ms = (time.perf_counter() - started) * 1000
        self.samples.append(Sample(kind, sent, round(ms, 2), status, not error, error))
        return status, text

    def _keep(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:  # Django's delete_cookie
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


@dataclass
class Bench:
    """What every thread shares: the options, the requests seen so far, and the main
    thread's signals (the meeting phase begins, stop)."""

    args: argparse.Namespace
    samples: list[Sample] = field(default_factory=list)
    meeting_phase: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    joined: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))

    def browser(self) -> "Browser":
        return Browser(self.args.port, self.samples)


@dataclass
class PhoneLog:
    """What one phone saw, for the checks against the database."""

    meeting: int
    token: str = ""  # its cookie: the MeetingPhone's token
    # Cards whose vote was accepted (200: toggle_vote counted it, as each card is voted for
    # once), and those of them the page that came back showed pressed; 409: refused.
    accepted: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    revision: int = 0  # the last revision it showed
    done_voting: bool = False  # spent its votes, or saw the vote closed


def phone(bench: Bench, plan: dict, join_at: float, log: PhoneLog, seed: int) -> None:
    """A phone as meeting.js drives it: join, then poll; fetch the step when the revision
    moved; while the vote is open, tap one card per poll cycle until its votes are spent."""
    rng = random.Random(seed)
    browser = bench.browser()
    code = plan["code"]
    time.sleep(max(0.0, join_at - time.time()))
    status, page = browser.send("join", "GET", f"/m/{code}/")
    bench.joined.release()
    if status != 200:
        return
    log.token = browser.cookies.get(f"samenspel_meeting_{plan['meeting']}", "")
    log.revision = shown_revision(page)
    # The addresses meeting.js polls, with the key only the phone page hands out.
    state_url, step_url = (html.unescape(url) for url in FOLLOW.search(page).groups())
    wanted = rng.sample(plan["cards"], min(plan["votes_per_phone"], len(plan["cards"])))
    csrf, voting = "", False
    # meeting.js waits `every` after a poll (and its step fetch) ended, not a fixed rate.
    while not bench.stop.wait(bench.args.poll):
        status, text = browser.send("poll", "GET", state_url)
        if status != 200:
            continue
        if json.loads(text)["revision"] != log.revision:
            status, page = browser.send("step", "GET", step_url)
            if status != 200:
                continue
            log.revision = shown_revision(page)
            voting = "data-vote-form" in page
            csrf = token(page) or csrf
        if voting and wanted and csrf:
            card = wanted.pop()
            form = {"csrfmiddlewaretoken": csrf, "card": card}
            status, answer = browser.send(
                "vote", "POST", f"/m/{code}/vote/", form, **{"X-Requested-With": "fetch"}
            )
            if status == 200:
                log.accepted.append(card)
                if card in json.loads(answer)["mine"]:
                    log.shown.append(card)
            else:
                log.refused.append(card)
            log.done_voting = not wanted
            if status == 409:  # refused (the vote closed): meeting.js fetches the step
                status, page = browser.send("step", "GET", step_url)
                if status == 200:
                    log.revision = shown_revision(page)
                    voting = "data-vote-form" in page


def presenter(
    bench: Bench, plan: dict, phones: list[PhoneLog], ready: threading.Barrier, delay: float
) -> None:
    """A facilitator: logs in, opens the big screen, waits for the meeting phase, then steps
    through the agenda; opens the vote on its step and closes it after --vote-seconds, once
    every phone of the room has voted (as a facilitator waits for the last colleague; here
    seen from the phones' logs) or after four times --vote-seconds."""
    args = bench.args
    browser = bench.browser()
    _status, page = browser.send("login page", "GET", "/account/login/")
    form = {"username": plan["email"], "password": plan["password"], "next": ""}
    browser.send("login", "POST", "/account/login/", form | {"csrfmiddlewaretoken": token(page)})
    screen = f"/meetings/{plan['meeting']}/"
    _status, page = browser.send("open screen", "GET", screen)
    csrf = token(page)  # the login rotated the token: the one of the big screen's forms
    ready.wait()
    bench.meeting_phase.wait()
    time.sleep(delay)  # meetings move out of step with each other, as real ones do
    rng = random.Random(plan["meeting"])

    def post(kind: str, action: str, **form: str) -> None:
        nonlocal csrf
        time.sleep(args.step_every * rng.uniform(0.8, 1.2))
        browser.send(kind, "POST", f"{screen}{action}/", form | {"csrfmiddlewaretoken": csrf})
        _status, page = browser.send("present", "GET", screen)  # where the browser is sent
        csrf = token(page) or csrf

    vote_at = plan["agenda"].index("vote")
    for _step in range(vote_at):
        post("move", "move", to="next")
    post("vote open", "vote", what="open")
    opened = time.time()
    while time.time() < opened + 4 * args.vote_seconds and not (
        time.time() > opened + args.vote_seconds - args.step_every
        and all(log.done_voting or not log.token for log in phones)
    ):
        time.sleep(0.5)
    post("vote close", "vote", what="close")
    for _step in range(vote_at, len(plan["agenda"]) - 1):
        post("move", "move", to="next")


def token(page: str) -> str:
    found = CSRF.search(page)
    return found.group(1) if found else ""


def shown_revision(page: str) -> int:
    found = REVISION.search(page)
    return int(found.group(1)) if found else 0


# --- 2 and 3. Server and phases ----------------------------------------------------------


def tree_cpu_seconds(pid: int) -> float:
    """CPU of gunicorn: the master, its live workers, and the workers that ended."""

    def ticks(process: str | int, children: bool) -> int:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(v) for v in fields[11 : 15 if children else 13])

    total = ticks(pid, children=True)
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        with contextlib.suppress(OSError):  # a worker ended just now
            total += ticks(child, children=True)
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


CPU_OWNERS = ("gunicorn", "postgres", "client", "machine")


@dataclass
class Mark:
    """The time and the CPU counters at a phase boundary."""

    t: float
    gunicorn: float
    postgres: float
    client: float
    machine: float

    @classmethod
    def now(cls, server: int) -> "Mark":
        return cls(
            time.time(),
            tree_cpu_seconds(server),
            postgres_cpu_seconds()[1],
            own_cpu_seconds(),
            machine_busy_seconds(),
        )


@dataclass
class Phases:
    marks: dict[str, Mark]  # joining, poll only, meeting, end
    logs: list[PhoneLog]


def drive(bench: Bench, plans: list[dict], env: dict[str, str]) -> Phases:
    """gunicorn up (as bench/load starts it), the meetings through, gunicorn down."""
    out: Path = bench.args.out
    logs = [
        f"--access-logfile={out / 'gunicorn-access.log'}",
        f"--error-logfile={out / 'gunicorn.log'}",
    ]
    command = [BIN / "gunicorn", "config.wsgi", "-c", "gunicorn.conf.py", *logs]
    with open(out / "django.log", "w") as log:  # Django's own log lines (LOGGING: console)
        server = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_until_healthy(f"http://{HOST}:{bench.args.port}")
        return meet(bench, plans, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)


def meet(bench: Bench, plans: list[dict], server: int) -> Phases:
    args = bench.args
    marks = {"idle": Mark.now(server)}
    time.sleep(3)  # what the other programs on this machine use, before we begin
    marks["login"] = Mark.now(server)
    ready = threading.Barrier(len(plans) + 1)
    # Meetings at one time of day do not move in step: they begin over --stagger seconds.
    spacing = args.stagger / len(plans)
    rooms = {
        plan["meeting"]: [PhoneLog(plan["meeting"]) for _n in range(args.phones)] for plan in plans
    }
    presenters = [
        threading.Thread(
            target=presenter, args=(bench, plan, rooms[plan["meeting"]], ready, i * spacing)
        )
        for i, plan in enumerate(plans)
    ]
    for thread in presenters:
        thread.start()
    ready.wait()  # logged in, on the big screen
    print(f"   {len(plans)} presenters logged in; {len(plans) * args.phones} phones joining")

    marks["joining"] = Mark.now(server)
    logs = [log for room in rooms.values() for log in room]
    phones: list[threading.Thread] = []
    rng = random.Random(args.seed)
    for plan in plans:
        for log in rooms[plan["meeting"]]:
            join_at = marks["joining"].t + rng.uniform(0, args.join_spread)
            work = (bench, plan, join_at, log, rng.getrandbits(32))
            phones.append(threading.Thread(target=phone, args=work, daemon=True))
    for thread in phones:
        thread.start()
    # Every phone has joined (the joins queue when the server is slow) and its first poll
    # is under way: from here on only polls arrive.
    for _phone in phones:
        bench.joined.acquire(timeout=args.join_spread + 2 * TIMEOUT)
    time.sleep(args.poll + 1)
    marks["poll only"] = Mark.now(server)
    print(f"   {sum(bool(log.token) for log in logs)} phones joined; polling only")
    time.sleep(args.poll_only)
    marks["meeting"] = Mark.now(server)
    print("   meeting phase: presenters step, open the vote, close it, step on")
    bench.meeting_phase.set()
    for thread in presenters:
        thread.join()
    # A last poll cycle or two, so every phone can see the last step.
    time.sleep(max(2 * args.poll + 1, marks["poll only"].t + args.duration - time.time()))
    bench.stop.set()
    for thread in phones:
        thread.join(timeout=TIMEOUT + args.poll)
    marks["end"] = Mark.now(server)
    return Phases(marks, logs)


# --- 4. The numbers and the checks -----------------------------------------------------


def phase_latency(samples: list[Sample], marks: dict[str, Mark]) -> dict[str, dict]:
    """Polls with nothing else on the server, and each kind of the meeting phase, apart:
    the table over the whole run mixes the two."""
    table: dict[str, dict] = {}
    for phase, end, kinds in (("poll only", "meeting", ("poll",)), ("meeting", "end", EXPECTED)):
        begin, until = marks[phase].t, marks[end].t
        for kind in kinds:
            times = sorted(s.ms for s in samples if s.kind == kind and begin <= s.t < until)
            if times:
                table[f"{phase}: {kind}"] = {
                    "count": len(times),
                    "p50": percentile(times, 0.5),
                    "p95": percentile(times, 0.95),
                    "p99": percentile(times, 0.99),
                }
    print(f"\n{'by phase':<24}{'count':>7}{'p50':>8}{'p95':>8}{'p99':>8}  (ms, client side)")
    for name, row in table.items():
        print(f"{name:<24}{row['count']:>7}{row['p50']:>8.1f}{row['p95']:>8.1f}{row['p99']:>8.1f}")
    return table


ACCESS = re.compile(r'"(\w+) (\S+) HTTP/[\d.]+" (\d+) \S+ (\d+)ms$', re.MULTILINE)


def server_times(out: Path) -> dict[str, dict[str, float]]:
    """Time inside gunicorn's workers per kind (its access log): the rest of a request's
    time on the client is the wait for a free worker (and the client's own work)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for method, path, _status, ms in ACCESS.findall((out / "gunicorn-access.log").read_text()):
        groups[kind_of(method, path)].append(int(ms))
    table = {}
    for kind, times in groups.items():
        times.sort()
        table[kind] = {
            "count": len(times),
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
        }
    line = ", ".join(
        f"{kind} {table[kind]['p50']:.0f}/{table[kind]['p95']:.0f}"
        for kind in EXPECTED
        if kind in table
    )
    print(f"Inside the workers (gunicorn's access log), p50/p95 ms: {line}")
    return table


def kind_of(method: str, path: str) -> str:
    path = path.split("?", 1)[0]  # the poll's key
    if path.startswith("/m/"):
        tail = path.rstrip("/").rsplit("/", 1)[-1]
        return {"state": "poll", "step": "step", "vote": "vote"}.get(tail, "join")
    if path.startswith("/account/login/"):
        return "login" if method == "POST" else "login page"
    if path.endswith("/move/"):
        return "move"
    if path.endswith("/vote/"):
        return "vote open"  # open and close share the path
    return "present" if path.startswith("/meetings/") else "other"


PHASES = ("idle", "login", "joining", "poll only", "meeting", "end")


def cpu_report(marks: dict[str, Mark], samples: list[Sample]) -> dict[str, Any]:
    """Cores busy per phase, by whom ("others": programs that are not this bench), and the
    CPU of one poll: the poll-only phase's CPU divided by its polls, since nothing else
    arrives then; beside it, the whole run's CPU divided by all its polls."""
    print(
        f"\n{'cores busy':<12}{'seconds':>8}{'gunicorn':>9}{'postgres':>9}{'client':>8}"
        f"{'others':>8}"
    )
    phases: dict[str, dict[str, float]] = {}
    for begin, end in zip(PHASES, PHASES[1:], strict=False):
        a, b = marks[begin], marks[end]
        seconds = b.t - a.t
        row = {who: (getattr(b, who) - getattr(a, who)) / seconds for who in CPU_OWNERS}
        row["others"] = row["machine"] - row["gunicorn"] - row["postgres"] - row["client"]
        phases[begin] = row | {"seconds": seconds}
        print(
            f"{begin:<12}{seconds:>8.0f}{row['gunicorn']:>9.2f}{row['postgres']:>9.2f}"
            f"{row['client']:>8.2f}{row['others']:>8.2f}"
        )
    only, meeting = marks["poll only"], marks["meeting"]
    polls = sum(s.kind == "poll" and only.t <= s.t < meeting.t for s in samples)
    other_requests = sum(s.kind != "poll" and only.t <= s.t < meeting.t for s in samples)
    all_polls = sum(s.kind == "poll" for s in samples)
    per_poll = {
        who: 1000 * (getattr(meeting, who) - getattr(only, who)) / max(polls, 1)
        for who in CPU_OWNERS
    }
    whole = {
        who: 1000 * (getattr(marks["end"], who) - getattr(marks["joining"], who)) / all_polls
        for who in CPU_OWNERS
    }
    print(
        f"CPU per poll (poll-only phase: {polls} polls, "
        f"{polls / phases['poll only']['seconds']:.0f}/s, {other_requests} other requests): "
        f"gunicorn {per_poll['gunicorn']:.2f} ms, "
        f"PostgreSQL {per_poll['postgres']:.2f} ms, this client {per_poll['client']:.2f} ms\n"
        f"Whole run from the first join, every request's CPU divided by its {all_polls} polls: "
        f"gunicorn {whole['gunicorn']:.2f} ms, PostgreSQL {whole['postgres']:.2f} ms"
    )
    return {
        "phases_cores": phases,
        "poll_only_polls": polls,
        "poll_only_other_requests": other_requests,
        "ms_per_poll": per_poll,
        "ms_per_poll_whole_run": whole,
    }


def vote_checks(plans: list[dict], logs: list[PhoneLog]) -> dict[str, Any]:
    """The votes the phones saw counted against the MeetingVote rows: the same (phone,
    card) pairs, none missing, none extra, none twice; no phone over its votes."""
    from django.db.models import Count

    from assessment.models import Meeting, MeetingPhone, MeetingVote

    ids = [plan["meeting"] for plan in plans]
    allowed = plans[0]["votes_per_phone"]
    seen = [(log.token, card) for log in logs for card in log.accepted]
    votes = MeetingVote.objects.filter(meeting_id__in=ids)
    rows = list(votes.values_list("phone__token", "card"))
    per_phone = votes.values("phone").annotate(n=Count("id")).order_by("-n")
    revisions = dict(Meeting.objects.filter(pk__in=ids).values_list("pk", "revision"))
    joined = [log for log in logs if log.token]
    return {
        "phones": len(logs),
        "phones_joined": len(joined),
        "phones_in_database": MeetingPhone.objects.filter(meeting_id__in=ids).count(),
        "votes_seen_accepted": len(seen),
        # Accepted, but the page that came back no longer showed the vote (it was closed
        # between the vote and the page): the phone cannot tell that its vote counted.
        "accepted_not_shown": sum(len(log.accepted) - len(log.shown) for log in logs),
        "votes_refused": sum(len(log.refused) for log in logs),
        "vote_rows": len(rows),
        "missing_rows": len(set(seen) - set(rows)),
        "extra_rows": len(set(rows) - set(seen)),
        "seen_twice": len(seen) - len(set(seen)),
        "votes_per_phone_allowed": allowed,
        "most_votes_of_a_phone": per_phone.values_list("n", flat=True).first() or 0,
        "phones_with_all_votes": sum(len(log.accepted) == allowed for log in joined),
        "phones_behind_last_revision": sum(
            log.revision != revisions[log.meeting] for log in joined
        ),
    }


def report(bench: Bench, plans: list[dict], phases: Phases) -> bool:
    args, marks = bench.args, phases.marks
    samples = sorted(bench.samples, key=lambda s: s.t)
    with open(args.out / "requests.jsonl", "w") as lines:
        for sample in samples:
            lines.write(json.dumps(asdict(sample)) + "\n")
    # bench/load's table: count, failures, req/s and percentiles per kind, and ALL; its
    # "full load" is here the time every phone polls (from the poll-only phase to the end).
    table = latency_table([asdict(s) for s in samples], (marks["poll only"].t, marks["end"].t))
    by_phase = phase_latency(samples, marks)
    inside = server_times(args.out)
    cpu = cpu_report(marks, samples)
    checks = vote_checks(plans, phases.logs)
    booted = (args.out / "gunicorn.log").read_text().count("Booting worker")
    checks["worker_restarts"] = booted - args.workers
    errors = table["ALL"]["failures"]
    failed = [asdict(s) for s in samples if not s.ok]
    polling = marks["end"].t - marks["poll only"].t
    print("\nChecks:")
    for name, value in checks.items():
        print(f"  {name:<30} {value}")
    for error in failed[:5]:
        print(f"  error: {error}")
    passed = (
        errors == 0
        and checks["missing_rows"] == checks["extra_rows"] == checks["seen_twice"] == 0
        and checks["most_votes_of_a_phone"] <= checks["votes_per_phone_allowed"]
        and checks["phones_in_database"] == checks["phones_joined"] == checks["phones"]
        and checks["worker_restarts"] == 0
    )
    target = all(table[k]["p95"] < P95_TARGET_MS for k in TARGET_KINDS if k in table)
    print(
        f"\n{'PASS' if passed else 'FAIL'}: {len(samples)} requests, every phone polling for "
        f"{polling:.0f} s, {errors} errors, {checks['vote_rows']} votes stored = "
        f"{checks['votes_seen_accepted']} seen accepted. Latency target (p95 < "
        f"{P95_TARGET_MS} ms for {' and '.join(TARGET_KINDS)}) "
        f"{'met' if target else 'missed'}: "
        + ", ".join(f"{k} p95 {table[k]['p95']:.0f} ms" for k in TARGET_KINDS if k in table)
        + f"; with only polls, poll p95 {by_phase.get('poll only: poll', {}).get('p95', 0):.0f} ms"
    )
    summary = {
        "arguments": {k: str(v) for k, v in vars(args).items()},
        "workers": args.workers,
        "polling_seconds": polling,
        "phases_began": {name: mark.t for name, mark in marks.items()},
        "latency_ms": table,
        "latency_ms_by_phase": by_phase,
        "inside_workers_ms": inside,
        "cpu": cpu,
        "checks": checks,
        "errors": failed[:50],
        "passed": passed,
        "latency_target_met": target,
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2))
    return passed


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    args = arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    env = environment(args)  # bench/load's production settings, for our database and port
    os.environ.update(env)
    print(f"Run folder: {args.out}\n1. Database {args.database}: fresh, migrated, seeded")
    fresh_database(args.database)
    import django

    django.setup()
    from django.db import connection

    plans = seed(args.meetings, random.Random(args.seed))
    (args.out / "plan.json").write_text(json.dumps(plans, indent=1))
    connection.close()
    steps = sorted(len(plan["agenda"]) for plan in plans)
    print(
        f"   {len(plans)} meetings, agendas of {steps[0]}-{steps[-1]} steps\n"
        f"2. gunicorn: {args.workers} sync workers, DB_CONN_MAX_AGE={args.conn_max_age}\n"
        f"3. {len(plans)} presenters, {len(plans) * args.phones} phones polling every "
        f"{args.poll:g} s; a step every {args.step_every:g} s, the vote open "
        f"{args.vote_seconds:g} s"
    )
    bench = Bench(args)
    phases = drive(bench, plans, env)
    print("4. Results")
    passed = report(bench, plans, phases)
    connection.close()
    if not args.keep_database:
        drop_database(args.database)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
