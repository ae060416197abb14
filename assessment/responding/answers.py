"""Reading one questionnaire page's answers from a form post, with every problem named.

Field names: `s-<item id>` (current state: 1..max, "dk" for don't know, and "na" for not
applicable where the version asks it apart; otherwise "dk" stands for both), `i-<item id>`
(importance: 1..max) and `w-<item id>` ("yes" / "no"). A version that asks importance and
wanting to work on it once per dimension has `di-<dimension id>` and `dw-<dimension id>`
instead of the item's `i-` and `w-`. The closing page has `mark` (1..10, or empty).

The page form and the page's script (one answer saved the moment it is tapped) are both
read here, so one rule decides what an answer is.
"""

import re
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.parsing import parse_id

DONT_KNOW = "dk"
NOT_APPLICABLE = "na"
MARK_MAX = 10
FIELD = re.compile(r"^(s|i|w|di|dw)-(\d+)$")
ITEM, TOPIC = "item", "topic"


@dataclass(frozen=True)
class ItemAnswer:
    item_id: int
    state: int | None = None
    dont_know: bool = False
    not_applicable: bool = False
    importance: int | None = None
    wants_to_work: bool | None = None

    @property
    def is_empty(self) -> bool:
        return (
            self.state is None
            and not self.dont_know
            and not self.not_applicable
            and self.importance is None
            and self.wants_to_work is None
        )


@dataclass(frozen=True)
class TopicAnswer:
    """Importance and wanting to work on it, for the page's dimension as a whole."""

    dimension_id: int
    importance: int | None = None
    wants_to_work: bool | None = None

    @property
    def is_empty(self) -> bool:
        return self.importance is None and self.wants_to_work is None


@dataclass(frozen=True)
class PageAnswers:
    answers: dict[int, ItemAnswer]
    errors: dict[int, str]
    # A field for a question that is not on this page: a tampered or stale form.
    foreign_items: bool
    topic: TopicAnswer | None = None  # only on a page that asks about its dimension
    topic_error: str | None = None


@dataclass(frozen=True)
class _Reading:
    """One question's follow-ups as read, or the problem that kept them from being read."""

    importance: int | None = None
    wants: bool | None = None
    problem: str | None = None


ONE_ANSWER = gettext_noop("Give one answer per question.")
SHOWN_ANSWER = gettext_noop("Choose one of the answers shown.")


def _scale_value(raw: str, maximum: int) -> int | None:
    value = parse_id(raw, max_digits=2)
    return value if value is not None and 1 <= value <= maximum else None


def _single(data: QueryDict, names: list[str]) -> dict[str, str] | None:
    """Each field's one value, stripped ("" when absent); None when one came twice."""
    values = {name: data.getlist(name) for name in names}
    if any(len(given) > 1 for given in values.values()):
        return None
    return {name: given[0].strip() if given else "" for name, given in values.items()}


def _follow_ups(importance: str, wants: str, importance_max: int) -> _Reading:
    """How important, and wanting to work on it: one rule for a statement and a dimension."""
    value = None
    if importance:
        value = _scale_value(importance, importance_max)
        if value is None:
            return _Reading(problem=SHOWN_ANSWER)
    if wants and wants not in ("yes", "no"):
        return _Reading(problem=SHOWN_ANSWER)
    return _Reading(importance=value, wants=(wants == "yes") if wants else None)


def _foreign(data: QueryDict, item_ids: set[int], topic: int | None, question_kinds: str) -> bool:
    """An answer field that is not a question of this page: an item or a dimension that is
    not here, a number we do not read (5,000 digits, "٣"), or a question this version asks
    elsewhere (importance per statement on a page that asks it per dimension, or the reverse)."""
    for name in data:
        match = FIELD.match(name)
        if not match:
            continue
        kind, number = match.group(1), parse_id(match.group(2))
        if kind.startswith("d"):
            if topic is None or number != topic:
                return True
        elif kind not in question_kinds or number not in item_ids:
            return True
    return False


def _item(
    data: QueryDict,
    item_id: int,
    *,
    state_max: int,
    importance_max: int,
    follow_ups: bool,
    separate_not_applicable: bool,
) -> ItemAnswer | str:
    """One statement's answer, or its problem in words."""
    raw = _single(data, [f"{kind}-{item_id}" for kind in ("siw" if follow_ups else "s")])
    if raw is None:
        return _(ONE_ANSWER)
    state_raw = raw[f"s-{item_id}"]
    # Whoever cannot judge a statement, or finds it does not apply, is not asked how
    # important it is or whether they want to work on it (the page hides both): what came
    # along is dropped, so neither weighs in on importance or the willing hands.
    if state_raw == DONT_KNOW:
        return ItemAnswer(item_id=item_id, dont_know=True)
    if state_raw == NOT_APPLICABLE and separate_not_applicable:
        return ItemAnswer(item_id=item_id, not_applicable=True)
    state = _scale_value(state_raw, state_max) if state_raw else None
    if state_raw and state is None:
        return _(SHOWN_ANSWER)
    reading = _Reading()
    if follow_ups:
        reading = _follow_ups(raw[f"i-{item_id}"], raw[f"w-{item_id}"], importance_max)
    if reading.problem:
        return _(reading.problem)
    return ItemAnswer(
        item_id=item_id, state=state, importance=reading.importance, wants_to_work=reading.wants
    )


def _topic(data: QueryDict, dimension_id: int, importance_max: int) -> TopicAnswer | str:
    raw = _single(data, [f"di-{dimension_id}", f"dw-{dimension_id}"])
    if raw is None:
        return _(ONE_ANSWER)
    reading = _follow_ups(raw[f"di-{dimension_id}"], raw[f"dw-{dimension_id}"], importance_max)
    if reading.problem:
        return _(reading.problem)
    return TopicAnswer(
        dimension_id=dimension_id, importance=reading.importance, wants_to_work=reading.wants
    )


def parse_page(
    data: QueryDict,
    item_ids: list[int],
    *,
    state_max: int,
    importance_max: int,
    topic: int | None = None,
    separate_not_applicable: bool = False,
) -> PageAnswers:
    """`topic`: the page's dimension id when the version asks importance and wanting to work
    on it once per dimension (then never per statement); `separate_not_applicable`: "na" is
    an answer of its own beside "dk"."""
    follow_ups = topic is None
    foreign = _foreign(data, set(item_ids), topic, "siw" if follow_ups else "s")
    answers: dict[int, ItemAnswer] = {}
    errors: dict[int, str] = {}
    for item_id in item_ids:
        read = _item(
            data,
            item_id,
            state_max=state_max,
            importance_max=importance_max,
            follow_ups=follow_ups,
            separate_not_applicable=separate_not_applicable,
        )
        if isinstance(read, str):
            errors[item_id] = read
        else:
            answers[item_id] = read
    if topic is None:
        return PageAnswers(answers=answers, errors=errors, foreign_items=foreign)
    # Asked even when every statement got "don't know": it is about the topic, not them.
    about = _topic(data, topic, importance_max)
    return PageAnswers(
        answers=answers,
        errors=errors,
        foreign_items=foreign,
        topic=None if isinstance(about, str) else about,
        topic_error=about if isinstance(about, str) else None,
    )


def posted_questions(data: QueryDict) -> set[tuple[str, int]]:
    """The questions the post gives an answer field for: (ITEM, item id) or (TOPIC,
    dimension id). A number we cannot read is left out: parse_page calls that field foreign."""
    posted = set()
    for name in data:
        if (match := FIELD.match(name)) and (number := parse_id(match.group(2))) is not None:
            posted.add((TOPIC if match.group(1).startswith("d") else ITEM, number))
    return posted


def posted_items(data: QueryDict) -> set[int]:
    """The items the post gives an answer field for."""
    return {number for kind, number in posted_questions(data) if kind == ITEM}


def parse_mark(data: QueryDict) -> tuple[int | None, str | None]:
    """The report mark (None: not given, which is allowed), or the problem in words."""
    raw = _single(data, ["mark"])
    if raw is None:
        return None, _(ONE_ANSWER)
    if not raw["mark"]:
        return None, None
    mark = _scale_value(raw["mark"], MARK_MAX)
    return (mark, None) if mark is not None else (None, _(SHOWN_ANSWER))
