"""What is kept of an ended round's results between requests, and the one rule for when it is
stale: the results page's rendered figures, and the team conversation's results and screens.

An ended round's figures change only through a few writes: it is reopened or closed, its
release is decided again, its answers pass the retention period, an action of the team's
plan is added, changed or carried, or a round of the team is deleted. Each of them calls
`changed()`, which moves the revision of every round of the team: a round's page also shows
the earlier rounds (its trend) and the actions agreed after them. The key of what is kept
holds that revision, the round's own columns the results read (so a direct update of the row
is never served stale either) and the language; the caller adds what else the kept value
depends on (the viewer's role, the day). A published questionnaire version never changes
(DraftOnlyModel), so the version's words need no part in the key.

Kept in Django's cache: per process by default, shared by every process with Redis
(config/settings.py), and for at most KEPT_SECONDS, so a new deployment's templates show
within minutes. Only what the disclosure gate let through is ever rendered, so only that is
kept; nothing kept may depend on the request (no CSRF token, no user): render it without one.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import F
from django.utils.translation import get_language

from assessment.models import Round

# How long a worker (or the shared cache) keeps a value: a team conversation lasts an hour,
# rendering again costs one request some tens of milliseconds.
KEPT_SECONDS = 600

Kept = TypeVar("Kept")


def changed(team_id: int) -> None:
    """Call in the transaction of every write that changes what a results page of the team
    shows (see the module): nothing kept of the team's rounds before it is used again."""
    Round.objects.filter(team_id=team_id).update(results_revision=F("results_revision") + 1)


def round_state(round: Round) -> str:
    """Everything kept of the round changes with: its revision, and its own columns the
    results rest on. Its creation time keeps a reused id (a test database) from meeting an
    old entry."""
    return _digest(
        round.pk,
        round.created,
        round.results_revision,
        round.closed_at,
        round.closes_on,
        round.shown_until,
        round.released_until,
        round.answers_expired_at,
        round.title,
        round.anonymity_threshold,
        round.breakdown_threshold,
        get_language(),
    )


def kept(kind: str, round: Round, *parts: object, compute: Callable[[], Kept]) -> Kept:
    """`compute()`, or what it gave before for this kind of value, round state and parts."""
    return kept_for(kind, round_state(round), *parts, compute=compute)


def kept_for(kind: str, *state: object, compute: Callable[[], Kept]) -> Kept:
    """`compute()`, or what it gave before for this kind of value and state: the state must
    hold everything the value depends on (read from the database, never a counter of this
    process: another process may have written)."""
    key = f"{kind}:" + _digest(*state)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, KEPT_SECONDS)
    return value


def _digest(*parts: object) -> str:
    # A cache key of safe characters and fixed length, whatever the parts hold.
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()
