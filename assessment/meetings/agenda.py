"""The steps of a team conversation, and the outcome of its vote. Pure: keys and counts in,
lists out; the views turn keys into what a screen shows.

A step key is one of FIXED, or a card: "i:<statement key>" or "d:<dimension key>", the same
topic keys the action form uses, so an action agreed on a card lands on its topic.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

AGREED = "agreed"  # what we agreed last time
OVERVIEW = "overview"
VOTE = "vote"
AGREE = "agree"
CLOSE = "close"
FIXED = (AGREED, OVERVIEW, VOTE, AGREE, CLOSE)

# The dimensions where opinions differ most, as cards beside the top 10.
DIFFERING_CARDS = 3
# The cards the team goes on with after the vote.
CHOSEN_CARDS = 3


def is_card(step: str) -> bool:
    return step[:2] in ("i:", "d:")


def default_agenda(
    *,
    top_items: Sequence[str],
    differing_dimensions: Sequence[str],
    earlier_actions: bool,
) -> list[str]:
    """The order the meeting guide recommends: look back, look at the whole, discuss the
    points, choose, agree, close. `differing_dimensions` come lowest agreement first."""
    steps = [AGREED] if earlier_actions else []
    steps.append(OVERVIEW)
    steps += [f"i:{key}" for key in top_items]
    steps += [f"d:{key}" for key in differing_dimensions[:DIFFERING_CARDS]]
    return steps + [VOTE, AGREE, CLOSE]


def cards(agenda: Iterable[str]) -> list[str]:
    return [step for step in agenda if is_card(step)]


def moved(agenda: Sequence[str], step: str, offset: int) -> list[str]:
    """The agenda with `step` moved `offset` places, staying inside the agenda."""
    steps = list(agenda)
    if step not in steps:
        return steps
    index = steps.index(step)
    target = max(0, min(len(steps) - 1, index + offset))
    steps.insert(target, steps.pop(index))
    return steps


@dataclass(frozen=True)
class Tally:
    card: str
    votes: int


def tally(agenda: Sequence[str], votes: Mapping[str, int]) -> list[Tally]:
    """Every card of the agenda with its votes, most first; ties keep the agenda's order."""
    shown = cards(agenda)
    counted = [Tally(card, votes.get(card, 0)) for card in shown]
    return sorted(counted, key=lambda t: (-t.votes, shown.index(t.card)))


def chosen(agenda: Sequence[str], votes: Mapping[str, int]) -> list[Tally]:
    """The cards the team chose: the most voted, at least one vote each."""
    return [t for t in tally(agenda, votes) if t.votes > 0][:CHOSEN_CARDS]
