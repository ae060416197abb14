"""What the review page tells a respondent about their own answers, per part.

Only this one person's answers, shown to themselves: no team figure, so the disclosure
gate (results/disclosure.py) has nothing to guard here.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Given:
    """What is stored for one statement (or, importance and wanting only, one dimension)."""

    state: bool = False  # a number on the scale
    dont_know: bool = False
    not_applicable: bool = False
    importance: bool = False
    wants: bool = False

    @property
    def answered(self) -> bool:
        """The current-state question: a number, "don't know" or "not applicable"."""
        return self.state or self.dont_know or self.not_applicable

    @property
    def follow_ups(self) -> int:
        return int(self.importance) + int(self.wants)


NOTHING = Given()


@dataclass(frozen=True)
class Part:
    name: str
    item_ids: Sequence[int]
    # The dimension id, when importance and wanting to work on it are asked once for the
    # whole part instead of per statement.
    topic: int | None = None


@dataclass(frozen=True)
class PartSummary:
    page: int
    name: str
    total: int
    answered: int  # the current-state question, "don't know" and "not applicable" included
    dont_know: int
    not_applicable: int = 0
    # Every answer the part asks, and how many of them are given: the states, and importance
    # and wanting to work on it (per statement, skipped after "don't know" or "not
    # applicable"; or once for the part's dimension).
    asked: int = 0
    given: int = 0
    topic: int | None = None  # the dimension id, where the part asks about it as a whole
    topic_open: int = 0  # of the dimension's two questions

    @property
    def asks_topic(self) -> bool:
        return self.topic is not None

    @property
    def complete(self) -> bool:
        return self.answered == self.total and self.given == self.asked


def summarise(
    parts: Sequence[Part],
    statements: Mapping[int, Given],
    topics: Mapping[int, Given] | None = None,
) -> list[PartSummary]:
    """`parts` in page order (page 1 first); `statements` by item id and `topics` by
    dimension id hold what is stored, and anything else counts as not answered."""
    topics = topics or {}
    summaries = []
    for page, part in enumerate(parts, start=1):
        given = [statements.get(item_id, NOTHING) for item_id in part.item_ids]
        answered = sum(1 for one in given if one.answered)
        skipped = sum(1 for one in given if one.dont_know or one.not_applicable)
        if part.topic is None:
            asked = 3 * len(given) - 2 * skipped
            follow_ups = sum(one.follow_ups for one in given)
            topic_open = 0
        else:
            asked = len(given) + 2
            follow_ups = topics.get(part.topic, NOTHING).follow_ups
            topic_open = 2 - follow_ups
        summaries.append(
            PartSummary(
                page=page,
                name=part.name,
                total=len(given),
                answered=answered,
                dont_know=sum(1 for one in given if one.dont_know),
                not_applicable=sum(1 for one in given if one.not_applicable),
                asked=asked,
                given=answered + follow_ups,
                topic=part.topic,
                topic_open=topic_open,
            )
        )
    return summaries
