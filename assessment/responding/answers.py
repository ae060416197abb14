"""Reading one questionnaire page's answers from a form post, with every problem named.

Field names: `s-<item id>` (current state: 1..max, or "dk" for don't know / not
applicable), `i-<item id>` (importance: 1..max) and `w-<item id>` ("yes" / "no").

The page form and the page's script (one answer saved the moment it is tapped) are both
read here, so one rule decides what an answer is.
"""

import re
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from config.parsing import parse_id

DONT_KNOW = "dk"
FIELD = re.compile(r"^([siw])-(\d+)$")


@dataclass(frozen=True)
class ItemAnswer:
    item_id: int
    state: int | None = None
    dont_know: bool = False
    importance: int | None = None
    wants_to_work: bool | None = None

    @property
    def is_empty(self) -> bool:
        return (
            self.state is None
            and not self.dont_know
            and self.importance is None
            and self.wants_to_work is None
        )


@dataclass(frozen=True)
class PageAnswers:
    answers: dict[int, ItemAnswer]
    errors: dict[int, str]
    # A field for an item that is not on this page: a tampered or stale form.
    foreign_items: bool


def _scale_value(raw: str, maximum: int) -> int | None:
    value = parse_id(raw, max_digits=2)
    return value if value is not None and 1 <= value <= maximum else None


def parse_page(
    data: QueryDict, item_ids: list[int], *, state_max: int, importance_max: int
) -> PageAnswers:
    on_page = set(item_ids)
    # An answer field whose number is not an item here, or no number we read (5,000 digits,
    # "٣"), comes from a stale or tampered form.
    foreign = any(
        (match := FIELD.match(name)) and parse_id(match.group(2)) not in on_page for name in data
    )
    answers: dict[int, ItemAnswer] = {}
    errors: dict[int, str] = {}
    for item_id in item_ids:
        values = {kind: data.getlist(f"{kind}-{item_id}") for kind in "siw"}
        if any(len(given) > 1 for given in values.values()):
            errors[item_id] = _("Give one answer per question.")
            continue
        raw = {kind: given[0].strip() if given else "" for kind, given in values.items()}
        state = importance = wants = None
        problem = False
        if raw["s"] == DONT_KNOW:
            # Whoever cannot judge a statement is not asked how important it is or whether
            # they want to work on it (the page hides both): what came along is dropped, so
            # a "don't know" never weighs in on importance or the willing hands.
            answers[item_id] = ItemAnswer(item_id=item_id, dont_know=True)
            continue
        if raw["s"]:
            state = _scale_value(raw["s"], state_max)
            problem |= state is None
        if raw["i"]:
            importance = _scale_value(raw["i"], importance_max)
            problem |= importance is None
        if raw["w"] in ("yes", "no"):
            wants = raw["w"] == "yes"
        elif raw["w"]:
            problem = True
        if problem:
            errors[item_id] = _("Choose one of the answers shown.")
            continue
        answers[item_id] = ItemAnswer(
            item_id=item_id,
            state=state,
            importance=importance,
            wants_to_work=wants,
        )
    return PageAnswers(answers=answers, errors=errors, foreign_items=foreign)


def posted_items(data: QueryDict) -> set[int]:
    """The items the post gives an answer field for (a number we cannot read is left out:
    parse_page calls that field foreign)."""
    named = (parse_id(match.group(2)) for name in data if (match := FIELD.match(name)))
    return {item_id for item_id in named if item_id is not None}
