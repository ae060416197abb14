"""Read-only views may read from a PostgreSQL streaming replica (DATABASES["replica"]).

Only a view that says so (@reads_from_replica) reads there, and only for a GET or HEAD:
a replica is a moment behind, and a view that writes, or decides what to write, must see
the primary. A signed-in user who just sent a form, or whose request wrote, reads from the
primary for REPLICA_PIN_SECONDS more (kept in their session), so they see their own change.
Every write, and every read inside a transaction, goes to the primary. Without a replica
the router sends everything to "default", as if it were not there.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase

REPLICA = "replica"
PINNED_UNTIL = "primary_until"
SAFE_METHODS = ("GET", "HEAD")

P = ParamSpec("P")


@dataclass
class _Request:
    """What the router may know of the request being served."""

    replica: bool = False
    wrote: bool = False


# Set per request by the middleware; mutated, never replaced, so that a view run in another
# thread with a copy of the context (asgiref) still reports its writes.
_current: ContextVar[_Request | None] = ContextVar("replica_request", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        state = _current.get()
        if (
            state is not None
            and state.replica
            and not state.wrote
            # A transaction on the primary must read what it is about to change.
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and replica_configured()
        ):
            return REPLICA
        # Said outright: else Django would follow a row read from the replica back there.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        state = _current.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica holds the primary's very rows.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A replica is read-only: it gets the primary's migrations by streaming.
        return False if db == REPLICA else None


def _pinned(request: HttpRequest) -> bool:
    return request.session.get(PINNED_UNTIL, 0) > time.time()


class PrimaryAfterWriteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replica_configured():
            return self.get_response(request)
        state = _Request()
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        # Only a signed-in user reads from the replica (coordinators): respondents who send
        # answers get no session for it.
        if (state.wrote or request.method not in SAFE_METHODS) and request.user.is_authenticated:
            request.session[PINNED_UNTIL] = time.time() + settings.REPLICA_PIN_SECONDS
        return response


def _on_replica(content: Iterable[bytes]) -> Iterator[bytes]:
    """A streamed response's content, each piece made with reads on the replica: it is made
    after the view (and this middleware) returned, when the request's state is gone."""
    pieces = iter(content)
    while True:
        token = _current.set(_Request(replica=True))
        try:
            piece = next(pieces, None)
        finally:
            _current.reset(token)
        if piece is None:
            return
        yield piece


def reads_from_replica(view: Callable[P, HttpResponseBase]) -> Callable[P, HttpResponseBase]:
    """Let this view's reads go to the replica, also those of a streamed response's content.
    Put it under @login_required, so that the session and the user are read from the
    primary first."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        request = args[0]
        state = _current.get()
        if (
            state is None
            or not isinstance(request, HttpRequest)
            or request.method not in SAFE_METHODS
            or _pinned(request)
        ):
            return view(*args, **kwargs)
        state.replica = True
        try:
            response = view(*args, **kwargs)
        finally:
            state.replica = False
        if (
            isinstance(response, StreamingHttpResponse)
            and not response.is_async
            and not state.wrote
        ):
            # A sync response's content is a plain iterator (is_async said so).
            content = cast(Iterable[bytes], response.streaming_content)
            response.streaming_content = _on_replica(content)
        return response

    return wrapped
