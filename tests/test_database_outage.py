"""PostgreSQL goes away under the running app, and comes back.

A small TCP proxy (threads and sockets) stands between Django and PostgreSQL; the tests
cut it (open connections drop, new ones are refused) and restore it. The shared
PostgreSQL server itself is never touched. Requests run as under gunicorn: Django's
request_started and request_finished signals call close_old_connections around every
request (the test client leaves that out), with persistent connections and health checks
on, as in production (DB_CONN_MAX_AGE; settings.py turns health checks on).

While the database is away a respondent gets the friendly 503 page (never a traceback) and
/health/ answers 503; a submit cut off half-way stores nothing; once the database is back,
requests succeed without restarting anything, and the submit sent again stores exactly one
response. On SQLite there is no server to lose: skipped.
"""

import contextlib
import re
import socket
import threading

import pytest
from django.conf import settings
from django.db import close_old_connections, connection
from django.test import Client

from assessment.models import DimensionScore, DimensionTotal, Response, Round
from assessment.questionnaire.structure import structure
from assessment.responding import views as respondent_views

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): a database server to lose",
    ),
    pytest.mark.django_db(transaction=True),
]


class Proxy:
    """Forwards TCP connections to PostgreSQL until cut."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.accepting = True
        self.connections_made = 0
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                client, _address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                if not self.accepting:
                    client.close()  # the server is down: the connection fails at once
                    continue
                server = socket.create_connection(self.upstream)
                self.sockets += [client, server]
                self.connections_made += 1
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def _drop_all(self) -> None:
        for end in self.sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        self.sockets.clear()

    def cut(self) -> None:
        """The database goes away: open connections drop, new ones fail."""
        with self.lock:
            self.accepting = False
            self._drop_all()

    def restore(self) -> None:
        with self.lock:
            self.accepting = True

    def restart(self) -> None:
        """A restart between two requests: open connections drop, new ones work."""
        with self.lock:
            self._drop_all()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.listener.close()
        with self.lock:
            self._drop_all()


@pytest.fixture
def database(transactional_db):
    """Django's connection goes through the proxy; kept between requests, health-checked."""
    settings_dict = connection.settings_dict
    host = settings_dict["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        pytest.skip("PostgreSQL is reached through a Unix socket; the proxy speaks TCP")
    saved = {key: settings_dict[key] for key in ("HOST", "PORT", "CONN_MAX_AGE")}
    proxy = Proxy((host, int(settings_dict["PORT"] or 5432)))
    connection.close()
    settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port), CONN_MAX_AGE=600)
    assert settings_dict["CONN_HEALTH_CHECKS"], "settings.py turns health checks on"
    try:
        yield proxy
    finally:
        connection.close()
        settings_dict.update(saved)
        proxy.close()


class ServerClient(Client):
    """The test client, doing what a WSGI server does around each request: Django's
    request_started and request_finished signals run close_old_connections, which drops
    a connection that failed or outlived CONN_MAX_AGE. Exceptions become error pages."""

    def __init__(self) -> None:
        super().__init__(enforce_csrf_checks=True, raise_request_exception=False)

    def request(self, **request):
        close_old_connections()
        try:
            return super().request(**request)
        finally:
            close_old_connections()


def csrf_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def answer_everything(client: Client, round: Round) -> tuple[str, str]:
    """A respondent answers every page and reaches the review page: (token, CSRF token)."""
    start = client.get(round.respondent_path())
    csrf = csrf_token(start)
    assert client.post(round.respondent_path(), {"csrfmiddlewaretoken": csrf}).status_code == 302
    token = Response.objects.get(round=round).token
    background = {"csrfmiddlewaretoken": csrf, "sector": "school", "position": "staff"}
    assert client.post(f"/a/{token}/background/", background).status_code == 302
    shape = structure(round.version)
    for page, dimension in enumerate(shape.dimensions, start=1):
        form = {"csrfmiddlewaretoken": csrf, "nav": "next"}
        for item in shape.items[dimension.pk]:
            form |= {f"s-{item.pk}": "4", f"i-{item.pk}": "2", f"w-{item.pk}": "yes"}
        assert client.post(f"/a/{token}/p/{page}/", form).status_code == 302
    assert client.get(f"/a/{token}/review/").status_code == 200
    return token, csrf


def assert_friendly_503(response) -> None:
    content = response.content.decode()
    assert response.status_code == 503, content[:300]
    assert response["Retry-After"] == "30"
    assert "Even geduld" in content and "One moment, please" in content
    assert "Traceback" not in content and "OperationalError" not in content


def test_a_submit_cut_off_by_an_outage_stores_nothing_and_once_sent_again_stores_one(
    database, questionnaire, team, monkeypatch
):
    round = Round.objects.create(team=team, version=questionnaire, title="Voorjaar")
    client = ServerClient()
    token, csrf = answer_everything(client, round)
    submit = f"/a/{token}/submit/"

    # The database goes away in the middle of the submitting transaction: the response is
    # marked submitted, its scores are not stored yet.
    store_scores = respondent_views.store_scores

    def cut_then_store_scores(*, response: Response) -> None:
        database.cut()
        store_scores(response=response)

    monkeypatch.setattr(respondent_views, "store_scores", cut_then_store_scores)
    assert_friendly_503(client.post(submit, {"csrfmiddlewaretoken": csrf}))
    monkeypatch.setattr(respondent_views, "store_scores", store_scores)

    # While it is away: every page, and the health check, say so.
    assert_friendly_503(client.post(submit, {"csrfmiddlewaretoken": csrf}))
    assert_friendly_503(client.get(f"/a/{token}/review/"))
    assert_friendly_503(client.get(round.respondent_path()))
    health = client.get("/health/")
    assert health.status_code == 503
    assert health.json() == {"status": "database unavailable"}

    # Back, with nothing restarted: the next request works.
    database.restore()
    assert client.get("/health/").json() == {"status": "ok"}
    # Nothing of the cut-off submit was stored.
    response = Response.objects.get(token=token)
    assert response.submitted_at is None
    assert not DimensionScore.objects.filter(response=response).exists()
    assert not DimensionTotal.objects.filter(round=round).exists()

    # The respondent sends the page again (twice, impatiently): one response, stored whole.
    for _ in range(2):
        again = client.post(submit, {"csrfmiddlewaretoken": csrf})
        assert again.status_code == 302
        assert again.url == f"/a/{token}/thanks/"
    assert client.get(f"/a/{token}/thanks/").status_code == 200
    assert Response.objects.filter(round=round, submitted_at__isnull=False).count() == 1
    dimensions = len(structure(questionnaire).dimensions)
    assert DimensionScore.objects.filter(response__token=token).count() == dimensions
    totals = DimensionTotal.objects.filter(round=round)
    assert [total.n for total in totals] == [1] * dimensions
    assert database.connections_made >= 2


def test_a_restart_between_requests_goes_unnoticed(database, questionnaire, team):
    """The kept connection died with the restart; the health check at the start of the next
    request notices and reconnects, so that request succeeds instead of failing once."""
    round = Round.objects.create(team=team, version=questionnaire, title="Voorjaar")
    client = ServerClient()
    assert client.get(round.respondent_path()).status_code == 200
    kept = connection.connection
    assert kept is not None and database.connections_made == 1

    database.restart()

    assert client.get(round.respondent_path()).status_code == 200
    assert client.get("/health/").json() == {"status": "ok"}
    assert connection.connection is not kept
    assert database.connections_made == 2


def test_a_page_saved_while_the_database_is_away_is_saved_once_it_is_back(
    database, questionnaire, team
):
    round = Round.objects.create(team=team, version=questionnaire, title="Voorjaar")
    client = ServerClient()
    start = client.get(round.respondent_path())
    csrf = csrf_token(start)
    client.post(round.respondent_path(), {"csrfmiddlewaretoken": csrf})
    token = Response.objects.get(round=round).token
    items = structure(questionnaire).items[structure(questionnaire).dimensions[0].pk]
    form = {"csrfmiddlewaretoken": csrf, "nav": "next"}
    for item in items:
        form |= {f"s-{item.pk}": "3", f"i-{item.pk}": "3", f"w-{item.pk}": "no"}
    page = f"/a/{token}/p/1/"

    database.cut()
    assert_friendly_503(client.post(page, form))
    database.restore()

    saved = client.post(page, form)
    assert saved.status_code == 302 and saved.url == f"/a/{token}/p/2/"
    response = Response.objects.get(token=token)
    assert response.answers.count() == len(items)
    assert response.last_page == 2
