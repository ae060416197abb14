"""Instrument quality (assessment/questionnaire/quality.py): alpha, item-total r, item stats.

No database. Where the expected numbers come from:

- PUBLISHED: the worked example of Statology, "How to Calculate Cronbach's Alpha in Python"
  (https://www.statology.org/cronbachs-alpha-python/; the data and output were checked
  against copies of that page, e.g. https://legaltree.in/cronbachs-alpha-in-python, as the
  original was not reachable from here): a restaurant survey of 10 customers,
  3 questions on a 1..3 scale; pingouin's ``cronbach_alpha`` gives 0.7734375, reported as
  alpha = 0.773 (pingouin's default is pairwise deletion, which equals listwise deletion
  here as the table has no missing answers).
  The same page prints pingouin's 95% confidence interval, by Feldt's method:
  [0.336, 0.939]. That fixes the direction of the F quantiles: the lower bound takes the
  upper quantile, lower = 1 - (1 - alpha) * F_0.975(9, 18) = 1 - 0.2266 * 2.929 = 0.336.
  (With the quantiles swapped the "interval" would run from 0.939 down to 0.336; with the
  ratio inverted, 1 - (1 - alpha) / F, it would be [0.161, 0.923], and the simulation
  below would find it missing too often on one side.)
- SIMULATION: the interval's coverage, from normal answers under the parallel model
  (Feldt's assumptions) with a known population alpha, counted with numpy.
- REFERENCE: ``_ref_alpha`` / ``_ref_item_total`` below, written separately from the module
  on Python's own ``statistics.variance`` (sample variance) and ``statistics.correlation``
  (Pearson r), with their own listwise deletion. The module computes with exact fractions
  instead, so the two agree only if both implement the textbook formulas.
- BY HAND: small tables whose alpha follows from the formula in closed form; the working
  is in the comment next to each.
"""

import math
import statistics

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.stats import f as f_distribution  # type: ignore[import-untyped]

from assessment.questionnaire import quality
from assessment.questionnaire.quality import (
    DONT_KNOW,
    LOW_ALPHA,
    LOW_ITEM_TOTAL,
    MANY_DONT_KNOW,
    MANY_NOT_APPLICABLE,
    MIN_RESPONSES,
    NOT_APPLICABLE,
    DimensionQuality,
    Interval,
    ItemQuality,
    ItemStats,
    corrected_item_total,
    cronbach_alpha,
    dimension_quality,
    feldt_interval,
    item_statistics,
    too_few,
)
from tests.purity import imported_modules

# PUBLISHED (Statology, see the module docstring): columns Q1, Q2, Q3, one row per customer.
STATOLOGY_Q1 = [1, 2, 2, 3, 2, 2, 3, 3, 2, 3]
STATOLOGY_Q2 = [1, 1, 1, 2, 3, 3, 2, 3, 3, 3]
STATOLOGY_Q3 = [1, 1, 2, 1, 2, 3, 3, 3, 2, 3]
STATOLOGY_ROWS = [list(row) for row in zip(STATOLOGY_Q1, STATOLOGY_Q2, STATOLOGY_Q3, strict=True)]
STATOLOGY_ALPHA = 0.7734375  # pingouin's output as printed there; reported as 0.773
STATOLOGY_INTERVAL = (0.336, 0.939)  # pingouin's 95% interval (Feldt) as printed there


# --- REFERENCE implementation: Python's statistics module, independent of the module -----


def _ref_complete(rows):
    return [[float(v) for v in row] for row in rows if None not in row]


def _ref_alpha(rows):
    complete = _ref_complete(rows)
    k = len(rows[0]) if rows else 0
    if k < 2 or len(complete) < 3:
        return None
    columns = list(zip(*complete, strict=True))
    total_variance = statistics.variance([sum(row) for row in complete])
    if total_variance == 0:
        return None
    item_variances = sum(statistics.variance(column) for column in columns)
    return k / (k - 1) * (1 - item_variances / total_variance)


def _ref_item_total(rows, i):
    complete = _ref_complete(rows)
    k = len(rows[0]) if rows else 0
    if k < 2 or len(complete) < 3:
        return None
    item = [row[i] for row in complete]
    rest = [sum(row) - row[i] for row in complete]
    if statistics.variance(item) == 0 or statistics.variance(rest) == 0:
        return None
    return statistics.correlation(item, rest)


def _close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _mirror(rows, scale_max=5):
    """Reverse-score every answer: v -> max + 1 - v."""
    return [[None if v is None else scale_max + 1 - v for v in row] for row in rows]


# --- strategies ---------------------------------------------------------------------------

ANSWER = st.integers(min_value=1, max_value=5)


@st.composite
def tables(draw, *, min_items=2, max_items=5, min_rows=0, max_rows=40, missing=True):
    k = draw(st.integers(min_value=min_items, max_value=max_items))
    cell = st.one_of(st.none(), ANSWER) if missing else ANSWER
    return draw(
        st.lists(st.lists(cell, min_size=k, max_size=k), min_size=min_rows, max_size=max_rows)
    )


# --- the published worked example ---------------------------------------------------------


def test_alpha_matches_the_published_statology_example():
    alpha = cronbach_alpha(STATOLOGY_ROWS)
    assert alpha == pytest.approx(STATOLOGY_ALPHA, abs=1e-12)
    assert round(alpha, 3) == 0.773


def test_reference_implementation_also_matches_the_published_example():
    # Guards the reference itself before the property tests lean on it.
    assert _ref_alpha(STATOLOGY_ROWS) == pytest.approx(STATOLOGY_ALPHA, abs=1e-12)


def test_item_totals_of_the_published_example_match_statistics_correlation():
    for i in range(3):
        assert corrected_item_total(STATOLOGY_ROWS, i) == pytest.approx(
            _ref_item_total(STATOLOGY_ROWS, i), abs=1e-12
        )


def test_item_total_of_the_published_example_by_hand():
    # BY HAND for Q1: rest = Q2 + Q3 = [2,2,3,3,5,6,5,6,5,6]; sums 23 and 43;
    # S_xx = 57 - 23²/10 = 4.1, S_rr = 209 - 43²/10 = 24.1, S_xr = 104 - 23 * 43/10 = 5.1,
    # so r = 5.1 / sqrt(4.1 * 24.1) = 0.513.
    r = corrected_item_total(STATOLOGY_ROWS, 0)
    assert r == pytest.approx(5.1 / math.sqrt(4.1 * 24.1), abs=1e-12)
    assert round(r, 3) == 0.513


# --- the Feldt confidence interval of alpha -----------------------------------------------


def test_the_interval_matches_the_published_statology_example():
    result = dimension_quality("d", ["q1", "q2", "q3"], STATOLOGY_ROWS, scale_max=3)
    assert result.interval is not None
    assert (round(result.interval.lower, 3), round(result.interval.upper, 3)) == STATOLOGY_INTERVAL
    assert feldt_interval(STATOLOGY_ALPHA, 10, 3) == result.interval


def test_the_interval_bounds_are_the_f_quantiles_of_feldts_statistic():
    # (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1)): at the lower bound the
    # statistic sits at the 97.5th percentile, at the upper bound at the 2.5th.
    interval = feldt_interval(0.8, 40, 6)
    df = (39, 39 * 5)
    assert f_distribution.cdf((1 - interval.lower) / 0.2, *df) == pytest.approx(0.975)
    assert f_distribution.cdf((1 - interval.upper) / 0.2, *df) == pytest.approx(0.025)


def test_the_interval_covers_the_true_alpha_in_95_of_100_samples():
    rng = np.random.default_rng(14)
    n, k, true_var, error_var, samples = 30, 4, 1.0, 2.0, 2000
    true_alpha = k * true_var / (k * true_var + error_var)  # 0.667
    below = above = 0
    for _ in range(samples):
        people = rng.normal(0, math.sqrt(true_var), (n, 1))
        answers = people + rng.normal(0, math.sqrt(error_var), (n, k))
        items = answers.var(axis=0, ddof=1).sum()
        alpha = k / (k - 1) * (1 - items / answers.sum(axis=1).var(ddof=1))
        interval = feldt_interval(float(alpha), n, k)
        below += interval.upper < true_alpha
        above += interval.lower > true_alpha
    # Binomial(2000, 0.025) has SD 7: each tail within 50 +- 25, so 0.95 +- 0.025 in all.
    assert 25 <= below <= 75 and 25 <= above <= 75


def test_the_interval_narrows_as_more_people_answer():
    small, large = feldt_interval(0.8, 20, 5), feldt_interval(0.8, 200, 5)
    assert small.upper - small.lower > large.upper - large.lower


def test_no_interval_without_alpha_for_one_item_or_fewer_than_three_people():
    assert feldt_interval(None, 40, 5) is None
    assert feldt_interval(0.8, 40, 1) is None
    assert feldt_interval(0.8, 2, 5) is None
    assert feldt_interval(0.8, 3, 2) is not None
    single = dimension_quality("d", ["a"], [[1], [2], [3], [4], [5]])
    assert single.alpha is None and single.interval is None
    two_people = dimension_quality("d", ["a", "b"], [[1, 2], [3, 3], [4, None]])
    assert two_people.interval is None


def test_a_perfect_alpha_has_an_interval_of_one_point():
    assert feldt_interval(1.0, 10, 3) == Interval(1.0, 1.0)


def test_the_confidence_must_lie_between_zero_and_one():
    for confidence in (0.0, 1.0, 95.0, -0.5):
        with pytest.raises(ValueError):
            feldt_interval(0.8, 40, 5, confidence=confidence)
    assert feldt_interval(0.8, 40, 5, confidence=0.90).lower > feldt_interval(0.8, 40, 5).lower


@given(
    st.floats(min_value=-5, max_value=0.999, allow_nan=False),
    st.integers(min_value=3, max_value=2000),
    st.integers(min_value=2, max_value=60),
)
def test_the_interval_holds_alpha_and_never_passes_one(alpha, n, k):
    interval = feldt_interval(alpha, n, k)
    assert interval.lower < alpha < interval.upper < 1.0


# --- missing answers: listwise deletion ---------------------------------------------------


def test_respondents_with_a_missing_answer_are_left_out_of_alpha():
    with_gaps = [
        *STATOLOGY_ROWS,
        [None, 3, 1],
        [1, None, None],
        [3, 1, None],
        [None, None, None],
    ]
    assert cronbach_alpha(with_gaps) == pytest.approx(STATOLOGY_ALPHA, abs=1e-12)
    for i in range(3):
        assert corrected_item_total(with_gaps, i) == pytest.approx(
            corrected_item_total(STATOLOGY_ROWS, i), abs=1e-12
        )


def test_a_missing_answer_is_not_counted_as_zero():
    rows = [*STATOLOGY_ROWS, [None, 3, 3]]
    as_zero = [*STATOLOGY_ROWS, [0, 3, 3]]
    assert cronbach_alpha(rows) == pytest.approx(STATOLOGY_ALPHA, abs=1e-12)
    assert cronbach_alpha(as_zero) != pytest.approx(STATOLOGY_ALPHA, abs=1e-3)


def test_listwise_deletion_can_leave_too_few_rows():
    # Five respondents, but only two answered all three items.
    rows = [[1, 2, 3], [2, 3, 4], [None, 1, 1], [5, None, 5], [4, 4, None]]
    assert cronbach_alpha(rows) is None
    assert corrected_item_total(rows, 0) is None
    result = dimension_quality("d", ["a", "b", "c"], rows)
    assert (result.n_responses, result.n_complete, result.alpha) == (5, 2, None)
    # Item statistics still use every answer given.
    assert [item.stats.n for item in result.items] == [4, 4, 4]


@given(tables())
def test_alpha_and_item_total_match_the_statistics_module_reference(rows):
    assert _close(cronbach_alpha(rows), _ref_alpha(rows))
    if rows:
        for i in range(len(rows[0])):
            assert _close(corrected_item_total(rows, i), _ref_item_total(rows, i))


# --- reverse-scored items -----------------------------------------------------------------

# BY HAND: three items that agree and a fourth that is reverse-worded and NOT mirrored.
CONSISTENT = [[1, 1, 2], [2, 2, 2], [3, 3, 4], [4, 5, 4], [5, 5, 5], [2, 1, 1]]
UNMIRRORED = [[*row, 6 - row[0]] for row in CONSISTENT]
MIRRORED = [[*row[:3], 6 - row[3]] for row in UNMIRRORED]


def test_an_unmirrored_reversed_item_is_flagged_and_mirroring_it_fixes_the_scale():
    keys = ["a", "b", "c", "reversed"]
    bad = dimension_quality("d", keys, UNMIRRORED)
    good = dimension_quality("d", keys, MIRRORED)

    assert bad.low_alpha
    assert bad.items[3].item_total < 0
    assert bad.items[3].low_item_total
    assert bad.alpha == pytest.approx(_ref_alpha(UNMIRRORED))

    assert not good.low_alpha
    assert good.alpha > 0.9
    assert good.items[3].item_total == pytest.approx(_ref_item_total(MIRRORED, 3))
    assert good.items[3].item_total > 0.9
    assert not any(item.low_item_total for item in good.items)
    assert good.alpha == pytest.approx(_ref_alpha(MIRRORED))


@given(tables())
def test_mirroring_every_item_changes_neither_alpha_nor_item_totals(rows):
    # v -> 6 - v flips every deviation's sign: variances and covariances stay the same.
    mirrored = _mirror(rows)
    assert _close(cronbach_alpha(mirrored), cronbach_alpha(rows))
    if rows:
        for i in range(len(rows[0])):
            assert _close(corrected_item_total(mirrored, i), corrected_item_total(rows, i))


# --- undefined cases ----------------------------------------------------------------------


def test_zero_total_variance_gives_no_alpha():
    # Everyone's total is 9, even though the items vary.
    rows = [[3, 3, 3], [1, 5, 3], [5, 1, 3], [2, 4, 3]]
    assert cronbach_alpha(rows) is None


def test_everyone_giving_the_same_answers_gives_nothing():
    rows = [[4, 4, 4]] * 10
    assert cronbach_alpha(rows) is None
    assert all(corrected_item_total(rows, i) is None for i in range(3))


def test_an_item_without_variance_has_no_item_total_but_alpha_exists():
    rows = [[1, 2, 3], [2, 2, 4], [4, 2, 4], [5, 2, 5]]
    assert corrected_item_total(rows, 1) is None
    assert corrected_item_total(rows, 0) == pytest.approx(_ref_item_total(rows, 0))
    assert cronbach_alpha(rows) == pytest.approx(_ref_alpha(rows))


def test_fewer_than_three_complete_rows_gives_nothing_and_three_is_enough():
    rows = [[1, 2, 1], [3, 3, 4], [5, 4, 5]]
    assert cronbach_alpha(rows[:2]) is None
    assert cronbach_alpha(rows[:1]) is None
    assert cronbach_alpha([]) is None
    assert corrected_item_total(rows[:2], 0) is None
    assert cronbach_alpha(rows) == pytest.approx(_ref_alpha(rows))
    assert corrected_item_total(rows, 0) == pytest.approx(_ref_item_total(rows, 0))


def test_fewer_than_two_items_gives_nothing():
    rows = [[1], [2], [3], [4], [5]]
    assert cronbach_alpha(rows) is None
    assert corrected_item_total(rows, 0) is None
    assert cronbach_alpha([[], [], []]) is None


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        cronbach_alpha([[1, 2], [1, 2, 3], [2, 3]])
    with pytest.raises(ValueError):
        cronbach_alpha([[1.0, 2.0], [float("nan"), 3.0], [2.0, 3.0]])
    with pytest.raises(IndexError):
        corrected_item_total([[1, 2], [2, 3], [3, 5]], 2)
    with pytest.raises(IndexError):
        corrected_item_total([[1, 2], [2, 3], [3, 5]], -1)
    with pytest.raises(ValueError):
        dimension_quality("d", ["a", "b"], [[1, 2, 3]])


# --- extremes of alpha --------------------------------------------------------------------


def test_a_perfectly_consistent_scale_has_alpha_exactly_one():
    rows = [[v, v, v, v] for v in (1, 2, 2, 3, 4, 5, 5)]
    assert cronbach_alpha(rows) == 1.0
    assert all(corrected_item_total(rows, i) == 1.0 for i in range(4))


def test_uncorrelated_items_have_alpha_zero():
    # BY HAND: centred, the columns are (-2,-2,2,2), (-2,2,-2,2) and (-2,2,2,-2): pairwise
    # orthogonal, so every covariance is 0, s²(total) = sum of item variances, alpha = 0.
    rows = [[1, 1, 1], [1, 5, 5], [5, 1, 5], [5, 5, 1]]
    assert cronbach_alpha(rows) == 0.0
    assert all(corrected_item_total(rows, i) == 0.0 for i in range(3))


def test_opposed_items_give_a_negative_alpha_that_is_not_clipped():
    # BY HAND: x = 1..5 (s² = 2.5), items x, x and 6 - x: total = x + 6, s² = 2.5, so
    # alpha = 3/2 * (1 - 7.5 / 2.5) = -3.
    rows = [[v, v, 6 - v] for v in range(1, 6)]
    assert cronbach_alpha(rows) == pytest.approx(-3.0)
    assert corrected_item_total(rows, 2) == pytest.approx(-1.0)


@given(tables(missing=False, min_rows=3))
def test_alpha_never_exceeds_one(rows):
    # s²(total) <= k * sum of item variances (Cauchy-Schwarz), hence alpha <= 1.
    alpha = cronbach_alpha(rows)
    assert alpha is None or alpha <= 1.0


@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda k: st.lists(
            st.lists(
                st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, width=32),
                min_size=k,
                max_size=k,
            ),
            min_size=3,
            max_size=25,
        )
    )
)
def test_alpha_and_item_total_stay_in_bounds_for_any_numbers(rows):
    alpha = cronbach_alpha(rows)
    assert alpha is None or alpha <= 1.0
    for i in range(len(rows[0])):
        r = corrected_item_total(rows, i)
        assert r is None or -1.0 <= r <= 1.0


@given(tables())
def test_item_total_lies_between_minus_one_and_one(rows):
    if rows:
        for i in range(len(rows[0])):
            r = corrected_item_total(rows, i)
            assert r is None or -1.0 <= r <= 1.0


# --- duplicated items ---------------------------------------------------------------------


def test_duplicating_a_single_item_can_lower_alpha():
    # "A duplicated item never lowers alpha" is FALSE, so it is not asserted as a property.
    # BY HAND: x = 1..5 (s² = 2.5). Items x, x, x, x and the unmirrored 6 - x: total = 3x + 6,
    # s² = 22.5, item variances 12.5, alpha = 5/4 * (1 - 12.5/22.5) = 5/9. Add a copy of
    # 6 - x: total = 2x + 12, s² = 10, item variances 15, alpha = 6/5 * (1 - 15/10) = -3/5.
    rows = [[v, v, v, v, 6 - v] for v in range(1, 6)]
    with_copy = [[*row, row[4]] for row in rows]
    assert cronbach_alpha(rows) == pytest.approx(5 / 9)
    assert cronbach_alpha(with_copy) == pytest.approx(-3 / 5)


@given(tables(missing=False, min_rows=3))
def test_duplicating_the_whole_scale_never_lowers_alpha(rows):
    # What IS true. With C the sum of the item covariances over ordered pairs i != j, V the
    # total variance (so alpha = k/(k-1) * C/V) and every item copied once: C' = 2C + 2V and
    # V' = 4V, so alpha' = 2k/(2k-1) * (2C + 2V)/(4V) = (k + (k-1) * alpha) / (2k-1), and
    # alpha' - alpha = k * (1 - alpha) / (2k-1) >= 0 because alpha <= 1.
    alpha = cronbach_alpha(rows)
    assume(alpha is not None)
    k = len(rows[0])
    doubled = cronbach_alpha([row + row for row in rows])
    assert doubled == pytest.approx((k + (k - 1) * alpha) / (2 * k - 1))
    assert doubled >= alpha


# --- item statistics ----------------------------------------------------------------------


def test_item_statistics_by_hand():
    stats = item_statistics([1, 5, 5, DONT_KNOW, 3, None, 1, 5, NOT_APPLICABLE, DONT_KNOW])
    # 10 respondents: 2 don't know, 1 not applicable, 1 skipped; answers 1, 5, 5, 3, 1, 5:
    # mean 20/6, two at 1, three at 5.
    assert stats == ItemStats(
        n=6,
        respondents=10,
        dont_know_share=2 / 10,
        not_applicable_share=1 / 10,
        skipped_share=1 / 10,
        mean=pytest.approx(20 / 6),
        floor_share=2 / 6,
        ceiling_share=3 / 6,
        floor_n=2,
        ceiling_n=3,
    )


def test_item_statistics_of_an_item_nobody_answered():
    assert item_statistics([DONT_KNOW, None]) == ItemStats(0, 2, 0.5, 0.0, 0.5, None, None, None)
    assert item_statistics([]) == ItemStats(0, 0, None, None, None, None, None, None)


def test_dont_know_not_applicable_and_skipped_are_three_shares_that_add_up():
    values = [DONT_KNOW] * 3 + [NOT_APPLICABLE] * 2 + [None] * 5 + [4] * 10
    stats = item_statistics(values)
    assert (stats.dont_know_share, stats.not_applicable_share, stats.skipped_share) == (
        0.15,
        0.10,
        0.25,
    )
    assert stats.n == 10 and stats.respondents == 20


def test_item_statistics_follow_the_scale_bounds():
    stats = item_statistics([1, 2, 3, 3], scale_min=1, scale_max=3)
    assert (stats.floor_share, stats.ceiling_share) == (0.25, 0.5)
    with pytest.raises(ValueError):
        item_statistics([1, 6])
    with pytest.raises(ValueError):
        item_statistics([0, 3])
    with pytest.raises(ValueError):
        item_statistics([1], scale_min=5, scale_max=5)


@given(st.lists(st.one_of(st.none(), st.sampled_from([DONT_KNOW, NOT_APPLICABLE]), ANSWER)))
def test_item_shares_lie_between_zero_and_one(values):
    stats = item_statistics(values)
    answered = [v for v in values if isinstance(v, int)]
    assert stats.n == len(answered)
    no_answer = (stats.dont_know_share, stats.not_applicable_share, stats.skipped_share)
    for share in (*no_answer, stats.floor_share, stats.ceiling_share):
        assert share is None or 0.0 <= share <= 1.0
    if values:
        assert math.isclose(sum(no_answer) + stats.n / len(values), 1.0)
    if stats.n:
        assert 1.0 <= stats.mean <= 5.0
        assert stats.mean == pytest.approx(statistics.fmean(answered))
        assert stats.floor_share + stats.ceiling_share <= 1.0


# --- the dimension report and its flags ---------------------------------------------------


def test_dimension_quality_of_the_published_example():
    result = dimension_quality(
        "satisfaction", ["q1", "q2", "q3"], STATOLOGY_ROWS, scale_min=1, scale_max=3
    )
    assert result.key == "satisfaction"
    assert result.alpha == pytest.approx(STATOLOGY_ALPHA, abs=1e-12)
    assert (result.n_responses, result.n_complete) == (10, 10)
    assert [item.key for item in result.items] == ["q1", "q2", "q3"]
    assert result.items[0].stats.floor_share == pytest.approx(1 / 10)
    assert result.items[0].stats.ceiling_share == pytest.approx(4 / 10)
    assert not result.low_alpha
    assert result.too_few  # 10 responses: the report must say this is too few


def test_many_dont_know_is_flagged_above_thirty_percent():
    # Item c: 4 of 10 respondents don't know (40%); item b: 3 of 10 (30%, not above).
    dk = DONT_KNOW
    rows = [[v, v, v] for v in (1, 2, 3, 4, 5, 5)] + [
        [1, dk, dk],
        [2, 2, dk],
        [3, dk, dk],
        [4, dk, dk],
    ]
    result = dimension_quality("d", ["a", "b", "c"], rows)
    by_key = {item.key: item for item in result.items}
    assert by_key["a"].stats.dont_know_share == 0.0
    assert by_key["b"].stats.dont_know_share == pytest.approx(0.3)
    assert not by_key["b"].many_dont_know
    assert by_key["c"].stats.dont_know_share == pytest.approx(0.4)
    assert by_key["c"].many_dont_know
    assert not by_key["c"].many_not_applicable
    assert result.n_complete == 6
    assert result.alpha == 1.0


def test_skipping_or_not_applicable_is_not_counted_as_dont_know():
    # Item b: 4 of 10 skipped it; item c: 4 of 10 said it does not apply to them.
    rows = [[v, v, v] for v in (1, 2, 3, 4, 5, 5)]
    rows += [[v, None, NOT_APPLICABLE] for v in range(1, 5)]
    by_key = {item.key: item for item in dimension_quality("d", ["a", "b", "c"], rows).items}
    assert by_key["b"].stats.skipped_share == pytest.approx(0.4)
    assert by_key["b"].stats.dont_know_share == 0.0
    assert not by_key["b"].many_dont_know and not by_key["b"].many_not_applicable
    assert by_key["c"].stats.not_applicable_share == pytest.approx(0.4)
    assert by_key["c"].stats.dont_know_share == 0.0
    assert by_key["c"].many_not_applicable and not by_key["c"].many_dont_know


def test_every_kind_of_no_answer_leaves_a_respondent_out_of_alpha():
    for missing in (None, DONT_KNOW, NOT_APPLICABLE):
        rows = [*STATOLOGY_ROWS, [missing, 3, 1], [2, missing, 2]]
        result = dimension_quality("d", ["a", "b", "c"], rows, scale_max=3)
        assert (result.n_responses, result.n_complete) == (12, 10)
        assert result.alpha == pytest.approx(STATOLOGY_ALPHA, abs=1e-12)


def _stats(dont_know: float | None, not_applicable: float | None = 0.0) -> ItemStats:
    return ItemStats(40, 40, dont_know, not_applicable, 0.0, 3.0, 0.1, 0.1)


def test_flags_at_and_around_the_thresholds():
    stats = _stats(MANY_DONT_KNOW)
    assert not ItemQuality("i", stats, LOW_ITEM_TOTAL).low_item_total
    assert ItemQuality("i", stats, math.nextafter(LOW_ITEM_TOTAL, 0)).low_item_total
    assert not ItemQuality("i", stats, None).low_item_total
    assert not ItemQuality("i", stats, 0.5).many_dont_know
    more = _stats(math.nextafter(MANY_DONT_KNOW, 1))
    assert ItemQuality("i", more, 0.5).many_dont_know
    assert not ItemQuality("i", _stats(None, None), None).many_dont_know
    assert not ItemQuality("i", _stats(0.0, MANY_NOT_APPLICABLE), None).many_not_applicable
    more = _stats(0.0, math.nextafter(MANY_NOT_APPLICABLE, 1))
    assert ItemQuality("i", more, None).many_not_applicable
    assert not ItemQuality("i", _stats(None, None), None).many_not_applicable

    assert not DimensionQuality("d", LOW_ALPHA, 40, 40, ()).low_alpha
    assert DimensionQuality("d", math.nextafter(LOW_ALPHA, 0), 40, 40, ()).low_alpha
    assert not DimensionQuality("d", None, 2, 2, ()).low_alpha
    assert (LOW_ALPHA, LOW_ITEM_TOTAL, MANY_DONT_KNOW, MANY_NOT_APPLICABLE) == (
        0.70,
        0.30,
        0.30,
        0.30,
    )


def test_too_few_responses():
    assert MIN_RESPONSES == 30
    assert too_few(0)
    assert too_few(29)
    assert not too_few(30)
    assert not too_few(500)
    # A dimension judges by its complete responses: 40 respondents, 29 complete.
    rows = [[1 + i % 5, 1 + i % 5] for i in range(29)] + [[DONT_KNOW, 3]] * 11
    result = dimension_quality("d", ["a", "b"], rows)
    assert (result.n_responses, result.n_complete) == (40, 29)
    assert result.too_few


def test_dimension_quality_with_no_responses():
    result = dimension_quality("d", ["a", "b", "c"], [])
    assert result.alpha is None
    assert (result.n_responses, result.n_complete) == (0, 0)
    assert [item.item_total for item in result.items] == [None, None, None]
    assert result.too_few


def test_the_results_are_frozen():
    result = dimension_quality("d", ["a", "b", "c"], STATOLOGY_ROWS, scale_max=3)
    with pytest.raises(AttributeError):
        result.alpha = 1.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.items[0].stats.n = 0  # type: ignore[misc]


def test_the_module_is_pure():
    imported = imported_modules(quality.__file__)
    assert imported <= {"enum", "math", "collections", "dataclasses", "fractions", "scipy"}
