"""What the results page says first: the key figures of a round, read in a minute.

Pure: it reads results that already passed the disclosure gate (a RoundResults, or anything
shaped like one) and decides nothing about thresholds itself. Where a figure is missing,
the summary says why in plain terms, so a tile never shows an empty box.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from assessment.results.scoring import Band, DimensionResult, Direction, ItemResult

POINTS_TO_DISCUSS = 3


class _Cell(Protocol):
    @property
    def mean(self) -> float: ...


class _DimensionTrend(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def previous(self) -> _Cell | None: ...
    @property
    def current(self) -> _Cell | None: ...
    @property
    def direction(self) -> Direction | None: ...


class _Titled(Protocol):
    @property
    def title(self) -> str: ...


class _Trend(Protocol):
    @property
    def rounds(self) -> Sequence[_Titled]: ...
    @property
    def dimensions(self) -> Sequence[_DimensionTrend]: ...
    @property
    def has_history(self) -> bool: ...


class _Mark(Protocol):
    @property
    def mean(self) -> float | None: ...
    @property
    def n(self) -> int: ...


class Results(Protocol):
    """The part of aggregate.RoundResults the summary reads."""

    @property
    def completed(self) -> int: ...
    @property
    def dimensions(self) -> Sequence[DimensionResult]: ...
    @property
    def top_improvements(self) -> Sequence[ItemResult]: ...
    @property
    def trend(self) -> _Trend | None: ...
    @property
    def mark(self) -> _Mark | None: ...


class NoChange(StrEnum):
    """Why the summary names no biggest change."""

    FIRST_ROUND = "first_round"  # no earlier round with results to compare with
    NOT_COMPARABLE = "not_comparable"  # earlier rounds, but no dimension shown in both
    UNCLEAR = "unclear"  # compared, and no dimension went clearly up or down
    TOO_FEW = "too_few"  # compared, but every comparison rests on too few answers


@dataclass(frozen=True)
class Change:
    name: str
    direction: Direction  # UP or DOWN: only a clear change is the biggest
    before: float
    now: float


@dataclass(frozen=True)
class DimensionRow:
    """A dimension of the page's table, beside its change since the previous round."""

    dimension: DimensionResult
    direction: Direction | None  # None: no earlier round shows this dimension


@dataclass(frozen=True)
class Summary:
    completed: int
    strengths: tuple[str, ...]  # dimension names, in the questionnaire's order
    concerns: tuple[str, ...]
    uncertain: frozenset[str]  # the names among these whose band may be another one
    previous_title: str | None  # the round the change is measured against
    biggest_change: Change | None
    no_change: NoChange | None  # set exactly when biggest_change is None
    to_discuss: tuple[ItemResult, ...]  # the first of the top 10
    mark: _Mark | None  # None: the version asks no report mark


def summarise(results: Results) -> Summary:
    trend = results.trend if results.trend and results.trend.has_history else None
    biggest, why_not = _biggest_change(trend)
    return Summary(
        completed=results.completed,
        strengths=tuple(d.name for d in results.dimensions if d.band == Band.STRENGTH),
        concerns=tuple(d.name for d in results.dimensions if d.band == Band.CONCERN),
        uncertain=frozenset(d.name for d in results.dimensions if d.uncertain),
        previous_title=trend.rounds[-2].title if trend else None,
        biggest_change=biggest,
        no_change=why_not,
        to_discuss=tuple(results.top_improvements[:POINTS_TO_DISCUSS]),
        mark=results.mark,
    )


def _biggest_change(trend: _Trend | None) -> tuple[Change | None, NoChange | None]:
    """The largest clear change; ties go to the dimension first in the questionnaire."""
    if trend is None:
        return None, NoChange.FIRST_ROUND
    clear = []
    for d in trend.dimensions:
        before, now, direction = d.previous, d.current, d.direction
        if before and now and direction in (Direction.UP, Direction.DOWN):
            clear.append(Change(d.name, Direction(direction), before.mean, now.mean))
    if clear:
        return max(clear, key=lambda change: abs(change.now - change.before)), None
    directions = {d.direction for d in trend.dimensions if d.direction is not None}
    if Direction.UNCLEAR in directions:
        return None, NoChange.UNCLEAR
    if Direction.TOO_FEW in directions:
        return None, NoChange.TOO_FEW
    return None, NoChange.NOT_COMPARABLE


def dimension_rows(results: Results) -> list[DimensionRow]:
    """Each shown dimension with its change, so the table (and its phone cards) has one
    source for both."""
    trend = results.trend if results.trend and results.trend.has_history else None
    changes = {d.key: d.direction for d in trend.dimensions} if trend else {}
    return [DimensionRow(d, changes.get(d.key)) for d in results.dimensions]
