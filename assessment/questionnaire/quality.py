"""Instrument quality of a questionnaire version. Pure: numbers in, frozen dataclasses out, no ORM.

The input of a dimension is a table: one row per respondent who was put the dimension, one
column per item of the dimension, each cell an answer on the agreement scale (1..5),
``DONT_KNOW`` ("weet ik niet"), ``NOT_APPLICABLE`` ("niet van toepassing"), or ``None`` for a
statement the respondent skipped. Reverse-scored items must already be mirrored
(v -> max + 1 - v) before they reach this module: a reversed item that is not mirrored
correlates negatively with the rest and drags alpha down (which is exactly what this
report is meant to show).

Missing answers:

- Cronbach's alpha and the corrected item-total correlation use *listwise deletion*: only the
  respondents who answered every item of the dimension (the "complete rows") count. Nothing
  is imputed, and a missing answer is never counted as zero.
- Item statistics (n, mean, floor and ceiling shares) use every answer given to that item.
  The three kinds of no answer are reported apart, each as a share of all respondents of
  the item: "don't know" says the respondent cannot judge it (itself a finding), "not
  applicable" that it does not fit their work, "skipped" that they left it open.

Formulas (n complete rows, k items, x_ij the answer of respondent j to item i,
T_j = sum_i x_ij the respondent's total, s² the sample variance with n - 1 in the denominator):

- Cronbach's alpha: alpha = k / (k - 1) * (1 - sum_i s²(x_i) / s²(T)).
  Alpha is at most 1 (a theorem: s²(T) <= k * sum_i s²(x_i)); it can be negative, and is
  never clipped. It is undefined (``None``) for fewer than 2 items, fewer than
  ``MIN_COMPLETE_ROWS`` complete rows, or a total without variance.
- Its 95% confidence interval (Feldt 1965; Feldt, Woodruff & Salih 1987): under the
  two-way (persons x items) model, (1 - alpha) / (1 - alpha_hat) follows an F distribution
  with n - 1 and (n - 1)(k - 1) degrees of freedom, so
  lower = 1 - (1 - alpha_hat) * F_0.975(n - 1, (n - 1)(k - 1)) and
  upper = 1 - (1 - alpha_hat) * F_0.025(n - 1, (n - 1)(k - 1)), F_p the p-quantile. The
  interval is undefined where alpha is, and for fewer than 3 complete rows.
- Corrected item-total correlation of item i: the Pearson correlation of x_i with the sum of
  the *other* items, R_j = T_j - x_ij:
  r = S_xR / sqrt(S_xx * S_RR), with S_ab = sum_j (a_j - mean a)(b_j - mean b).
  Undefined (``None``) for fewer than 2 items, fewer than ``MIN_COMPLETE_ROWS`` complete rows,
  or when the item or the rest has no variance.

All sums are computed exactly (Python ints for whole answers, ``fractions.Fraction`` for
others: every finite float is an exact fraction) and rounded to a float once, at the end.
So zero variance is detected exactly, a perfectly consistent scale has an alpha of exactly
1.0, alpha never exceeds 1.0 by a rounding error, and a correlation never leaves [-1, 1].

Flags (thresholds are the module constants below, following common psychometric practice):
a dimension has ``low_alpha`` when alpha < 0.70; an item has ``low_item_total`` when its
corrected item-total correlation < 0.30, ``many_dont_know`` when more than 30% of the
respondents answered "don't know", and ``many_not_applicable`` likewise for "not applicable"
(a statement that does not fit one of the professions). An undefined statistic raises no
flag (the numbers say ``None``, and the report shows that they could not be computed).

With fewer than ``MIN_RESPONSES`` (30) complete responses a dimension's alpha is too
unstable to judge an instrument by; ``too_few`` tells the report to say so plainly.
"""

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

LOW_ALPHA = 0.70
LOW_ITEM_TOTAL = 0.30
MANY_DONT_KNOW = 0.30
MANY_NOT_APPLICABLE = 0.30
MIN_RESPONSES = 30
MIN_COMPLETE_ROWS = 3
CONFIDENCE = 0.95


class NoAnswer(enum.Enum):
    """Why a respondent gave no answer on the scale (a skipped statement is ``None``)."""

    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"


DONT_KNOW = NoAnswer.DONT_KNOW
NOT_APPLICABLE = NoAnswer.NOT_APPLICABLE

Answer = float | NoAnswer | None


def too_few(n: int) -> bool:
    """Whether n responses are fewer than ``MIN_RESPONSES``: too few to judge the instrument."""
    return n < MIN_RESPONSES


@dataclass(frozen=True)
class ItemStats:
    """How one item was answered, over all its respondents (no listwise deletion).

    ``respondents`` counts everyone the item was put to; ``n`` the answers on the scale.
    ``dont_know_share``, ``not_applicable_share`` and ``skipped_share`` are shares of the
    respondents (``None`` when there are none); ``mean``, ``floor_share`` (answers at the
    scale minimum) and ``ceiling_share`` (at the maximum) are over the n answers, ``None``
    when n is 0. ``floor_n`` and ``ceiling_n`` are the answers behind those two shares.
    """

    n: int
    respondents: int
    dont_know_share: float | None
    not_applicable_share: float | None
    skipped_share: float | None
    mean: float | None
    floor_share: float | None
    ceiling_share: float | None
    floor_n: int = 0
    ceiling_n: int = 0


@dataclass(frozen=True)
class ItemQuality:
    """One item of a dimension: its answers and how it hangs together with the others."""

    key: str
    stats: ItemStats
    item_total: float | None

    @property
    def low_item_total(self) -> bool:
        """The corrected item-total correlation is below ``LOW_ITEM_TOTAL`` (0.30)."""
        return self.item_total is not None and self.item_total < LOW_ITEM_TOTAL

    @property
    def many_dont_know(self) -> bool:
        """More than ``MANY_DONT_KNOW`` (30%) of the respondents answered "don't know"."""
        share = self.stats.dont_know_share
        return share is not None and share > MANY_DONT_KNOW

    @property
    def many_not_applicable(self) -> bool:
        """More than ``MANY_NOT_APPLICABLE`` (30%) answered "not applicable"."""
        share = self.stats.not_applicable_share
        return share is not None and share > MANY_NOT_APPLICABLE


@dataclass(frozen=True)
class Interval:
    """A confidence interval: lower <= upper."""

    lower: float
    upper: float


@dataclass(frozen=True)
class DimensionQuality:
    """The internal consistency of one dimension.

    ``n_responses`` counts all respondents; ``n_complete`` those who answered every item,
    the only ones alpha, its ``interval`` and the item-total correlations rest on.
    """

    key: str
    alpha: float | None
    n_responses: int
    n_complete: int
    items: tuple[ItemQuality, ...]
    interval: Interval | None = None

    @property
    def low_alpha(self) -> bool:
        """Alpha is below ``LOW_ALPHA`` (0.70)."""
        return self.alpha is not None and self.alpha < LOW_ALPHA

    @property
    def too_few(self) -> bool:
        """Fewer than ``MIN_RESPONSES`` complete responses: alpha is not to be trusted."""
        return too_few(self.n_complete)


def feldt_interval(
    alpha: float | None, n: int, k: int, *, confidence: float = CONFIDENCE
) -> Interval | None:
    """The confidence interval of Cronbach's alpha by Feldt's F distribution.

    With n complete respondents and k items, (1 - alpha) / (1 - alpha_hat) follows
    F(n - 1, (n - 1)(k - 1)) (Feldt 1965; Feldt, Woodruff & Salih 1987), so for 95%
    lower = 1 - (1 - alpha_hat) * F_0.975 and upper = 1 - (1 - alpha_hat) * F_0.025.
    ``None`` without an alpha, for fewer than 2 items or fewer than ``MIN_COMPLETE_ROWS``
    (3) respondents. A confidence outside (0, 1) raises ValueError.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence {confidence!r} must lie between 0 and 1")
    if alpha is None or k < 2 or n < MIN_COMPLETE_ROWS:
        return None
    # Imported here: scipy.stats takes half a second to load, and every process that
    # imports the admin would pay it at start-up for a page few open.
    from scipy import stats  # type: ignore[import-untyped]

    tail = (1 - confidence) / 2
    df_persons, df_residual = n - 1, (n - 1) * (k - 1)
    high = float(stats.f.ppf(1 - tail, df_persons, df_residual))
    low = float(stats.f.ppf(tail, df_persons, df_residual))
    return Interval(lower=1 - (1 - alpha) * high, upper=1 - (1 - alpha) * low)


Exact = int | Fraction


def _exact(value: float) -> Exact:
    """The exact value of an answer: an int when it is whole (fast), else a Fraction."""
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        raise ValueError(f"an answer must be a finite number or None, not {value!r}")
    return int(value) if value.is_integer() else Fraction(value)


def _complete_rows(rows: Sequence[Sequence[Answer]]) -> tuple[int, list[list[Exact]]]:
    """The number of items and the rows without a missing answer, as exact numbers."""
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise ValueError(f"every row must have the same number of items, got {sorted(widths)}")
    k = widths.pop() if widths else 0
    complete = []
    for row in rows:
        given = [_exact(value) for value in row if isinstance(value, int | float)]
        if len(given) == len(row):
            complete.append(given)
    return k, complete


def _n_ss(xs: Sequence[Exact]) -> Exact:
    """n * sum (x - mean)² = n * sum x² - (sum x)², exactly: n (n - 1) times the variance."""
    total = sum(xs)
    return len(xs) * sum(x * x for x in xs) - total * total


def _n_sp(xs: Sequence[Exact], ys: Sequence[Exact]) -> Exact:
    """n * sum (x - mean x)(y - mean y), exactly: n (n - 1) times the covariance."""
    sum_xy = sum(x * y for x, y in zip(xs, ys, strict=True))
    return len(xs) * sum_xy - sum(xs) * sum(ys)


def _alpha(k: int, complete: Sequence[Sequence[Exact]]) -> float | None:
    if k < 2 or len(complete) < MIN_COMPLETE_ROWS:
        return None
    total_ss = _n_ss([sum(row) for row in complete])
    if total_ss == 0:
        return None
    # The common factor n (n - 1) of the variances cancels out of the ratio.
    item_ss = sum(_n_ss([row[i] for row in complete]) for i in range(k))
    return float(Fraction(k, k - 1) * (1 - Fraction(item_ss) / total_ss))


def _item_total(k: int, complete: Sequence[Sequence[Exact]], i: int) -> float | None:
    if k < 2 or len(complete) < MIN_COMPLETE_ROWS:
        return None
    item = [row[i] for row in complete]
    rest = [sum(row) - row[i] for row in complete]
    s_xx = _n_ss(item)
    s_rr = _n_ss(rest)
    if s_xx == 0 or s_rr == 0:
        return None
    s_xr = _n_sp(item, rest)
    # r² is exact and at most 1 (Cauchy-Schwarz), so its rounded square root is too.
    return math.copysign(math.sqrt(float(Fraction(s_xr * s_xr) / (s_xx * s_rr))), s_xr)


def cronbach_alpha(rows: Sequence[Sequence[Answer]]) -> float | None:
    """Cronbach's alpha of one dimension; rows are respondents, columns its items.

    alpha = k / (k - 1) * (1 - sum_i s²(item i) / s²(total)), with sample variances (n - 1),
    over the complete rows only (listwise deletion: a respondent who skipped an item of the
    dimension or gave no answer on the scale is left out). ``None`` when there are fewer
    than 2 items, fewer than ``MIN_COMPLETE_ROWS`` (3) complete rows, or the total has no
    variance. Alpha is at most
    1.0 and may be negative; it is not clipped. Ragged rows or a non-finite answer raise
    ValueError.
    """
    return _alpha(*_complete_rows(rows))


def corrected_item_total(rows: Sequence[Sequence[Answer]], item_index: int) -> float | None:
    """The Pearson correlation of item ``item_index`` with the sum of the other items.

    r = S_xR / sqrt(S_xx * S_RR), where x is the item, R the sum of the other items of the
    same respondent and S the centred sums of (cross) products, over the complete rows only
    (listwise deletion, as for alpha). ``None`` when there are fewer than 2 items, fewer
    than ``MIN_COMPLETE_ROWS`` (3) complete rows, or the item or the rest has no variance.
    The result always lies in [-1, 1]. A negative ``item_index``, or one beyond the items of
    the rows, raises IndexError.
    """
    k, complete = _complete_rows(rows)
    if item_index < 0 or (rows and item_index >= k):
        raise IndexError(f"item_index {item_index} is out of range for {k} items")
    return _item_total(k, complete, item_index)


def item_statistics(
    values: Sequence[Answer], *, scale_min: int = 1, scale_max: int = 5
) -> ItemStats:
    """How one item was answered: one value per respondent the item was put to.

    n = number of answers on the scale; dont_know_share, not_applicable_share and
    skipped_share = the number of ``DONT_KNOW``, ``NOT_APPLICABLE`` and ``None`` over the
    number of respondents; mean = sum of answers / n; floor_share = (answers equal to
    scale_min) / n; ceiling_share = (answers equal to scale_max) / n. Shares over the
    answers are ``None`` when n is 0, shares over the respondents when there are none.
    An answer outside [scale_min, scale_max] raises ValueError.
    """
    if scale_min >= scale_max:
        raise ValueError(f"scale_min {scale_min} must be below scale_max {scale_max}")
    answered = [v for v in values if isinstance(v, int | float)]
    for value in answered:
        if not scale_min <= value <= scale_max:  # also rejects NaN
            raise ValueError(f"answer {value!r} is outside the scale {scale_min}..{scale_max}")
    n = len(answered)
    total = len(values)

    def of_all(missing: NoAnswer | None) -> float | None:
        return sum(1 for v in values if v is missing) / total if total else None

    floor_n = sum(1 for v in answered if v == scale_min)
    ceiling_n = sum(1 for v in answered if v == scale_max)
    return ItemStats(
        n=n,
        respondents=total,
        dont_know_share=of_all(DONT_KNOW),
        not_applicable_share=of_all(NOT_APPLICABLE),
        skipped_share=of_all(None),
        mean=math.fsum(answered) / n if n else None,
        floor_share=floor_n / n if n else None,
        ceiling_share=ceiling_n / n if n else None,
        floor_n=floor_n,
        ceiling_n=ceiling_n,
    )


def dimension_quality(
    key: str,
    item_keys: Sequence[str],
    rows: Sequence[Sequence[Answer]],
    *,
    scale_min: int = 1,
    scale_max: int = 5,
) -> DimensionQuality:
    """The quality of one dimension: alpha and its Feldt interval, the complete-row count,
    and per item its statistics (over all its answers) and corrected item-total
    correlation (over the complete rows). ``rows`` has one row per respondent and one
    column per item key, in the order of ``item_keys``.
    """
    for row in rows:
        if len(row) != len(item_keys):
            raise ValueError(f"a row has {len(row)} answers for {len(item_keys)} items")
    _, complete = _complete_rows(rows)
    k = len(item_keys)
    items = tuple(
        ItemQuality(
            key=item_key,
            stats=item_statistics(
                [row[i] for row in rows], scale_min=scale_min, scale_max=scale_max
            ),
            item_total=_item_total(k, complete, i),
        )
        for i, item_key in enumerate(item_keys)
    )
    alpha = _alpha(k, complete)
    return DimensionQuality(
        key=key,
        alpha=alpha,
        n_responses=len(rows),
        n_complete=len(complete),
        items=items,
        interval=feldt_interval(alpha, len(complete), k),
    )
