"""The README's production recipe, run for real: migrate, collectstatic, gunicorn.

gunicorn serves the app with the production settings and our gunicorn.conf.py,
behind a pretend reverse proxy (the X-Forwarded-Proto header from 127.0.0.1).
The database is a fresh SQLite file, or a fresh PostgreSQL database when the suite
runs on PostgreSQL.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "samenspel.example.org"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url(tmp_path: Path):
    """A database of the same kind as the suite's, made for this test and dropped after."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'production.sqlite3'}"
        return
    import psycopg

    name = f"samenspel_production_{uuid.uuid4().hex[:8]}"
    admin = dj_database_url.parse(configured)
    connect = {
        "host": admin["HOST"] or "127.0.0.1",
        "port": admin["PORT"] or 5432,
        "user": admin["USER"],
        "password": admin["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**connect) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield configured.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**connect) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    databases = _database_url(tmp_path)
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "STATICFILES_STORAGE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="production-test-" + "x" * 50,
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=next(databases),
        DB_CONN_MAX_AGE="60",
        STATIC_ROOT=str(tmp_path / "static"),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )

    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )

    manage("migrate", "--noinput")
    manage("install_questionnaire")
    manage("collectstatic", "--noinput")
    log = (tmp_path / "gunicorn.log").open("w+")
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base, log
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        log.close()
        next(databases, None)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers={"Host": HOST, **headers})
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


BEHIND_PROXY = {"X-Forwarded-Proto": "https"}


def test_health_check_answers_over_plain_http_for_the_load_balancer(server):
    base, _log = server
    status, headers, body = fetch(f"{base}/health/")
    assert status == 200
    assert body == b'{"status": "ok"}'
    assert "no-cache" in headers["Cache-Control"]


def test_plain_http_is_sent_to_https(server):
    base, _log = server
    status, headers, _body = fetch(f"{base}/about/")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}/about/"


def test_pages_behind_the_proxy_are_served_with_the_security_headers(server):
    base, _log = server
    status, headers, body = fetch(f"{base}/", **BEHIND_PROXY)
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert b"Samenspel" in body


def test_static_files_are_collected_hashed_and_served_by_whitenoise(server):
    base, _log = server
    _status, _headers, page = fetch(f"{base}/", **BEHIND_PROXY)
    stylesheet = re.search(rb'href="(/static/css/samenspel\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the hashed stylesheet of the manifest"
    status, headers, body = fetch(
        base + stylesheet[1].decode(), **BEHIND_PROXY, **{"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert headers.get("Content-Encoding") == "gzip"
    assert body


def test_plotly_comes_from_our_own_static_files(server):
    base, _log = server
    bundle = f"{base}/static/vendor/plotly/plotly-samenspel.min.js"
    status, _headers, body = fetch(bundle, **BEHIND_PROXY)
    assert status == 200
    assert b"plotly.js v" in body[:2000]


def test_an_unknown_host_is_refused(server):
    base, _log = server
    request = urllib.request.Request(f"{base}/", headers={"Host": "evil.example.com"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400


def test_the_access_log_holds_neither_addresses_nor_secret_links(server):
    base, log = server
    fetch(f"{base}/a/a-secret-respondent-token/p/1/", **BEHIND_PROXY)
    fetch(f"{base}/invitations/a-secret-invitation-token/", **BEHIND_PROXY)
    time.sleep(0.5)
    log.seek(0)
    written = log.read()
    assert '"GET /a/…/p/1/ HTTP/1.1" 404' in written
    assert '"GET /invitations/…/ HTTP/1.1" 404' in written
    assert "a-secret" not in written
    assert not re.search(r"^127\.0\.0\.1 ", written, re.MULTILINE)
