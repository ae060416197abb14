"""One complete response, as a respondent's browser makes it, against the peer survey app.

    .venv/bin/python bench/journey.py                # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenspel .venv/bin/python bench/journey.py
    .venv/bin/python bench/journey.py --profile      # the cProfile of each kind of request

A Samenspel journey through the real URLs, in a fresh browser: the round's landing page,
start, the background page shown and saved, every dimension page (and the report mark's,
on versions that ask it) shown and saved, the review page, submit, the thank-you page.
Its server time (django.test.Client, in this process: middleware, views, templates and
the database, no network) with its requests and queries; the median of --repeat runs.

The peer, django-survey-and-report 1.5.0 (bench/peer/), runs in its own virtualenv and
process; its journey is one GET of the whole form and one POST of it. The two are run
alternately (Samenspel, peer, Samenspel, ...) so that the load of this shared machine
falls on both alike. The peer's virtualenv, made once:

    python3 -m venv /tmp/peer-venv
    /tmp/peer-venv/bin/pip install "django==5.2.*" django-survey-and-report==1.5.0

Figures and the profiles behind each change: bench/journey/README.md.
"""

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

from common import ROOT, database_name, test_database, uninstrument_templates
from django.db import connection
from django.test import Client

FORM = "application/x-www-form-urlencoded"
PEER_PYTHON = Path("/tmp/peer-venv/bin/python")
PEER_WORKER = ROOT / "bench" / "peer" / "worker.py"


class QueryCounter:
    """Counts the statements sent; unlike the connection's query log, a request's start
    does not reset it."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Journey:
    """A fresh browser's complete response to one round; one address per journey, so that
    the start limit per address is never what is measured."""

    def __init__(self, round, shape) -> None:
        self.round = round
        self.shape = shape
        self.count = 0
        # Per kind of request: its timings in ms and its queries, over all journeys.
        self.kinds: dict[str, list[tuple[float, int]]] = {}

    def page_form(self, path: str) -> dict[str, str]:
        page = int(path.rstrip("/").rsplit("/", 1)[1])
        if page > len(self.shape.dimensions):
            return {"mark": "7", "nav": "next"}
        dimension = self.shape.dimensions[page - 1]
        form = {"nav": "next"}
        for item in self.shape.items[dimension.pk]:
            form[f"s-{item.pk}"] = "4"
            if not self.shape.per_dimension:
                form |= {f"i-{item.pk}": "2", f"w-{item.pk}": "yes"}
        if self.shape.per_dimension:
            form |= {f"di-{dimension.pk}": "2", f"dw-{dimension.pk}": "yes"}
        return form

    def run(self) -> dict:
        """One journey: its server time in ms, requests and queries."""
        self.count += 1
        number = self.count
        address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        client = Client(REMOTE_ADDR=address)
        counter = QueryCounter()
        total = 0.0
        made = 0

        def call(kind: str, method: str, path: str, data=None, expect: int = 200):
            nonlocal total, made
            before = counter.count
            start = time.perf_counter()
            if method == "GET":
                answer = client.get(path)
            else:  # as a browser sends a form
                answer = client.post(path, urlencode(data or {}), content_type=FORM)
            elapsed = (time.perf_counter() - start) * 1000
            total += elapsed
            made += 1
            self.kinds.setdefault(kind, []).append((elapsed, counter.count - before))
            assert answer.status_code == expect, (kind, path, answer.status_code)
            return answer

        with connection.execute_wrapper(counter):
            landing = self.round.respondent_path()
            call("landing (GET)", "GET", landing)
            where = call("start (POST)", "POST", landing, expect=302)["Location"]
            if not where.endswith("/background/"):  # through the personal link (before)
                where = call("resume (GET)", "GET", where, expect=302)["Location"]
            assert where.endswith("/background/"), where
            call("background (GET)", "GET", where)
            background = {"sector": "school", "position": "staff"}
            where = call("background (POST)", "POST", where, background, expect=302)["Location"]
            while "/p/" in where:
                call("dimension page (GET)", "GET", where)
                form = self.page_form(where)
                where = call("dimension page (POST)", "POST", where, form, expect=302)["Location"]
            assert where.endswith("/review/"), where
            call("review (GET)", "GET", where)
            submit = where.replace("/review/", "/submit/")
            where = call("submit (POST)", "POST", submit, expect=302)["Location"]
            call("thanks (GET)", "GET", where)
        return {"ms": total, "requests": made, "queries": counter.count}


def profile(journey: Journey, repeat: int) -> None:
    """Where the time of whole journeys goes: per kind of request, then cProfile's view."""
    journey.run()
    journey.kinds.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        journey.run()
    profiler.disable()
    print(f"Per kind of request (median of {repeat} journeys, under the profiler):")
    for kind, runs in journey.kinds.items():
        per_journey = len(runs) // repeat
        median = statistics.median(ms for ms, _ in runs)
        print(f"  {kind:<24} x{per_journey:<3} {median:6.2f} ms  {runs[0][1]:3d} queries")
    profiler.dump_stats("/tmp/journey.prof")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--version", type=int, default=1, help="shipped version number")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    destroy = test_database()
    try:
        from assessment.models import QuestionnaireVersion, Round
        from assessment.questionnaire.importexport import install_shipped_questionnaire
        from assessment.questionnaire.structure import structure
        from teams.models import Network, Team

        uninstrument_templates()
        install_shipped_questionnaire()
        version = QuestionnaireVersion.objects.filter(number=args.version).order_by("pk").first()
        team = Team.objects.create(network=Network.objects.create(name="Bench"), name="Bench")
        round = Round.objects.create(team=team, version=version, title="Bench")
        shape = structure(version)
        journey = Journey(round, shape)
        items = len(shape.all_items)
        if args.profile:
            profile(journey, args.repeat)
            return
        peer = None
        if not args.no_peer:
            peer = subprocess.Popen(
                [str(PEER_PYTHON), "-W", "ignore", str(PEER_WORKER), str(items)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert peer.stdin and peer.stdout
            json.loads(peer.stdout.readline())

        def peer_journey() -> dict:
            assert peer and peer.stdin and peer.stdout
            peer.stdin.write("go\n")
            peer.stdin.flush()
            return json.loads(peer.stdout.readline())

        print(
            f"One complete response on {database_name()}: version {args.version}, "
            f"{items} statements on {len(shape.dimensions)} pages; "
            f"median of {args.repeat}, alternating with the peer"
        )
        ours, theirs = [], []
        for number in range(args.warmup + args.repeat):
            mine = journey.run()
            other = peer_journey() if peer else None
            if number >= args.warmup:
                ours.append(mine)
                if other:
                    theirs.append(other)
        report("Samenspel", ours)
        for kind, runs in journey.kinds.items():
            runs = runs[len(runs) * args.warmup // (args.warmup + args.repeat) :]
            per_journey = len(runs) // args.repeat
            median = statistics.median(ms for ms, _ in runs)
            print(f"  {kind:<24} x{per_journey:<3} {median:6.2f} ms  {runs[0][1]:3d} queries")
        if peer:
            report("django-survey-and-report 1.5.0 (SQLite)", theirs)
            ratio = statistics.median(r["ms"] for r in theirs) / statistics.median(
                r["ms"] for r in ours
            )
            ratios = sorted(t["ms"] / o["ms"] for o, t in zip(ours, theirs, strict=True))
            pairs = statistics.median(ratios)
            print(f"peer / Samenspel: {ratio:.2f}x (median of the pairs: {pairs:.2f}x)")
            peer.stdin.close()
            peer.wait()
    finally:
        destroy()


def report(label: str, runs: list[dict]) -> None:
    timings = sorted(r["ms"] for r in runs)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{label:<42} median {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms"
        f"  {runs[0]['requests']:3d} requests  {runs[0]['queries']:4d} queries  (n={len(runs)})"
    )


if __name__ == "__main__":
    main()
