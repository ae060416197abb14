"""The cast every test draws from.

Two networks, each with one team. `facilitator` and `member` belong to `team` in
`network`, which `coordinator` coordinates; everything `other_` lives in
`other_network`. `admin` is a superuser. Every account's password is PASSWORD.
"""

import os

# Playwright's sync API runs an event loop in the test thread; Django must allow
# database access from it (see PLATFORM.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

PASSWORD = "a-long-test-password-42"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the tests' database is a file (one per test worker), not Django's shared
    in-memory database: the live server's threads then wait for a lock (WAL, busy timeout,
    config/settings.py) where shared memory fails at once with "table is locked".

    Every run has a replica, so the way to it is tested on SQLite and PostgreSQL: a test
    mirror of the primary, as a test cannot stream into its own database. Only a test
    without a transaction of its own (transaction=True) reads through it: the router keeps
    reads inside a transaction on the primary."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("db") / "tests.sqlite3"
        )
    settings.DATABASES.setdefault(
        "replica", {**default, "TEST": {**default.get("TEST", {}), "MIRROR": "default"}}
    )


@pytest.fixture(autouse=True)
def _replica_when_named(request, monkeypatch):
    """A test reads through the replica only when it names it in its databases (Django
    refuses a test the databases it did not name); every other test runs as an
    installation without a replica."""
    marker = request.node.get_closest_marker("django_db")
    databases = (marker.kwargs.get("databases") or ()) if marker else ()
    if databases != "__all__" and "replica" not in databases:
        monkeypatch.setattr("config.replica.replica_configured", lambda: False)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # A fast hasher: the cast's accounts are made anew for every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests serve static files without collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tasks (mail) run at once, after the transaction commits; the tests of the worker
    # itself (tests/assessment/outbox) use the database backend and a real db_worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The conversation's screens keep results in the cache: nothing from one test in the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _requests_commit(monkeypatch):
    """A request's writes commit when it ends, and what waits for the commit (mail handed
    to the task queue) runs then. A test's transaction never commits, so the test client
    runs those callbacks at the end of each request; a rolled-back block's are dropped."""
    from django.test import TestCase

    request = Client.request

    def committing_request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(Client, "request", committing_request)


@pytest.fixture
def questionnaire(db):
    """The published questionnaire that ships with Samenspel (version 1)."""
    from assessment.questionnaire.importexport import install_shipped_questionnaire

    [version] = install_shipped_questionnaire(up_to=1)
    return version


@pytest.fixture
def questionnaire_v2(questionnaire):
    """Version 2 of the same questionnaire, asking as version 2 does: importance (a 4-point
    scale) and wanting to work on it once per dimension, "not applicable" apart from "don't
    know", and a report mark. Three dimensions of 3, 2 and 2 statements: 7 + 3 * 2 + 1 = 14
    answers in all."""
    from assessment.models import Dimension, Item, QuestionnaireVersion, ScaleLabel

    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire.questionnaire,
        number=2,
        importance_asked_per=QuestionnaireVersion.AskedPer.DIMENSION,
        separate_not_applicable=True,
        asks_mark=True,
    )
    states = ["Oneens", "Een beetje oneens", "Niet eens, niet oneens", "Een beetje eens", "Eens"]
    weights = ["Niet belangrijk", "Een beetje belangrijk", "Belangrijk", "Heel belangrijk"]
    for kind, labels in ((ScaleLabel.Kind.STATE, states), (ScaleLabel.Kind.IMPORTANCE, weights)):
        for value, label in enumerate(labels, start=1):
            # Both languages by name: a bare `label` goes to whichever language the test
            # before left active, and the Dutch page would show empty buttons.
            ScaleLabel.objects.create(
                version=version, kind=kind, value=value, label_nl=label, label_en=label
            )
    for order, (key, name, count) in enumerate(
        [("visie", "Visie", 3), ("rollen", "Rollen", 2), ("effecten", "Ervaren effecten", 2)]
    ):
        dimension = Dimension.objects.create(
            version=version, key=key, order=order, name_nl=name, name_en=name
        )
        for number in range(1, count + 1):
            text = f"{name}: stelling {number}."
            Item.objects.create(
                dimension=dimension, key=f"{key}.{number}", order=number, text_nl=text, text_en=text
            )
    version.set_status(QuestionnaireVersion.Status.PUBLISHED)
    return version


def _user(email: str, name: str, **flags):
    from teams.models import User

    return User.objects.create_user(email=email, password=PASSWORD, name=name, **flags)


@pytest.fixture
def network(db, coordinator):
    from teams.models import Network

    network = Network.objects.create(name="Gemeente Testdorp", kind=Network.Kind.MUNICIPALITY)
    network.coordinators.add(coordinator)
    return network


@pytest.fixture
def other_network(db, other_coordinator):
    from teams.models import Network

    network = Network.objects.create(name="Stichting Elders", kind=Network.Kind.SCHOOL_BOARD)
    network.coordinators.add(other_coordinator)
    return network


@pytest.fixture
def team(network, facilitator, member):
    from teams.models import Membership, Team

    team = Team.objects.create(network=network, name="IKC De Testtuin")
    Membership.objects.create(team=team, user=facilitator, role=Membership.Role.FACILITATOR)
    Membership.objects.create(team=team, user=member, role=Membership.Role.MEMBER)
    return team


@pytest.fixture
def other_team(other_network, other_facilitator):
    from teams.models import Membership, Team

    team = Team.objects.create(network=other_network, name="Kindcentrum Elders")
    Membership.objects.create(team=team, user=other_facilitator, role=Membership.Role.FACILITATOR)
    return team


@pytest.fixture
def facilitator(db):
    return _user("fenna@example.org", "Fenna Facilitator")


@pytest.fixture
def member(db):
    return _user("mo@example.org", "Mo Member")


@pytest.fixture
def coordinator(db):
    return _user("cor@example.org", "Cor Coordinator")


@pytest.fixture
def other_facilitator(db):
    return _user("otto@example.org", "Otto Other")


@pytest.fixture
def other_coordinator(db):
    return _user("olga@example.org", "Olga Other-Coordinator")


@pytest.fixture
def admin(db):
    return _user("ada@example.org", "Ada Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def login():
    """A client logged in as the given user."""

    def log_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return log_in


class MailServer:
    """A real SMTP server on a loopback port (aiosmtpd), for the mail tests: it keeps what
    it accepted, refuses the addresses in `refuse` (550, a bounce), answers 451 (try again
    later) to DATA while `busy`, and holds the next RCPT for `hold_next` seconds (then
    `held` is its address), so a test can kill a worker in the middle of sending."""

    def __init__(self) -> None:
        import threading

        self.received: list = []
        self.refuse: set[str] = set()
        self.hold_next = 0.0
        self.held = ""
        self.busy = False
        self.holding = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if self.hold_next:
            wait, self.hold_next, self.held = self.hold_next, 0.0, address
            self.holding.set()
            await asyncio.sleep(wait)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.busy:
            return "451 4.3.2 Try again later"
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [message for rcpt_tos, message in self.received if address in rcpt_tos]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    """Mail goes through this server instead of Django's outbox for the test."""
    from aiosmtpd.controller import Controller

    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    server.port = controller.port
    yield server
    controller.stop()


@pytest.fixture
def separate_database(tmp_path):
    """The URL of an empty database for processes of their own (tests/processes.py): a
    file on SQLite, a new database beside the tests' one on PostgreSQL."""
    import os
    import uuid

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'processes.sqlite3'}"
        return
    import psycopg

    name = f"samenspel_processes_{uuid.uuid4().hex[:8]}"
    server = url.rsplit("/", 1)[0]
    # The server's own database: the one in DATABASE_URL exists only as the tests' copy.
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def smtp():
    """A real SMTP server on a loopback port for processes of their own (tests/processes.py);
    unlike `mail_server`, it leaves the tests' own mail settings alone."""
    from aiosmtpd.controller import Controller

    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    server.port = controller.port
    yield server
    controller.stop()
