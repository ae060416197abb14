"""What each step of a team conversation shows, from the round's results (which passed the
disclosure gate) and the questionnaire: the one source for the big screen and the phones."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from assessment.meetings import agenda
from assessment.models import ConversationQuestion, Meeting, Round
from assessment.results import kept as results_kept
from assessment.results import scoring
from assessment.results.aggregate import RoundResults, round_results


@dataclass(frozen=True)
class Card:
    """A point to discuss: a statement of the top 10, or a dimension where opinions differ."""

    key: str  # the step key, also the action form's topic
    title: str
    dimension_key: str
    dimension_name: str
    item: scoring.ItemResult | None = None
    dimension: scoring.DimensionResult | None = None
    questions: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Screen:
    """Everything a meeting's screens need, built once per request."""

    meeting: Meeting
    cards: dict[str, Card]
    votes: dict[str, int] = field(default_factory=dict)  # only once the vote is closed
    given_results: RoundResults | None = None

    @cached_property
    def results(self) -> RoundResults:
        # Read only by the steps that show them: a vote's buttons need the cards alone.
        return self.given_results or meeting_results(self.meeting)

    @property
    def step(self) -> str | None:
        return self.meeting.step

    @property
    def kind(self) -> str:
        step = self.step or agenda.CLOSE
        return "card" if agenda.is_card(step) else step

    @property
    def card(self) -> Card | None:
        return self.cards.get(self.step or "")

    @property
    def number(self) -> int:
        return min(self.meeting.position, len(self.meeting.agenda) - 1) + 1

    @property
    def tally(self) -> list[tuple[Card, int]]:
        counted = agenda.tally(self.meeting.agenda, self.votes)
        return [(self.cards[t.card], t.votes) for t in counted if t.card in self.cards]

    @property
    def chosen(self) -> list[tuple[Card, int]]:
        picked = agenda.chosen(self.meeting.agenda, self.votes)
        return [(self.cards[t.card], t.votes) for t in picked if t.card in self.cards]

    def title_of(self, step: str) -> str:
        if step in self.cards:
            return self.cards[step].title
        return str(TITLES.get(step, step))


TITLES = {
    agenda.AGREED: _("What we agreed last time"),
    agenda.OVERVIEW: _("Where we stand"),
    agenda.VOTE: _("Choose what to work on"),
    agenda.AGREE: _("Agree on actions"),
    agenda.CLOSE: _("What we agreed today"),
}


Kept = TypeVar("Kept")


def kept(kind: str, meeting: Meeting, *parts: object, compute: Callable[[], Kept]) -> Kept:
    """What a meeting's screens show, computed once per worker (or once, with a shared cache)
    while nothing it rests on changes: after every step fifteen phones fetch the new one at
    once. The round's state is in the key (results.kept, the one rule for that), with the
    parts it also depends on; a value that follows the meeting's own changes passes its
    revision."""
    return results_kept.kept(f"meeting-{kind}", meeting.round, *parts, compute=compute)


def meeting_results(meeting: Meeting) -> RoundResults:
    """The round's results: a closed round's stay the same while its state does."""
    return kept("results", meeting, compute=lambda: round_results(meeting.round))


def screen(meeting: Meeting, results: RoundResults | None = None) -> Screen:
    votes: dict[str, int] = {}
    if meeting.vote == Meeting.Vote.CLOSED:
        # The tally exists only once the presenter closed the vote: never while it runs.
        votes = dict(
            meeting.votes.order_by()
            .values_list("card")
            .annotate(n=Count("id"))
            .values_list("card", "n")
        )
    cards = kept(
        "cards",
        meeting,
        meeting.pk,
        *meeting.agenda,
        compute=lambda: _cards(meeting, results or meeting_results(meeting)),
    )
    return Screen(meeting=meeting, cards=cards, votes=votes, given_results=results)


def _cards(meeting: Meeting, results: RoundResults) -> dict[str, Card]:
    round: Round = meeting.round
    dimensions = {d.key: d for d in round.version.ordered_dimensions()}
    items = {item.key: item for item in results.items}
    shown = {d.key: d for d in results.dimensions}
    questions = ConversationQuestion.objects.for_dimensions(list(dimensions))
    made = {}
    for step in agenda.cards(meeting.agenda):
        kind, key = step.split(":", 1)
        item = items.get(key) if kind == "i" else None
        dimension_key = item.dimension_key if item else key
        source = dimensions.get(dimension_key)
        if source is None or (kind == "i" and item is None):
            continue  # not in this round's results (the gate held it back)
        made[step] = Card(
            key=step,
            title=item.text if item else source.name,
            dimension_key=dimension_key,
            dimension_name=source.name,
            item=item,
            dimension=shown.get(dimension_key),
            questions=tuple(q.text for q in questions.get(dimension_key, [])),
            suggestions=tuple(source.suggestion_list()),
        )
    return made


def step_titles(screen: Screen) -> list[tuple[int, str, str]]:
    """The agenda as (index, key, title), for the presenter's list of steps."""
    return [(i, step, screen.title_of(step)) for i, step in enumerate(screen.meeting.agenda)]
