"""Samenspel under load: respondents fill in the whole questionnaire while facilitators
and coordinators read results. Started by bench/load/run.py, which makes the data and
passes it in LOAD_PLAN (a JSON file) and says where to write what happened (LOAD_OUT).

Respondents (most users) each play one person per session, from the round's link to the
thank-you page, with a fresh browser (no cookies) per session:

    start page, start -> background page, background -> one page per dimension
    (show, answer every statement, save) -> review -> submit -> thanks

Think time: THINK seconds (default 2-6, uniform) before every form is sent, like a
person reading and answering. A real person needs half a minute to a minute for a page
of three to five statements with three questions each, so this is 10-20 times faster
than life: 200 simulated respondents send the requests of a few thousand real ones,
while a session still ends in about a minute, so a run of a few minutes completes
hundreds of them. A respondent whose request fails (not the expected status: a 503, no
answer at all) waits a few seconds and sends the same request again, like a person
pressing again, up to RETRIES times; only then does it give up (abandoned-*.txt).

Facilitators (log in once; read their team's closed round's results, follow their open
round's counts, their team page) and coordinators (log in once; the comparison and the
network page) are a small fixed number of users, with 5-15 s between pages.

Every request is written to requests-<pid>.txt, one JSON object a line (the page kind,
status, time, and for a failure whether it was the friendly "one moment" page); every
completed session's secret token to completed-<pid>.txt, once the thank-you page is shown.

The app runs with production settings behind a pretend TLS-terminating proxy: every
request carries X-Forwarded-Proto: https (gunicorn and Django trust it from 127.0.0.1),
so Django sets Secure cookies and checks the Origin of form posts, as in production.
The browser's side of that TLS connection is played by the cookie jar's policy: it sends
Secure cookies on our (plain http) requests to the pretend proxy, as a browser does over
https. The server's settings are the production ones, unchanged.
"""

import json
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any, TextIO

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.contrib.fasthttp import FastResponse

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
THINK = tuple(float(s) for s in os.getenv("LOAD_THINK", "2,6").split(","))
RETRIES = int(os.getenv("LOAD_RETRIES", "8"))
RETRY_WAIT = (2.0, 5.0)
DONT_KNOW_SHARE = 0.05

INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
# The 503 page (templates/503.html) in both languages; what a traceback page would show.
FRIENDLY = ("Even geduld", "One moment, please")
TRACEBACK = ("Traceback", "Exception Value", "Internal Server Error", "Server Error (500)")


class GaveUp(Exception):
    """A step failed every retry: the session ends here, unfinished."""


# --- What happened, written per process (locust --processes forks after importing) ---

_files: dict[tuple[int, str], TextIO] = {}


def _write(kind: str, line: str) -> None:
    key = (os.getpid(), kind)
    if key not in _files:
        _files[key] = open(OUT / f"{kind}-{os.getpid()}.txt", "a", buffering=1)  # noqa: SIM115
    _files[key].write(line + "\n")


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, start_time, **_kw) -> None:
    status = getattr(response, "status_code", 0) or 0
    row: dict[str, Any] = {
        "t": round(start_time, 3),
        "ms": round(response_time, 1),
        "kind": name,
        "method": request_type,
        "status": status,
        "ok": exception is None,
    }
    if exception is not None:
        text = (getattr(response, "text", None) or "") if status else ""
        row["friendly"] = all(marker in text for marker in FRIENDLY)
        row["traceback"] = any(marker in text for marker in TRACEBACK)
        row["error"] = str(exception)[:200]
    _write("requests", json.dumps(row))


# --- Pages -----------------------------------------------------------------------------


def form_fields(html: str) -> dict[str, list[str]]:
    """Every input of the page: name -> the values offered (radios) or given (hidden)."""
    fields: dict[str, list[str]] = {}
    for tag in INPUT.findall(html):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            fields.setdefault(attributes["name"], []).append(attributes.get("value", ""))
    return fields


def answers(html: str) -> dict[str, str]:
    """Valid random answers to every radio question on the page, and the CSRF token."""
    chosen: dict[str, str] = {}
    for name, values in form_fields(html).items():
        if name == "csrfmiddlewaretoken":
            chosen[name] = values[0]
        elif name.startswith("s-"):
            scale = [v for v in values if v != "dk"]
            dont_know = "dk" in values and random.random() < DONT_KNOW_SHARE
            chosen[name] = "dk" if dont_know else random.choice(scale)
        elif name != "nav":
            chosen[name] = random.choice(values)
    return chosen


def csrf(html: str) -> dict[str, str]:
    return {"csrfmiddlewaretoken": form_fields(html)["csrfmiddlewaretoken"][0]}


class Browser(FastHttpUser):
    """A user behind the pretend TLS proxy, who sends a request again when it fails."""

    abstract = True
    default_headers = {"X-Forwarded-Proto": "https"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # These requests stand for https ones: a browser sends its Secure cookies with them.
        policy = DefaultCookiePolicy(secure_protocols=("https", "http"))
        self.client.cookiejar.set_policy(policy)

    def send(
        self,
        method: str,
        url: str,
        name: str,
        data: dict | None = None,
        *,
        expect: tuple[int, ...] = (200,),
    ) -> FastResponse:
        """One step; a failure (any status not expected) is tried again a few times."""
        headers = {"Origin": self.host.replace("http://", "https://")} if data else {}
        for attempt in range(1, RETRIES + 1):
            with self.client.request(
                method,
                url,
                name=name,
                data=data,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code in expect:
                    response.success()
                    return response
                response.failure(f"{response.status_code} (expected {expect}), try {attempt}")
            if attempt < RETRIES:
                gevent.sleep(random.uniform(*RETRY_WAIT))
        raise GaveUp(f"{method} {name}")

    def think(self) -> None:
        gevent.sleep(random.uniform(*THINK))

    def log_in(self, account: dict[str, str], name: str) -> None:
        page = self.send("GET", "/account/login/", f"{name}: login page")
        form = csrf(page.text) | {"username": account["email"], "password": account["password"]}
        self.send("POST", "/account/login/", f"{name}: log in (POST)", form, expect=(302,))

    def read(self, url: str, name: str, account: dict[str, str], role: str) -> None:
        """A page a logged-in reader opens; logs in again if the session was lost."""
        try:
            response = self.send("GET", url, name, expect=(200, 302))
        except GaveUp:
            return  # counted in the statistics as failures; the reader carries on
        if response.status_code == 302:
            self.log_in(account, role)


class Respondent(Browser):
    weight = 1
    wait_time = constant(0)  # the thinking happens inside the session

    @task
    def fill_in(self) -> None:
        self.client.cookiejar.clear()  # a new person, a new browser
        round_token = random.choice(PLAN["open_rounds"])
        token = ""
        try:
            start = f"/r/{round_token}/"
            page = self.send("GET", start, "respondent: start page")
            for asset in dict.fromkeys(ASSET.findall(page.text)):
                self.send("GET", asset, "static file (first page of a browser)")
            self.think()
            resume = self.send(
                "POST", start, "respondent: start (POST)", csrf(page.text), expect=(302,)
            )
            # Start goes straight to the respondent's first page (the background page).
            url = resume.headers["Location"]
            token = url.strip("/").split("/")[1]
            page = self.send("GET", url, "respondent: background page")
            self.think()
            moved = self.send(
                "POST", url, "respondent: background (POST)", answers(page.text), expect=(302,)
            )
            url = moved.headers["Location"]
            while "/p/" in url:
                page = self.send("GET", url, "respondent: dimension page")
                self.think()
                form = answers(page.text) | {"nav": "next"}
                url = self.send(
                    "POST", url, "respondent: dimension (POST)", form, expect=(302,)
                ).headers["Location"]
            page = self.send("GET", url, "respondent: review page")
            self.think()
            submit = f"/a/{token}/submit/"
            done = self.send(
                "POST", submit, "respondent: submit (POST)", csrf(page.text), expect=(302,)
            )
            if done.headers["Location"] == f"/a/{token}/thanks/":
                self.send("GET", done.headers["Location"], "respondent: thanks page")
                _write("completed", token)
        except GaveUp as error:
            _write("abandoned", f"{token or '-'} {error} {time.time():.3f}")


class Facilitator(Browser):
    fixed_count = int(os.getenv("LOAD_FACILITATORS", "8"))
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.account = random.choice(PLAN["facilitators"])
        self.log_in(self.account, "facilitator")

    @task(3)
    def results(self) -> None:
        url = f"/rounds/{self.account['closed_round']}/results/"
        self.read(url, "facilitator: results page", self.account, "facilitator")

    @task(2)
    def open_round(self) -> None:
        url = f"/rounds/{self.account['open_round']}/"
        self.read(url, "facilitator: open round page", self.account, "facilitator")

    @task(1)
    def team(self) -> None:
        url = f"/teams/{self.account['team']}/"
        self.read(url, "facilitator: team page", self.account, "facilitator")


class Coordinator(Browser):
    fixed_count = int(os.getenv("LOAD_COORDINATORS", "2"))
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.account = random.choice(PLAN["coordinators"])
        self.log_in(self.account, "coordinator")

    @task(3)
    def compare(self) -> None:
        self.read("/compare/", "coordinator: compare page", self.account, "coordinator")

    @task(1)
    def compare_sorted(self) -> None:
        url = "/compare/?sort=communication&order=desc"
        self.read(url, "coordinator: compare page", self.account, "coordinator")

    @task(2)
    def network(self) -> None:
        url = f"/networks/{self.account['network']}/"
        self.read(url, "coordinator: network page", self.account, "coordinator")
