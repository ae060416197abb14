"""The steps of a team conversation and the outcome of its vote (meetings/agenda.py). No
database."""

from assessment.meetings import agenda
from tests.purity import imported_modules


def test_the_default_agenda_looks_back_then_discusses_chooses_agrees_and_closes():
    steps = agenda.default_agenda(
        top_items=["a.1", "b.2"], differing_dimensions=["c", "d", "e", "f"], earlier_actions=True
    )
    assert steps == [
        "agreed",
        "overview",
        "i:a.1",
        "i:b.2",
        "d:c",
        "d:d",
        "d:e",
        "vote",
        "agree",
        "close",
    ]


def test_without_earlier_actions_the_agenda_starts_at_the_overview():
    steps = agenda.default_agenda(top_items=[], differing_dimensions=[], earlier_actions=False)
    assert steps == ["overview", "vote", "agree", "close"]


def test_cards_are_the_statements_and_dimensions_of_the_agenda():
    assert agenda.cards(["overview", "i:a.1", "d:c", "vote"]) == ["i:a.1", "d:c"]
    assert agenda.is_card("i:x") and agenda.is_card("d:x") and not agenda.is_card("vote")


def test_a_step_moves_within_the_agenda():
    steps = ["a", "b", "c"]
    assert agenda.moved(steps, "b", -1) == ["b", "a", "c"]
    assert agenda.moved(steps, "b", 1) == ["a", "c", "b"]
    assert agenda.moved(steps, "a", -1) == steps
    assert agenda.moved(steps, "c", 5) == steps
    assert agenda.moved(steps, "x", 1) == steps


def test_the_tally_lists_every_card_most_votes_first_and_ties_in_agenda_order():
    steps = ["overview", "i:a", "i:b", "d:c", "vote"]
    counted = agenda.tally(steps, {"i:b": 4, "d:c": 4, "i:a": 1, "i:gone": 9})
    assert [(t.card, t.votes) for t in counted] == [("i:b", 4), ("d:c", 4), ("i:a", 1)]


def test_the_chosen_cards_are_the_most_voted_with_at_least_one_vote():
    steps = ["i:a", "i:b", "i:c", "i:d", "i:e"]
    picked = agenda.chosen(steps, {"i:a": 1, "i:b": 3, "i:c": 2, "i:d": 2})
    assert [t.card for t in picked] == ["i:b", "i:c", "i:d"]
    assert agenda.chosen(steps, {}) == []


def test_the_agenda_is_pure():
    assert imported_modules(agenda.__file__) <= {"collections", "dataclasses"}
