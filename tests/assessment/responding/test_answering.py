"""Reading one questionnaire page's answers from a form post: no database needed."""

from typing import Any

import pytest
from django.http import QueryDict

from assessment.responding.answers import ItemAnswer, parse_page, posted_items

ITEMS = [11, 12, 13]
SCALES: dict[str, Any] = {"state_max": 5, "importance_max": 3}


def _post(*pairs: tuple[str, str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    return data


def _parse(*pairs: tuple[str, str], items: list[int] = ITEMS):
    return parse_page(_post(*pairs), items, **SCALES)


def test_valid_answers_are_read_for_every_item_on_the_page():
    parsed = _parse(
        ("s-11", "1"),
        ("i-11", "3"),
        ("w-11", "yes"),
        ("s-12", "5"),
        ("i-12", "1"),
        ("w-12", "no"),
        ("s-13", "3"),
    )

    assert parsed.errors == {}
    assert parsed.foreign_items is False
    assert parsed.answers == {
        11: ItemAnswer(item_id=11, state=1, importance=3, wants_to_work=True),
        12: ItemAnswer(item_id=12, state=5, importance=1, wants_to_work=False),
        13: ItemAnswer(item_id=13, state=3),
    }


def test_the_bounds_of_both_scales_are_accepted():
    parsed = _parse(("s-11", "1"), ("i-11", "1"), ("s-12", "5"), ("i-12", "3"))

    assert parsed.errors == {}
    assert (parsed.answers[11].state, parsed.answers[11].importance) == (1, 1)
    assert (parsed.answers[12].state, parsed.answers[12].importance) == (5, 3)


def test_the_scale_maximum_comes_from_the_caller():
    parsed = parse_page(_post(("s-11", "7"), ("i-11", "4")), [11], state_max=7, importance_max=4)

    assert parsed.errors == {}
    assert parsed.answers[11] == ItemAnswer(item_id=11, state=7, importance=4)


def test_dont_know_is_an_answer_without_a_state_importance_or_wanting():
    parsed = _parse(("s-11", "dk"), ("i-11", "2"), ("w-11", "no"))

    answer = parsed.answers[11]
    assert answer == ItemAnswer(item_id=11, dont_know=True)
    assert not answer.is_empty
    assert parsed.errors == {}


def test_dont_know_ignores_even_an_unreadable_importance_or_wanting():
    parsed = _parse(("s-11", "dk"), ("i-11", "99"), ("w-11", "maybe"))

    assert parsed.errors == {}
    assert parsed.answers[11] == ItemAnswer(item_id=11, dont_know=True)


def test_dont_know_given_twice_is_still_refused():
    parsed = _parse(("s-11", "dk"), ("s-11", "dk"))

    assert 11 in parsed.errors


def test_dont_know_is_not_an_answer_to_importance():
    parsed = _parse(("s-11", "4"), ("i-11", "dk"))

    assert 11 in parsed.errors
    assert 11 not in parsed.answers


def test_surrounding_whitespace_is_ignored():
    parsed = _parse(("s-11", " 4 "), ("w-11", "yes\n"))

    assert parsed.answers[11] == ItemAnswer(item_id=11, state=4, wants_to_work=True)


BAD_VALUES = [
    "0",
    "6",
    "-1",
    "3.5",
    "+3",
    "abc",
    "1" * 200,
    "x" * 100_000,
    "drie",
    "3️⃣",
    "é",
    "<script>alert(1)</script>",
    "3; DROP TABLE assessment_answer",
]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_state_outside_the_scale_is_an_error_for_that_item_and_gives_no_answer(value):
    parsed = _parse(("s-11", value), ("i-11", "2"), ("s-12", "4"))

    assert list(parsed.errors) == [11]
    assert 11 not in parsed.answers
    assert parsed.answers[12].state == 4


@pytest.mark.parametrize("value", [*BAD_VALUES, "4", "5"])
def test_an_importance_outside_the_scale_is_an_error_for_that_item_and_gives_no_answer(value):
    parsed = _parse(("s-11", "2"), ("i-11", value))

    assert list(parsed.errors) == [11]
    assert parsed.answers.keys() == {12, 13}


# str.isdigit() accepts these, but int() cannot read them.
UNREADABLE_DIGITS = ["³", "①", "9" * 5000]


@pytest.mark.parametrize("value", UNREADABLE_DIGITS, ids=["superscript", "circled", "5000-digits"])
def test_digits_that_int_cannot_read_are_an_error_not_a_crash(value):
    parsed = _parse(("s-11", value))

    assert list(parsed.errors) == [11]
    assert parsed.answers.keys() == {12, 13}


@pytest.mark.parametrize("value", ["３", "٣"], ids=["fullwidth", "arabic-indic"])
def test_digits_from_other_scripts_are_not_one_of_the_answers_shown(value):
    parsed = _parse(("s-11", value))

    assert list(parsed.errors) == [11]
    assert 11 not in parsed.answers


@pytest.mark.parametrize("value", ["maybe", "ja", "YES", "true", "1", "<script>"])
def test_wanting_to_work_on_it_must_be_yes_or_no(value):
    parsed = _parse(("s-11", "3"), ("w-11", value))

    assert list(parsed.errors) == [11]
    assert 11 not in parsed.answers


@pytest.mark.parametrize("kind", ["s", "i", "w"])
def test_a_field_given_twice_is_an_error_even_with_the_same_value(kind):
    value = "yes" if kind == "w" else "2"
    parsed = _parse((f"{kind}-12", value), (f"{kind}-12", value), ("s-11", "3"))

    assert list(parsed.errors) == [12]
    assert 12 not in parsed.answers
    assert parsed.answers[11].state == 3


def test_every_item_with_a_problem_is_named_not_only_the_first():
    parsed = _parse(("s-11", "9"), ("s-12", "2"), ("s-13", "abc"))

    assert set(parsed.errors) == {11, 13}
    assert set(parsed.answers) == {12}


@pytest.mark.parametrize("field", ["s-99", "i-99", "w-99", "s-1"])
def test_a_field_for_an_item_not_on_the_page_is_flagged(field):
    parsed = _parse(("s-11", "3"), (field, "2"))

    assert parsed.foreign_items is True


def test_fields_that_are_not_answers_are_not_foreign():
    parsed = _parse(("s-11", "3"), ("nav", "next"), ("csrfmiddlewaretoken", "x"), ("q-99", "1"))

    assert parsed.foreign_items is False
    assert parsed.errors == {}


def test_an_empty_page_gives_an_empty_answer_for_every_item():
    parsed = _parse()

    assert parsed.errors == {}
    assert parsed.foreign_items is False
    assert set(parsed.answers) == set(ITEMS)
    assert all(answer.is_empty for answer in parsed.answers.values())


def test_an_item_left_open_is_empty_and_the_others_are_not():
    parsed = _parse(("i-11", "2"), ("w-12", "no"))

    assert not parsed.answers[11].is_empty
    assert not parsed.answers[12].is_empty
    assert parsed.answers[13].is_empty


def test_an_empty_string_counts_as_no_answer():
    parsed = _parse(("s-11", ""), ("i-11", "  "), ("w-11", ""))

    assert parsed.errors == {}
    assert parsed.answers[11].is_empty


def test_posted_items_are_the_items_named_by_answer_fields():
    data = _post(("s-11", "2"), ("i-11", "1"), ("w-13", "no"), ("nav", "next"), ("s-x", "1"))

    assert posted_items(data) == {11, 13}


def test_posted_items_leave_out_a_number_nobody_can_read():
    assert posted_items(_post(("s-" + "9" * 5000, "1"), ("s-12", "1"))) == {12}
