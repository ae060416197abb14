"""Dates read the same way on every page: "24 nov. 2026" in Dutch, "Nov. 24, 2026" in English,
and a round's date is the day it ended."""

from datetime import date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tests.purity import imported_modules


def _render(source: str, **context) -> str:
    return Template("{% load dates %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("day", "nl", "en"),
    [
        (date(2026, 11, 24), "24 nov. 2026", "Nov. 24, 2026"),
        (date(2026, 3, 2), "2 mrt. 2026", "March 2, 2026"),
        (date(2026, 5, 31), "31 mei 2026", "May 31, 2026"),  # mei has no abbreviation
        (date(2026, 9, 1), "1 sep. 2026", "Sept. 1, 2026"),
    ],
)
def test_a_day_is_written_in_the_style_of_the_language(day, nl, en):
    with translation.override("nl"):
        assert _render("{{ day|date }}", day=day) == nl
    with translation.override("en"):
        assert _render("{{ day|date }}", day=day) == en


def test_a_moment_is_written_as_its_local_day():
    # 00:30 in Amsterdam on 25 November is still 24 November in UTC.
    moment = timezone.make_aware(datetime(2026, 11, 25, 0, 30))
    with translation.override("nl"):
        assert _render("{{ moment|date }}", moment=moment) == "25 nov. 2026"


class _Round:
    def __init__(self, closed_at=None, closes_on=None):
        self.closed_at, self.closes_on = closed_at, closes_on


def test_a_rounds_date_is_the_day_it_ended_closed_by_hand_or_by_its_closing_date():
    today = timezone.localdate()
    closed = _Round(closed_at=timezone.make_aware(datetime(2026, 11, 24, 15, 0)))
    lapsed = _Round(closes_on=today - timedelta(days=3))
    running = _Round(closes_on=today)
    open_ended = _Round()

    with translation.override("nl"):
        assert _render("{{ r|ended_on|date }}", r=closed) == "24 nov. 2026"
        assert _render("{{ r|ended_on|date }}", r=lapsed) != ""
        assert _render("{% if r|ended_on %}x{% endif %}", r=running) == ""
        assert _render("{% if r|ended_on %}x{% endif %}", r=open_ended) == ""


def test_a_quarter_is_written_in_words_in_dutch_and_short_in_english():
    with translation.override("nl"):
        assert _render("{{ q|quarter }}", q="2025-Q4") == "4e kwartaal 2025"
    with translation.override("en"):
        assert _render("{{ q|quarter }}", q="2025-Q4") == "Q4 2025"


def test_what_a_date_means_is_decided_without_the_database():
    assert "assessment" not in imported_modules("config/dates.py")
    assert imported_modules("config/dates.py") <= {"datetime", "django"}
