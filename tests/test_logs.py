"""Logs say what happened without saying who, and never hand out a secret link: respondent
links, invitation links and password-reset links are redacted in Django's log lines and in
gunicorn's access log, and failed logins name no account."""

import io
import logging
import re
import runpy
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from gunicorn.config import Config

from assessment.models import Round
from config.login_guard import pseudonymous_client
from config.logs import HideSecrets, RedactingGunicornLogger, hide_secrets
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "Zx9_-kP3qLm0sEcReT-tOkEn_42"
GUNICORN = runpy.run_path(str(ROOT / "gunicorn.conf.py"))


# hide_secrets


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"/a/{TOKEN}/", "/a/…/"),
        (f"/a/{TOKEN}", "/a/…"),
        (f"/a/{TOKEN}/p/3/", "/a/…/p/3/"),
        (f"/a/{TOKEN}/thanks/", "/a/…/thanks/"),
        (f"/a/{TOKEN}?page=2", "/a/…?page=2"),
        (f"/a/{TOKEN}#top", "/a/…#top"),
        (f"/r/{TOKEN}/", "/r/…/"),
        (f"/r/{TOKEN}/results/", "/r/…/results/"),
        (f"/invitations/{TOKEN}/", "/invitations/…/"),
        ("/m/K7MX3Q/", "/m/…/"),
        ("/m/K7MX3Q/state/?k=abc", "/m/…/state/?k=abc"),
        ("/account/reset/MQ/cz6ivd-0f1e2d3c4b5a69788796a5b4c3d2e1f0/", "/account/reset/…/…/"),
        ("/account/reset/MQ/set-password/", "/account/reset/…/…/"),
        (f'"GET /a/{TOKEN}/p/1/ HTTP/1.1" 404', '"GET /a/…/p/1/ HTTP/1.1" 404'),
        (f"Not Found: /r/{TOKEN}/", "Not Found: /r/…/"),
        (f"https://samenspel.example.org/r/{TOKEN}/", "https://samenspel.example.org/r/…/"),
        (f"/account/login/?next=/invitations/{TOKEN}/", "/account/login/?next=/invitations/…/"),
        (f"'/a/{TOKEN}'", "'/a/…'"),
        (
            f'GET /a/{TOKEN}/ referer "https://x.example/r/other-{TOKEN}/"',
            'GET /a/…/ referer "https://x.example/r/…/"',
        ),
    ],
)
def test_hide_secrets_redacts_every_kind_of_secret_link(line, expected):
    assert hide_secrets(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "/",
        "/about/",
        "/privacy/",
        "/health/",
        "/rounds/12/results/",
        "/account/login/?next=/rounds/12/",
        "/account/reset/done/",
        "/admin/teams/user/3/change/",
        "/static/css/samenspel.css",
        '"GET /compare/?network=2 HTTP/1.1" 200 5120 12ms',
    ],
)
def test_hide_secrets_leaves_other_paths_as_they_are(line):
    assert hide_secrets(line) == line


# The logging filter


def _record(msg, *args, level=logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("django.request", level, __file__, 1, msg, args or None, None)


def test_the_filter_redacts_a_secret_passed_as_an_argument():
    record = _record("Not Found: %s", f"/a/{TOKEN}/p/2/")

    assert HideSecrets().filter(record) is True
    assert record.getMessage() == "Not Found: /a/…/p/2/"
    assert TOKEN not in logging.Formatter("%(levelname)s %(message)s").format(record)


def test_the_filter_redacts_a_secret_in_the_message_itself():
    record = _record(f"Accepted /invitations/{TOKEN}/")

    HideSecrets().filter(record)

    assert record.getMessage() == "Accepted /invitations/…/"


def test_a_redacted_message_with_a_percent_sign_is_not_formatted_again():
    record = _record("Not Found: %s", f"/a/{TOKEN}/100%/")

    HideSecrets().filter(record)

    assert record.getMessage() == "Not Found: /a/…/100%/"


def test_the_filter_leaves_a_record_without_secrets_untouched():
    record = _record("Not Found: %s", "/rounds/12/")

    assert HideSecrets().filter(record) is True
    assert record.msg == "Not Found: %s"
    assert record.args == ("/rounds/12/",)


def _filtered(handler: logging.Handler) -> bool:
    return any(isinstance(f, HideSecrets) for f in handler.filters)


def _handlers_reached(name: str) -> list[logging.Handler]:
    """Every handler a record logged on that logger reaches (pytest's own left out)."""
    logger, reached = logging.getLogger(name), []
    while logger:
        reached += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        if not logger.propagate:
            break
        logger = logger.parent
    return reached


@pytest.mark.parametrize("name", ["django.request", "django.security.csrf", "axes", "teams"])
def test_every_log_handler_hides_secrets(name):
    handlers = _handlers_reached(name)

    assert handlers
    assert all(_filtered(handler) for handler in handlers), handlers


def test_django_writes_its_lines_once():
    handlers = _handlers_reached("django.request")

    assert len(handlers) == 1


@pytest.fixture
def console():
    """What the configured console handler writes, Django's request log included."""
    handler = next(h for h in logging.getLogger("django").handlers if _filtered(h))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.parametrize(
    ("path", "written"),
    [
        (f"/a/{TOKEN}/", "Not Found: /a/…/"),
        (f"/a/{TOKEN}/p/1/", "Not Found: /a/…/p/1/"),
        (f"/r/{TOKEN}/", "Not Found: /r/…/"),
        (f"/r/{TOKEN}/results/", "Not Found: /r/…/results/"),
        (f"/invitations/{TOKEN}/", "Not Found: /invitations/…/"),
        (f"/account/reset/MQ/{TOKEN}/nothing-here/", "Not Found: /account/reset/…/…/nothing-here/"),
    ],
)
def test_a_404_on_a_secret_link_is_logged_without_the_secret(db, console, path, written):
    response = Client().get(path)

    assert response.status_code == 404
    lines = console.getvalue()
    assert written in lines
    assert TOKEN not in lines


def test_a_refused_respondent_link_is_logged_without_the_secret(console, team, questionnaire):
    closed = Round.objects.create(
        team=team, version=questionnaire, title="Dicht", closed_at=timezone.now()
    )

    response = Client().get(closed.respondent_path())

    assert response.status_code == 403
    lines = console.getvalue()
    assert "Forbidden: /r/…/" in lines
    assert closed.token not in lines


def test_the_console_still_logs_ordinary_paths_in_full(db, console):
    Client().get("/no-such-page/")

    assert "Not Found: /no-such-page/" in console.getvalue()


# Failed logins


def _wrong_passwords(times: int) -> None:
    for _ in range(times):
        Client().post(
            reverse("login"),
            {"username": "Fenna@Example.org", "password": "wrong-wrong-wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_USER_AGENT="Firefox/140 (Fenna's laptop)",
        )


def test_failed_logins_and_the_lockout_are_logged_without_email_or_address(
    facilitator, caplog, console
):
    caplog.set_level(logging.INFO)

    _wrong_passwords(6)

    logged = caplog.text + console.getvalue()
    assert "Locking out account " in logged
    for personal in ("fenna", "Fenna", "example.org", "203.0.113.7", "Firefox"):
        assert personal not in logged


def test_a_lockout_names_the_account_by_the_same_pseudonym_each_time(facilitator, caplog):
    caplog.set_level(logging.INFO)

    _wrong_passwords(3)

    named = set(re.findall(r"account ([0-9a-f]+)", caplog.text))
    assert named == {pseudonymous_client("fenna@example.org", None, None, None, None)[8:]}


@pytest.mark.parametrize("username", ["fenna@example.org", "olga.other@elders.nl", "", None])
def test_the_pseudonym_never_contains_the_login_name_or_address(username):
    named = pseudonymous_client(username, "203.0.113.7", "Firefox", "/account/login/", None)

    assert re.fullmatch(r"account [0-9a-f]{12}", named)
    for part in re.split(r"[@.]", username or ""):
        if part:
            assert part not in named.removeprefix("account ")
    assert "203.0.113.7" not in named


def test_the_pseudonym_tells_accounts_apart_and_follows_one_account():
    def named(username: str) -> str:
        return pseudonymous_client(username, "192.0.2.1", "", "", None)

    assert named("fenna@example.org") == named("fenna@example.org")
    assert named("fenna@example.org") != named("mo@example.org")


def test_the_pseudonym_is_keyed_with_the_secret_key(settings):
    before = pseudonymous_client("fenna@example.org", None, None, None, None)

    settings.SECRET_KEY = "another-secret-key-" + "x" * 50

    assert pseudonymous_client("fenna@example.org", None, None, None, None) != before


def test_a_successful_login_writes_no_email_to_the_log(facilitator, caplog):
    caplog.set_level(logging.DEBUG)

    Client().post(reverse("login"), {"username": "fenna@example.org", "password": PASSWORD})

    assert "fenna@example.org" not in caplog.text


# gunicorn's access log


class _Response:
    status = "404 Not Found"
    sent = 1234
    headers: list = []


def _environ(path: str, query: str = "", referer: str = "-") -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": "Firefox/140",
        "HTTP_REFERER": referer,
    }


def _gunicorn_logger() -> RedactingGunicornLogger:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", GUNICORN["access_log_format"])
    return RedactingGunicornLogger(config)


def test_gunicorn_uses_the_redacting_logger():
    assert GUNICORN["logger_class"] == "config.logs.RedactingGunicornLogger"


def test_gunicorn_atoms_hide_the_secret_in_request_line_path_and_referer():
    environ = _environ(
        f"/a/{TOKEN}/p/4/", "nav=next", referer=f"https://samenspel.example.org/r/{TOKEN}/"
    )

    atoms = _gunicorn_logger().atoms(_Response(), [], environ, timedelta(milliseconds=42))

    assert atoms["r"] == "GET /a/…/p/4/?nav=next HTTP/1.1"
    assert atoms["U"] == "/a/…/p/4/"
    assert atoms["f"] == "https://samenspel.example.org/r/…/"
    assert atoms["q"] == "nav=next"
    assert atoms["s"] == "404"


def test_gunicorn_atoms_of_an_ordinary_request_stay_as_they_are():
    environ = _environ("/rounds/12/results/", referer="https://samenspel.example.org/teams/3/")

    atoms = _gunicorn_logger().atoms(_Response(), [], environ, timedelta(milliseconds=7))

    assert atoms["r"] == "GET /rounds/12/results/ HTTP/1.1"
    assert atoms["U"] == "/rounds/12/results/"
    assert atoms["f"] == "https://samenspel.example.org/teams/3/"


def test_a_gunicorn_access_line_has_neither_secret_nor_address_nor_browser():
    logger = _gunicorn_logger()
    written = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(written)
    environ = _environ(f"/invitations/{TOKEN}/", referer=f"https://mail.example/r/{TOKEN}/")

    logger.access(
        _Response(), [("Referer", environ["HTTP_REFERER"])], environ, timedelta(0, 0, 42000)
    )

    line = written.getvalue()
    assert '"GET /invitations/…/ HTTP/1.1" 404 1234 42ms' in line
    assert TOKEN not in line
    assert "203.0.113.7" not in line
    assert "Firefox" not in line
