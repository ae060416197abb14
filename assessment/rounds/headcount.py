"""The response rate per sector, where the facilitator said how many colleagues to expect:
it shows where the picture is thin. A sector's count is shown only where the disclosure gate
lets that sector be shown beside the others (the rule of results per sector): with one
youth-care worker in the team, "1 of 1" would say who answered. A sector it holds back is
named as too few to show, with the number expected."""

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.models import Response, Round, Sector
from assessment.results import disclosure
from assessment.results.breakdowns import group_sizes, shown_groups


@dataclass(frozen=True)
class SectorRate:
    sector: str
    label: str
    expected: int | None
    completed: int | None  # None: too few to show


def sector_rates(
    completed: Mapping[str, int], expected: Mapping[str, int], policy: disclosure.Policy
) -> tuple[SectorRate, ...]:
    """Every sector that was expected or answered, in the order of the choices."""
    shown = shown_groups(dict(completed), policy)
    return tuple(
        SectorRate(
            sector=value,
            label=str(label),
            expected=expected.get(value) or None,
            completed=completed.get(value, 0) if value in shown else None,
        )
        for value, label in Sector.choices
        if expected.get(value) or completed.get(value)
    )


def round_sector_rates(round: Round) -> tuple[SectorRate, ...]:
    if not round.expected_per_sector:
        return ()
    completed = group_sizes(
        Response.objects.filter(round=round, submitted_at__isnull=False), "sector"
    )
    return sector_rates(completed, round.expected_per_sector, disclosure.Policy.of(round))
