"""The health check for load balancers, and the error pages: a friendly 503 while the
database is away, the 500 page for anything else, neither needing the database."""

import json
from contextlib import contextmanager

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import path, reverse

from config import views

HEALTH = reverse("health")


# A urlconf with views that fail, for the error pages (see pytest.mark.urls below).


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def _connection_closed(request):
    raise InterfaceError("connection already closed")


def _bug(request):
    raise ValueError("a plain bug")


urlpatterns = [
    path("database-gone/", _database_gone),
    path("connection-closed/", _connection_closed),
    path("bug/", _bug),
]
handler500 = "config.views.server_error"
FAILING = pytest.mark.urls("tests.test_health")


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


class _UnreachableDatabase:
    """Stands in for connection.cursor while the database is away."""

    def __init__(self, error: Exception, *, on_execute: bool = False) -> None:
        self.error, self.on_execute = error, on_execute

    def __call__(self):
        if not self.on_execute:
            raise self.error
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def execute(self, *args, **kwargs):
        raise self.error


@contextmanager
def _database_away(cursor):
    """Every query fails while inside; undone before the test database is rolled back."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "cursor", cursor)
        yield


# The health check


def test_the_health_check_says_ok_when_the_database_answers(db):
    response = Client().get(HEALTH)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}


def test_the_health_check_asks_the_database_once_and_is_never_cached(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = Client().get(HEALTH)

    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param(_UnreachableDatabase(OperationalError("refused")), id="cannot connect"),
        pytest.param(
            _UnreachableDatabase(OperationalError("terminated"), on_execute=True),
            id="query fails",
        ),
        pytest.param(_UnreachableDatabase(InterfaceError("closed")), id="connection closed"),
    ],
)
def test_the_health_check_says_503_when_the_database_is_unreachable(db, cursor):
    with _database_away(cursor):
        response = Client().get(HEALTH)

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "database unavailable"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_does_not_pass_off_a_bug_as_the_database_being_away(db):
    with _database_away(_UnreachableDatabase(RuntimeError("a bug"))):
        response = Client(raise_request_exception=False).get(HEALTH)

    assert response.status_code == 500


# The error pages


@FAILING
@pytest.mark.parametrize("url", ["/database-gone/", "/connection-closed/"])
def test_a_view_that_loses_the_database_gets_the_503_page(db, url):
    response = Client(raise_request_exception=False).get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "503.html" in _template_names(response)
    content = response.content.decode()
    assert "Even geduld" in content
    assert "One moment, please" in content


@FAILING
def test_any_other_error_gets_the_500_page(db):
    response = Client(raise_request_exception=False).get("/bug/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "500.html" in _template_names(response)
    content = response.content.decode()
    assert "Er ging iets mis" in content
    assert "Something went wrong" in content


@FAILING
@pytest.mark.parametrize("url", ["/database-gone/", "/bug/"])
def test_the_error_pages_keep_the_security_headers_and_run_no_script(db, url):
    response = Client(raise_request_exception=False).get(url)

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script" not in response.content.decode()


def test_with_the_database_away_a_real_page_gets_the_503_page(db):
    with _database_away(_UnreachableDatabase(OperationalError("gone"))):
        response = Client(raise_request_exception=False).get(reverse("about"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Even geduld" in response.content.decode()


def test_with_the_database_away_a_logged_in_facilitator_gets_the_503_page(login, facilitator, team):
    client = login(facilitator)
    client.raise_request_exception = False

    with _database_away(_UnreachableDatabase(OperationalError("gone"))):
        response = client.get(team.get_absolute_url())

    assert response.status_code == 503
    assert "Even geduld" in response.content.decode()


@pytest.mark.parametrize(
    ("error", "status", "text"),
    [
        (OperationalError("gone"), 503, "Even geduld"),
        (InterfaceError("closed"), 503, "Even geduld"),
        (ValueError("a bug"), 500, "Er ging iets mis"),
    ],
)
def test_neither_error_page_touches_the_database(
    db, django_assert_num_queries, error, status, text
):
    request = RequestFactory().get("/teams/1/")
    try:
        raise error
    except Exception:
        with django_assert_num_queries(0):
            response = views.server_error(request)

    assert response.status_code == status
    assert text in response.content.decode()


def test_the_error_page_renders_even_when_every_query_would_fail(db):
    request = RequestFactory().get("/")
    with _database_away(_UnreachableDatabase(OperationalError("gone"))):
        try:
            raise OperationalError("gone")
        except OperationalError:
            response = views.server_error(request)

    assert response.status_code == 503


def test_without_an_error_at_hand_the_error_page_is_the_500_page():
    response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
