"""The short code: people who cannot scan the QR code or click the link type it at /code/.

The round's link token stays the secret; the code only opens answering, and only while the
round is open. Wrong codes are counted per address and hour, like the round link's starts
(responding/limits.py): in the same table, under a keyed hash, never the address itself.
Only wrong codes count, so a whole staff room behind one school network can type the right one.
"""

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from django.conf import settings
from django.db.models import F

from assessment.models import Round, StartCount
from assessment.models.rounds import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH
from assessment.responding.limits import HOUR, delete_expired

# A person mistypes a few times; a guesser needs billions of tries (see new_short_code).
WRONG_CODES_PER_ADDRESS_PER_HOUR = 10


def normalise(typed: str) -> str:
    """Upper case, without the dash and spaces people type or leave out."""
    return "".join(typed.split()).replace("-", "").replace("–", "").upper()


def looks_like_a_code(code: str) -> bool:
    return len(code) == SHORT_CODE_LENGTH and all(c in SHORT_CODE_ALPHABET for c in code)


def find(typed: str) -> Round | None:
    code = normalise(typed)
    if not looks_like_a_code(code):
        return None
    return Round.objects.filter(short_code=code).first()


def _key(address: str, now: datetime) -> str:
    window = int(now.timestamp()) // HOUR
    message = f"code\n{address}\n{window}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_blocked(address: str, *, now: datetime) -> bool:
    """True when this address typed too many wrong codes this hour: then no code is tried,
    not even a right one, or the block would not slow a guesser down."""
    return StartCount.objects.filter(
        key=_key(address, now), count__gte=WRONG_CODES_PER_ADDRESS_PER_HOUR, expires__gt=now
    ).exists()


Found = TypeVar("Found")


class Blocked(Exception):
    """This address typed too many wrong codes this hour."""


def look_up(
    address: str, typed: str, find: Callable[[str], Found | None], *, now: datetime
) -> Found | None:
    """What a typed code opens (a round, a meeting), or None: then the wrong code is
    counted against the address. Raises Blocked before trying any code once the address
    is over its limit. The round's code page and the meeting's join page share this."""
    if is_blocked(address, now=now):
        raise Blocked
    found = find(typed)
    if found is None:
        count_wrong(address, now=now)
    return found


def count_wrong(address: str, *, now: datetime) -> None:
    key = _key(address, now)
    expires = datetime.fromtimestamp((int(now.timestamp()) // HOUR + 1) * HOUR, tz=UTC)
    delete_expired(now)
    StartCount.objects.bulk_create([StartCount(key=key, expires=expires)], ignore_conflicts=True)
    StartCount.objects.filter(key=key).update(count=F("count") + 1)
