"""A team's trend through rounds on the three shipped versions: version 1 (162 answers), the
short form (43 answers) and full version 2 (87 answers).

Every colleague answers through the round's link, page by page, as a respondent does, and
the facilitator closes each round with the close button: the trend then rests on exactly
what the product stores when people submit.
"""

import csv
import io
import re
import statistics
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from assessment.models import (
    Answer,
    DimensionAnswer,
    Item,
    QuestionnaireVersion,
    Response,
    Round,
)
from assessment.questionnaire.importexport import install_shipped_questionnaire
from assessment.questionnaire.structure import structure
from assessment.results.aggregate import round_results
from assessment.results.scoring import change
from assessment.results.trends import Cell, Trend
from teams.models import Team

V1_ANSWERS, SHORT_ANSWERS, V2_ANSWERS = 162, 43, 87
STATE_MAX = 5
EFFECTS = "perceived-effects"
COLLEAGUES = 5  # above the default anonymity threshold of 3, so every round counts
BACKGROUND = {"sector": "school", "position": "staff"}
TREND_CELL = re.compile(r'<td data-label="([^"]*)" class="text-end">([^<]*)</td>')

Given = int | str  # a state 1..5, or "dk" (don't know) or "na" (not applicable)


@dataclass(frozen=True)
class Measured:
    """A closed round and what each colleague answered in it, by statement key."""

    round: Round
    given: list[dict[str, Given]]


@dataclass(frozen=True)
class Rounds:
    v1: Measured
    short: Measured
    v2: Measured

    @property
    def oldest_first(self) -> list[Measured]:
        return [self.v1, self.short, self.v2]


@pytest.fixture
def shipped(db) -> dict[int, QuestionnaireVersion]:
    """The three shipped versions, by how many answers each asks at most."""
    versions = {
        structure(version).answer_count: version for version in install_shipped_questionnaire()
    }
    assert sorted(versions) == [SHORT_ANSWERS, V2_ANSWERS, V1_ANSWERS]
    # All three rate a statement on five points, so a mirrored state is 6 minus the state.
    assert {structure(version).state_max for version in versions.values()} == {STATE_MAX}
    return versions


def _given(version: QuestionnaireVersion, low: int, colleague: int) -> dict[str, Given]:
    """What one colleague answers: states low, low + 1 and low + 2 in turn over the
    statements, so a round's means differ from the other rounds'. The first colleague says
    "don't know" to the first statement of each dimension with more than one, and the
    second "not applicable" to the last one where the version offers that: a dimension
    score is then the mean of fewer statements than the dimension has."""
    shape = structure(version)
    given: dict[str, Given] = {}
    position = 0
    for dimension in shape.dimensions:
        items = shape.items[dimension.pk]
        for index, item in enumerate(items):
            given[item.key] = low + (colleague + position) % 3
            position += 1
            if len(items) > 1 and colleague == 0 and index == 0:
                given[item.key] = "dk"
            last = index == len(items) - 1
            if len(items) > 1 and colleague == 1 and last and shape.separate_not_applicable:
                given[item.key] = "na"
    return given


def _answers_through_the_link(round: Round, given: dict[str, Given]) -> None:
    """One colleague in a browser of their own: start, background, every page, submit."""
    client = Client()
    started = client.post(reverse("respond_start", args=[round.token]))
    assert started.status_code == 302
    token = started.cookies[round.cookie_name].value
    saved = client.post(reverse("respond_background", args=[token]), BACKGROUND)
    assert saved.status_code == 302
    shape = structure(round.version)
    for page, dimension in enumerate(shape.dimensions, start=1):
        fields = {"nav": "next"}
        for item in shape.items[dimension.pk]:
            fields[f"s-{item.pk}"] = str(given[item.key])
            # Version 1 asks importance and wanting to work on it after every statement.
            if not shape.per_dimension and isinstance(given[item.key], int):
                fields[f"i-{item.pk}"] = "2"
                fields[f"w-{item.pk}"] = "yes"
        if shape.per_dimension:
            fields[f"di-{dimension.pk}"] = "3"
            fields[f"dw-{dimension.pk}"] = "no"
        saved = client.post(reverse("respond_page", args=[token, page]), fields)
        assert saved.status_code == 302, saved.content
    if shape.asks_mark:
        mark_page = len(shape.dimensions) + 1
        saved = client.post(reverse("respond_page", args=[token, mark_page]), {"mark": "7"})
        assert saved.status_code == 302, saved.content
    submitted = client.post(reverse("respond_submit", args=[token]))
    assert submitted.url == reverse("respond_thanks", args=[token])


def _measured(
    team: Team,
    facilitator_client: Client,
    version: QuestionnaireVersion,
    title: str,
    days_ago: int,
    low: int,
) -> Measured:
    round = Round.objects.create(team=team, version=version, title=title)
    # Backdated as the demo data does: the trend orders rounds by when they were made.
    Round.objects.filter(pk=round.pk).update(created=timezone.now() - timedelta(days=days_ago))
    given = [_given(version, low, colleague) for colleague in range(COLLEAGUES)]
    for answers in given:
        _answers_through_the_link(round, answers)
    closed = facilitator_client.post(reverse("round_close", args=[round.pk]))
    assert closed.status_code == 302
    round = Round.objects.get(pk=round.pk)
    assert not round.is_open
    return Measured(round=round, given=given)


@pytest.fixture
def rounds(team, facilitator, login, shipped) -> Rounds:
    """Version 1 a year ago, a pulse on the short form, then full version 2. Made in another
    order than their dates, so a trend ordered by anything but the date shows it."""
    client = login(facilitator)
    v2 = _measured(team, client, shipped[V2_ANSWERS], "Najaar 2026", 100, low=3)
    v1 = _measured(team, client, shipped[V1_ANSWERS], "Najaar 2025", 300, low=1)
    short = _measured(team, client, shipped[SHORT_ANSWERS], "Pulsmeting zomer 2026", 200, low=2)
    return Rounds(v1=v1, short=short, v2=v2)


def _expected(measured: Measured, dimension_key: str) -> tuple[float, float, int]:
    """Mean, sample standard deviation and count of the colleagues' dimension scores, worked
    out from the answers they gave: a reverse-scored state mirrored on the 1-5 scale, "don't
    know" and "not applicable" left out, and no score unless half the statements got one."""
    items = list(
        Item.objects.filter(dimension__version=measured.round.version, dimension__key=dimension_key)
    )
    scores = []
    for given in measured.given:
        states = [
            STATE_MAX + 1 - state if item.reverse_scored else state
            for item in items
            if isinstance(state := given[item.key], int)
        ]
        if states and 2 * len(states) >= len(items):
            scores.append(statistics.fmean(states))
    return statistics.fmean(scores), statistics.stdev(scores), len(scores)


def _dimension_keys(version: QuestionnaireVersion) -> set[str]:
    return set(version.dimensions.values_list("key", flat=True))


def _trend(round: Round) -> Trend:
    trend = round_results(Round.objects.get(pk=round.pk)).trend
    assert trend is not None
    return trend


def _cells(trend: Trend, dimension_key: str) -> list[Cell | None]:
    (dimension,) = [d for d in trend.dimensions if d.key == dimension_key]
    return dimension.cells


def _shared_keys(rounds: Rounds) -> set[str]:
    v1, short, v2 = (_dimension_keys(m.round.version) for m in rounds.oldest_first)
    return v1 & short & v2


def test_the_colleagues_answers_are_stored_as_each_version_asks_them(rounds):
    for measured in rounds.oldest_first:
        shape = structure(measured.round.version)
        responses = Response.objects.filter(round=measured.round)
        assert responses.filter(submitted_at__isnull=False).count() == COLLEAGUES
        assert Answer.objects.filter(response__round=measured.round).count() == COLLEAGUES * len(
            shape.all_items
        )
        # Importance once per dimension in the short form and version 2, per statement in 1.
        per_dimension = DimensionAnswer.objects.filter(response__round=measured.round).count()
        assert per_dimension == (COLLEAGUES * len(shape.dimensions) if shape.per_dimension else 0)
        with_importance = Answer.objects.filter(
            response__round=measured.round, importance__isnull=False
        ).count()
        assert (with_importance > 0) is (not shape.per_dimension)
        for flag, said in (("dont_know", "dk"), ("not_applicable", "na")):
            stored = Answer.objects.filter(response__round=measured.round, **{flag: True})
            assert stored.count() == sum(
                value == said for given in measured.given for value in given.values()
            ), (measured.round.title, flag)


def test_a_dimension_all_three_versions_ask_has_a_point_in_every_round_oldest_first(rounds):
    trend = _trend(rounds.v2.round)

    assert trend.rounds == [m.round for m in rounds.oldest_first]
    shared = _shared_keys(rounds)
    # Version 2 and the short form keep all thirteen dimensions of version 1.
    assert shared == _dimension_keys(rounds.v1.round.version)
    assert len(shared) == 13
    for key in sorted(shared):
        cells = _cells(trend, key)
        expected = [_expected(measured, key) for measured in rounds.oldest_first]
        # The rounds' means differ, so a point in the wrong round cannot match.
        assert len({mean for mean, _sd, _n in expected}) == 3, key
        assert len(cells) == 3, key
        for cell, (mean, sd, n), measured in zip(cells, expected, rounds.oldest_first, strict=True):
            assert cell is not None, (key, measured.round.title)
            assert cell.mean == pytest.approx(mean), (key, measured.round.title)
            assert cell.sd == pytest.approx(sd), (key, measured.round.title)
            assert cell.n == n, (key, measured.round.title)
        (dimension,) = [d for d in trend.dimensions if d.key == key]
        now, before = cells[-1], cells[-2]
        assert dimension.direction == change(
            (now.mean, now.sd, now.n), (before.mean, before.sd, before.n)
        )


def test_the_reverse_scored_statement_of_version_1_counts_mirrored_in_the_trend(rounds):
    (reversed_item,) = Item.objects.filter(
        dimension__version=rounds.v1.round.version, reverse_scored=True
    )
    key = reversed_item.dimension.key
    mean, _sd, _n = _expected(rounds.v1, key)
    # Had the raw states been averaged, the mean would differ: the mirroring is visible.
    items = Item.objects.filter(dimension__version=rounds.v1.round.version, dimension__key=key)
    raw = [
        statistics.fmean(s for item in items if isinstance(s := given[item.key], int))
        for given in rounds.v1.given
    ]
    assert statistics.fmean(raw) != pytest.approx(mean)

    first = _cells(_trend(rounds.v2.round), key)[0]

    assert first is not None
    assert first.mean == pytest.approx(mean)


def test_perceived_effects_has_no_point_in_the_version_1_round_which_does_not_ask_it(rounds):
    assert EFFECTS not in _dimension_keys(rounds.v1.round.version)
    # The short form asks it too (one statement), with the same key as version 2.
    assert EFFECTS in _dimension_keys(rounds.short.round.version)
    assert EFFECTS in _dimension_keys(rounds.v2.round.version)

    first, pulse, latest = _cells(_trend(rounds.v2.round), EFFECTS)

    assert first is None
    for cell, measured in ((pulse, rounds.short), (latest, rounds.v2)):
        mean, sd, n = _expected(measured, EFFECTS)
        assert cell is not None, measured.round.title
        assert (cell.mean, cell.sd, cell.n) == (pytest.approx(mean), pytest.approx(sd), n)


def test_perceived_effects_has_no_change_in_the_pulse_round_with_nothing_before_it(rounds):
    trend = _trend(rounds.short.round)

    assert trend.rounds == [rounds.v1.round, rounds.short.round]
    (effects,) = [d for d in trend.dimensions if d.key == EFFECTS]
    assert effects.cells[0] is None
    assert effects.cells[1] is not None
    assert effects.direction is None
    # A dimension version 1 asked does have a change.
    assert all(d.direction is not None for d in trend.dimensions if d.key != EFFECTS)


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _trend_table(content: str) -> str:
    table = content[content.index('id="trend-table"') :]
    return table[: table.index("</table>")]


def test_the_results_page_shows_the_trend_through_all_three_rounds(login, facilitator, rounds):
    response = login(facilitator).get(reverse("round_results", args=[rounds.v2.round.pk]))

    assert response.status_code == 200
    assert response.context["results"].trend.rounds == [m.round for m in rounds.oldest_first]
    table = _trend_table(response.content.decode())
    titles = [m.round.title for m in rounds.oldest_first]
    assert re.findall(r'<th scope="col" class="text-end">([^<]*)</th>', table) == titles
    with translation.override("nl"):
        names = {d.key: d.name for d in rounds.v2.round.version.dimensions.all()}
    assert len(names) == 14
    for key, name in names.items():
        (row,) = [row for row in table.split("<tr>") if f">{escape(name)}</th>" in row]
        shown = [
            _one_decimal(_expected(measured, key)[0])
            if key in _dimension_keys(measured.round.version)
            else "–"
            for measured in rounds.oldest_first
        ]
        assert TREND_CELL.findall(row) == list(zip(titles, shown, strict=True)), key
    assert [cell for _title, cell in TREND_CELL.findall(table)].count("–") == 1


def test_the_results_csv_lists_the_trend_through_all_three_rounds(login, facilitator, rounds):
    response = login(facilitator).get(reverse("round_results_csv", args=[rounds.v2.round.pk]))

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    titles = [m.round.title for m in rounds.oldest_first]
    (header,) = [index for index, row in enumerate(rows) if row[2:5] == titles]
    trend = {row[1]: row[2:5] for row in rows[header + 1 :] if row}
    assert set(trend) == _dimension_keys(rounds.v2.round.version)
    for key, cells in trend.items():
        expected = [
            f"{_expected(measured, key)[0]:.2f}".replace(".", ",")
            if key in _dimension_keys(measured.round.version)
            else ""
            for measured in rounds.oldest_first
        ]
        assert cells == expected, key


def test_a_facilitator_of_another_team_cannot_read_the_trend(
    login, other_team, other_facilitator, rounds
):
    client = login(other_facilitator)

    for name in ("round_results", "round_results_csv"):
        response = client.get(reverse(name, args=[rounds.v2.round.pk]))
        assert response.status_code == 404, name
