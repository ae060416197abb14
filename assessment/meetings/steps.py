"""What each step of a team conversation shows, from the round's results (which passed the
disclosure gate) and the questionnaire: the one source for the big screen and the phones."""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessment.meetings import agenda
from assessment.models import ConversationQuestion, Meeting, Round
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
    results: RoundResults
    cards: dict[str, Card]
    votes: dict[str, int] = field(default_factory=dict)  # only once the vote is closed

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


# How long a worker keeps a round's results and cards for its conversation's screens.
KEPT_SECONDS = 600


def _round_state(round: Round) -> str:
    """Everything a closed round's results change with: reopened, closed again, released.
    Its creation time keeps a reused id (a test database) from meeting an old entry."""
    stamps = (round.created, round.closed_at, round.shown_until, round.released_until)
    return _digest(round.pk, *stamps, get_language())


def _digest(*parts: object) -> str:
    # A cache key of safe characters and fixed length, whatever the parts hold.
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()


def meeting_results(meeting: Meeting) -> RoundResults:
    """The round's results, computed once per worker for all its screens: after every step
    fifteen phones fetch the new one at once, and a closed round's results stay the same
    (the key follows every change they could have; see _round_state)."""
    key = f"meeting-results:{_round_state(meeting.round)}"
    results = cache.get(key)
    if results is None:
        results = round_results(meeting.round)
        cache.set(key, results, KEPT_SECONDS)
    return results


def screen(meeting: Meeting, results: RoundResults | None = None) -> Screen:
    results = results or meeting_results(meeting)
    votes: dict[str, int] = {}
    if meeting.vote == Meeting.Vote.CLOSED:
        # The tally exists only once the presenter closed the vote: never while it runs.
        votes = dict(
            meeting.votes.order_by()
            .values_list("card")
            .annotate(n=Count("id"))
            .values_list("card", "n")
        )
    key = "meeting-cards:" + _digest(meeting.pk, _round_state(meeting.round), *meeting.agenda)
    cards = cache.get(key)
    if cards is None:
        cards = _cards(meeting, results)
        cache.set(key, cards, KEPT_SECONDS)
    return Screen(meeting=meeting, results=results, cards=cards, votes=votes)


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
