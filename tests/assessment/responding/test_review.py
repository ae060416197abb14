"""The review page's summary per part, from the respondent's own answers: no database."""

from assessment.responding.review import PartSummary, summarise


def test_each_part_counts_its_answered_statements_and_dont_knows():
    parts = [("Visie", [1, 2, 3]), ("Rollen", [4, 5])]

    summary = summarise(parts, answered={1, 2, 3, 5}, dont_know={2})

    assert summary == [
        PartSummary(page=1, name="Visie", total=3, answered=3, dont_know=1),
        PartSummary(page=2, name="Rollen", total=2, answered=1, dont_know=0),
    ]
    assert summary[0].complete
    assert not summary[1].complete


def test_answers_outside_the_parts_count_nowhere():
    summary = summarise([("Visie", [1, 2])], answered={1, 7}, dont_know={7})

    assert summary == [PartSummary(page=1, name="Visie", total=2, answered=1, dont_know=0)]


def test_a_part_without_answers_counts_zero():
    summary = summarise([("Visie", [1]), ("Rollen", [2])], answered=set(), dont_know=set())

    assert [(part.page, part.answered, part.complete) for part in summary] == [
        (1, 0, False),
        (2, 0, False),
    ]
