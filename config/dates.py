"""What a date means on our pages, in one place: pure functions, no database.

A round's date is the day it ended (closed by hand, or the day its closing date passed):
the day its results became readable, and the day the comparison's period filters on. A round
still open has no such date yet. Quarters are of that same day.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext


def round_ended_on(closed_at: datetime | None, closes_on: date | None, today: date) -> date | None:
    """The local day a round ended; None while it is open (the rule of Round.is_open)."""
    if closed_at is not None:
        return timezone.localdate(closed_at)
    if closes_on is not None and closes_on < today:
        return closes_on
    return None


def quarter_key(day: date) -> str:
    """A quarter that sorts as text: "2025-Q4"."""
    return f"{day:%Y}-Q{(day.month - 1) // 3 + 1}"


def quarter_label(key: str) -> str:
    """ "2025-Q4" as the page says it: "4e kwartaal 2025", "Q4 2025"."""
    year, quarter = key.split("-Q")
    return gettext("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
