"""The review page's summary per part, from the respondent's own answers: no database."""

from assessment.responding.review import Given, Part, PartSummary, summarise

STATE = Given(state=True)
FULL = Given(state=True, importance=True, wants=True)
DONT_KNOW = Given(dont_know=True)
NOT_APPLICABLE = Given(not_applicable=True)
TOPIC = Given(importance=True, wants=True)


def test_each_part_counts_its_answered_statements_and_dont_knows():
    parts = [Part("Visie", [1, 2, 3]), Part("Rollen", [4, 5])]

    summary = summarise(parts, {1: FULL, 2: DONT_KNOW, 3: FULL, 5: STATE})

    assert summary == [
        PartSummary(page=1, name="Visie", total=3, answered=3, dont_know=1, asked=7, given=7),
        PartSummary(page=2, name="Rollen", total=2, answered=1, dont_know=0, asked=6, given=1),
    ]
    assert summary[0].complete
    assert not summary[1].complete


def test_a_statement_without_its_importance_or_wanting_leaves_the_part_incomplete():
    (part,) = summarise([Part("Visie", [1])], {1: STATE})

    assert part.answered == part.total
    assert not part.complete


def test_answers_outside_the_parts_count_nowhere():
    summary = summarise([Part("Visie", [1, 2])], {1: DONT_KNOW, 7: DONT_KNOW})

    assert summary == [
        PartSummary(page=1, name="Visie", total=2, answered=1, dont_know=1, asked=4, given=1)
    ]


def test_a_part_without_answers_counts_zero():
    summary = summarise([Part("Visie", [1]), Part("Rollen", [2])], {})

    assert [(part.page, part.answered, part.complete) for part in summary] == [
        (1, 0, False),
        (2, 0, False),
    ]


def test_not_applicable_is_counted_apart_from_dont_know_and_both_are_answered():
    (part,) = summarise([Part("Visie", [1, 2, 3])], {1: DONT_KNOW, 2: NOT_APPLICABLE, 3: FULL})

    assert (part.answered, part.dont_know, part.not_applicable) == (3, 1, 1)
    assert part.complete


def test_a_part_that_asks_about_its_topic_counts_the_topics_two_questions():
    parts = [Part("Visie", [1, 2], topic=10), Part("Rollen", [3], topic=20)]

    visie, rollen = summarise(
        parts, {1: STATE, 2: NOT_APPLICABLE, 3: STATE}, {10: TOPIC, 20: Given(importance=True)}
    )

    assert (visie.asked, visie.given, visie.topic_open, visie.complete) == (4, 4, 0, True)
    assert (rollen.asked, rollen.given, rollen.topic_open, rollen.complete) == (3, 2, 1, False)
    assert visie.asks_topic and visie.topic == 10


def test_a_topic_not_answered_at_all_leaves_both_its_questions_open():
    (part,) = summarise([Part("Visie", [1], topic=10)], {1: STATE})

    assert part.topic_open == 2
    assert not part.complete


def test_a_part_that_asks_per_statement_never_has_an_open_topic():
    (part,) = summarise([Part("Visie", [1])], {1: FULL}, {1: TOPIC})

    assert (part.asks_topic, part.topic_open) == (False, 0)
