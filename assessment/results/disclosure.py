"""The disclosure gate: the one place that decides which numbers may leave Samenspel.

Pure: counts in, decisions out, no ORM. Every output (the results page, print, CSV, chart
JSON, trends, the coordinator's pages and CSV, the admin's quality page, and whatever comes
next) takes its figures from code that asked this module first. An output never compares a
count with a threshold itself.

The rules, per figure and from the counts behind that figure alone:

- A mean (a dimension's mean, a statement's state or importance, the share that wants to
  work on it, the share of "don't know") needs at least ``means`` answers *to that figure*:
  the round's anonymity threshold. A priority needs both its state and its importance.
- A spread (standard deviation, quartiles, a mean's interval and whether a band is certain,
  agreement and the "opinions differ" flag, a statement's variance) and an answer
  distribution need at least ``spreads`` answers: the round's breakdown threshold.
- Never a minimum or maximum: they are one person's answer. Spreads are shown as the
  interquartile band.
- A distribution is shown as shares, and only where no share rests on fewer than ``means``
  people (but more than none): per answer option where that holds, else per group of
  options (disagree / neither / agree), else not at all. Suppressing only the small cells
  would not do: the mean beside it would give them away.
- Groups (sectors, positions) are shown side by side only when each has ``spreads``
  members and the people outside the shown groups are none or at least ``spreads``.
- A round that was read, then reopened, keeps showing the figures of what was read until
  the responses that came in since could be published on their own: every figure that
  the newcomers touch rests on at least its own threshold of them (``release_allowed``).
  Otherwise subtracting the old figures from the new would reveal the newcomers.

What the gate cannot do: it counts responses, it cannot tell a real colleague from one a
facilitator made up. The round link limits how fast new responses can be started (see
responding.limits) and the privacy page says so.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class HasThresholds(Protocol):
    """A round, as far as the gate is concerned (no ORM here)."""

    anonymity_threshold: int
    breakdown_threshold: int


@dataclass(frozen=True)
class Policy:
    """A round's thresholds: ``means`` for means and shares, ``spreads`` for the rest."""

    means: int
    spreads: int

    def __post_init__(self) -> None:
        if self.means < 1:
            raise ValueError("the anonymity threshold must be at least 1")
        if self.spreads < self.means:
            # A spread is never shown on fewer answers than its mean.
            object.__setattr__(self, "spreads", self.means)

    @classmethod
    def of(cls, round: "HasThresholds") -> "Policy":
        return cls(means=round.anonymity_threshold, spreads=round.breakdown_threshold)

    def mean(self, n: int) -> bool:
        return n >= self.means

    def spread(self, n: int) -> bool:
        return n >= self.spreads


def pooled(policies: Sequence[Policy]) -> Policy | None:
    """The policy for figures that pool several rounds: the strictest of theirs."""
    if not policies:
        return None
    return Policy(
        means=max(policy.means for policy in policies),
        spreads=max(policy.spreads for policy in policies),
    )


def mean_or_none(value: float | None, n: int, policy: Policy) -> float | None:
    """The value if a mean on n answers may be shown."""
    return value if value is not None and policy.mean(n) else None


def share_or_none(part: int, whole: int, policy: Policy) -> float | None:
    """part / whole as a share, if the whole rests on enough answers."""
    return part / whole if whole and policy.mean(whole) else None


@dataclass(frozen=True)
class Spread:
    """What may be said about a group's spread: never its extremes."""

    sd: float
    q1: float
    median: float
    q3: float


def spread_or_none(
    n: int, *, sd: float, q1: float, median: float, q3: float, policy: Policy
) -> Spread | None:
    return Spread(sd=sd, q1=q1, median=median, q3=q3) if policy.spread(n) else None


@dataclass(frozen=True)
class Interval:
    """The 95% interval of a mean: it tells about the spread, so it is one."""

    low: float
    high: float


def interval_or_none(n: int, low: float, high: float, *, policy: Policy) -> Interval | None:
    return Interval(low=low, high=high) if policy.spread(n) else None


@dataclass(frozen=True)
class Distribution:
    """Shares of the answers per option, or per group of options (`grouped`)."""

    n: int
    shares: tuple[float, ...]
    grouped: bool  # True: (disagree, neither, agree); False: one share per option


def distribution_or_none(counts: Sequence[int], policy: Policy) -> Distribution | None:
    """The answer distribution as shares, where no share rests on a few people alone.

    Per option when every option was chosen by none or at least `means` people; else per
    group (the lower options, the middle one, the upper ones) when every group passes that
    test; else nothing. Hiding only the small cells would not do: the state's mean, shown
    beside the distribution, would let a reader work out what the hidden few answered.
    """
    total = sum(counts)
    if total == 0 or not policy.spread(total):
        return None
    if _all_enough(counts, policy):
        return Distribution(n=total, shares=tuple(c / total for c in counts), grouped=False)
    half = len(counts) // 2
    middle = counts[half] if len(counts) % 2 else 0
    groups = (sum(counts[:half]), middle, sum(counts[len(counts) - half :]))
    if _all_enough(groups, policy):
        return Distribution(n=total, shares=tuple(g / total for g in groups), grouped=True)
    return None


def _all_enough(counts: Sequence[int], policy: Policy) -> bool:
    return all(count == 0 or policy.mean(count) for count in counts)


def visible_groups(
    sizes: Mapping[str, int], *, threshold: int, hidden: frozenset[str] = frozenset()
) -> set[str]:
    """The groups (e.g. sectors) whose results may be shown side by side.

    A group needs at least `threshold` members. Since the team's overall result is shown too,
    the people outside the shown groups must together be none or at least `threshold`:
    otherwise subtracting the shown groups from the whole would reveal them. Groups are
    dropped, smallest first, until that holds. A comparison needs two groups: with fewer,
    nothing is shown. Groups in `hidden` (e.g. "no sector given") count but are never shown.
    """
    shown = {g for g, size in sizes.items() if size >= threshold and g not in hidden}
    total = sum(sizes.values())
    while shown:
        rest = total - sum(sizes[group] for group in shown)
        if rest == 0 or rest >= threshold:
            break
        shown.remove(min(shown, key=lambda group: (sizes[group], group)))
    return shown if len(shown) >= 2 else set()


@dataclass(frozen=True)
class FigureCount:
    """How many answers one figure rests on, and whether it is a mean or a spread."""

    name: str
    n: int
    spread: bool = False


def release_allowed(newcomers: Sequence[FigureCount], policy: Policy) -> bool:
    """Whether the figures of a reopened round may move on to include the newcomers.

    `newcomers` holds, for every figure the results would show, how many of the responses
    submitted since the last release it rests on. Each must be none, or enough to publish
    that figure from the newcomers alone; then no old figure subtracted from its new value
    reveals fewer people than the threshold.
    """
    return all(
        count.n == 0 or (policy.spread(count.n) if count.spread else policy.mean(count.n))
        for count in newcomers
    )
