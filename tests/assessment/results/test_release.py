"""Reopening a round that was read (assessment/results/release.py), through the real pages.

A round that closes and is read, then reopened, keeps showing what was read until the
colleagues who answered since could be published on their own. Every colleague here
answers through the respondent's pages, and the facilitator closes and reopens through
the round's buttons. Each test names the attack it guards against.
"""

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessment.models import DimensionScore, Round, Sector
from assessment.questionnaire.structure import structure
from tests.assessment.results.test_results import (
    _csv_number,
    _csv_rows,
    _figures,
    _item_rows,
    _nl,
)

States = Callable[[int, int], int]  # (person, item's position) -> the state answered


def _varied(person: int, position: int) -> int:
    """Answers that differ between people and statements, so every mean is uncommon."""
    return 1 + (3 * person + position) % 5


def _all(value: int) -> States:
    return lambda _person, _position: value


@pytest.fixture
def round(team, questionnaire):
    """A round with the thresholds every round gets: means from 3, spreads from 5."""
    round = Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")
    assert (round.anonymity_threshold, round.breakdown_threshold) == (3, 5)
    return round


class Facilitator:
    """The team's facilitator at the round's buttons and its results."""

    def __init__(self, client: Client, round: Round) -> None:
        self.client = client
        self.round = round

    def close(self) -> None:
        assert self.client.post(reverse("round_close", args=[self.round.pk])).status_code == 302
        self.round.refresh_from_db()
        assert not self.round.is_open

    def reopen(self) -> None:
        assert self.client.post(reverse("round_reopen", args=[self.round.pk])).status_code == 302
        self.round.refresh_from_db()
        assert self.round.is_open

    def reads(self) -> "Reading":
        return Reading(self.client, self.round)

    def closes_and_reads(self) -> "Reading":
        self.close()
        return self.reads()


@pytest.fixture
def facilitator_pages(login, facilitator, round) -> Facilitator:
    return Facilitator(login(facilitator), round)


class Colleagues:
    """The team's colleagues, each answering through the round's link in a browser of
    their own; `person` numbers them across the whole test."""

    def __init__(self, round: Round) -> None:
        self.round = round
        self.person = 0

    def submit(
        self,
        count: int = 1,
        *,
        states: States = _varied,
        skip: frozenset[str] = frozenset(),
        sector: str = Sector.SCHOOL,
        only: dict[str, list[int]] | None = None,
    ) -> None:
        """`count` colleagues submit. They leave the dimensions in `skip` unanswered; `only`
        gives, per item key, the states those colleagues give there in turn."""
        for turn in range(count):
            overrides = {key: states_[turn] for key, states_ in (only or {}).items()}
            self._one(states, skip, sector, overrides)
            self.person += 1

    def _one(self, states: States, skip, sector: str, overrides: dict[str, int]) -> None:
        client = Client()
        started = client.post(reverse("respond_start", args=[self.round.token]))
        assert started.status_code == 302
        token = started.cookies[self.round.cookie_name].value
        background = {"sector": sector, "position": "staff"}
        saved = client.post(reverse("respond_background", args=[token]), background)
        assert saved.status_code == 302
        shape = structure(self.round.version)
        position = 0
        for page, dimension in enumerate(shape.dimensions, start=1):
            fields = {"nav": "next"}
            for item in shape.items[dimension.pk]:
                if dimension.key not in skip:
                    state = overrides.get(item.key, states(self.person, position))
                    fields[f"s-{item.pk}"] = str(state)
                    fields[f"i-{item.pk}"] = str(1 + (self.person + position) % 3)
                    fields[f"w-{item.pk}"] = "yes" if (self.person + position) % 2 else "no"
                position += 1
            saved = client.post(reverse("respond_page", args=[token, page]), fields)
            assert saved.status_code == 302, saved.content
        submitted = client.post(reverse("respond_submit", args=[token]))
        assert submitted.url == reverse("respond_thanks", args=[token])


@pytest.fixture
def colleagues(round) -> Colleagues:
    return Colleagues(round)


class Reading:
    """Everything a facilitator can read of a round at one moment: the page and the CSV."""

    def __init__(self, client: Client, round: Round) -> None:
        self.page = client.get(reverse("round_results", args=[round.pk]))
        self.csv = client.get(reverse("round_results_csv", args=[round.pk]))
        assert self.page.status_code == self.csv.status_code == 200
        self.results = self.page.context["results"]
        self.figures = _figures(self.page)

    @property
    def means(self) -> dict[str, float]:
        return {dimension.key: dimension.mean for dimension in self.results.dimensions}

    def same_figures_as(self, other: "Reading") -> None:
        assert self.csv.content == other.csv.content
        assert self.figures == other.figures
        assert self.results.dimensions == other.results.dimensions
        assert self.results.items == other.results.items
        assert self.results.sectors == other.results.sectors
        assert self.results.completed == other.results.completed


def _stored_means(round: Round, responses=None) -> dict[str, float]:
    """Per dimension, the mean of the stored scores of the given (default: all) responses."""
    scores: dict[str, list[float]] = {}
    rows = DimensionScore.objects.filter(
        response__round=round, response__submitted_at__isnull=False
    )
    if responses is not None:
        rows = rows.filter(response__in=responses)
    for key, score in rows.values_list("dimension__key", "score"):
        scores.setdefault(key, []).append(score)
    return {key: sum(values) / len(values) for key, values in scores.items()}


def _first(round: Round, count: int) -> list[int]:
    """The first `count` responses submitted in the round."""
    return list(round.responses.order_by("submitted_at", "pk").values_list("pk", flat=True))[:count]


def _text(page) -> str:
    """The page's text as a reader sees it: entities decoded, white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(page.content.decode()))


def _held_back_notice(count: int) -> str:
    with translation.override("nl"):
        return translation.ngettext(
            "%(count)s questionnaire came in after the round was reopened. It is added to "
            "these results once enough new colleagues have answered that nobody's answers "
            "can be told apart; until then you see the results as they were.",
            "%(count)s questionnaires came in after the round was reopened. They are added to "
            "these results once enough new colleagues have answered that nobody's answers "
            "can be told apart; until then you see the results as they were.",
            count,
        ) % {"count": count}


def _assert_all_differ(before: dict[str, float], after: dict[str, float]) -> None:
    """The newcomers move every dimension's mean: a test that they are held back means it."""
    assert before.keys() == after.keys()
    for key in before:
        assert before[key] != pytest.approx(after[key]), key


# Held back


def test_one_colleague_after_reopening_changes_no_figure_and_is_announced_as_held_back(
    facilitator_pages, round, colleagues
):
    """Attack: read the CSV at 3, reopen, let one colleague answer, close and read again:
    the difference would be that colleague's answers."""
    colleagues.submit(3)
    before = facilitator_pages.closes_and_reads()
    assert before.results.visible and before.results.completed == 3
    assert before.results.held_back == 0
    assert _held_back_notice(1) not in _text(before.page)

    facilitator_pages.reopen()
    colleagues.submit(states=_all(5))
    after = facilitator_pages.closes_and_reads()

    after.same_figures_as(before)
    assert after.results.completed == 3
    assert _csv_rows(after.csv)[1] == [_nl("Completed responses"), "3"]
    assert after.results.held_back == 1
    assert _held_back_notice(1) in _text(after.page)
    # The newcomer would have moved every mean: the figures stayed because they were held.
    assert round.responses.filter(submitted_at__isnull=False).count() == 4
    _assert_all_differ(_stored_means(round, _first(round, 3)), _stored_means(round))
    assert before.means == pytest.approx(_stored_means(round, _first(round, 3)))
    # The team's own link shows the same.
    public = Client().get(reverse("results_public", args=[round.token]))
    assert _figures(public) == before.figures
    assert public.context["results"].held_back == 1
    round.refresh_from_db()
    assert round.released_until is not None
    assert round.shown_until == round.released_until


@pytest.mark.parametrize(
    ("breakdown", "newcomers"),
    [(5, 5), (3, 3)],
    ids=["spreads-from-5-five-newcomers", "spreads-from-3-three-newcomers"],
)
def test_enough_colleagues_after_reopening_who_answer_everything_are_added_to_the_figures(
    facilitator_pages, round, colleagues, breakdown, newcomers
):
    """Attack (the counterpart): holding back for ever would hide a team's real answers;
    newcomers who could be published on their own are added. With spreads from 5 (every
    round's default) that takes five of them, since the spreads appear with them."""
    Round.objects.filter(pk=round.pk).update(breakdown_threshold=breakdown)
    colleagues.submit(3)
    before = facilitator_pages.closes_and_reads()

    facilitator_pages.reopen()
    colleagues.submit(newcomers, states=_all(5))
    after = facilitator_pages.closes_and_reads()

    total = 3 + newcomers
    assert after.results.completed == total
    assert after.results.held_back == 0
    assert _held_back_notice(newcomers) not in _text(after.page)
    stored = _stored_means(round)
    assert after.means == pytest.approx(stored)
    assert all(dimension.n == total for dimension in after.results.dimensions)
    _assert_all_differ(before.means, after.means)
    assert _csv_rows(after.csv)[1] == [_nl("Completed responses"), str(total)]
    round.refresh_from_db()
    assert round.shown_until is None


def test_three_colleagues_after_reopening_are_held_back_while_the_spreads_need_five(
    facilitator_pages, round, colleagues
):
    """Attack: the spread read at 5 against the spread at 8 gives the sum of squares of
    the three newcomers, a spread of three people, where spreads need five."""
    colleagues.submit(5)
    before = facilitator_pages.closes_and_reads()
    assert before.results.spreads_visible

    facilitator_pages.reopen()
    colleagues.submit(3, states=_all(5))  # enough for every mean, not for a spread
    held = facilitator_pages.closes_and_reads()

    held.same_figures_as(before)
    assert held.results.held_back == 3
    assert _held_back_notice(3) in _text(held.page)

    facilitator_pages.reopen()
    colleagues.submit(2, states=_all(5))
    released = facilitator_pages.closes_and_reads()

    assert released.results.completed == 10
    assert released.results.held_back == 0
    assert released.means == pytest.approx(_stored_means(round))


@pytest.mark.parametrize(
    ("breakdown", "newcomers"),
    [(5, 5), (3, 3)],
    ids=["spreads-from-5-five-newcomers", "spreads-from-3-three-newcomers"],
)
def test_a_dimension_only_one_newcomer_answered_holds_back_every_figure(
    facilitator_pages, round, colleagues, breakdown, newcomers
):
    """Attack: newcomers enough in number, but only one of them answers one dimension. Were
    the other figures released, that dimension's mean (and its statements' states) over 3
    against over 4 would give that one colleague's answers; were only that dimension held
    back, the other figures would still show when its answers came in. So nothing moves."""
    Round.objects.filter(pk=round.pk).update(breakdown_threshold=breakdown)
    colleagues.submit(3)
    before = facilitator_pages.closes_and_reads()
    vision = "shared-vision"
    assert vision in before.means

    facilitator_pages.reopen()
    colleagues.submit(states=_all(5))
    colleagues.submit(newcomers - 1, states=_all(5), skip=frozenset({vision}))
    after = facilitator_pages.closes_and_reads()

    after.same_figures_as(before)
    assert after.results.completed == 3
    assert after.results.held_back == newcomers
    assert _held_back_notice(newcomers) in _text(after.page)
    # Every other dimension would have moved: all-or-nothing holds them back too.
    everyone = _stored_means(round)
    others = {key: mean for key, mean in before.means.items() if key != vision}
    _assert_all_differ(others, {key: everyone[key] for key in others})
    round.refresh_from_db()
    assert round.shown_until == round.released_until is not None


# The other pages that show a round's figures


def _compare_row(client: Client, team) -> tuple:
    page = client.get(reverse("compare_teams"))
    assert page.status_code == 200
    (row,) = [row for row in page.context["comparison"].rows if row.team_id == team.pk]
    return page, row


def _compare_csv_row(client: Client, team) -> list[str]:
    """The team's row of the coordinator's CSV: name, network, round, closed, completed,
    team size, response rate, average, change, then one mean per dimension in the
    questionnaire's order."""
    rows = _csv_rows(client.get(reverse("compare_csv")))
    assert rows[0][4] == _nl("Completed responses")
    (row,) = [row for row in rows[1:] if row and row[0] == team.name]
    return row


def _assert_compare_shows(client: Client, team, reading: Reading, dimensions) -> None:
    page, row = _compare_row(client, team)
    assert row.completed == reading.results.completed
    assert row.means == pytest.approx(reading.means)
    assert page.context["comparison"].network_average == pytest.approx(reading.means)
    csv_row = _compare_csv_row(client, team)
    assert csv_row[4] == str(reading.results.completed)
    assert len(csv_row) == 9 + len(dimensions)
    for cell, dimension in zip(csv_row[9:], dimensions, strict=True):
        # Two decimals, as in the team's own CSV.
        assert _csv_number(cell) == pytest.approx(reading.means[dimension.key], abs=0.0051)


@pytest.mark.parametrize("newcomers", [1, 5], ids=["held-back", "released"])
def test_the_coordinator_sees_the_figures_the_team_sees(
    facilitator_pages, login, coordinator, team, round, colleagues, newcomers
):
    """Attack: the coordinator's comparison, page or CSV, showing the round with the
    newcomers while the team's page holds them back; reading both gives them away."""
    colleagues.submit(3)
    before = facilitator_pages.closes_and_reads()
    coordinator_client = login(coordinator)
    dimensions = structure(round.version).dimensions
    _assert_compare_shows(coordinator_client, team, before, dimensions)

    facilitator_pages.reopen()
    colleagues.submit(newcomers, states=_all(5))
    after = facilitator_pages.closes_and_reads()

    _assert_compare_shows(coordinator_client, team, after, dimensions)
    if newcomers == 1:
        after.same_figures_as(before)
        assert _compare_row(coordinator_client, team)[1].completed == 3
    else:
        assert after.results.completed == 8
        assert after.means == pytest.approx(_stored_means(round))
        assert _compare_row(coordinator_client, team)[1].means == pytest.approx(
            _stored_means(round)
        )


def test_a_later_rounds_trend_shows_this_round_as_it_was_read(
    facilitator_pages, team, questionnaire, round, colleagues
):
    """Attack: the trend on the next round's page showing the earlier round with its
    held-back newcomer, beside the earlier round's own page without them."""
    colleagues.submit(3)
    read = facilitator_pages.closes_and_reads()
    facilitator_pages.reopen()
    colleagues.submit(states=_all(5))
    facilitator_pages.close()
    assert facilitator_pages.reads().results.held_back == 1

    created = facilitator_pages.client.post(
        reverse("round_create", args=[team.pk]),
        {"title": "Voorjaar 2027", "version": questionnaire.pk, "anonymity_threshold": 3},
    )
    assert created.status_code == 302
    later = Round.objects.get(team=team, title="Voorjaar 2027")
    Colleagues(later).submit(3, states=_all(2))
    page = Facilitator(facilitator_pages.client, later).closes_and_reads()

    trend = page.results.trend
    assert [r.pk for r in trend.rounds] == [round.pk, later.pk]
    for dimension in trend.dimensions:
        earlier = dimension.cells[0]
        assert earlier.n == 3
        assert earlier.mean == pytest.approx(read.means[dimension.key])
    assert trend.previous_means() == pytest.approx(read.means)
    earlier_states = {item.key: item.state for item in read.results.items}
    for change in trend.items:
        assert change.previous == pytest.approx(earlier_states[change.key])
    (previous,) = [
        trace
        for trace in page.figures["radar-figure"]["data"]
        if trace.get("name") == _nl("Previous round")
    ]
    dimensions = [d.key for d in page.results.dimensions]
    assert previous["r"][:-1] == pytest.approx([read.means[key] for key in dimensions])
    rows = _csv_rows(page.csv)
    start = rows.index([_nl("Trend"), _nl("Key"), round.title, later.title, _nl_trend_change()])
    for row in rows[start + 1 : start + 1 + len(dimensions)]:
        assert row[2] == f"{read.means[row[1]]:.2f}".replace(".", ",")


def _nl_trend_change() -> str:
    with translation.override("nl"):
        return translation.pgettext("trend between rounds", "Change")


# Reopening that holds nothing back


def test_a_round_that_never_reached_its_threshold_can_be_reopened_and_closed_freely(
    facilitator_pages, round, colleagues
):
    """Attack (the counterpart): nothing was shown, so nothing can be differenced; holding
    back here would only keep a small team from ever seeing its results."""
    facilitator_pages.close()
    facilitator_pages.reopen()
    colleagues.submit(2)
    unread = facilitator_pages.closes_and_reads()
    assert not unread.results.visible
    assert unread.results.completed == 2
    facilitator_pages.reopen()
    assert (round.released_until, round.shown_until) == (None, None)

    colleagues.submit(1)
    read = facilitator_pages.closes_and_reads()

    assert read.results.visible
    assert read.results.completed == 3
    assert read.results.held_back == 0
    assert read.means == pytest.approx(_stored_means(round))
    round.refresh_from_db()
    assert (round.released_until, round.shown_until) == (None, None)
    # Now that it was read, reopening does hold newcomers back.
    facilitator_pages.reopen()
    assert round.released_until is not None


def test_reopening_again_keeps_the_figures_of_the_first_reading(
    facilitator_pages, round, colleagues
):
    """Attack: close and reopen once more, so that the held-back newcomer counts as read
    from then on; the next newcomers would then be added to a round that already shows
    the first one, and the figures before and after would give that first one away."""
    Round.objects.filter(pk=round.pk).update(breakdown_threshold=3)
    colleagues.submit(3)
    first = facilitator_pages.closes_and_reads()
    facilitator_pages.reopen()
    released_until = round.released_until
    facilitator_pages.reopen()  # twice in a row: nothing changes
    assert round.released_until == released_until

    colleagues.submit(states=_all(5))
    facilitator_pages.close()
    facilitator_pages.reopen()
    assert round.released_until == round.shown_until == released_until
    colleagues.submit(states=_all(5))
    second = facilitator_pages.closes_and_reads()

    second.same_figures_as(first)
    assert second.results.held_back == 2
    assert _held_back_notice(2) in _text(second.page)

    # The third newcomer makes three who can be published on their own: all six show.
    facilitator_pages.reopen()
    assert round.released_until == released_until
    colleagues.submit(states=_all(5))
    third = facilitator_pages.closes_and_reads()
    assert third.results.completed == 6
    assert third.results.held_back == 0
    assert third.means == pytest.approx(_stored_means(round))


def test_a_newcomer_alone_in_a_sector_holds_back_the_whole_release(
    facilitator_pages, round, colleagues
):
    """Attack: a sector's mean read at 5 and again with one newcomer of that sector: the
    difference is that one colleague's scores."""
    colleagues.submit(5, sector=Sector.SCHOOL)
    colleagues.submit(5, sector=Sector.CHILDCARE)
    before = facilitator_pages.closes_and_reads()
    assert {sector.value for sector in before.results.sectors} == {
        Sector.SCHOOL,
        Sector.CHILDCARE,
    }

    facilitator_pages.reopen()
    colleagues.submit(5, states=_all(5), sector=Sector.SCHOOL)
    colleagues.submit(1, states=_all(5), sector=Sector.CHILDCARE)
    after = facilitator_pages.closes_and_reads()

    after.same_figures_as(before)
    assert after.results.held_back == 6


def _charted_counts(reading: Reading, key: str) -> tuple[int, ...] | None:
    """An item's answers per bar (per option, or per group) as a reader works them out
    from the shares and the number of answers."""
    item = next((item for item in reading.results.items if item.key == key), None)
    if item is None or item.distribution is None:
        return None
    return tuple(int(share * item.distribution.n + 0.5) for share in item.distribution.shares)


def _groups(counts: tuple[int, ...]) -> tuple[int, int, int]:
    half = len(counts) // 2
    middle = counts[half] if len(counts) % 2 else 0
    return sum(counts[:half]), middle, sum(counts[len(counts) - half :])


def test_the_distributions_before_and_after_a_release_never_differ_by_a_few_answers(
    facilitator_pages, round, colleagues
):
    """Attack: one statement read per answer at 10 (three 1s, four 3s, three 5s); five
    newcomers, one answering 1 and four answering 3. Released, the two distributions
    differ by one answer of 1: one newcomer's answer, which the newcomers' own
    distribution would never show."""
    statement = next(
        item.key for item in structure(round.version).all_items if not item.reverse_scored
    )
    colleagues.submit(10, only={statement: [1, 1, 1, 3, 3, 3, 3, 5, 5, 5]})
    before = facilitator_pages.closes_and_reads()
    assert _charted_counts(before, statement) == (3, 0, 4, 0, 3)

    facilitator_pages.reopen()
    colleagues.submit(5, only={statement: [1, 3, 3, 3, 3]})
    after = facilitator_pages.closes_and_reads()

    old, new = _charted_counts(before, statement), _charted_counts(after, statement)
    if old is not None and new is not None:
        old_item = next(i for i in before.results.items if i.key == statement)
        new_item = next(i for i in after.results.items if i.key == statement)
        if old_item.distribution.grouped or new_item.distribution.grouped:
            old = old if old_item.distribution.grouped else _groups(old)
            new = new if new_item.distribution.grouped else _groups(new)
        difference = [b - a for a, b in zip(old, new, strict=True)]
        assert all(d == 0 or d >= round.anonymity_threshold for d in difference), difference
    assert _item_rows(_csv_rows(after.csv))[statement]  # the statement is still listed
