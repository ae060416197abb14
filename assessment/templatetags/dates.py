"""Dates on pages, with one meaning everywhere (config/dates.py); write them with |date."""

from django import template
from django.utils import timezone

from config.dates import quarter_label, round_ended_on

register = template.Library()


@register.filter
def ended_on(round):
    """The day a round ended, or None while it is open: `{{ round|ended_on|date }}`."""
    return round_ended_on(round.closed_at, round.closes_on, timezone.localdate())


@register.filter
def quarter(key: str) -> str:
    """ "2025-Q4" as "4e kwartaal 2025" / "Q4 2025"."""
    return quarter_label(key)
