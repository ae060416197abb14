"""The scoring rules (assessment/results/scoring.py) and the pure part of results/aggregate.py.

No database: these tests use neither `db` nor any fixture that needs it.
"""

import dataclasses
import math
import statistics

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from assessment.results import disclosure, scoring
from assessment.results.aggregate import ItemShape, dimension_scores
from assessment.results.scoring import Band, ItemCounts, Scale
from assessment.templatetags import numbers

SCALE = Scale(state_max=5, importance_max=3)
# Thresholds of one: every figure may be shown, so the arithmetic can be checked on few
# answers. The gate itself is tested below with a round's default thresholds, and in
# test_disclosure.py.
OPEN = disclosure.Policy(means=1, spreads=1)
POLICY = disclosure.Policy(means=3, spreads=5)


def _counts(
    answers: list[int],
    *,
    dont_know: int = 0,
    not_applicable: int = 0,
    importance: list[int] = (),
    wants: list[bool] = (),
    item_id: int = 1,
    state_max: int = 5,
) -> ItemCounts:
    """What the database would count for one item from these raw answers."""
    return ItemCounts(
        item_id=item_id,
        state_sum=sum(answers),
        state_squares=sum(answer * answer for answer in answers),
        state_n=len(answers),
        dont_know=dont_know,
        not_applicable=not_applicable,
        importance_sum=sum(importance),
        importance_n=len(importance),
        wants_yes=sum(wants),
        wants_n=len(wants),
        distribution=tuple(answers.count(value) for value in range(1, state_max + 1)),
    )


def _item(
    key: str,
    answers: list[int],
    *,
    importance: list[int] = (),
    wants: list[bool] = (),
    dont_know: int = 0,
    reverse: bool = False,
    item_id: int = 1,
    policy: disclosure.Policy = OPEN,
) -> scoring.ItemResult:
    return scoring.item_result(
        _counts(answers, dont_know=dont_know, importance=importance, wants=wants, item_id=item_id),
        key=key,
        text=f"Statement {key}",
        dimension_key="d",
        dimension_name="Dimension",
        reverse=reverse,
        scale=SCALE,
        policy=policy,
    )


def _hand_quantile(ordered: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default, R type 7)."""
    h = (len(ordered) - 1) * p
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


# Reverse scoring


def test_a_reverse_item_is_mirrored_on_the_scale():
    assert [scoring.scored(v, reverse=True, scale_max=5) for v in range(1, 6)] == [5, 4, 3, 2, 1]
    assert [scoring.scored(v, reverse=True, scale_max=7) for v in (1, 4, 7)] == [7, 4, 1]


def test_a_normal_item_counts_as_given():
    assert [scoring.scored(v, reverse=False, scale_max=5) for v in range(1, 6)] == [1, 2, 3, 4, 5]


def test_a_mean_of_answers_is_mirrored_by_the_same_rule():
    assert scoring.scored(2.5, reverse=True, scale_max=5) == 3.5
    assert scoring.scored(4 / 3, reverse=True, scale_max=5) == pytest.approx(6 - 4 / 3)
    assert scoring.scored(2.5, reverse=False, scale_max=5) == 2.5


# A respondent's dimension score


def test_a_respondent_score_is_the_mean_of_the_answered_items():
    assert scoring.respondent_dimension_score([4, 5, 3], item_count=3) == 4.0


def test_dont_know_is_left_out_and_never_counts_as_zero():
    # Counted as zero, this would be 10 / 3; left out it is 5.
    assert scoring.respondent_dimension_score([5, None, 5], item_count=3) == 5.0


def test_exactly_half_of_the_items_answered_gives_a_score():
    assert scoring.respondent_dimension_score([2, 4, None, None], item_count=4) == 3.0
    assert scoring.respondent_dimension_score([3, None], item_count=2) == 3.0


def test_fewer_than_half_answered_gives_no_score():
    assert scoring.respondent_dimension_score([2, None, None, None], item_count=4) is None
    assert scoring.respondent_dimension_score([4, None, None], item_count=3) is None


def test_nothing_answered_gives_no_score():
    assert scoring.respondent_dimension_score([None, None], item_count=2) is None
    assert scoring.respondent_dimension_score([], item_count=0) is None


# Bands


def test_a_mean_at_the_strength_threshold_is_a_strength():
    assert scoring.band(4.0, strength=4.0, concern=3.0) == Band.STRENGTH
    assert scoring.band(4.8, strength=4.0, concern=3.0) == Band.STRENGTH


def test_a_mean_that_shows_below_the_concern_threshold_is_a_concern():
    # 2.949 shows as "2,9": below 3.0.
    assert scoring.band(2.949, strength=4.0, concern=3.0) == Band.CONCERN
    assert scoring.band(2.9, strength=4.0, concern=3.0) == Band.CONCERN
    assert scoring.band(1.0, strength=4.0, concern=3.0) == Band.CONCERN


def test_a_mean_between_the_thresholds_needs_attention():
    assert scoring.band(3.0, strength=4.0, concern=3.0) == Band.ATTENTION
    assert scoring.band(3.5, strength=4.0, concern=3.0) == Band.ATTENTION
    assert scoring.band(3.9, strength=4.0, concern=3.0) == Band.ATTENTION


def one_decimal(value: float) -> str:
    """The page's one-decimal number, with a decimal point."""
    with translation.override("en"):
        return numbers.one_decimal(value)


def test_a_mean_is_banded_as_it_is_shown_with_one_decimal():
    # 3.96 shows as "4.0": it is a strength, not "attention" beside a 4.0 on the page.
    assert one_decimal(3.96) == "4.0"
    assert scoring.band(3.96, strength=4.0, concern=3.0) == Band.STRENGTH
    # The rounding edge: 3.95 shows as "4.0" and is a strength; 3.949 shows as "3.9".
    assert one_decimal(3.95) == "4.0"
    assert scoring.band(3.95, strength=4.0, concern=3.0) == Band.STRENGTH
    assert one_decimal(3.949) == "3.9"
    assert scoring.band(3.949, strength=4.0, concern=3.0) == Band.ATTENTION
    assert scoring.band(math.nextafter(4.0, 0), strength=4.0, concern=3.0) == Band.STRENGTH
    # The same at the concern threshold: 2.95 shows as "3.0", 2.949 as "2.9".
    assert scoring.band(2.95, strength=4.0, concern=3.0) == Band.ATTENTION
    assert scoring.band(math.nextafter(3.0, 0), strength=4.0, concern=3.0) == Band.ATTENTION
    assert scoring.band(2.949, strength=4.0, concern=3.0) == Band.CONCERN


@given(st.floats(min_value=1, max_value=5))
def test_a_shown_mean_never_contradicts_its_band(mean):
    shown = float(one_decimal(mean))
    band = scoring.band(mean, strength=4.0, concern=3.0)
    assert band == (
        Band.STRENGTH if shown >= 4.0 else Band.CONCERN if shown < 3.0 else Band.ATTENTION
    )


def test_a_dimension_result_is_banded_as_its_mean_is_shown():
    # Scores 4, 4, 4, 3.84: mean 3.96, shown as "4,0", so a strength.
    result = scoring.dimension_result(
        "k",
        "K",
        [4.0, 4.0, 4.0, 3.84],
        strength=4.0,
        concern=3.0,
        scale=SCALE,
        policy=disclosure.Policy(means=3, spreads=5),
    )
    assert result is not None
    assert result.mean == pytest.approx(3.96)
    assert result.mean < 4.0
    assert result.band == Band.STRENGTH


# Agreement


def test_no_spread_is_full_agreement():
    assert scoring.rwg_j(0.0, items=4, options=5) == 1.0


def test_the_variance_of_random_answers_is_no_agreement():
    for options in (2, 3, 5, 7, 11):
        random_variance = (options**2 - 1) / 12
        for items in (1, 4, 9):
            assert scoring.rwg_j(random_variance, items=items, options=options) == 0.0


def test_agreement_on_several_statements_follows_the_spearman_brown_form():
    # Half the variance of random answers: single-item r_wg 0.5, and on four statements
    # 4 × 0.5 / (4 × 0.5 + 0.5) = 0.8.
    assert scoring.rwg_j(1.0, items=1, options=5) == pytest.approx(0.5)
    assert scoring.rwg_j(1.0, items=4, options=5) == pytest.approx(0.8)


def test_more_variance_than_random_is_no_agreement():
    assert scoring.rwg_j(2.5, items=4, options=5) == 0.0
    assert scoring.rwg_j(100.0, items=4, options=5) == 0.0


def test_agreement_needs_two_options_and_a_statement():
    with pytest.raises(ValueError):
        scoring.rwg_j(0.0, items=4, options=1)
    with pytest.raises(ValueError):
        scoring.rwg_j(0.5, items=0, options=5)


def test_agreement_is_the_r_wg_j_of_the_statements_mean_variance():
    assert scoring.agreement([], options=5) is None
    # Mean variance 1, half that of random answers, on two statements: 2 × 0.5 / 1.5.
    assert scoring.agreement([0.5, 1.5], options=5) == pytest.approx(2 / 3)


def test_a_statements_variance_is_its_sample_variance():
    answers = [1, 2, 2, 4, 5]
    assert scoring.item_variance(_counts(answers)) == pytest.approx(statistics.variance(answers))
    assert scoring.item_variance(_counts([3])) is None


def _random_team(rng, people: int, statements: int) -> list[list[int]]:
    return [[rng.randint(1, 5) for _ in range(statements)] for _ in range(people)]


def _agreeing_team(rng, people: int, statements: int) -> list[list[int]]:
    """A team that sees it alike: mostly 4, now and then one point either way."""
    return [
        [rng.choices((3, 4, 5), weights=(0.2, 0.6, 0.2))[0] for _ in range(statements)]
        for _ in range(people)
    ]


def _flag_rate(make_team, runs: int = 2000) -> float:
    import random

    rng = random.Random(20261203)
    flagged = 0
    for _ in range(runs):
        result = _team_dimension(make_team(rng, 8, 4), POLICY)
        flagged += result.disagrees
    return flagged / runs


def test_in_simulation_random_answering_is_flagged_and_a_team_that_agrees_is_not():
    """Teams of eight on a dimension of four statements. Answering at random gives r_wg(J)
    about 0 (flagged nearly always); the flag used before, single-item r_wg on the spread of
    dimension means, flagged such teams about 4% of the time. A team that agrees (variance
    0.4 per statement, r_wg(J) about 0.94) is nearly never flagged."""
    assert _flag_rate(_random_team) >= 0.90
    assert _flag_rate(_agreeing_team) <= 0.05


def test_a_team_split_in_two_camps_is_flagged():
    camps = [[1, 2, 1, 2]] * 4 + [[5, 4, 5, 5]] * 4
    assert _team_dimension(camps, POLICY).disagrees


# Summaries


def test_nothing_to_summarise_is_no_summary():
    assert scoring.summarise([]) is None


def test_summary_of_one_to_five_by_hand():
    summary = scoring.summarise([5, 3, 1, 4, 2])
    assert summary.n == 5
    assert summary.mean == 3.0
    assert summary.sd == pytest.approx(math.sqrt(2.5))  # sample sd: divides by n - 1
    assert (summary.minimum, summary.q1, summary.median, summary.q3, summary.maximum) == (
        1,
        2,
        3,
        4,
        5,
    )


def test_summary_quartiles_interpolate_between_answers():
    summary = scoring.summarise([1, 2, 3, 4])
    assert (summary.q1, summary.median, summary.q3) == pytest.approx((1.75, 2.5, 3.25))


def test_summary_of_one_value_has_no_spread():
    summary = scoring.summarise([3.5])
    assert summary.n == 1
    assert summary.sd == 0.0
    assert summary.minimum == summary.q1 == summary.median == summary.q3 == summary.maximum == 3.5


@given(st.lists(st.floats(min_value=1, max_value=5), min_size=2, max_size=40))
def test_summary_matches_the_statistics_module_and_hand_quartiles(values):
    summary = scoring.summarise(values)
    ordered = sorted(values)
    assert summary.n == len(values)
    assert summary.mean == pytest.approx(statistics.fmean(values))
    assert summary.sd == pytest.approx(statistics.stdev(values), abs=1e-9)
    assert summary.minimum == min(values)
    assert summary.maximum == max(values)
    expected = statistics.quantiles(values, n=4, method="inclusive")
    assert [summary.q1, summary.median, summary.q3] == pytest.approx(expected)
    by_hand = [_hand_quantile(ordered, p) for p in (0.25, 0.5, 0.75)]
    assert [summary.q1, summary.median, summary.q3] == pytest.approx(by_hand)


# A team's dimension result


def _dimension(
    scores: list[float], policy: disclosure.Policy = OPEN, items: list[ItemCounts] = ()
) -> scoring.DimensionResult | None:
    return scoring.dimension_result(
        "trust",
        "Trust",
        scores,
        items=items,
        strength=4.0,
        concern=3.0,
        scale=SCALE,
        policy=policy,
    )


def _team_dimension(
    people: list[list[int]], policy: disclosure.Policy = OPEN
) -> scoring.DimensionResult | None:
    """A dimension of the statements each person answered, scored as the database would."""
    statements = zip(*people, strict=True)
    return _dimension(
        [statistics.fmean(answers) for answers in people],
        policy,
        items=[_counts(list(answers), item_id=i) for i, answers in enumerate(statements)],
    )


def test_a_dimension_result_summarises_and_bands_the_scores():
    result = _dimension([4.0, 4.5, 5.0])
    assert (result.key, result.name) == ("trust", "Trust")
    assert result.n == 3
    assert result.mean == pytest.approx(4.5)
    assert result.band == Band.STRENGTH
    assert result.spread == disclosure.Spread(sd=pytest.approx(0.5), q1=4.25, median=4.5, q3=4.75)
    assert result.agreement is None  # no statements given
    assert not result.disagrees


def test_a_dimensions_agreement_rests_on_its_statements_answers():
    people = [[4, 5], [4, 4], [5, 4]]
    result = _team_dimension(people)
    variance = statistics.variance([4, 4, 5])  # both statements
    assert result.agreement == pytest.approx(scoring.rwg_j(variance, items=2, options=5))
    assert not result.disagrees


def test_a_dimension_result_never_holds_the_lowest_or_highest_score():
    result = _dimension([1.0, 2.0, 3.0, 4.0, 5.0], POLICY)
    for figure in (result, result.spread):
        assert not hasattr(figure, "minimum")
        assert not hasattr(figure, "maximum")
        assert not hasattr(figure, "summary")
    assert (result.spread.q1, result.spread.median, result.spread.q3) == (2.0, 3.0, 4.0)


def test_a_dimension_without_scores_has_no_result():
    assert _dimension([]) is None
    assert _dimension([], POLICY) is None


def test_a_dimension_below_the_anonymity_threshold_has_no_result():
    assert _dimension([2.0, 4.0], POLICY) is None
    assert _dimension([2.0, 4.0, 5.0], POLICY) is not None


def test_between_the_thresholds_a_dimension_has_a_mean_but_no_spread_nor_agreement():
    result = _dimension([1.0, 3.0, 5.0, 5.0], POLICY)  # opinions differ, but on four people
    assert result.n == 4
    assert result.mean == pytest.approx(3.5)
    assert result.band == Band.ATTENTION
    assert result.spread is None
    assert result.interval is None
    assert result.uncertain  # too few to say how certain the band is
    assert result.agreement is None
    assert not result.disagrees


def test_between_the_thresholds_statements_give_no_agreement_either():
    people = [[1, 1], [5, 5], [1, 5], [5, 1]]
    result = _team_dimension(people, POLICY)
    assert result.agreement is None
    assert not result.disagrees


def test_from_the_breakdown_threshold_a_dimension_has_its_spread_and_agreement():
    people = [[1, 1], [3, 3], [5, 5], [5, 5], [1, 1]]
    result = _team_dimension(people, POLICY)
    assert result.n == 5
    assert result.spread.sd == pytest.approx(2.0)
    assert (result.spread.q1, result.spread.median, result.spread.q3) == (1.0, 3.0, 5.0)
    assert result.agreement == 0.0  # variance 4 per statement, more than random (2)
    assert result.disagrees


def test_a_team_disagrees_below_the_cut_off_and_not_at_it():
    # Mean variance v on two statements: r_wg(J) = 2(1 - v/2) / (2(1 - v/2) + v/2); at the
    # cut-off 0.70 that is v = 12/13.
    assert scoring.AGREEMENT_CUTOFF == 0.70
    assert scoring.rwg_j(12 / 13, items=2, options=5) == pytest.approx(0.70)
    agreeing = _team_dimension([[3, 3], [3, 4], [4, 3], [4, 4]])  # variance 1/3 each
    assert agreeing.agreement > scoring.AGREEMENT_CUTOFF and not agreeing.disagrees
    differing = _team_dimension([[2, 2], [3, 5], [5, 3], [4, 4]])  # variance 5/3 each
    assert differing.agreement < scoring.AGREEMENT_CUTOFF and differing.disagrees


# A mean's interval and the band's certainty


def test_a_dimensions_interval_is_the_t_interval_of_its_mean():
    scores = [3.0, 3.5, 4.0, 4.5, 5.0]
    result = _dimension(scores, POLICY)
    margin = 2.7764451051977987 * statistics.stdev(scores) / math.sqrt(5)  # t(0.975, 4)
    assert (result.interval.low, result.interval.high) == pytest.approx((4 - margin, 4 + margin))


def test_a_band_is_uncertain_when_its_interval_crosses_a_threshold():
    # With four people a mean of 3.98 and one of 4.02 land in different bands; neither is sure.
    below = _dimension([3.9, 4.0, 4.0, 4.02, 4.0], POLICY)
    assert below.band == Band.STRENGTH and below.uncertain
    clearly = _dimension([4.6, 4.7, 4.7, 4.8, 4.7], POLICY)
    assert clearly.band == Band.STRENGTH and not clearly.uncertain
    concern = _dimension([1.0, 1.5, 1.2, 1.3, 1.1], POLICY)
    assert concern.band == Band.CONCERN and not concern.uncertain


def test_a_wide_spread_makes_a_band_uncertain():
    result = _dimension([1.0, 5.0, 1.0, 5.0, 5.0], POLICY)
    assert result.interval.low < 3.0 < 4.0 < result.interval.high
    assert result.uncertain


def test_one_respondent_never_disagrees():
    for score in (1.0, 3.0, 5.0):
        result = _dimension([score])
        assert result.n == 1
        assert not result.disagrees


# Items


def test_item_state_is_the_mean_answer():
    assert scoring.item_state(_counts([2, 3, 4, 5]), reverse=False, scale=SCALE) == 3.5


def test_item_state_of_a_reverse_item_is_mirrored():
    assert scoring.item_state(_counts([1, 1, 2]), reverse=True, scale=SCALE) == pytest.approx(
        6 - 4 / 3
    )


def test_item_state_without_answers_is_none():
    assert scoring.item_state(_counts([], dont_know=3), reverse=False, scale=SCALE) is None
    assert scoring.item_state(_counts([], dont_know=3), reverse=True, scale=SCALE) is None


def test_item_result_holds_means_share_and_counts():
    counts = _counts(
        [2, 2, 4, 5],
        dont_know=2,
        importance=[3, 2, 3, 1],
        wants=[True, False, True, True, False],
        item_id=42,
    )
    result = scoring.item_result(
        counts,
        key="t1",
        text="We trust each other.",
        dimension_key="trust",
        dimension_name="Trust",
        reverse=False,
        scale=SCALE,
        policy=OPEN,
    )
    assert result.item_id == 42
    assert (result.key, result.text) == ("t1", "We trust each other.")
    assert (result.dimension_key, result.dimension_name) == ("trust", "Trust")
    assert result.state == pytest.approx(3.25)
    assert result.state_n == 4
    assert result.dont_know_share == pytest.approx(2 / 6)
    assert result.importance == pytest.approx(2.25)
    assert result.importance_n == 4
    assert result.want_share == pytest.approx(3 / 5)
    assert result.wants_n == 5
    # Shares of the state answers per answer 1..5: "don't know" is no answer, so no cell.
    assert result.distribution == disclosure.Distribution(
        n=4, shares=(0.0, 2 / 4, 0.0, 1 / 4, 1 / 4), grouped=False
    )
    expected = 100 * ((5 - 3.25) / 4) * (2.25 / 3) * (1 + 3 / 5) / 2
    assert result.priority == pytest.approx(expected)


def test_item_result_holds_no_raw_counts_of_the_answers():
    names = {field.name for field in dataclasses.fields(scoring.ItemResult)}
    assert "wants_yes" not in names
    assert "dont_know" not in names
    assert isinstance(_item("t", [1, 2, 3]).distribution, disclosure.Distribution)


def test_item_result_of_a_reverse_item_mirrors_the_state_but_not_the_distribution():
    result = _item("r", [1, 1, 2], importance=[3], reverse=True)
    assert result.state == pytest.approx(6 - 4 / 3)
    assert result.distribution.shares == (2 / 3, 1 / 3, 0.0, 0.0, 0.0)
    assert not result.distribution.grouped


def test_item_result_without_answers_has_no_numbers():
    result = _item("empty", [])
    assert result.state is None
    assert result.importance is None
    assert result.want_share is None
    assert result.dont_know_share is None
    assert result.priority is None
    assert result.distribution is None
    assert result.state_n == 0


# Items through the gate: each figure on its own number of answers


def test_an_item_at_the_threshold_shows_every_mean_and_share():
    result = _item("t", [2, 2, 4], importance=[3, 3, 2], wants=[True, False, False], policy=POLICY)
    assert result.state == pytest.approx(8 / 3)
    assert result.importance == pytest.approx(8 / 3)
    assert result.want_share == pytest.approx(1 / 3)
    assert result.dont_know_share == 0.0
    assert result.priority is not None


@pytest.mark.parametrize("few", [1, 2])
def test_a_state_answered_by_too_few_shows_no_state_and_no_priority(few):
    result = _item("t", [1] * few, importance=[3] * 5, wants=[True] * 5, policy=POLICY)
    assert result.state is None
    assert result.priority is None
    assert result.state_n == few
    # The other figures rest on enough answers of their own.
    assert result.importance == 3.0
    assert result.want_share == 1.0


@pytest.mark.parametrize("few", [1, 2])
def test_an_importance_answered_by_too_few_is_withheld_and_so_is_the_priority(few):
    result = _item("t", [1, 1, 1, 1], importance=[3] * few, wants=[True] * 4, policy=POLICY)
    assert result.state == 1.0
    assert result.importance is None
    assert result.importance_n == few
    assert result.priority is None
    assert result.want_share == 1.0


@pytest.mark.parametrize("few", [1, 2])
def test_a_wish_to_work_on_it_answered_by_too_few_is_withheld(few):
    result = _item("t", [1, 1, 1, 1], importance=[3] * 4, wants=[True] * few, policy=POLICY)
    assert result.state == 1.0
    assert result.importance == 3.0
    assert result.want_share is None
    assert result.wants_n == few
    # The priority counts the withheld share as nobody: it cannot reveal the few wishes.
    assert result.priority == pytest.approx(scoring.priority(1.0, 3.0, None, scale=SCALE))
    without = _item("t", [1, 1, 1, 1], importance=[3] * 4, wants=[False] * few, policy=POLICY)
    assert result.priority == without.priority


def test_the_share_of_dont_know_rests_on_everyone_who_answered_the_state_question():
    # Two answers and one "don't know": three people, so the share may be shown, the state not.
    result = _item("t", [4, 4], dont_know=1, policy=POLICY)
    assert result.state is None
    assert result.dont_know_share == pytest.approx(1 / 3)
    assert _item("t", [4], dont_know=1, policy=POLICY).dont_know_share is None


def test_an_item_below_the_breakdown_threshold_has_no_distribution():
    assert _item("t", [1, 2, 3, 4], policy=POLICY).distribution is None
    # "Don't know" is no answer: it does not count towards the people behind the shares.
    assert _item("t", [3, 3, 3, 3], dont_know=1, policy=POLICY).distribution is None
    assert _item("t", [3, 3, 3, 3, 3], dont_know=1, policy=POLICY).distribution.n == 5


def test_an_item_distribution_never_shows_a_single_persons_answer():
    """Attack: one colleague's answer of 1 read off as a share of 1/7."""
    # The 1 is the whole "disagree" group too: no distribution at all.
    assert _item("t", [1, 4, 4, 4, 5, 5, 5], policy=POLICY).distribution is None
    # With two more in "disagree" only the groups are shown: the 1 is never a share of its own.
    result = _item("t", [1, 2, 2, 4, 4, 4, 5, 5, 5], policy=POLICY)
    assert result.distribution == disclosure.Distribution(
        n=9, shares=(3 / 9, 0.0, 6 / 9), grouped=True
    )


def test_an_item_distribution_per_answer_when_every_answer_was_chosen_by_enough():
    result = _item("t", [1, 1, 1, 4, 4, 4, 5, 5, 5], policy=POLICY)
    assert result.distribution == disclosure.Distribution(
        n=9, shares=(3 / 9, 0.0, 0.0, 3 / 9, 3 / 9), grouped=False
    )


# Priority


def test_priority_of_the_documented_example_is_one_hundred():
    assert scoring.priority(1, 3, 1.0, scale=SCALE) == pytest.approx(100)


def test_priority_of_a_state_at_the_top_is_zero():
    assert scoring.priority(5, 3, 1.0, scale=SCALE) == 0
    assert scoring.priority(5, 1, 0.0, scale=SCALE) == 0


def test_priority_without_willing_hands_is_half():
    assert scoring.priority(1, 3, 0.0, scale=SCALE) == pytest.approx(50)
    assert scoring.priority(1, 3, None, scale=SCALE) == pytest.approx(50)


def test_priority_needs_a_state_and_an_importance():
    assert scoring.priority(None, 3, 1.0, scale=SCALE) is None
    assert scoring.priority(2, None, 1.0, scale=SCALE) is None


def _times(answers: list, times: int = scoring.MIN_RANKED_N) -> list:
    return answers * times


def test_top_improvements_rank_by_priority_and_leave_out_items_without_one():
    low = _item("low", _times([5]), importance=_times([1]), item_id=1)
    high = _item("high", _times([1]), importance=_times([3]), wants=[True], item_id=2)
    middle = _item("middle", _times([3]), importance=_times([2]), item_id=3)
    unrated = _item("unrated", _times([1]), item_id=4)  # no importance: no priority
    unanswered = _item("unanswered", [], importance=_times([3]), item_id=5)
    ranked = scoring.top_improvements([low, unrated, middle, unanswered, high])
    assert [item.key for item in ranked] == ["high", "middle", "low"]


def test_top_improvements_leave_out_an_item_whose_importance_few_gave():
    rated = _item("rated", _times([3]), importance=_times([2]), item_id=1, policy=POLICY)
    # If its two importance answers counted, this would rank first.
    few = _item("few", _times([1]), importance=[3, 3], item_id=2, policy=POLICY)
    assert [item.key for item in scoring.top_improvements([few, rated])] == ["rated"]


def test_a_statement_is_ranked_only_from_the_minimum_number_of_answers():
    """Below the minimum a priority is shown on the statement, but one person would
    reorder the top 10, so it is not ranked."""
    assert scoring.MIN_RANKED_N == 5
    four = _item("four", [1, 1, 1, 1], importance=[3, 3, 3, 3], item_id=1, policy=POLICY)
    five = _item("five", [2] * 5, importance=[3] * 5, item_id=2, policy=POLICY)
    few_importance = _item("few", [1] * 5, importance=[3] * 4, item_id=3, policy=POLICY)
    assert four.priority is not None and few_importance.priority is not None
    ranked = scoring.top_improvements([four, five, few_importance])
    assert [item.key for item in ranked] == ["five"]


def test_top_improvements_are_at_most_ten():
    items = [
        _item(f"i{n:02}", _times([1 + n % 5]), importance=_times([3]), item_id=n) for n in range(15)
    ]
    ranked = scoring.top_improvements(items)
    assert len(ranked) == 10
    priorities = [item.priority for item in ranked]
    assert priorities == sorted(priorities, reverse=True)
    assert min(priorities) >= max(
        item.priority for item in items if item.key not in {r.key for r in ranked}
    )


def test_strengths_rank_by_state():
    items = [
        _item("a", [3], item_id=1),
        _item("b", [5], item_id=2),
        _item("c", [4], item_id=3),
        _item("d", [], item_id=4),
        _item("e", [1], reverse=True, item_id=5),  # mirrored: 5
    ]
    assert [item.key for item in scoring.strengths(items)] == ["b", "e", "c", "a"]
    assert [item.key for item in scoring.strengths(items, limit=2)] == ["b", "e"]


def test_strengths_leave_out_an_item_whose_state_few_gave():
    items = [
        _item("shown", [4, 4, 4], item_id=1, policy=POLICY),
        _item("few", [5, 5], item_id=2, policy=POLICY),
    ]
    assert [item.key for item in scoring.strengths(items)] == ["shown"]


# results.dimension_scores (pure)


def test_dimension_scores_mirror_reverse_items():
    items = [ItemShape(1, 10, False), ItemShape(2, 10, True), ItemShape(3, 10, False)]
    scores = dimension_scores({1: 4, 2: 2, 3: 5}, items, SCALE)
    assert scores == {10: pytest.approx((4 + 4 + 5) / 3)}


def test_dimension_scores_leave_out_dimensions_with_fewer_than_half_answered():
    items = [
        ItemShape(1, 10, False),
        ItemShape(2, 10, False),
        ItemShape(3, 20, False),
        ItemShape(4, 20, False),
        ItemShape(5, 20, True),
        ItemShape(6, 30, False),
        ItemShape(7, 30, False),
        ItemShape(8, 30, False),
        ItemShape(9, 30, False),
    ]
    # Dimension 10: one of two (half). 20: one of three. 30: two of four (half).
    scores = dimension_scores({1: 3, 5: 1, 6: 2, 8: 4}, items, SCALE)
    assert scores == {10: 3.0, 30: 3.0}


def test_dimension_scores_use_the_scale_for_mirroring():
    items = [ItemShape(1, 10, True)]
    assert dimension_scores({1: 2}, items, Scale(state_max=7)) == {10: 6.0}


# Properties

scale_maxes = st.integers(min_value=2, max_value=10)


@st.composite
def respondent(draw):
    """A scale, and one respondent's raw answers (None: don't know) with reverse flags."""
    scale_max = draw(scale_maxes)
    answers = draw(
        st.lists(
            st.tuples(st.none() | st.integers(1, scale_max), st.booleans()),
            min_size=1,
            max_size=8,
        )
    )
    return scale_max, answers


def _score(scale_max: int, answers: list[tuple[int | None, bool]]) -> float | None:
    values = [
        None if raw is None else scoring.scored(raw, reverse=reverse, scale_max=scale_max)
        for raw, reverse in answers
    ]
    return scoring.respondent_dimension_score(values, item_count=len(values))


@given(respondent())
def test_a_respondent_score_stays_on_the_scale(case):
    scale_max, answers = case
    score = _score(scale_max, answers)
    if score is not None:
        assert 1 <= score <= scale_max


def respondent_scores(scale_max: int):
    return st.lists(st.integers(1, scale_max), min_size=1, max_size=6).map(
        lambda values: scoring.respondent_dimension_score(values, item_count=len(values))
    )


@given(scale_maxes.flatmap(lambda m: st.tuples(st.just(m), st.lists(respondent_scores(m)))))
def test_a_team_summary_stays_on_the_scale(case):
    scale_max, scores = case
    summary = scoring.summarise(scores)
    if summary is None:
        assert scores == []
        return
    for value in (summary.mean, summary.minimum, summary.q1, summary.median, summary.q3):
        assert 1 <= value <= scale_max
    assert 1 <= summary.maximum <= scale_max


@given(st.lists(st.none() | st.integers(1, 5), max_size=10))
def test_a_dont_know_on_an_extra_item_never_changes_the_score_only_may_withhold_it(answers):
    """Adding an item answered "don't know": the score stays the same, or is withheld when
    fewer than half of the items are now answered. It never goes down (or up)."""
    before = scoring.respondent_dimension_score(answers, item_count=len(answers))
    after = scoring.respondent_dimension_score([*answers, None], item_count=len(answers) + 1)
    answered = sum(value is not None for value in answers)
    if before is None:
        assert after is None
    elif answered * 2 >= len(answers) + 1:
        assert after == before
    else:
        assert after is None


@given(st.lists(st.none() | st.integers(1, 5), max_size=10), st.integers(0, 10))
def test_dont_know_entries_are_ignored_for_a_given_item_count(answers, item_count):
    with_more = [*answers, None, None]
    assert scoring.respondent_dimension_score(
        with_more, item_count=item_count
    ) == scoring.respondent_dimension_score(answers, item_count=item_count)


@given(scale_maxes.flatmap(lambda m: st.tuples(st.just(m), st.integers(1, m))))
def test_reverse_scoring_twice_gives_the_answer_back(case):
    scale_max, value = case
    once = scoring.scored(value, reverse=True, scale_max=scale_max)
    assert 1 <= once <= scale_max
    assert scoring.scored(once, reverse=True, scale_max=scale_max) == value


@given(
    scale_maxes.flatmap(
        lambda m: st.tuples(st.just(m), st.lists(st.integers(1, m), min_size=1, max_size=30))
    )
)
def test_the_mean_of_mirrored_answers_is_the_mirrored_mean(case):
    scale_max, answers = case
    mirrored = [scoring.scored(v, reverse=True, scale_max=scale_max) for v in answers]
    assert statistics.fmean(mirrored) == pytest.approx(scale_max + 1 - statistics.fmean(answers))
    counts = _counts(answers, state_max=scale_max)
    state = scoring.item_state(counts, reverse=True, scale=Scale(state_max=scale_max))
    assert state == pytest.approx(statistics.fmean(mirrored))


@given(st.lists(st.floats(min_value=1, max_value=5), min_size=1, max_size=30))
def test_a_respondent_at_the_team_mean_leaves_the_mean_unchanged(scores):
    mean = scoring.summarise(scores).mean
    assert scoring.summarise([*scores, mean]).mean == pytest.approx(mean, rel=1e-9, abs=1e-9)


@given(
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.integers(min_value=1, max_value=20),
    st.integers(min_value=2, max_value=11),
)
def test_agreement_is_between_zero_and_one(variance, items, options):
    assert 0.0 <= scoring.rwg_j(variance, items=items, options=options) <= 1.0


@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda statements: st.lists(
            st.lists(st.integers(1, 5), min_size=statements, max_size=statements),
            min_size=1,
            max_size=20,
        )
    )
)
def test_a_dimension_result_flags_disagreement_exactly_below_the_cut_off(people):
    result = _team_dimension(people)
    if len(people) < 2:
        assert result.agreement is None and not result.disagrees
        return
    assert 0.0 <= result.agreement <= 1.0
    assert result.disagrees == (result.agreement < scoring.AGREEMENT_CUTOFF)
    assert result.interval.low <= result.mean <= result.interval.high


@given(
    st.lists(st.floats(min_value=1, max_value=5), max_size=12),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=1, max_value=10),
)
def test_a_dimension_result_shows_each_figure_only_from_its_threshold(scores, means, spreads):
    policy = disclosure.Policy(means=means, spreads=spreads)
    result = _dimension(scores, policy)
    if len(scores) < policy.means:
        assert result is None
        return
    assert result.n == len(scores)
    assert (result.spread is not None) == (len(scores) >= policy.spreads)
    assert (result.interval is not None) == (result.spread is not None)
    assert result.uncertain or result.interval is not None
    assert not result.disagrees or result.spread is not None
    if result.spread:
        assert result.spread.q1 <= result.spread.median <= result.spread.q3


@st.composite
def priority_inputs(draw):
    scale = Scale(state_max=draw(scale_maxes), importance_max=draw(st.integers(1, 5)))
    state = draw(st.floats(min_value=1, max_value=scale.state_max))
    importance = draw(st.floats(min_value=1, max_value=scale.importance_max))
    share = draw(st.none() | st.floats(min_value=0, max_value=1))
    return scale, state, importance, share


@given(priority_inputs())
def test_priority_is_between_zero_and_one_hundred(case):
    scale, state, importance, share = case
    assert 0 <= scoring.priority(state, importance, share, scale=scale) <= 100 + 1e-9


@given(priority_inputs(), st.floats(min_value=0, max_value=1))
def test_priority_never_drops_with_a_lower_state_higher_importance_or_larger_share(case, t):
    scale, state, importance, share = case
    base = scoring.priority(state, importance, share, scale=scale)
    lower_state = state - t * (state - 1)
    higher_importance = importance + t * (scale.importance_max - importance)
    larger_share = (share or 0) + t * (1 - (share or 0))
    tolerance = 1e-9
    assert scoring.priority(lower_state, importance, share, scale=scale) >= base - tolerance
    assert scoring.priority(state, higher_importance, share, scale=scale) >= base - tolerance
    assert scoring.priority(state, importance, larger_share, scale=scale) >= base - tolerance
