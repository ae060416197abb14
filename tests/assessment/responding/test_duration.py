"""How long a version takes to fill in, from what it asks: no database."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from assessment.questionnaire.structure import Structure
from assessment.responding.duration import duration_text, estimated_minutes, estimated_seconds


def _shape(statements_per_dimension: list[int], *, per_dimension: bool, mark: bool) -> Structure:
    dimensions = tuple(SimpleNamespace(pk=pk) for pk in range(len(statements_per_dimension)))
    items = {
        pk: tuple(SimpleNamespace(pk=100 * pk + n) for n in range(count))
        for pk, count in enumerate(statements_per_dimension)
    }
    return Structure(
        dimensions=dimensions,  # type: ignore[arg-type]
        items=items,  # type: ignore[arg-type]
        state_labels=(),
        importance_labels=(),
        per_dimension=per_dimension,
        asks_mark=mark,
    )


VERSION_1 = _shape([4] * 12 + [6], per_dimension=False, mark=False)  # 54 statements
VERSION_2 = _shape([4] * 10 + [3] * 4, per_dimension=True, mark=True)  # 52 statements
SHORT_FORM = _shape([1] * 14, per_dimension=True, mark=True)


def test_a_statement_takes_seven_seconds_and_every_other_tap_three():
    assert estimated_seconds(statements=10, answers=10) == 70
    assert estimated_seconds(statements=10, answers=31) == 70 + 21 * 3


@pytest.mark.parametrize(
    ("shape", "answers", "minutes"),
    [(VERSION_1, 162, 12), (VERSION_2, 81, 8), (SHORT_FORM, 43, 4)],
    ids=["version 1", "version 2", "short form"],
)
def test_each_version_is_estimated_from_its_burden_rounded_up(shape, answers, minutes):
    assert shape.answer_count == answers
    assert estimated_minutes(shape) == minutes


def test_a_few_seconds_over_a_whole_minute_round_up_to_the_next():
    one_statement = _shape([1], per_dimension=False, mark=False)  # 7 + 2 * 3 = 13 seconds

    assert estimated_minutes(one_statement) == 1
    # 9 * 7 + 3 * 3 = 72 seconds
    assert estimated_minutes(_shape([9], per_dimension=True, mark=True)) == 2


def test_the_short_form_says_less_than_five_minutes():
    with translation.override("nl"):
        assert duration_text(SHORT_FORM) == "minder dan 5 minuten"
    with translation.override("en"):
        assert duration_text(SHORT_FORM) == "less than 5 minutes"


def test_a_longer_version_says_about_how_many_minutes():
    with translation.override("nl"):
        assert duration_text(VERSION_1) == "ongeveer 12 minuten"
        assert duration_text(VERSION_2) == "ongeveer 8 minuten"
