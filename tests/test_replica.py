"""Read-only views read from the replica when one is set, and a user who just wrote reads
from the primary. In tests the replica is a test mirror of the primary (tests/conftest.py),
so a test sees which alias answered, not stale rows."""

import pytest
from django.db import connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import replica
from config.replica import REPLICA, ReplicaRouter, reads_from_replica, replica_configured
from teams.models import Network, Team

COMPARE = reverse("compare_teams")
COMPARE_CSV = reverse("compare_csv")


@pytest.fixture
def serving(django_db_setup, monkeypatch):
    """The router's view of one request, as the middleware starts it, with the replica
    there (set up with the test databases) though the test names no database."""
    monkeypatch.setattr(replica, "replica_configured", replica_configured)
    state = replica._Request()
    token = replica._current.set(state)
    yield state
    replica._current.reset(token)


def test_outside_a_request_reads_and_writes_go_to_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(Team) == "default"
    assert router.db_for_write(Team) == "default"


def test_a_request_reads_from_the_primary_unless_its_view_asked_for_the_replica(serving):
    router = ReplicaRouter()
    assert router.db_for_read(Team) == "default"
    serving.replica = True
    assert router.db_for_read(Team) == REPLICA


def test_after_a_write_the_request_reads_from_the_primary_and_writes_never_go_to_the_replica(
    serving,
):
    router = ReplicaRouter()
    serving.replica = True
    assert router.db_for_write(Team) == "default"
    assert serving.wrote
    assert router.db_for_read(Team) == "default"


def test_without_a_replica_every_read_goes_to_the_primary(serving, monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: False)
    serving.replica = True
    assert ReplicaRouter().db_for_read(Team) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_on_the_primary_stay_there(serving):
    serving.replica = True
    with transaction.atomic():
        assert ReplicaRouter().db_for_read(Team) == "default"
    assert ReplicaRouter().db_for_read(Team) == REPLICA


def test_the_replica_is_never_migrated_and_its_rows_relate_to_the_primarys():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "teams") is False
    assert router.allow_migrate("default", "teams") is None
    primary, copy = Network(name="a"), Network(name="b")
    primary._state.db, copy._state.db = "default", REPLICA
    assert router.allow_relation(primary, copy)


def _asked(request) -> bool:
    """Whether the view ran with its reads allowed on the replica."""
    seen = []

    @reads_from_replica
    def view(request):
        seen.append(replica._current.get().replica)
        return None

    view(request)
    return seen[0]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_view_that_may_read_from_the_replica_reads_from_the_primary_for_a_form(method, serving):
    request = getattr(RequestFactory(), method)("/")
    request.session = {}
    assert not _asked(request)


def test_a_user_pinned_to_the_primary_reads_from_it_until_the_pin_ends(serving, monkeypatch):
    request = RequestFactory().get("/")
    request.session = {}
    assert _asked(request)
    request.session[replica.PINNED_UNTIL] = 1_000 + 15
    monkeypatch.setattr(replica.time, "time", lambda: 1_000.0)
    assert not _asked(request)
    monkeypatch.setattr(replica.time, "time", lambda: 1_016.0)
    assert _asked(request)


def _queries(client, url: str) -> tuple[int, int]:
    """How many queries the primary and the replica answered for this page."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as copy,
    ):
        response = client.get(url)
        # A streamed CSV reads its rows while it is sent, after the view returned.
        response.getvalue()
    assert response.status_code == 200
    return len(primary), len(copy)


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_coordinator_reads_from_the_replica_and_from_the_primary_right_after_writing(
    coordinator, network, team, login, monkeypatch
):
    client = login(coordinator)
    for url in (COMPARE, COMPARE_CSV):
        primary, copy = _queries(client, url)
        # The session and the user come from the primary; the comparison from the replica.
        assert copy > 0
        assert primary <= 2

    response = client.post(
        reverse("team_create", args=[network.pk]),
        {"name": "Nieuw team", "facilitator_email": "nieuw@example.org", "size": 6},
    )
    assert response.status_code == 302
    assert Team.objects.filter(name="Nieuw team").exists()
    assert _queries(client, COMPARE)[1] == 0

    # Once the replica has surely caught up, the coordinator reads from it again.
    now = replica.time.time()
    monkeypatch.setattr(replica.time, "time", lambda: now + 60)
    assert _queries(client, COMPARE)[1] > 0


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_without_a_replica_the_coordinator_reads_from_the_primary_and_is_never_pinned(
    coordinator, network, team, login, monkeypatch
):
    monkeypatch.setattr(replica, "replica_configured", lambda: False)
    client = login(coordinator)
    assert _queries(client, COMPARE)[1] == 0
    client.post(
        reverse("team_create", args=[network.pk]),
        {"name": "Nieuw team", "facilitator_email": "nieuw@example.org", "size": 6},
    )
    assert replica.PINNED_UNTIL not in client.session
