"""Where a team stands: its one next step, and the first-run checklist of a new facilitator.

Pure: facts about the team in, decisions out, no ORM (the team page gathers the facts).
"""

from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    START = "start"  # no round yet, or the last plan is made: measure (again)
    SHARE = "share"  # a round is open and still needs answers
    CLOSE = "close"  # a round is open and enough of the team answered
    REOPEN = "reopen"  # the last round ended with too few answers for results
    DISCUSS = "discuss"  # results are there: discuss them and agree actions
    FOLLOW_UP = "follow_up"  # actions agreed: work on them, measure again later


@dataclass(frozen=True)
class TeamFacts:
    facilitators: int  # facilitators of the team, including those invited
    rounds: int
    open_round: bool
    open_round_may_close: bool  # Round.may_close of the open round
    any_answer_started: bool  # in any round: the link reached someone
    latest_ended_has_results: bool | None  # None: no round has ended
    latest_ended_has_actions: bool
    any_discussed: bool
    any_actions: bool


def next_step(facts: TeamFacts) -> Step:
    if facts.open_round:
        return Step.CLOSE if facts.open_round_may_close else Step.SHARE
    if facts.latest_ended_has_results is None:
        return Step.START
    if not facts.latest_ended_has_results:
        return Step.REOPEN
    return Step.FOLLOW_UP if facts.latest_ended_has_actions else Step.DISCUSS


@dataclass(frozen=True)
class Task:
    key: str
    done: bool


def checklist(facts: TeamFacts) -> list[Task]:
    """One cycle, in order. Each tick comes from what happened, never from a click alone,
    except "discussed", which only the facilitator knows."""
    return [
        Task("co_facilitator", facts.facilitators >= 2),
        Task("start", facts.rounds > 0),
        Task("share", facts.any_answer_started),
        Task("close", facts.latest_ended_has_results is not None),
        Task("discuss", facts.any_discussed),
        Task("actions", facts.any_actions),
    ]


def is_new(tasks: list[Task]) -> bool:
    """The checklist shows until the team has been through one whole cycle."""
    return not all(task.done for task in tasks)
