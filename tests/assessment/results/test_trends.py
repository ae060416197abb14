"""A team's results over its rounds: what counts as a change, the trend, and across versions."""

import json
import math
import random
import re
import statistics
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessment.demo import TeamProfile, make_responses
from assessment.models import Answer, DimensionScore, Item, Round, Sector
from assessment.questionnaire.publishing import create_draft, publish
from assessment.results.aggregate import round_results
from assessment.results.scoring import MIN_CHANGE, MIN_CHANGE_N, Direction, Summary, change
from assessment.results.trends import team_trend, visible_rounds

JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)
STATE_MAX = 5
RENAMED_FROM = "roles-and-mandate.mandate"
RENAMED_TO = "roles-and-mandate.decision-power"
DELETED = "communication.compatible-systems"
REVERSE_KEY = "resources.rules-and-funding"


def _nl(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


# What counts as a change


def test_equal_means_are_no_clear_difference_never_level():
    assert change((3.2, 0.5, 10), (3.2, 0.5, 10)) == Direction.UNCLEAR
    assert change((3.0, 0.0, 5), (3.0, 0.0, 5)) == Direction.UNCLEAR


def test_a_large_difference_with_small_spread_is_up_or_down():
    # SE = sqrt(0.3²/10 + 0.3²/10) = 0.134; 1.96 × SE = 0.263, far below the difference of 1.
    assert change((4.0, 0.3, 10), (3.0, 0.3, 10)) == Direction.UP
    assert change((3.0, 0.3, 10), (4.0, 0.3, 10)) == Direction.DOWN


def test_a_difference_below_the_minimum_change_is_unclear_even_without_any_spread():
    # With sd 0 the standard error is 0: only MIN_CHANGE keeps 0.05 from counting.
    assert MIN_CHANGE == 0.1
    assert change((3.05, 0.0, 50), (3.0, 0.0, 50)) == Direction.UNCLEAR
    assert change((2.95, 0.0, 50), (3.0, 0.0, 50)) == Direction.UNCLEAR
    # The counterpart: 0.15 is beyond the minimum, and nothing else holds it back.
    assert change((3.15, 0.0, 50), (3.0, 0.0, 50)) == Direction.UP
    assert change((2.85, 0.0, 50), (3.0, 0.0, 50)) == Direction.DOWN


def test_a_difference_inside_the_noise_is_no_clear_difference():
    # sd 1 and n 10 in both rounds: SE = sqrt(1/10 + 1/10) = sqrt(0.2) = 0.4472,
    # 1.96 × SE = 0.8765. A difference of 0.8 is within it, 0.9 beyond it.
    assert 1.96 * math.sqrt(0.2) == pytest.approx(0.8765, abs=1e-4)
    assert change((3.8, 1.0, 10), (3.0, 1.0, 10)) == Direction.UNCLEAR
    assert change((2.2, 1.0, 10), (3.0, 1.0, 10)) == Direction.UNCLEAR
    assert change((3.9, 1.0, 10), (3.0, 1.0, 10)) == Direction.UP
    assert change((2.1, 1.0, 10), (3.0, 1.0, 10)) == Direction.DOWN


def test_the_noise_shrinks_with_more_respondents():
    # The same difference of 0.5 with sd 1: unclear for 5 people a round (1.96 × 0.632 = 1.24),
    # a change for 100 (1.96 × 0.141 = 0.277).
    assert change((3.5, 1.0, 5), (3.0, 1.0, 5)) == Direction.UNCLEAR
    assert change((3.5, 1.0, 100), (3.0, 1.0, 100)) == Direction.UP


def test_a_change_accepts_summaries():
    now = Summary(n=10, mean=3.9, sd=1.0, minimum=1, q1=3, median=4, q3=5, maximum=5)
    before = Summary(n=10, mean=3.0, sd=1.0, minimum=1, q1=2, median=3, q3=4, maximum=5)
    close = Summary(n=10, mean=3.8, sd=1.0, minimum=1, q1=3, median=4, q3=5, maximum=5)

    assert change(now, before) == Direction.UP
    assert change(close, before) == Direction.UNCLEAR


def test_a_round_with_fewer_than_five_answers_is_too_few_to_say():
    assert MIN_CHANGE_N == 5
    # A difference of 2 points with no spread would be up on five answers each ...
    assert change((4.0, 0.0, 5), (2.0, 0.0, 5)) == Direction.UP
    # ... but on four in either round the numbers are too few to judge, either way.
    assert change((4.0, 0.0, 4), (2.0, 0.0, 5)) == Direction.TOO_FEW
    assert change((4.0, 0.0, 5), (2.0, 0.0, 4)) == Direction.TOO_FEW
    assert change((2.0, 0.0, 3), (4.0, 0.0, 3)) == Direction.TOO_FEW
    assert change((3.0, 0.0, 1), (3.0, 0.0, 1)) == Direction.TOO_FEW


def test_the_directions_keep_readable_values():
    assert [d.value for d in Direction] == ["up", "down", "unclear", "too_few"]


# Rounds of one team


def _close(round: Round) -> Round:
    round.closed_at = timezone.now()
    round.save(update_fields=["closed_at"])
    return round


def _round(team, version, title: str, days_ago: int, size: int, level: float, **fields) -> Round:
    """A round of `size` submitted responses, created `days_ago` days ago (not yet closed)."""
    round = Round.objects.create(team=team, version=version, title=title, **fields)
    Round.objects.filter(pk=round.pk).update(created=timezone.now() - timedelta(days=days_ago))
    make_responses(
        [(round, size, TeamProfile(level=level, sectors=(Sector.SCHOOL,)))],
        rng=random.Random(days_ago),
    )
    round.refresh_from_db()
    return round


def _names(version) -> dict[str, str]:
    return {d.key: d.name for d in version.dimensions.order_by("order", "pk")}


def _texts(version) -> dict[str, str]:
    return {
        item.key: item.text
        for item in Item.objects.filter(dimension__version=version).order_by(
            "dimension__order", "order", "pk"
        )
    }


def _trend(round: Round):
    round = Round.objects.get(pk=round.pk)
    return team_trend(
        round,
        dimension_names=_names(round.version),
        item_texts=_texts(round.version),
        scale_max=STATE_MAX,
    )


def _scores(round: Round, dimension_key: str) -> list[float]:
    return list(
        DimensionScore.objects.filter(
            response__round=round,
            response__submitted_at__isnull=False,
            dimension__key=dimension_key,
        ).values_list("score", flat=True)
    )


@pytest.fixture
def three_rounds(team, questionnaire):
    """Three closed rounds of the team, each better than the one before."""
    return [
        _close(_round(team, questionnaire, "Najaar 2025", 300, 6, 1.6)),
        _close(_round(team, questionnaire, "Voorjaar 2026", 200, 7, 2.8)),
        _close(_round(team, questionnaire, "Najaar 2026", 100, 8, 4.0)),
    ]


def test_the_trend_has_one_cell_per_round_and_dimension_with_the_mean_of_the_stored_scores(
    three_rounds, questionnaire
):
    trend = _trend(three_rounds[-1])

    assert trend.rounds == three_rounds
    assert trend.has_history
    assert [d.key for d in trend.dimensions] == list(_names(questionnaire))
    assert len(trend.dimensions) == 13
    for dimension in trend.dimensions:
        assert len(dimension.cells) == 3
        for round, cell in zip(three_rounds, dimension.cells, strict=True):
            scores = _scores(round, dimension.key)
            assert cell is not None, (round.title, dimension.key)
            assert cell.mean == pytest.approx(statistics.fmean(scores))
            assert cell.sd == pytest.approx(statistics.stdev(scores))
            assert cell.n == len(scores)
        now, before = dimension.cells[-1], dimension.cells[-2]
        assert dimension.direction == change(
            (now.mean, now.sd, now.n), (before.mean, before.sd, before.n)
        )
    # The team got much better each round: the profile levels differ by 1.2 points.
    assert {d.direction for d in trend.dimensions} == {Direction.UP}


def test_rounds_that_are_open_too_small_or_of_another_team_are_left_out(
    three_rounds, team, other_team, questionnaire
):
    first, second, third = three_rounds
    _close(_round(team, questionnaire, "Te klein", 250, 2, 1.0))
    _round(team, questionnaire, "Nog open", 150, 6, 1.0)
    _close(_round(team, questionnaire, "Hoge drempel", 120, 6, 1.0, anonymity_threshold=10))
    _close(_round(other_team, questionnaire, "Elders", 110, 6, 1.0))
    unsubmitted = _round(team, questionnaire, "Niet verstuurd", 130, 0, 1.0)
    make_responses(
        [(unsubmitted, 6, TeamProfile(level=1.0))], rng=random.Random(1), submitted=False
    )
    _close(unsubmitted)

    trend = _trend(third)

    assert trend.rounds == [first, second, third]
    for dimension in trend.dimensions:
        assert len(dimension.cells) == 3
        assert dimension.cells[-1].mean == pytest.approx(
            statistics.fmean(_scores(third, dimension.key))
        )
    assert [r.pk for r in visible_rounds(team.pk, upto=Round.objects.get(pk=third.pk))] == [
        first.pk,
        second.pk,
        third.pk,
    ]


def test_the_trend_of_a_round_stops_at_that_round(three_rounds):
    first, second, _third = three_rounds

    trend = _trend(second)

    assert trend.rounds == [first, second]
    for dimension in trend.dimensions:
        assert len(dimension.cells) == 2
        assert dimension.cells[-1].mean == pytest.approx(
            statistics.fmean(_scores(second, dimension.key))
        )


def test_the_first_round_has_no_history(three_rounds):
    trend = _trend(three_rounds[0])

    assert trend.rounds == [three_rounds[0]]
    assert not trend.has_history
    assert trend.items == []
    assert all(d.direction is None for d in trend.dimensions)


def test_an_open_round_has_no_trend(three_rounds, team, questionnaire):
    still_open = _round(team, questionnaire, "Nog open", 10, 6, 3.0)

    trend = _trend(still_open)

    assert trend.rounds == []
    assert trend.dimensions == []


def test_a_round_that_ended_on_its_closing_date_is_part_of_the_trend(team, questionnaire):
    first = _close(_round(team, questionnaire, "Najaar 2025", 300, 6, 2.4))
    ended = _round(
        team,
        questionnaire,
        "Voorjaar 2026",
        200,
        6,
        3.6,
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    assert not ended.is_open
    assert ended.closed_at is None
    results = round_results(ended)
    assert results.visible is True

    assert [r.pk for r in results.trend.rounds] == [first.pk, ended.pk]


def test_a_later_rounds_trend_includes_a_round_that_ended_on_its_closing_date(team, questionnaire):
    ended = _round(
        team,
        questionnaire,
        "Voorjaar 2026",
        200,
        6,
        2.4,
        closes_on=timezone.localdate() - timedelta(days=150),
    )
    latest = _close(_round(team, questionnaire, "Najaar 2026", 100, 6, 3.6))
    assert round_results(ended).visible is True

    trend = _trend(latest)

    assert [r.pk for r in trend.rounds] == [ended.pk, latest.pk]


# Across questionnaire versions


@pytest.fixture
def second_version(questionnaire):
    """Version 2: one statement gets a new key (a new statement), another one is deleted."""
    draft = create_draft(source=questionnaire)
    renamed = Item.objects.get(dimension__version=draft, key=RENAMED_FROM)
    renamed.key = RENAMED_TO
    renamed.text_nl = "Wie aan tafel zit, mag ook beslissen."
    renamed.save()
    Item.objects.get(dimension__version=draft, key=DELETED).delete()
    publish(version=draft)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def across_versions(team, questionnaire, second_version):
    return (
        _close(_round(team, questionnaire, "Najaar 2025", 200, 6, 2.6)),
        _close(_round(team, second_version, "Najaar 2026", 100, 6, 3.8)),
    )


def test_the_trend_continues_across_versions_by_dimension_key(
    across_versions, questionnaire, second_version
):
    before, now = across_versions

    trend = _trend(now)

    assert trend.rounds == [before, now]
    assert [d.key for d in trend.dimensions] == list(_names(questionnaire))
    for dimension in trend.dimensions:
        old, new = dimension.cells
        assert old is not None and new is not None, dimension.key
        assert old.mean == pytest.approx(statistics.fmean(_scores(before, dimension.key)))
        assert new.mean == pytest.approx(statistics.fmean(_scores(now, dimension.key)))
        assert dimension.direction is not None


def _item_means(round: Round) -> dict[str, float]:
    """The scored mean of each statement in the round (reverse-scored ones mirrored)."""
    states: dict[str, list[int]] = {}
    for key, state, mirrored in Answer.objects.filter(
        response__round=round, response__submitted_at__isnull=False, state__isnull=False
    ).values_list("item__key", "state", "item__reverse_scored"):
        states.setdefault(key, []).append(STATE_MAX + 1 - state if mirrored else state)
    return {key: statistics.fmean(values) for key, values in states.items()}


def test_the_statement_changes_mark_new_gone_and_carried_over_statements(
    across_versions, questionnaire, second_version
):
    before, now = across_versions

    items = {change.key: change for change in _trend(now).items}

    assert items[RENAMED_TO].status == "new"
    assert items[RENAMED_TO].previous is None
    assert items[RENAMED_FROM].status == "gone"
    assert items[RENAMED_FROM].current is None
    assert items[DELETED].status == "gone"
    assert items[DELETED].current is None
    carried = set(_texts(questionnaire)) - {RENAMED_FROM, DELETED}
    assert set(items) == carried | {RENAMED_TO, RENAMED_FROM, DELETED}
    assert {key for key, change in items.items() if change.status == "both"} == carried
    old, new = _item_means(before), _item_means(now)
    for key in carried:
        assert items[key].previous == pytest.approx(old[key]), key
        assert items[key].current == pytest.approx(new[key]), key
    assert items[RENAMED_TO].current == pytest.approx(new[RENAMED_TO])
    assert items[RENAMED_FROM].previous == pytest.approx(old[RENAMED_FROM])
    # The gone statements are named as they were worded in the previous round.
    v1_texts = _texts(questionnaire)
    assert items[DELETED].text == v1_texts[DELETED]
    assert items[RENAMED_TO].text == _texts(second_version)[RENAMED_TO]
    # A reverse-scored statement is compared as it counts, mirrored (see _item_means).
    assert REVERSE_KEY in carried


def test_the_results_page_lists_the_new_and_gone_statements(
    login, facilitator, across_versions, second_version
):
    _before, now = across_versions

    response = login(facilitator).get(reverse("round_results", args=[now.pk]))

    content = response.content.decode()
    statuses = {c.key: c.status for c in response.context["results"].trend.items}
    assert statuses[RENAMED_TO] == "new"
    assert statuses[DELETED] == "gone"
    assert f'<span class="badge text-bg-info">{_nl("new")}</span>' in content
    assert f'<span class="badge text-bg-secondary">{_nl("no longer asked")}</span>' in content


# The results page


def _figures(response) -> dict[str, object]:
    return {
        element_id: json.loads(payload)
        for element_id, payload in JSON_SCRIPT.findall(response.content.decode())
    }


def test_the_results_page_of_the_latest_round_shows_the_trend_and_the_previous_round(
    login, facilitator, three_rounds
):
    first, second, third = three_rounds

    response = login(facilitator).get(reverse("round_results", args=[third.pk]))

    results = response.context["results"]
    figures = _figures(response)
    assert results.trend.rounds == three_rounds
    assert "trend-figure" in figures
    lines = {trace["name"]: trace for trace in figures["trend-figure"]["data"]}
    assert len(lines) == 13
    for dimension in results.trend.dimensions:
        line = lines[dimension.name]
        assert line["x"] == [first.title, second.title, third.title]
        assert line["y"] == pytest.approx([c.mean for c in dimension.cells])
    radar = {trace.get("name"): trace for trace in figures["radar-figure"]["data"]}
    previous = radar[_nl("Previous round")]
    expected = [statistics.fmean(_scores(second, d.key)) for d in results.dimensions]
    assert previous["r"] == pytest.approx([*expected, expected[0]])


def test_with_a_single_round_there_is_no_trend_figure(login, facilitator, team, questionnaire):
    only = _close(_round(team, questionnaire, "Najaar 2026", 100, 6, 3.2))

    response = login(facilitator).get(reverse("round_results", args=[only.pk]))

    results = response.context["results"]
    figures = _figures(response)
    assert results.visible
    assert results.trend.rounds == [only]
    assert not results.trend.has_history
    assert "trend-figure" not in figures
    assert "trend" not in response.context["figures"]
    assert "radar-figure" in figures
    names = {trace.get("name") for trace in figures["radar-figure"]["data"]}
    assert _nl("Previous round") not in names


def test_the_trend_table_shows_every_rounds_mean(login, facilitator, three_rounds):
    response = login(facilitator).get(reverse("round_results", args=[three_rounds[-1].pk]))

    content = response.content.decode()
    table = content[content.index('id="trend-table"') :]
    table = table[: table.index("</table>")]
    for round in three_rounds:
        assert f">{round.title}</th>" in table
    assert table.count("<tr>") == 1 + 13


# Speed


def _count_queries(client, round: Round) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("round_results", args=[round.pk]))
    assert response.status_code == 200
    assert response.context["results"].trend.has_history
    return len(queries)


def test_the_results_page_does_as_many_queries_for_a_trend_of_4_rounds_as_of_2(
    login, facilitator, team, questionnaire
):
    rounds = [
        _close(_round(team, questionnaire, f"Meting {n}", 400 - 100 * n, 5, 2.5 + 0.4 * n))
        for n in range(4)
    ]
    client = login(facilitator)
    client.get(reverse("round_results", args=[rounds[0].pk]))  # warm up: session and caches

    two = _count_queries(client, rounds[1])
    four = _count_queries(client, rounds[3])

    assert len(round_results(Round.objects.get(pk=rounds[1].pk)).trend.rounds) == 2
    assert len(round_results(Round.objects.get(pk=rounds[3].pk)).trend.rounds) == 4
    assert two == four


# Words that do not mislead


def _between(content: str, start: str, end: str) -> str:
    part = content[content.index(start) :]
    return part[: part.index(end)]


def test_the_statement_changes_know_which_statement_is_reverse_scored(across_versions):
    _before, now = across_versions

    items = {change.key: change for change in round_results(now).trend.items}

    assert items[REVERSE_KEY].reverse
    assert [key for key, change in items.items() if change.reverse] == [REVERSE_KEY]


def test_the_trend_statement_table_marks_the_reverse_scored_statement(
    login, facilitator, across_versions
):
    _before, now = across_versions

    content = login(facilitator).get(reverse("round_results", args=[now.pk])).content.decode()

    statements = _between(content, _nl("Statements: previous round against this one"), "</table>")
    (row,) = [row for row in statements.split("<tr>") if _nl("reverse-scored") in row]
    assert Item.objects.get(dimension__version=now.version, key=REVERSE_KEY).text in row
    assert statements.count(_nl("reverse-scored")) == 1


def test_a_trend_between_rounds_of_four_people_reads_too_few_answers_to_say(
    login, facilitator, team, questionnaire
):
    _close(_round(team, questionnaire, "Najaar 2025", 200, 4, 2.0))
    now = _close(_round(team, questionnaire, "Najaar 2026", 100, 4, 4.5))

    response = login(facilitator).get(reverse("round_results", args=[now.pk]))

    trend = response.context["results"].trend
    assert {d.direction for d in trend.dimensions} == {Direction.TOO_FEW}
    table = _between(response.content.decode(), 'id="trend-table"', "</table>")
    assert table.count(_nl("too few answers to say")) == 13
    for word in (_nl("up"), _nl("no clear difference"), "gelijk", "level"):
        assert f"</span> {word}</span>" not in table


def test_an_unclear_change_reads_no_clear_difference_and_never_level(
    login, facilitator, team, questionnaire
):
    _close(_round(team, questionnaire, "Najaar 2025", 200, 6, 3.3))
    # The same profile again: no change larger than chance.
    now = _close(_round(team, questionnaire, "Najaar 2026", 200 - 1, 6, 3.3))

    response = login(facilitator).get(reverse("round_results", args=[now.pk]))

    directions = [d.direction for d in response.context["results"].trend.dimensions]
    unclear = directions.count(Direction.UNCLEAR)
    assert unclear > 0
    content = response.content.decode()
    table = _between(content, 'id="trend-table"', "</table>")
    assert table.count(_nl("no clear difference")) == unclear
    assert not re.search(r"\bgelijk\b", table, re.I)
    assert _nl("no clear difference") == "geen duidelijk verschil"
    assert _nl("too few answers to say") == "te weinig antwoorden om te zeggen"


def test_the_trend_explains_the_four_words_with_the_numbers_change_uses(
    login, facilitator, three_rounds
):
    content = (
        login(facilitator)
        .get(reverse("round_results", args=[three_rounds[-1].pk]))
        .content.decode()
    )

    rule = _between(content, 'id="change-rule"', "</p>")
    assert "geen duidelijk verschil" in rule
    assert "te weinig antwoorden om te zeggen" in rule
    assert f"{MIN_CHANGE_N} " in rule and "0,1" in rule
    assert not re.search(r"\bgelijk\b", rule, re.I)
