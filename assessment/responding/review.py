"""What the review page tells a respondent about their own answers, per part.

Only this one person's answers, shown to themselves: no team figure, so the disclosure
gate (results/disclosure.py) has nothing to guard here.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PartSummary:
    page: int
    name: str
    total: int
    answered: int  # the current-state question, "don't know" included
    dont_know: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def summarise(
    parts: Sequence[tuple[str, Iterable[int]]], answered: set[int], dont_know: set[int]
) -> list[PartSummary]:
    """`parts`: each page's name and item ids, in page order (page 1 first).

    `answered` holds the items with a state or "don't know"; `dont_know` those with
    "don't know".
    """
    summaries = []
    for page, (name, item_ids) in enumerate(parts, start=1):
        ids = list(item_ids)
        summaries.append(
            PartSummary(
                page=page,
                name=name,
                total=len(ids),
                answered=sum(1 for item_id in ids if item_id in answered),
                dont_know=sum(1 for item_id in ids if item_id in dont_know),
            )
        )
    return summaries
