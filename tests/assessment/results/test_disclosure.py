"""The disclosure gate (assessment/results/disclosure.py): which numbers may be shown.

No database: these tests use neither `db` nor any fixture that needs it.
"""

from dataclasses import FrozenInstanceError, fields

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.results import disclosure
from assessment.results.disclosure import FigureCount, Policy
from tests.purity import imported_modules

POLICY = Policy(means=3, spreads=5)


# Policy


def test_a_policy_keeps_its_two_thresholds():
    assert (POLICY.means, POLICY.spreads) == (3, 5)


def test_a_spread_threshold_below_the_mean_threshold_is_raised_to_it():
    policy = Policy(means=4, spreads=2)
    assert policy.spreads == 4
    assert not policy.spread(3)
    assert policy.spread(4)


def test_a_spread_threshold_equal_to_the_mean_threshold_stays():
    assert Policy(means=3, spreads=3).spreads == 3


def test_an_anonymity_threshold_below_one_is_refused():
    with pytest.raises(ValueError):
        Policy(means=0, spreads=5)
    with pytest.raises(ValueError):
        Policy(means=-1, spreads=0)


def test_a_policy_cannot_be_changed_afterwards():
    with pytest.raises(FrozenInstanceError):
        POLICY.means = 1


def test_a_policy_is_read_from_a_rounds_two_thresholds():
    class Round:
        anonymity_threshold = 4
        breakdown_threshold = 7

    assert Policy.of(Round()) == Policy(means=4, spreads=7)


def test_a_mean_needs_the_anonymity_threshold_and_a_spread_the_breakdown_threshold():
    assert [POLICY.mean(n) for n in (0, 2, 3, 4)] == [False, False, True, True]
    assert [POLICY.spread(n) for n in (3, 4, 5, 6)] == [False, False, True, True]


def test_pooled_rounds_take_the_strictest_thresholds_of_each_kind():
    pooled = disclosure.pooled([Policy(means=3, spreads=8), Policy(means=5, spreads=6)])
    assert pooled == Policy(means=5, spreads=8)


def test_no_rounds_to_pool_is_no_policy():
    assert disclosure.pooled([]) is None


# Means and shares


def test_a_mean_one_answer_below_the_threshold_is_withheld():
    assert disclosure.mean_or_none(3.5, POLICY.means - 1, POLICY) is None


def test_a_mean_at_the_threshold_is_shown():
    assert disclosure.mean_or_none(3.5, POLICY.means, POLICY) == 3.5


def test_a_mean_of_nothing_stays_nothing_whatever_the_count():
    assert disclosure.mean_or_none(None, 10, POLICY) is None


def test_a_mean_of_zero_is_shown_as_zero():
    assert disclosure.mean_or_none(0.0, POLICY.means, POLICY) == 0.0


def test_a_share_of_a_whole_one_below_the_threshold_is_withheld():
    assert disclosure.share_or_none(1, POLICY.means - 1, POLICY) is None
    assert disclosure.share_or_none(0, POLICY.means - 1, POLICY) is None


def test_a_share_of_a_whole_at_the_threshold_is_shown():
    assert disclosure.share_or_none(1, POLICY.means, POLICY) == pytest.approx(1 / 3)
    assert disclosure.share_or_none(0, POLICY.means, POLICY) == 0.0
    assert disclosure.share_or_none(3, 3, POLICY) == 1.0


def test_a_share_of_nobody_is_withheld_even_with_a_threshold_of_one():
    assert disclosure.share_or_none(0, 0, Policy(means=1, spreads=1)) is None


def test_a_share_needs_the_whole_not_the_part_to_reach_the_threshold():
    # One yes among ten says nothing about who: the ten are the base.
    assert disclosure.share_or_none(1, 10, POLICY) == pytest.approx(0.1)


# Spreads


def test_a_spread_one_answer_below_the_breakdown_threshold_is_withheld():
    spread = disclosure.spread_or_none(
        POLICY.spreads - 1, sd=1.0, q1=2.0, median=3.0, q3=4.0, policy=POLICY
    )
    assert spread is None


def test_a_spread_at_the_breakdown_threshold_holds_the_quartiles_and_sd():
    spread = disclosure.spread_or_none(
        POLICY.spreads, sd=1.0, q1=2.0, median=3.0, q3=4.0, policy=POLICY
    )
    assert spread == disclosure.Spread(sd=1.0, q1=2.0, median=3.0, q3=4.0)


def test_a_spread_never_holds_a_minimum_or_maximum():
    names = {field.name for field in fields(disclosure.Spread)}
    assert names == {"sd", "q1", "median", "q3"}


def test_a_spread_between_the_thresholds_is_withheld_though_its_mean_is_shown():
    n = POLICY.means
    assert disclosure.mean_or_none(3.0, n, POLICY) == 3.0
    assert disclosure.spread_or_none(n, sd=1.0, q1=2.0, median=3.0, q3=4.0, policy=POLICY) is None


# Distributions (state answers per scale point; "don't know" is no cell)


def test_a_distribution_below_the_breakdown_threshold_is_withheld():
    assert disclosure.distribution_or_none((0, 0, 4, 0, 0), POLICY) is None


def test_a_distribution_of_nobody_is_withheld_even_with_a_threshold_of_one():
    assert disclosure.distribution_or_none((0, 0, 0), Policy(means=1, spreads=1)) is None
    assert disclosure.distribution_or_none((), Policy(means=1, spreads=1)) is None


def test_a_distribution_at_the_breakdown_threshold_is_shown_as_shares_per_answer():
    distribution = disclosure.distribution_or_none((0, 0, 5, 0, 0), POLICY)
    assert distribution == disclosure.Distribution(
        n=5, shares=(0.0, 0.0, 1.0, 0.0, 0.0), grouped=False
    )


def test_a_distribution_holds_only_its_count_its_shares_and_whether_it_is_grouped():
    # No suppressed share any more: nothing is hidden inside a shown distribution.
    assert {field.name for field in fields(disclosure.Distribution)} == {"n", "shares", "grouped"}


def test_answers_each_chosen_by_the_anonymity_threshold_are_shown_per_answer():
    distribution = disclosure.distribution_or_none((3, 0, 4, 0, 3), POLICY)
    assert distribution == disclosure.Distribution(
        n=10, shares=(0.3, 0.0, 0.4, 0.0, 0.3), grouped=False
    )


def test_an_answer_chosen_by_fewer_than_the_threshold_turns_the_distribution_into_groups():
    # 1 and 2 are each below 3, but together with the other "disagree" answers they are 3.
    distribution = disclosure.distribution_or_none((1, 2, 4, 3, 0), POLICY)
    assert distribution == disclosure.Distribution(n=10, shares=(0.3, 0.4, 0.3), grouped=True)


def test_groups_are_the_lower_answers_the_middle_answer_and_the_upper_answers():
    distribution = disclosure.distribution_or_none((2, 1, 3, 1, 2), POLICY)
    assert distribution.grouped
    assert distribution.shares == pytest.approx((3 / 9, 3 / 9, 3 / 9))


def test_an_even_scale_has_no_middle_group():
    distribution = disclosure.distribution_or_none((1, 2, 1, 3), POLICY)
    assert distribution == disclosure.Distribution(n=7, shares=(3 / 7, 0.0, 4 / 7), grouped=True)


def test_an_empty_group_does_not_stop_the_groups_being_shown():
    distribution = disclosure.distribution_or_none((0, 0, 0, 1, 5), POLICY)
    assert distribution == disclosure.Distribution(n=6, shares=(0.0, 0.0, 1.0), grouped=True)


def test_a_lone_answer_whose_group_is_also_too_small_leaves_no_distribution_at_all():
    # The one 1 is the whole "disagree" group: any share shown would be that one person.
    assert disclosure.distribution_or_none((1, 0, 0, 0, 6), POLICY) is None
    assert disclosure.distribution_or_none((1, 0, 4, 3, 0), POLICY) is None
    assert disclosure.distribution_or_none((0, 0, 6, 2, 0), POLICY) is None


def test_a_small_middle_group_leaves_no_distribution_at_all():
    assert disclosure.distribution_or_none((3, 0, 1, 0, 3), POLICY) is None


def test_the_mean_beside_a_distribution_no_longer_gives_away_a_hidden_answer():
    """Attack: with suppression, answers 1, 2, 5, 5, 5, 5, 5 at threshold 3 showed the 5 at
    71% next to a mean of 4.00 on 7 answers, so the two hidden answers summed to 3: a 1 and
    a 2. Now no share rests on the 1 or the 2 alone, nor on the two together."""
    answers = (1, 2, 5, 5, 5, 5, 5)
    counts = tuple(answers.count(value) for value in range(1, 6))
    assert counts == (1, 1, 0, 0, 5)
    policy = Policy(means=3, spreads=5)
    assert sum(answers) / len(answers) == pytest.approx(4.0)  # the mean is shown
    assert disclosure.mean_or_none(4.0, len(answers), policy) == 4.0
    # "Disagree" holds only those two people: neither per answer nor per group.
    assert disclosure.distribution_or_none(counts, policy) is None


def test_two_lone_answers_in_a_group_of_three_are_shown_only_as_that_group():
    # With a third person in "disagree" the group may be shown, never the 1 or the 2 apart.
    distribution = disclosure.distribution_or_none((1, 2, 0, 0, 5), POLICY)
    assert distribution == disclosure.Distribution(n=8, shares=(3 / 8, 0.0, 5 / 8), grouped=True)


def test_zeros_are_shown_as_zero():
    for counts in [(3, 0, 4, 3, 0), (0, 0, 0, 0, 9), (5, 0, 0, 0, 0, 0, 5)]:
        distribution = disclosure.distribution_or_none(counts, POLICY)
        assert not distribution.grouped
        for count, share in zip(counts, distribution.shares, strict=True):
            if count == 0:
                assert share == 0.0, counts


def test_shares_add_up_to_one_per_answer_and_per_group():
    for counts in [(3, 3, 4, 0, 0), (1, 2, 4, 3, 0), (5, 5, 5, 0, 0), (2, 1, 3, 1, 2)]:
        distribution = disclosure.distribution_or_none(counts, POLICY)
        assert sum(distribution.shares) == pytest.approx(1.0), counts


def test_a_distribution_per_answer_keeps_one_share_per_answer_in_order():
    counts = (5, 0, 0, 0, 0, 0, 0)
    distribution = disclosure.distribution_or_none(counts, POLICY)
    assert len(distribution.shares) == len(counts)
    assert distribution.shares[0] == 1.0


# Groups (sectors, positions)


def test_groups_at_the_threshold_are_shown():
    assert disclosure.visible_groups({"school": 6, "childcare": 6}, threshold=5) == {
        "school",
        "childcare",
    }
    assert disclosure.visible_groups({"school": 5, "childcare": 5}, threshold=5) == {
        "school",
        "childcare",
    }


def test_groups_below_the_threshold_are_hidden():
    shown = disclosure.visible_groups(
        {"school": 6, "childcare": 6, "youth_care": 5, "bso": 4}, threshold=4
    )
    assert shown == {"school", "childcare", "youth_care", "bso"}
    shown = disclosure.visible_groups({"school": 8, "childcare": 7, "bso": 5}, threshold=6)
    assert "bso" not in shown


def test_a_small_group_cannot_be_revealed_by_subtracting_the_shown_ones():
    sizes = {"school": 6, "childcare": 6, "youth_care": 2}
    shown = disclosure.visible_groups(sizes, threshold=5)
    assert "youth_care" not in shown
    rest = sum(sizes.values()) - sum(sizes[group] for group in shown)
    assert rest == 0 or rest >= 5
    # Showing school and childcare would leave the two in youth care as the difference.
    assert shown != {"school", "childcare"}


def test_the_smallest_shown_group_is_dropped_first():
    sizes = {"school": 9, "childcare": 6, "bso": 5, "youth_care": 2}
    assert disclosure.visible_groups(sizes, threshold=5) == {"school", "childcare"}


def test_small_groups_together_at_the_threshold_may_stay_unshown():
    sizes = {"school": 6, "childcare": 6, "youth_care": 3, "bso": 2}
    assert disclosure.visible_groups(sizes, threshold=5) == {"school", "childcare"}


def test_one_group_that_is_the_whole_team_is_no_comparison():
    # A breakdown compares groups: one group alone would only repeat the team result.
    assert disclosure.visible_groups({"school": 10}, threshold=5) == set()


def test_a_hidden_group_counts_in_the_rest_but_is_never_shown():
    sizes = {"school": 6, "childcare": 6, "": 2}
    assert disclosure.visible_groups(sizes, threshold=5, hidden=frozenset({""})) == set()
    sizes = {"school": 6, "childcare": 6, "": 7}
    assert disclosure.visible_groups(sizes, threshold=5, hidden=frozenset({""})) == {
        "school",
        "childcare",
    }


def test_one_group_beside_unshown_ones_is_not_a_breakdown():
    # The results page promises per-sector results only when at least two sectors are large
    # enough; one sector beside a hidden rest is left out, even though the rest is large.
    sizes = {"school": 6, "childcare": 3, "youth_care": 3}
    assert disclosure.visible_groups(sizes, threshold=5) == set()
    sizes = {"school": 6, "childcare": 6, "youth_care": 2}
    assert disclosure.visible_groups(sizes, threshold=5) == set()


def test_nothing_is_shown_when_no_group_is_large_enough():
    assert disclosure.visible_groups({"school": 4, "childcare": 4}, threshold=5) == set()
    assert disclosure.visible_groups({}, threshold=5) == set()


# Releasing a reopened round


def test_no_newcomers_at_all_may_be_released():
    assert disclosure.release_allowed([], POLICY)


def test_a_figure_no_newcomer_touched_does_not_block_the_release():
    newcomers = [FigureCount("responses", 3), FigureCount("item:1:importance", 0)]
    assert disclosure.release_allowed(newcomers, POLICY)
    assert disclosure.release_allowed([FigureCount("sector:school", 0, spread=True)], POLICY)


@pytest.mark.parametrize("n", range(1, POLICY.means))
def test_a_mean_resting_on_one_to_threshold_minus_one_newcomers_blocks_the_release(n):
    newcomers = [FigureCount("responses", 10), FigureCount("item:1:state", n)]
    assert not disclosure.release_allowed(newcomers, POLICY)


def test_a_mean_resting_on_threshold_newcomers_may_be_released():
    newcomers = [FigureCount("responses", POLICY.means), FigureCount("item:1:state", POLICY.means)]
    assert disclosure.release_allowed(newcomers, POLICY)


@pytest.mark.parametrize("n", range(1, POLICY.spreads))
def test_a_spread_figure_needs_the_breakdown_threshold_of_newcomers(n):
    newcomers = [FigureCount("responses", 10), FigureCount("sector:school", n, spread=True)]
    assert not disclosure.release_allowed(newcomers, POLICY)


def test_a_spread_figure_at_the_breakdown_threshold_of_newcomers_may_be_released():
    newcomers = [FigureCount("sector:school", POLICY.spreads, spread=True)]
    assert disclosure.release_allowed(newcomers, POLICY)


def test_the_same_count_releases_a_mean_but_not_a_spread():
    n = POLICY.means
    assert disclosure.release_allowed([FigureCount("dimension:1", n)], POLICY)
    assert not disclosure.release_allowed([FigureCount("dimension:1", n, spread=True)], POLICY)


def test_one_blocked_figure_among_many_blocks_the_release():
    newcomers = [FigureCount(f"item:{i}:state", 6) for i in range(20)]
    assert disclosure.release_allowed(newcomers, POLICY)
    assert not disclosure.release_allowed([*newcomers, FigureCount("item:99:wants", 1)], POLICY)


# Properties


@st.composite
def counts_and_policy(draw):
    """State answers per scale point (2 to 10 points) and a round's thresholds."""
    means = draw(st.integers(min_value=1, max_value=8))
    spreads = draw(st.integers(min_value=1, max_value=12))
    cells = draw(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=10))
    return cells, Policy(means=means, spreads=spreads)


def _groups(counts) -> tuple[int, int, int]:
    half = len(counts) // 2
    middle = counts[half] if len(counts) % 2 else 0
    return sum(counts[:half]), middle, sum(counts[len(counts) - half :])


@given(counts_and_policy())
def test_every_shown_nonzero_share_rests_on_at_least_the_anonymity_threshold(case):
    counts, policy = case
    distribution = disclosure.distribution_or_none(counts, policy)
    if distribution is None:
        return
    assert distribution.n == sum(counts) >= policy.spreads
    cells = _groups(counts) if distribution.grouped else counts
    assert len(distribution.shares) == len(cells)
    for count, share in zip(cells, distribution.shares, strict=True):
        assert share == pytest.approx(count / distribution.n)
        if share > 0:
            assert count >= policy.means
    assert sum(distribution.shares) == pytest.approx(1.0)


@given(counts_and_policy())
def test_a_lone_answer_below_the_threshold_never_has_a_share_of_its_own(case):
    """Attack: a share of one to threshold-minus-one people, read beside the mean."""
    counts, policy = case
    distribution = disclosure.distribution_or_none(counts, policy)
    small = any(0 < count < policy.means for count in counts)
    if distribution is not None and small:
        assert distribution.grouped


@given(counts_and_policy())
def test_a_distribution_is_left_out_only_when_neither_answers_nor_groups_may_be_shown(case):
    counts, policy = case
    distribution = disclosure.distribution_or_none(counts, policy)

    def fine(cells) -> bool:
        return all(count == 0 or count >= policy.means for count in cells)

    total = sum(counts)
    if total == 0 or total < policy.spreads:
        assert distribution is None
    elif fine(counts):
        assert distribution is not None and not distribution.grouped
    elif fine(_groups(counts)):
        assert distribution is not None and distribution.grouped
    else:
        assert distribution is None


group_sizes = st.dictionaries(
    st.sampled_from(["school", "childcare", "bso", "youth_care", "other", ""]),
    st.integers(min_value=1, max_value=15),
    max_size=6,
)


@given(group_sizes, st.integers(min_value=1, max_value=10), st.booleans())
def test_visible_groups_never_show_a_small_group_or_leave_a_small_rest(sizes, threshold, hide):
    hidden = frozenset({""}) if hide else frozenset()
    shown = disclosure.visible_groups(sizes, threshold=threshold, hidden=hidden)
    assert shown <= set(sizes) - hidden
    assert all(sizes[group] >= threshold for group in shown)
    assert len(shown) != 1
    if shown:
        rest = sum(sizes.values()) - sum(sizes[group] for group in shown)
        assert rest == 0 or rest >= threshold


def test_the_gate_is_pure_numbers_in_and_decisions_out():
    """No Django, no database: the gate can be read, and tested, on its own."""
    imported = imported_modules(disclosure.__file__)
    assert imported <= {"collections", "dataclasses", "typing"}
