"""Reading a page of a version that asks importance and wanting to work on it once per
dimension, "not applicable" apart from "don't know", and a report mark: no database."""

from typing import Any

import pytest
from django.http import QueryDict

from assessment.responding.answers import (
    ITEM,
    TOPIC,
    ItemAnswer,
    TopicAnswer,
    parse_mark,
    parse_page,
    posted_items,
    posted_questions,
)

ITEMS = [11, 12]
DIMENSION = 7
V2: dict[str, Any] = {
    "state_max": 5,
    "importance_max": 4,
    "topic": DIMENSION,
    "separate_not_applicable": True,
}


def _post(*pairs: tuple[str, str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    return data


def _parse(*pairs: tuple[str, str]):
    return parse_page(_post(*pairs), ITEMS, **V2)


def test_the_statements_give_their_state_and_the_topic_its_importance_and_wanting():
    parsed = _parse(("s-11", "2"), ("s-12", "5"), ("di-7", "4"), ("dw-7", "yes"))

    assert parsed.errors == {}
    assert parsed.topic_error is None
    assert parsed.foreign_items is False
    assert parsed.answers == {
        11: ItemAnswer(item_id=11, state=2),
        12: ItemAnswer(item_id=12, state=5),
    }
    assert parsed.topic == TopicAnswer(dimension_id=7, importance=4, wants_to_work=True)


def test_not_applicable_is_its_own_answer_beside_dont_know():
    parsed = _parse(("s-11", "na"), ("s-12", "dk"))

    assert parsed.answers[11] == ItemAnswer(item_id=11, not_applicable=True)
    assert parsed.answers[12] == ItemAnswer(item_id=12, dont_know=True)
    assert not parsed.answers[11].is_empty


def test_not_applicable_is_no_answer_shown_where_the_version_does_not_ask_it_apart():
    parsed = parse_page(_post(("s-11", "na")), ITEMS, state_max=5, importance_max=3)

    assert list(parsed.errors) == [11]


def test_the_topic_left_open_is_empty_and_no_problem():
    parsed = _parse(("s-11", "3"))

    assert parsed.topic == TopicAnswer(dimension_id=7)
    assert parsed.topic is not None and parsed.topic.is_empty
    assert parsed.topic_error is None


def test_the_topic_is_asked_even_when_every_statement_got_dont_know():
    parsed = _parse(("s-11", "dk"), ("s-12", "na"), ("di-7", "1"), ("dw-7", "no"))

    assert parsed.topic == TopicAnswer(dimension_id=7, importance=1, wants_to_work=False)


@pytest.mark.parametrize("value", ["0", "5", "-1", "abc", "٣", "9" * 5000, "dk", "na"])
def test_a_topic_importance_outside_its_scale_is_the_topics_problem(value):
    parsed = _parse(("s-11", "3"), ("di-7", value), ("dw-7", "yes"))

    assert parsed.topic is None
    assert parsed.topic_error == "Kies een van de antwoorden die je ziet."
    assert parsed.errors == {}
    assert parsed.answers[11].state == 3


@pytest.mark.parametrize("value", ["maybe", "ja", "YES", "1"])
def test_a_topic_wanting_must_be_yes_or_no(value):
    parsed = _parse(("dw-7", value))

    assert parsed.topic is None
    assert parsed.topic_error is not None


@pytest.mark.parametrize("field", ["di-7", "dw-7"])
def test_a_topic_field_given_twice_is_refused_even_with_the_same_value(field):
    value = "yes" if field.startswith("dw") else "2"
    parsed = _parse((field, value), (field, value))

    assert parsed.topic is None
    assert parsed.topic_error == "Geef één antwoord per vraag."


@pytest.mark.parametrize("field", ["di-8", "dw-8", "di-" + "9" * 5000, "di-٣"])
def test_a_field_for_another_dimension_is_foreign(field):
    parsed = _parse(("s-11", "3"), (field, "2"))

    assert parsed.foreign_items is True


@pytest.mark.parametrize("field", ["i-11", "w-12"])
def test_importance_per_statement_is_foreign_where_it_is_asked_per_dimension(field):
    parsed = _parse(("s-11", "3"), (field, "2"))

    assert parsed.foreign_items is True


@pytest.mark.parametrize("field", ["di-7", "dw-7"])
def test_a_dimension_field_is_foreign_where_importance_is_asked_per_statement(field):
    parsed = parse_page(_post((field, "2")), ITEMS, state_max=5, importance_max=3)

    assert parsed.foreign_items is True
    assert parsed.topic is None


def test_a_version_that_asks_per_statement_reads_no_topic():
    parsed = parse_page(_post(("s-11", "3")), ITEMS, state_max=5, importance_max=3)

    assert (parsed.topic, parsed.topic_error) == (None, None)


def test_posted_questions_name_statements_and_the_topic_apart():
    data = _post(("s-11", "2"), ("di-7", "1"), ("dw-7", "yes"), ("nav", "next"), ("mark", "8"))

    assert posted_questions(data) == {(ITEM, 11), (TOPIC, 7)}
    assert posted_items(data) == {11}


@pytest.mark.parametrize("value", [str(mark) for mark in range(1, 11)])
def test_every_mark_from_one_to_ten_is_read(value):
    assert parse_mark(_post(("mark", value))) == (int(value), None)


@pytest.mark.parametrize("pairs", [[], [("mark", "")], [("mark", "  ")]])
def test_no_mark_is_allowed(pairs):
    assert parse_mark(_post(*pairs)) == (None, None)


@pytest.mark.parametrize("value", ["0", "11", "7.5", "acht", "٨", "9" * 5000, "<b>"])
def test_a_mark_outside_one_to_ten_is_refused(value):
    mark, problem = parse_mark(_post(("mark", value)))

    assert mark is None
    assert problem == "Kies een van de antwoorden die je ziet."


def test_a_mark_given_twice_is_refused():
    assert parse_mark(_post(("mark", "8"), ("mark", "8"))) == (None, "Geef één antwoord per vraag.")
