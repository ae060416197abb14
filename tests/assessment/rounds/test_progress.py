"""The team's next step and the first-run checklist, from facts alone (no database)."""

from dataclasses import replace

import pytest

from assessment.rounds import progress
from assessment.rounds.progress import Step, TeamFacts, checklist, is_new, next_step
from tests.purity import imported_modules

NEW = TeamFacts(
    facilitators=1,
    rounds=0,
    open_round=False,
    open_round_may_close=False,
    any_answer_started=False,
    latest_ended_has_results=None,
    latest_ended_has_actions=False,
    any_discussed=False,
    any_actions=False,
)


@pytest.mark.parametrize(
    "changes, step",
    [
        ({}, Step.START),
        ({"rounds": 1, "open_round": True}, Step.SHARE),
        ({"rounds": 1, "open_round": True, "open_round_may_close": True}, Step.CLOSE),
        ({"rounds": 1, "latest_ended_has_results": False}, Step.REOPEN),
        ({"rounds": 1, "latest_ended_has_results": True}, Step.DISCUSS),
        (
            {"rounds": 1, "latest_ended_has_results": True, "latest_ended_has_actions": True},
            Step.FOLLOW_UP,
        ),
        # An open round comes first, whatever the last one left.
        ({"rounds": 2, "open_round": True, "latest_ended_has_results": True}, Step.SHARE),
    ],
)
def test_the_next_step_follows_the_state_of_the_rounds(changes, step):
    assert next_step(replace(NEW, **changes)) == step


def test_a_new_facilitator_has_everything_to_do():
    tasks = checklist(NEW)

    assert [task.key for task in tasks] == [
        "co_facilitator",
        "start",
        "share",
        "close",
        "discuss",
        "actions",
    ]
    assert not any(task.done for task in tasks)
    assert is_new(tasks)


def test_each_task_is_ticked_by_its_own_fact():
    facts = replace(NEW, facilitators=2, rounds=1, any_answer_started=True)

    done = {task.key: task.done for task in checklist(facts)}

    assert done == {
        "co_facilitator": True,
        "start": True,
        "share": True,
        "close": False,
        "discuss": False,
        "actions": False,
    }


def test_a_closed_round_with_too_few_answers_still_counts_as_closed():
    done = {t.key: t.done for t in checklist(replace(NEW, latest_ended_has_results=False))}

    assert done["close"]


def test_after_one_whole_cycle_the_checklist_is_no_longer_shown():
    facts = replace(
        NEW,
        facilitators=2,
        rounds=1,
        any_answer_started=True,
        latest_ended_has_results=True,
        any_discussed=True,
        any_actions=True,
    )

    assert not is_new(checklist(facts))


def test_the_progress_rules_are_pure():
    """No Django, no database: facts in, the step and the ticks out."""
    assert imported_modules(progress.__file__) <= {"dataclasses", "enum"}
