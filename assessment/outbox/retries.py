"""When a mail that could not be sent is tried again: numbers in, a delay out."""

from datetime import timedelta

# After the first attempt failed: a minute, then five, half an hour, two hours, eight hours.
# A mail server that is away for a night still gets the mail the next morning.
DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(DELAYS) + 1


def retry_after(attempts: int) -> timedelta | None:
    """The wait before the next attempt, after `attempts` failed ones; None: give up."""
    if attempts < 1:
        raise ValueError("a retry follows at least one attempt")
    if attempts >= MAX_ATTEMPTS:
        return None
    return DELAYS[attempts - 1]
