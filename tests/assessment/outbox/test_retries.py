"""When a mail that could not be sent is tried again: pure, without the database."""

from datetime import timedelta

import pytest

from assessment.outbox.retries import MAX_ATTEMPTS, retry_after


def test_the_waits_grow_from_a_minute_to_eight_hours():
    waits = [retry_after(attempts) for attempts in range(1, MAX_ATTEMPTS)]
    assert waits[0] == timedelta(minutes=1) and waits[-1] == timedelta(hours=8)
    assert waits == sorted(waits) and len(set(waits)) == len(waits)


def test_after_the_last_attempt_there_is_no_next():
    assert retry_after(MAX_ATTEMPTS) is None
    assert retry_after(MAX_ATTEMPTS + 3) is None


def test_a_retry_needs_an_attempt_first():
    with pytest.raises(ValueError):
        retry_after(0)
