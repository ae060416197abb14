"""The numbers behind a round's results. Pure: numbers in, frozen dataclasses out, no ORM.

Rules (see also the results page, which explains them to the team):

- "Don't know / not applicable" is no answer: it is left out, never counted as zero.
- A reverse-scored item's answer v on a 1..max scale counts as (max + 1 - v).
- A respondent's dimension score is the mean of their answered items in that dimension,
  and exists only when at least half of the dimension's items are answered.
- A team's dimension score summarises the respondents' dimension scores: mean, standard
  deviation, minimum, maximum, quartiles and n.
- Agreement on a dimension is r_wg(J) (James, Demaree & Wolf 1984), the form for a scale of
  J statements: with x = s̄² / σ²_EU, the mean of the statements' observed variances over
  the variance of random answers on A options (σ²_EU = (A² - 1) / 12),
      r_wg(J) = J (1 - x) / (J (1 - x) + x),   and 0 when x >= 1.
  Below 0.70, the usual cut-off (LeBreton & Senter 2008), opinions differ. The single-item
  r_wg applied to the spread of dimension means, used before, reads random answering as
  agreement: a mean hides how the answers under it vary (see tests/.../test_scoring.py's
  simulation).
- Band: a mean at or above the strength threshold is a strength, below the concern threshold
  a concern, in between it needs attention. The mean is banded as the page shows it, rounded
  to one decimal (see band). A band is uncertain when the 95% interval of the mean
  (mean ± t(0.975, n - 1) × sd / √n) reaches into another band, or when the answers are too
  few to show a spread and so to say how certain it is.
- Improvement priority of an item, 0 to 100:
      100 × gap × weight × (1 + share) / 2
  with gap = (max - state) / (max - 1) (how far the state is from the top),
  weight = importance / importance max, and share = the part of the team that wants to
  work on it. Low state, high importance and many willing hands rank first. Where a version
  asks importance and wanting to work on it once per dimension, every statement carries its
  dimension's. A statement is ranked only on at least MIN_RANKED_N answers.
"""

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from django.utils.translation import gettext as _

from assessment.results import disclosure

AGREEMENT_CUTOFF = 0.70


class Band(StrEnum):
    STRENGTH = "strength"
    ATTENTION = "attention"
    CONCERN = "concern"

    @property
    def label(self) -> str:
        """The band in the active language: the one name the page and the CSV both show."""
        return {
            Band.STRENGTH: _("Strength"),
            Band.ATTENTION: _("Attention"),
            Band.CONCERN: _("Concern"),
        }[self]


@dataclass(frozen=True)
class Scale:
    state_max: int = 5
    importance_max: int = 3


Number = TypeVar("Number", int, float)


def scored(value: Number, *, reverse: bool, scale_max: int) -> Number:
    """An answer, or a mean of answers, as it counts: a reverse-scored item's answers are
    mirrored on the scale. Mirroring is linear, so the mean of mirrored answers is the
    mirrored mean. The one place that knows how reverse scoring works."""
    return scale_max + 1 - value if reverse else value


def respondent_dimension_score(answers: Sequence[int | None], *, item_count: int) -> float | None:
    """Mean of the answered (already scored) items, if at least half of the items are answered.

    `answers` holds one entry per answered-or-not item: None is no answer or don't know.
    """
    given = [value for value in answers if value is not None]
    if not given or len(given) * 2 < item_count:
        return None
    return sum(given) / len(given)


SHOWN_DECIMALS = 1


def band(mean: float, *, strength: float, concern: float) -> Band:
    """The band of a mean, judged on the mean as the pages show it: rounded to one decimal.

    Otherwise a mean of 3.96, shown as "4,0", would be "attention" beside a strength threshold
    of 4.0, and the reader sees a number that contradicts its colour. round() and the pages'
    one-decimal formatting both round the float's exact value, so they agree on every edge
    (3.95 shows and bands as 4.0, 3.949 as 3.9). Every band is computed here.
    """
    mean = round(mean, SHOWN_DECIMALS)
    if mean >= strength:
        return Band.STRENGTH
    if mean < concern:
        return Band.CONCERN
    return Band.ATTENTION


def rwg_j(mean_variance: float, *, items: int, options: int) -> float:
    """Within-group agreement r_wg(J) on a scale of `items` statements, from 0 (as varied as
    random answers, or more) to 1 (everyone answered alike)."""
    if options < 2:
        raise ValueError("r_wg needs a scale of at least two options")
    if items < 1:
        raise ValueError("r_wg(J) needs at least one statement")
    ratio = mean_variance / ((options**2 - 1) / 12)
    if ratio >= 1:
        return 0.0
    return items * (1 - ratio) / (items * (1 - ratio) + ratio)


def agreement(variances: Sequence[float], *, options: int) -> float | None:
    """r_wg(J) from the variances of a dimension's statements (None without any)."""
    if not variances:
        return None
    return rwg_j(statistics.fmean(variances), items=len(variances), options=options)


def mean_interval(mean: float, sd: float, n: int) -> tuple[float, float]:
    """The 95% interval of a mean: mean ± t(0.975, n - 1) × sd / √n."""
    if n < 2:
        return mean, mean
    from scipy.stats import t  # type: ignore[import-untyped]  # loads only where needed

    margin = float(t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return mean - margin, mean + margin


def sd_of(total: float, squares: float, n: int) -> float:
    """The sample standard deviation from a sum, a sum of squares and a count, as the
    database keeps them (0 for fewer than two values)."""
    if n < 2:
        return 0.0
    return math.sqrt(max(squares - total * total / n, 0.0) / (n - 1))


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    sd: float
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


def summarise(values: Sequence[float]) -> Summary | None:
    """Mean, sample standard deviation (0 for one value), extremes and quartiles."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = median = q3 = ordered[0]
    else:
        q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    n = len(ordered)
    mean = statistics.fmean(ordered)
    # Plain floats: statistics.stdev works in exact fractions, far slower for no gain here.
    sd = math.sqrt(sum((value - mean) ** 2 for value in ordered) / (n - 1)) if n > 1 else 0.0
    return Summary(
        n=n,
        mean=mean,
        sd=sd,
        minimum=ordered[0],
        q1=q1,
        median=median,
        q3=q3,
        maximum=ordered[-1],
    )


def summary_at(*, n: int, mean: float, sd: float, at: Mapping[int, float]) -> Summary:
    """What summarise() says of n values, from their mean and sd and the few values the
    quartiles need: `at` maps a 0-based position in the ordered values to its value (the
    first, the last, and the two values each quartile lies between). The database hands
    over these instead of every value; the quartiles are statistics.quantiles' "inclusive"
    ones, computed the same way."""
    if n == 1:
        q1 = median = q3 = at[0]
    else:
        quartiles = []
        for quarter in (1, 2, 3):
            below, weight = divmod(quarter * (n - 1), 4)
            quartiles.append((at[below] * (4 - weight) + at[below + 1] * weight) / 4)
        q1, median, q3 = quartiles
    return Summary(
        n=n, mean=mean, sd=sd, minimum=at[0], q1=q1, median=median, q3=q3, maximum=at[n - 1]
    )


@dataclass(frozen=True)
class DimensionResult:
    """A dimension's figures as they may be shown: `spread`, the interval and agreement only
    where the disclosure gate allows them, and never the extremes."""

    key: str
    name: str
    n: int
    mean: float
    band: Band
    spread: disclosure.Spread | None
    interval: disclosure.Interval | None  # the mean's 95% interval
    uncertain: bool  # the band may be another one (see the module)
    agreement: float | None  # r_wg(J)
    disagrees: bool


def dimension_result(
    key: str,
    name: str,
    scores: Sequence[float],
    *,
    items: Sequence["ItemCounts"] = (),
    strength: float,
    concern: float,
    scale: Scale,
    policy: disclosure.Policy,
) -> DimensionResult | None:
    """None when the dimension's scores are too few to show (see disclosure). `items` are
    the counts of the dimension's statements, for agreement."""
    summary = summarise(scores)
    if summary is None or not policy.mean(summary.n):
        return None
    spread = disclosure.spread_or_none(
        summary.n,
        sd=summary.sd,
        q1=summary.q1,
        median=summary.median,
        q3=summary.q3,
        policy=policy,
    )
    return _dimension_result(
        key,
        name,
        summary.n,
        summary.mean,
        summary.sd,
        spread,
        items,
        strength,
        concern,
        scale,
        policy,
    )


def stored_dimension_result(
    key: str,
    name: str,
    *,
    total: float,
    squares: float,
    n: int,
    items: Sequence["ItemCounts"] = (),
    strength: float,
    concern: float,
    scale: Scale,
    policy: disclosure.Policy,
) -> DimensionResult | None:
    """A dimension's figures from its stored totals alone, once the round's answers were
    deleted (results.retention): the same rules, but quartiles are no longer known, so no
    spread band is shown; the interval and agreement rest on the standard deviation."""
    if not n or not policy.mean(n):
        return None
    sd = sd_of(total, squares, n)
    return _dimension_result(
        key, name, n, total / n, sd, None, items, strength, concern, scale, policy
    )


def _dimension_result(
    key: str,
    name: str,
    n: int,
    mean: float,
    sd: float,
    spread: disclosure.Spread | None,
    items: Sequence["ItemCounts"],
    strength: float,
    concern: float,
    scale: Scale,
    policy: disclosure.Policy,
) -> DimensionResult:
    interval = disclosure.interval_or_none(n, *mean_interval(mean, sd, n), policy=policy)
    # A statement's variance is a spread: only statements the gate allows one for count.
    variances = [
        variance
        for counts in items
        if policy.spread(counts.state_n) and (variance := item_variance(counts)) is not None
    ]
    agreed = agreement(variances, options=scale.state_max) if policy.spread(n) else None
    bounds = (interval.low, interval.high) if interval else ()
    bands = {band(bound, strength=strength, concern=concern) for bound in bounds}
    return DimensionResult(
        key=key,
        name=name,
        n=n,
        mean=mean,
        band=band(mean, strength=strength, concern=concern),
        spread=spread,
        interval=interval,
        uncertain=interval is None or len(bands) > 1,
        agreement=agreed,
        disagrees=agreed is not None and agreed < AGREEMENT_CUTOFF,
    )


@dataclass(frozen=True)
class ItemCounts:
    """What the database counted for one item over the submitted responses of a round."""

    item_id: int
    state_sum: int  # raw answers as given, before reverse scoring
    state_n: int
    dont_know: int
    importance_sum: int
    importance_n: int
    wants_yes: int
    wants_n: int
    distribution: tuple[int, ...]  # raw answers per scale point 1..max
    state_squares: int = 0  # sum of the squared raw answers
    not_applicable: int = 0


def item_variance(counts: ItemCounts) -> float | None:
    """The sample variance of a statement's answers (mirroring does not change it)."""
    if counts.state_n < 2:
        return None
    return sd_of(counts.state_sum, counts.state_squares, counts.state_n) ** 2


@dataclass(frozen=True)
class ItemResult:
    """A statement's figures as they may be shown: None wherever the gate says no."""

    item_id: int
    key: str
    text: str
    dimension_key: str
    dimension_name: str
    # A negatively worded statement: its state is mirrored, so a higher state means the
    # team disagrees with the text as written (the good direction). Pages mark it.
    reverse: bool
    state: float | None  # scored mean (reverse items mirrored)
    state_n: int
    importance: float | None
    importance_n: int
    want_share: float | None
    wants_n: int
    # Of everyone who answered the state question: with a state, "don't know" or "not
    # applicable". Someone who skipped it is in neither share.
    dont_know_share: float | None
    not_applicable_share: float | None
    priority: float | None
    # Shares of the state answers per scale point 1..max, or grouped (see disclosure).
    distribution: disclosure.Distribution | None

    @property
    def ranked_n(self) -> int:
        """The answers a priority rests on: to the state and to the importance."""
        return min(self.state_n, self.importance_n)

    @property
    def unanswerable_share(self) -> float | None:
        """The part that could not answer: "don't know" or "does not apply", where shown."""
        shares = [s for s in (self.dont_know_share, self.not_applicable_share) if s is not None]
        return sum(shares) if shares else None


def item_state(counts: ItemCounts, *, reverse: bool, scale: Scale) -> float | None:
    if counts.state_n == 0:
        return None
    raw = counts.state_sum / counts.state_n
    return scored(raw, reverse=reverse, scale_max=scale.state_max)


def priority(
    state: float | None, importance: float | None, want_share: float | None, *, scale: Scale
) -> float | None:
    if state is None or importance is None:
        return None
    gap = (scale.state_max - state) / (scale.state_max - 1)
    weight = importance / scale.importance_max
    share = want_share or 0.0
    return 100 * gap * weight * (1 + share) / 2


def item_result(
    counts: ItemCounts,
    *,
    key: str,
    text: str,
    dimension_key: str,
    dimension_name: str,
    reverse: bool,
    scale: Scale,
    policy: disclosure.Policy,
) -> ItemResult:
    """Every figure of one statement through the gate, each on its own number of answers."""
    state = disclosure.mean_or_none(
        item_state(counts, reverse=reverse, scale=scale), counts.state_n, policy
    )
    importance = disclosure.mean_or_none(
        counts.importance_sum / counts.importance_n if counts.importance_n else None,
        counts.importance_n,
        policy,
    )
    want_share = disclosure.share_or_none(counts.wants_yes, counts.wants_n, policy)
    answered = counts.state_n + counts.dont_know + counts.not_applicable
    return ItemResult(
        item_id=counts.item_id,
        key=key,
        text=text,
        dimension_key=dimension_key,
        dimension_name=dimension_name,
        reverse=reverse,
        state=state,
        state_n=counts.state_n,
        importance=importance,
        importance_n=counts.importance_n,
        want_share=want_share,
        wants_n=counts.wants_n,
        dont_know_share=disclosure.share_or_none(counts.dont_know, answered, policy),
        not_applicable_share=disclosure.share_or_none(counts.not_applicable, answered, policy),
        priority=priority(state, importance, want_share, scale=scale),
        # As answered: a reverse-scored statement's answers are not mirrored here.
        distribution=disclosure.distribution_or_none(counts.distribution, policy),
    )


# A statement is ranked among the points to improve only on at least this many answers to its
# state and to its importance: with four people, one of them reorders the top 10.
MIN_RANKED_N = 5


def ranked(item: ItemResult) -> bool:
    return item.priority is not None and item.ranked_n >= MIN_RANKED_N


# From this share of "don't know" and "does not apply" a statement is listed as hard to answer:
# a sign it is unclear, or does not fit part of the team.
HARD_TO_ANSWER_SHARE = 0.25


def hard_to_answer(items: Iterable[ItemResult]) -> list[ItemResult]:
    hard = [
        item
        for item in items
        if (share := item.unanswerable_share) is not None and share >= HARD_TO_ANSWER_SHARE
    ]
    hard.sort(key=lambda item: (-(item.unanswerable_share or 0.0), item.key))
    return hard


def top_improvements(items: Iterable[ItemResult], limit: int = 10) -> list[ItemResult]:
    ranked_items = [item for item in items if ranked(item)]
    ranked_items.sort(key=lambda item: (-(item.priority or 0.0), item.state, item.key))
    return ranked_items[:limit]


def strengths(items: Iterable[ItemResult], limit: int = 5) -> list[ItemResult]:
    shown = [item for item in items if item.state is not None]
    shown.sort(key=lambda item: (-(item.state or 0.0), item.key))
    return shown[:limit]


MIN_CHANGE = 0.1
# Below this many answers in either round a change is not judged at all. The margin of chance
# is computed from the rounds' own spread, and with a handful of people that spread is itself
# a guess (with 3 equal answers it is 0, and any 0.1 would count); "too few answers to say"
# is the honest reading.
MIN_CHANGE_N = 5


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    UNCLEAR = "unclear"  # no larger than chance: never read it as "the same"
    TOO_FEW = "too_few"  # a round below MIN_CHANGE_N answers

    @property
    def label(self) -> str:
        """The change in the active language: the one name the pages and the CSVs show."""
        return {
            Direction.UP: _("up"),
            Direction.DOWN: _("down"),
            Direction.UNCLEAR: _("no clear difference"),
            Direction.TOO_FEW: _("too few answers to say"),
        }[self]


def change(
    current: Summary | tuple[float, float, int], previous: Summary | tuple[float, float, int]
) -> Direction:
    """Up, down, no clear difference, or too few answers to say, between two rounds' means
    of one dimension (or of a team's average). The one definition both pages word.

    Too few when either round rests on fewer than MIN_CHANGE_N answers. Otherwise a change
    counts only when it is larger than the measurement's noise: larger than 1.96 times the
    standard error of the difference, sqrt(sd1²/n1 + sd2²/n2) (a 95% interval), and at least
    MIN_CHANGE. Otherwise it is unclear: the rounds may differ, the numbers cannot tell.
    Arguments are (mean, sd, n).
    """
    mean_now, sd_now, n_now = _msn(current)
    mean_before, sd_before, n_before = _msn(previous)
    if min(n_now, n_before) < MIN_CHANGE_N:
        return Direction.TOO_FEW
    difference = mean_now - mean_before
    standard_error = math.sqrt(sd_now**2 / n_now + sd_before**2 / n_before)
    if abs(difference) < max(1.96 * standard_error, MIN_CHANGE):
        return Direction.UNCLEAR
    return Direction.UP if difference > 0 else Direction.DOWN


def _msn(value: Summary | tuple[float, float, int]) -> tuple[float, float, int]:
    if isinstance(value, Summary):
        return value.mean, value.sd, value.n
    return value
