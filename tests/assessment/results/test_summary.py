"""The summary at the top of the results page, from results that passed the gate. No database."""

from assessment.models import Round
from assessment.results import disclosure, scoring, summary
from assessment.results.aggregate import RoundResults
from assessment.results.scoring import Direction, ItemCounts, Scale
from assessment.results.summary import NoChange
from assessment.results.trends import Cell, DimensionTrend, Trend
from tests.purity import imported_modules

SCALE = Scale(state_max=5, importance_max=3)
POLICY = disclosure.Policy(means=3, spreads=5)


def _dimension(key: str, scores: list[float]) -> scoring.DimensionResult:
    result = scoring.dimension_result(
        key, key.title(), scores, strength=4.0, concern=3.0, scale=SCALE, policy=POLICY
    )
    assert result is not None
    return result


def _item(item_id: int, state: int, importance: int) -> scoring.ItemResult:
    return scoring.item_result(
        ItemCounts(
            item_id=item_id,
            state_sum=state * 5,
            state_n=5,
            dont_know=0,
            importance_sum=importance * 5,
            importance_n=5,
            wants_yes=2,
            wants_n=5,
            distribution=(0, 0, 5, 0, 0),
        ),
        key=f"i{item_id}",
        text=f"Statement {item_id}",
        dimension_key="trust",
        dimension_name="Trust",
        reverse=False,
        scale=SCALE,
        policy=POLICY,
    )


def _trend(*changes: tuple[str, float | None, float | None, Direction | None]) -> Trend:
    """Two rounds; each change is (key, mean before, mean now, direction)."""
    return Trend(
        rounds=[Round(title="Voorjaar 2026"), Round(title="Najaar 2026")],
        dimensions=[
            DimensionTrend(
                key=key,
                name=key.title(),
                cells=[
                    Cell(before, 0.5, 10) if before is not None else None,
                    Cell(now, 0.5, 10) if now is not None else None,
                ],
                direction=direction,
            )
            for key, before, now, direction in changes
        ],
        items=[],
    )


def _results(dimensions=(), items=(), trend=None, completed=12) -> RoundResults:
    return RoundResults(
        round=Round(title="Najaar 2026"),
        completed=completed,
        visible=True,
        spreads_visible=True,
        scale=SCALE,
        strength=4.0,
        concern=3.0,
        dimensions=list(dimensions),
        items=list(items),
        sectors=[],
        trend=trend,
    )


def test_the_summary_counts_the_responses_and_names_the_strengths_and_concerns():
    dimensions = [
        _dimension("trust", [4.0, 4.5, 4.2]),
        _dimension("roles", [2.0, 2.5, 2.2]),
        _dimension("goals", [3.5, 3.4, 3.6]),
        _dimension("tools", [4.5, 4.1, 4.3]),
    ]

    result = summary.summarise(_results(dimensions, completed=14))

    assert result.completed == 14
    assert result.strengths == ("Trust", "Tools")
    assert result.concerns == ("Roles",)


def test_the_points_to_discuss_are_the_first_three_of_the_top_10():
    items = [_item(n, state=1 + n % 5, importance=1 + n % 3) for n in range(1, 13)]
    results = _results(items=items)

    result = summary.summarise(results)

    assert result.to_discuss == tuple(results.top_improvements[:3])
    assert len(result.to_discuss) == 3


def test_fewer_than_three_ranked_statements_are_all_there_is_to_discuss():
    result = summary.summarise(_results(items=[_item(1, state=2, importance=3)]))

    assert [item.key for item in result.to_discuss] == ["i1"]
    assert summary.summarise(_results()).to_discuss == ()


def test_the_biggest_change_is_the_largest_clear_change_up_or_down():
    trend = _trend(
        ("trust", 3.0, 3.4, Direction.UP),
        ("roles", 3.9, 3.2, Direction.DOWN),
        ("goals", 2.0, 3.5, Direction.UNCLEAR),  # larger, but not clear: not the biggest
        ("tools", 3.0, 3.2, Direction.UP),
    )

    result = summary.summarise(_results(trend=trend))

    assert result.biggest_change == summary.Change("Roles", Direction.DOWN, 3.9, 3.2)
    assert result.no_change is None
    assert result.previous_title == "Voorjaar 2026"


def test_two_equally_big_changes_name_the_dimension_first_in_the_questionnaire():
    trend = _trend(("trust", 3.0, 3.5, Direction.UP), ("roles", 4.0, 3.5, Direction.DOWN))

    assert summary.summarise(_results(trend=trend)).biggest_change.name == "Trust"


def test_without_a_clear_change_the_summary_says_no_clear_difference_not_the_same():
    trend = _trend(("trust", 3.0, 3.1, Direction.UNCLEAR), ("roles", 3.0, None, None))

    result = summary.summarise(_results(trend=trend))

    assert result.biggest_change is None
    assert result.no_change == NoChange.UNCLEAR


def test_when_every_comparison_rests_on_too_few_answers_it_says_so():
    trend = _trend(("trust", 3.0, 3.9, Direction.TOO_FEW))

    assert summary.summarise(_results(trend=trend)).no_change == NoChange.TOO_FEW


def test_a_first_round_has_nothing_to_compare_with():
    only_round = Trend(rounds=[Round(title="Najaar 2026")], dimensions=[], items=[])

    for trend in (None, only_round):
        result = summary.summarise(_results(trend=trend))
        assert result.biggest_change is None
        assert result.no_change == NoChange.FIRST_ROUND
        assert result.previous_title is None


def test_earlier_rounds_without_a_dimension_in_common_are_not_comparable():
    trend = _trend(("trust", None, 3.4, None))

    assert summary.summarise(_results(trend=trend)).no_change == NoChange.NOT_COMPARABLE


def test_each_dimension_row_carries_its_own_change_and_none_without_history():
    dimensions = [_dimension("trust", [4.0, 4.5, 4.2]), _dimension("roles", [2.0, 2.5, 2.2])]
    trend = _trend(("trust", 3.0, 4.2, Direction.UP))

    rows = summary.dimension_rows(_results(dimensions, trend=trend))

    assert [(row.dimension.key, row.direction) for row in rows] == [
        ("trust", Direction.UP),
        ("roles", None),
    ]
    assert [row.direction for row in summary.dimension_rows(_results(dimensions))] == [None, None]


def test_the_summary_is_pure_it_reads_results_and_asks_no_database():
    assert imported_modules(summary.__file__) <= {
        "collections",
        "dataclasses",
        "enum",
        "typing",
        "assessment",
    }


def test_the_summary_marks_the_strengths_and_concerns_whose_band_is_uncertain():
    dimensions = [
        _dimension("trust", [4.6, 4.7, 4.7, 4.8, 4.7]),  # clearly strong
        _dimension("roles", [3.9, 4.1, 4.0, 4.2, 4.0]),  # strong, the interval crosses 4.0
        _dimension("goals", [1.0, 1.2, 1.1, 1.3, 1.1]),  # clearly a concern
        _dimension("tools", [4.5, 4.4, 4.6]),  # too few to say how certain
    ]

    result = summary.summarise(_results(dimensions))

    assert result.strengths == ("Trust", "Roles", "Tools")
    assert result.concerns == ("Goals",)
    assert result.uncertain == {"Roles", "Tools"}


def test_the_summary_carries_the_report_mark_as_the_gate_left_it():
    from dataclasses import replace

    from assessment.results.aggregate import Mark

    assert summary.summarise(_results()).mark is None
    shown = replace(_results(), mark=Mark(mean=7.4, n=9))
    assert summary.summarise(shown).mark == Mark(mean=7.4, n=9)
    withheld = replace(_results(), mark=Mark(mean=None, n=2))
    assert summary.summarise(withheld).mark.mean is None
