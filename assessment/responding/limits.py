"""How many new responses a round's link starts per browser and per address in an hour.

Without a limit, a facilitator could add two invented colleagues through the shared link
in seconds, close the round and subtract them, and so read one person's answers. Now that
takes many browsers and networks. A browser is known by a cookie with a random code (all
we have); an address is the one the login lock uses (config.login_guard.client_ip).

Counts are kept under a keyed hash (HMAC with SECRET_KEY) of what is counted, the round and
the hour, never under the address itself, and each row is deleted after its hour. They
live in the database, not in Django's cache: the cache is per process here, and gunicorn
runs several workers, possibly on several machines.
"""

import hashlib
import hmac
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F

from assessment.models import StartCount

HOUR = 60 * 60


def _window(now: datetime) -> int:
    return int(now.timestamp()) // HOUR


def seconds_left(now: datetime) -> int:
    """Until the counts of this hour expire: the Retry-After of a refusal."""
    return (_window(now) + 1) * HOUR - int(now.timestamp())


def _key(kind: str, round_id: int, who: str, window: int) -> str:
    message = f"{kind}\n{round_id}\n{who}\n{window}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def delete_expired(now: datetime) -> int:
    """Counts past their hour; at every start, and in the periodic run (teams/expiry.py)."""
    deleted, _ = StartCount.objects.filter(expires__lte=now).delete()
    return deleted


def take_start(round_id: int, *, browser: str, address: str, now: datetime) -> bool:
    """Count one new response for this browser and this address; False when either has
    reached its limit this hour, and then nothing is counted."""
    window = _window(now)
    expires = datetime.fromtimestamp((window + 1) * HOUR, tz=UTC)
    # Its own short statement, before the counting: concurrent starts never wait on it.
    delete_expired(now)
    # Browser first, then address: two starts that share both rows lock them in one order.
    limits = [
        (_key("browser", round_id, browser, window), settings.RESPONSES_PER_BROWSER_PER_HOUR),
        (_key("address", round_id, address, window), settings.RESPONSES_PER_ADDRESS_PER_HOUR),
    ]
    with transaction.atomic():
        # A write first, so SQLite takes its write lock before anything is read.
        StartCount.objects.bulk_create(
            [StartCount(key=key, expires=expires) for key, _ in limits], ignore_conflicts=True
        )
        for key, limit in limits:
            # One statement tests and raises the count: two starts at once cannot both pass.
            counted = StartCount.objects.filter(key=key, count__lt=limit).update(
                count=F("count") + 1
            )
            if not counted:
                transaction.set_rollback(True)
                return False
    return True
