"""Coordinators compare teams: who sees what, anonymity, the numbers, sorting, filters, the
overlay chart, pages, the number of queries, and the load generator."""

import csv
import io
import json
import random
import re
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessment.comparison.summaries import refresh_summaries
from assessment.demo import TeamProfile, make_responses
from assessment.models import Answer, DimensionScore, DimensionTotal, Item, Response, Round
from assessment.results import scoring
from assessment.results.aggregate import dimension_scores, refresh_totals, version_shape
from teams.models import Network, Team

COMPARE = reverse("compare_teams")
COMPARE_CSV = reverse("compare_csv")
NETWORKS = reverse("network_list")
JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)
DASH = "–"
CSV_FIXED = [
    "Team",
    "Network",
    "Round",
    "Closed",
    "Completed responses",
    "Team size",
    "Response rate (%)",
    "Average",
    "Change",
]
DIMENSIONS_START = len(CSV_FIXED)


# Helpers


def _today() -> date:
    return timezone.localdate()


def _noon(day: date) -> datetime:
    """Noon on that day in the site's time zone: the same date in any zone."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def _round(
    team: Team,
    version,
    title: str = "Meting",
    *,
    responses: int = 3,
    closed_on: date | None = None,
    closes_on: date | None = None,
    threshold: int = 3,
    unsubmitted: int = 0,
    level: float = 3.3,
    seed: int = 1,
) -> Round:
    """A round with made-up submitted (and optionally unsubmitted) responses."""
    round = Round.objects.create(
        team=team,
        version=version,
        title=title,
        closes_on=closes_on,
        closed_at=_noon(closed_on) if closed_on else None,
        anonymity_threshold=threshold,
    )
    profile = TeamProfile(level=level)
    if responses:
        make_responses([(round, responses, profile)], rng=random.Random(seed))
    if unsubmitted:
        make_responses(
            [(round, unsubmitted, profile)], rng=random.Random(seed + 1), submitted=False
        )
    return round


def _scored(
    team: Team,
    version,
    scores: dict[str, float | list[float]],
    *,
    title: str = "Meting",
    responses: int = 3,
    closed_on: date | None = None,
) -> Round:
    """A closed round whose respondents have exactly these dimension scores.

    A list gives one score per respondent; a number gives every respondent that score.
    """
    round = Round.objects.create(
        team=team, version=version, title=title, closed_at=_noon(closed_on or _today())
    )
    dimensions = {d.key: d for d in version.dimensions.all()}
    for index in range(responses):
        response = Response.objects.create(round=round, submitted_at=timezone.now())
        DimensionScore.objects.bulk_create(
            DimensionScore(
                response=response,
                round=round,
                dimension=dimensions[key],
                score=score[index] if isinstance(score, list) else score,
            )
            for key, score in scores.items()
        )
    # What submitting does after storing the scores.
    refresh_totals([round.pk])
    return round


def _keys(version) -> list[str]:
    return [d.key for d in version.dimensions.order_by("order", "pk")]


def _python_means(round: Round) -> dict[str, float]:
    """The mean of the round's stored scores per dimension, computed here, not in the DB."""
    scores = defaultdict(list)
    for key, score in DimensionScore.objects.filter(round=round).values_list(
        "dimension__key", "score"
    ):
        scores[key].append(score)
    return {key: statistics.fmean(values) for key, values in scores.items()}


def _rows(response) -> list:
    return response.context["comparison"].rows


def _row(response, team: Team):
    (row,) = [row for row in _rows(response) if row.team_id == team.pk]
    return row


def _item(response, team: Team) -> dict:
    (item,) = [item for item in response.context["rows"] if item["row"].team_id == team.pk]
    return item


def _names(response) -> list[str]:
    return [row.name for row in _rows(response)]


def _csv(response, delimiter: str = ";") -> list[list[str]]:
    """The CSV's team table: header, teams, network average (up to any blank line).

    Dutch (the default language) is separated by semicolons, as Dutch Excel reads it."""
    table = []
    text = response.getvalue().decode("utf-8-sig")
    for line in csv.reader(text.splitlines(), delimiter=delimiter):
        if not line:
            break
        table.append(line)
    return table


def _csv_body(response) -> list[list[str]]:
    """The team rows: without the header and the network average at the end."""
    rows = _csv(response)
    return rows[1:-1]


def _figures(response) -> dict[str, object]:
    return {
        element_id: json.loads(payload)
        for element_id, payload in JSON_SCRIPT.findall(response.content.decode())
    }


def _r(trace: dict) -> list:
    """A radar trace's values without the point that closes the shape."""
    return trace["r"][:-1]


def _nl(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def _generate(network: Network, teams: int, respondents: int) -> None:
    call_command(
        "generate_load_data",
        teams=teams,
        respondents=respondents,
        network=network.name,
        stdout=io.StringIO(),
    )


def _one(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _two(value: float) -> str:
    """A figure as the Dutch CSV writes it: two decimals after a comma."""
    return f"{value:.2f}".replace(".", ",")


# Who may open which page


@pytest.fixture
def measured(team, other_team, questionnaire):
    """Both fixture teams with one qualifying round each."""
    return (
        _round(team, questionnaire, "Najaar", closed_on=_today(), seed=1),
        _round(other_team, questionnaire, "Elders", closed_on=_today(), seed=2),
    )


@pytest.mark.parametrize("page", ["compare", "csv", "networks", "network"])
def test_a_coordinator_opens_every_page_for_their_own_network(
    login, coordinator, team, measured, page
):
    urls = {
        "compare": COMPARE,
        "csv": COMPARE_CSV,
        "networks": NETWORKS,
        "network": team.network.get_absolute_url(),
    }
    response = login(coordinator).get(urls[page])

    assert response.status_code == 200
    shown = team.network.name if page == "networks" else team.name
    assert shown in response.getvalue().decode("utf-8-sig")


def test_a_coordinator_compares_only_the_teams_of_their_own_network(
    login, coordinator, team, other_team, measured
):
    client = login(coordinator)
    page = client.get(COMPARE)
    download = client.get(COMPARE_CSV)

    assert [row.team_id for row in _rows(page)] == [team.pk]
    assert other_team.name not in page.content.decode()
    assert [row[0] for row in _csv_body(download)] == [team.name]
    assert other_team.name not in download.getvalue().decode("utf-8-sig")


def test_another_networks_coordinator_gets_404_on_the_network_page(
    login, other_coordinator, team, measured
):
    response = login(other_coordinator).get(team.network.get_absolute_url())

    assert response.status_code == 404


def test_another_networks_coordinator_never_sees_the_team_on_the_compare_page_or_in_the_csv(
    login, other_coordinator, team, other_team, measured
):
    client = login(other_coordinator)
    page = client.get(COMPARE)
    download = client.get(COMPARE_CSV)

    assert page.status_code == download.status_code == 200
    assert [row.team_id for row in _rows(page)] == [other_team.pk]
    assert [item["row"].team_id for item in page.context["rows"]] == [other_team.pk]
    assert team.name not in page.content.decode()
    assert [row[0] for row in _csv_body(download)] == [other_team.name]
    assert team.name not in download.getvalue().decode("utf-8-sig")


@pytest.mark.parametrize("person", ["facilitator", "member"])
@pytest.mark.parametrize("url", [COMPARE, COMPARE_CSV, NETWORKS])
def test_facilitators_and_members_get_404_on_the_coordinator_pages(
    request, login, measured, person, url
):
    response = login(request.getfixturevalue(person)).get(url)

    assert response.status_code == 404


def test_an_admin_compares_all_teams_of_both_networks(login, admin, team, other_team, measured):
    client = login(admin)
    page = client.get(COMPARE)
    download = client.get(COMPARE_CSV)

    assert page.status_code == download.status_code == 200
    assert {row.team_id for row in _rows(page)} == {team.pk, other_team.pk}
    assert {n.pk for n in page.context["comparison"].networks} == {
        team.network_id,
        other_team.network_id,
    }
    assert {(row[0], row[1]) for row in _csv_body(download)} == {
        (team.name, team.network.name),
        (other_team.name, other_team.network.name),
    }
    assert client.get(NETWORKS).status_code == 200
    assert client.get(team.network.get_absolute_url()).status_code == 200
    assert client.get(other_team.network.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("page", ["compare", "csv", "networks", "network"])
def test_anonymous_visitors_are_sent_to_the_login_page(network, page):
    url = {
        "compare": COMPARE,
        "csv": COMPARE_CSV,
        "networks": NETWORKS,
        "network": network.get_absolute_url(),
    }[page]

    response = Client().get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_filtering_on_a_network_one_does_not_coordinate_falls_back_to_ones_own(
    login, coordinator, team, other_team, measured
):
    client = login(coordinator)
    query = {"network": other_team.network_id, "teams": [other_team.pk]}
    page = client.get(COMPARE, query)
    download = client.get(COMPARE_CSV, query)

    assert [row.team_id for row in _rows(page)] == [team.pk]
    assert [n.pk for n in page.context["comparison"].networks] == [team.network_id]
    assert page.context["filters"]["network"] == ""
    assert page.context["chosen_ids"] == []
    assert other_team.name not in page.content.decode()
    assert [row[0] for row in _csv_body(download)] == [team.name]


def test_an_admin_filtering_on_one_network_sees_only_its_teams(
    login, admin, team, other_team, measured
):
    response = login(admin).get(COMPARE, {"network": other_team.network_id})

    assert [row.team_id for row in _rows(response)] == [other_team.pk]
    assert response.context["filters"]["network"] == other_team.network_id


# Anonymity: only ended rounds at their threshold


def _assert_no_numbers(client: Client, team: Team, hidden: Round | None = None) -> None:
    page = client.get(COMPARE)
    row = _row(page, team)
    assert row.round_id is None
    assert row.means == {}
    assert row.average is None
    assert row.completed == 0
    item = _item(page, team)
    assert item["average"] == DASH
    assert item["cells"] and all(cell == (DASH, "none", "") for cell in item["cells"])
    if hidden is not None:
        assert reverse("round_results", args=[hidden.pk]) not in page.content.decode()
    (line,) = [line for line in _csv_body(client.get(COMPARE_CSV)) if line[0] == team.name]
    assert line[1] == team.network.name
    assert all(cell == "" for cell in line[2:])


def test_a_team_whose_only_round_is_below_the_threshold_shows_no_numbers(
    login, coordinator, team, questionnaire
):
    other = Team.objects.create(network=team.network, name="Zuid", size=8)
    _round(other, questionnaire, closed_on=_today(), responses=4, seed=3)
    small = _round(team, questionnaire, "Klein", closed_on=_today(), responses=2)

    client = login(coordinator)
    _assert_no_numbers(client, team, hidden=small)
    page = client.get(COMPARE)
    assert page.context["comparison"].network_average == _row(page, other).means


def test_only_submitted_responses_count_towards_the_threshold(
    login, coordinator, team, questionnaire
):
    started = _round(team, questionnaire, closed_on=_today(), responses=2, unsubmitted=3)

    _assert_no_numbers(login(coordinator), team, hidden=started)


def test_each_round_is_held_to_its_own_threshold(login, coordinator, team, questionnaire):
    strict = _round(team, questionnaire, closed_on=_today(), responses=4, threshold=5)
    client = login(coordinator)
    _assert_no_numbers(client, team, hidden=strict)

    make_responses([(strict, 1, TeamProfile(level=3.0))], rng=random.Random(9))

    assert _row(client.get(COMPARE), team).round_id == strict.pk


@pytest.mark.parametrize("closes_in_days", [None, 0, 5])
def test_an_open_round_never_counts(login, coordinator, team, questionnaire, closes_in_days):
    closes_on = None if closes_in_days is None else _today() + timedelta(days=closes_in_days)
    still_open = _round(team, questionnaire, responses=5, closes_on=closes_on)
    assert still_open.is_open

    _assert_no_numbers(login(coordinator), team, hidden=still_open)


def test_a_round_past_its_closing_date_counts_as_ended(login, coordinator, team, questionnaire):
    yesterday = _today() - timedelta(days=1)
    lapsed = _round(team, questionnaire, responses=3, closes_on=yesterday)

    row = _row(login(coordinator).get(COMPARE), team)

    assert row.round_id == lapsed.pk
    assert row.ended_on == yesterday
    assert row.completed == 3


def test_a_team_with_a_newer_open_round_still_shows_its_older_qualifying_round(
    login, coordinator, team, questionnaire
):
    older = _round(team, questionnaire, "Voorjaar", closed_on=_today() - timedelta(days=60))
    _round(team, questionnaire, "Najaar", responses=6, seed=4)
    _round(team, questionnaire, "Te klein", responses=2, closed_on=_today(), seed=5)

    response = login(coordinator).get(COMPARE)
    row = _row(response, team)

    assert row.round_id == older.pk
    assert row.round_title == "Voorjaar"
    assert row.means == pytest.approx(_python_means(older))
    assert row.previous_average is None


# The numbers


def test_the_team_mean_per_dimension_is_the_mean_of_the_rounds_dimension_scores(
    login, coordinator, team, questionnaire
):
    round = _round(team, questionnaire, closed_on=_today(), responses=7, seed=11)
    expected = _python_means(round)
    assert len(expected) == 13

    client = login(coordinator)
    page = client.get(COMPARE)
    row = _row(page, team)

    assert row.round_id == round.pk
    assert row.completed == 7
    assert row.means.keys() == expected.keys()
    assert row.means == pytest.approx(expected)
    assert [text for text, _band, _link in _item(page, team)["cells"]] == [
        _one(expected[key]) for key in _keys(questionnaire)
    ]
    (line,) = _csv_body(client.get(COMPARE_CSV))
    assert line[DIMENSIONS_START:] == [_two(expected[key]) for key in _keys(questionnaire)]


def test_the_team_average_is_the_mean_of_its_dimension_means(
    login, coordinator, team, questionnaire
):
    round = _round(team, questionnaire, closed_on=_today(), responses=5, seed=12)
    expected = statistics.fmean(_python_means(round).values())

    client = login(coordinator)
    page = client.get(COMPARE)

    assert _row(page, team).average == pytest.approx(expected)
    assert _item(page, team)["average"] == _one(expected)
    (line,) = _csv_body(client.get(COMPARE_CSV))
    assert line[7] == _two(expected)


def test_the_network_average_is_the_mean_of_the_team_means_each_team_weighing_the_same(
    login, coordinator, team, questionnaire
):
    key = _keys(questionnaire)[0]
    big = Team.objects.create(network=team.network, name="Groot")
    _scored(team, questionnaire, {key: 2.0}, responses=3)
    _scored(big, questionnaire, {key: 4.0}, responses=9)
    # Pooled over respondents it would be (3 × 2 + 9 × 4) / 12 = 3.5.

    client = login(coordinator)
    page = client.get(COMPARE)

    assert page.context["comparison"].network_average == {key: pytest.approx(3.0)}
    assert page.context["average_cells"][0][0] == "3,0"
    assert _csv(client.get(COMPARE_CSV))[-1][DIMENSIONS_START] == "3,00"


def test_the_network_average_of_realistic_teams_is_the_mean_of_their_means(
    login, coordinator, team, questionnaire
):
    other = Team.objects.create(network=team.network, name="Noord")
    third = Team.objects.create(network=team.network, name="Oost")
    rounds = [
        _round(team, questionnaire, closed_on=_today(), responses=3, level=2.6, seed=21),
        _round(other, questionnaire, closed_on=_today(), responses=8, level=3.9, seed=22),
        _round(third, questionnaire, closed_on=_today(), responses=5, level=3.2, seed=23),
    ]
    per_team = [_python_means(round) for round in rounds]

    client = login(coordinator)
    comparison = client.get(COMPARE).context["comparison"]
    last = _csv(client.get(COMPARE_CSV))[-1]

    for index, key in enumerate(_keys(questionnaire)):
        expected = statistics.fmean(means[key] for means in per_team)
        assert comparison.network_average[key] == pytest.approx(expected)
        assert last[DIMENSIONS_START + index] == _two(expected)
    assert last[:DIMENSIONS_START] == [_nl("Network average")] + [""] * 8


def test_the_latest_qualifying_round_is_used_and_the_previous_average_is_the_round_before(
    login, coordinator, team, questionnaire
):
    keys = _keys(questionnaire)
    _scored(team, questionnaire, {keys[0]: 1.0, keys[1]: 1.0}, title="2024")
    # Five respondents each: enough to judge the change (scoring.MIN_CHANGE_N).
    before = _scored(team, questionnaire, {keys[0]: 2.0, keys[1]: 3.0}, title="2025", responses=5)
    latest = _scored(team, questionnaire, {keys[0]: 4.0, keys[1]: 3.0}, title="2026", responses=5)

    page = login(coordinator).get(COMPARE)
    row = _row(page, team)

    assert row.round_id == latest.pk
    assert row.round_title == "2026"
    assert row.means == {keys[0]: 4.0, keys[1]: 3.0}
    assert row.average == pytest.approx(3.5)
    assert row.previous_means == {keys[0]: 2.0, keys[1]: 3.0}
    assert row.previous_average == pytest.approx(2.5)
    assert _item(page, team)["direction"] == "up"
    assert reverse("round_results", args=[latest.pk]) in page.content.decode()
    assert reverse("round_results", args=[before.pk]) not in page.content.decode()


def test_a_team_measured_once_has_no_previous_average(login, coordinator, team, questionnaire):
    _scored(team, questionnaire, {_keys(questionnaire)[0]: 3.0})

    page = login(coordinator).get(COMPARE)

    assert _row(page, team).previous_average is None
    assert _item(page, team)["direction"] is None


def test_mean_scores_of_the_individual_respondents_are_averaged(
    login, coordinator, team, questionnaire
):
    key = _keys(questionnaire)[2]
    _scored(team, questionnaire, {key: [1.0, 2.5, 5.0, 4.5]}, responses=4)

    row = _row(login(coordinator).get(COMPARE), team)

    assert row.means == {key: pytest.approx(3.25)}
    assert row.completed == 4


# The CSV as a spreadsheet opens it


@pytest.fixture
def improved(team, questionnaire):
    """A team of nine, measured twice: seven answered the latest round, much better."""
    Team.objects.filter(pk=team.pk).update(size=9)
    earlier = _today() - timedelta(days=120)
    _round(team, questionnaire, "Voorjaar", closed_on=earlier, responses=6, level=1.8, seed=31)
    return _round(
        team, questionnaire, "Najaar", closed_on=_today(), responses=7, level=4.2, seed=32
    )


def _assert_the_pages_numbers(line: list[str], row, keys: list[str], parse) -> None:
    assert parse(line[7]) == pytest.approx(row.average, abs=0.005)
    assert len(line) == DIMENSIONS_START + len(keys)
    for cell, key in zip(line[DIMENSIONS_START:], keys, strict=True):
        assert parse(cell) == pytest.approx(row.means[key], abs=0.005)


def test_the_dutch_csv_has_the_pages_numbers_in_decimal_commas_and_the_change_in_words(
    login, coordinator, team, questionnaire, improved
):
    client = login(coordinator)
    page = client.get(COMPARE)
    row = _row(page, team)

    download = client.get(COMPARE_CSV)

    assert row.direction == "up" and row.response_rate == pytest.approx(7 / 9)
    header, line, last = _csv(download)
    assert header[: len(CSV_FIXED)] == [_nl(text) for text in CSV_FIXED]
    assert _nl("Response rate (%)") == "Respons (%)"
    assert line[4:7] == ["7", "9", "78"]
    assert line[8] == "omhoog"
    _assert_the_pages_numbers(
        line, row, _keys(questionnaire), lambda cell: float(cell.replace(",", "."))
    )
    assert all(re.fullmatch(r"[0-9]+,[0-9]{2}", cell) for cell in [line[7]] + line[9:])
    assert all(re.fullmatch(r"[0-9]+,[0-9]{2}", cell) for cell in last[9:])


def test_the_english_csv_has_commas_between_cells_and_decimal_points(
    login, coordinator, team, questionnaire, improved
):
    client = login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row = _row(client.get(COMPARE), team)

    download = client.get(COMPARE_CSV)

    header, line, _last = _csv(download, delimiter=",")
    assert header[: len(CSV_FIXED)] == CSV_FIXED
    assert line[4:7] == ["7", "9", "78"]
    assert line[8] == "up"
    _assert_the_pages_numbers(line, row, _keys(questionnaire), float)


def test_the_team_size_is_written_when_known_and_the_response_rate_beside_a_round(
    login, coordinator, team, questionnaire
):
    Team.objects.filter(pk=team.pk).update(size=4)
    Team.objects.create(network=team.network, name="Zonder grootte")
    measured = Team.objects.create(network=team.network, name="Gemeten zonder grootte")
    _round(measured, questionnaire, closed_on=_today(), responses=3)

    lines = {line[0]: line for line in _csv_body(login(coordinator).get(COMPARE_CSV))}

    assert lines[team.name][4:7] == ["", "4", ""]  # no round: the size, but no rate
    assert lines["Zonder grootte"][4:7] == ["", "", ""]
    assert lines["Gemeten zonder grootte"][4:7] == ["3", "", ""]


# Sorting


@pytest.fixture
def ranked(team, questionnaire):
    """Four measured teams with known means on two dimensions, and one without results.

    `Abeel` has no results and comes first by name, so its place shows the rule.
    """
    first, second = _keys(questionnaire)[:2]
    network = team.network
    team.delete()
    teams = {
        name: Team.objects.create(network=network, name=name)
        for name in ("Abeel", "Anker", "Beuk", "Ceder", "Den")
    }
    _scored(teams["Anker"], questionnaire, {first: 4.0, second: 1.0})  # average 2.5
    _scored(teams["Beuk"], questionnaire, {first: 2.0, second: 5.0})  # average 3.5
    _scored(teams["Ceder"], questionnaire, {first: 3.0, second: 3.0})  # average 3.0
    _scored(teams["Den"], questionnaire, {second: 4.2})  # average 4.2, nothing on `first`
    return first, second


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("asc", ["Beuk", "Ceder", "Anker", "Abeel", "Den"]),
        ("desc", ["Anker", "Ceder", "Beuk", "Abeel", "Den"]),
    ],
)
def test_sorting_on_a_dimension_puts_the_weakest_or_strongest_team_first(
    login, coordinator, ranked, order, expected
):
    first, _second = ranked
    client = login(coordinator)
    query = {"sort": first, "order": order}

    page = client.get(COMPARE, query)

    assert page.context["comparison"].sort == first
    assert _names(page) == expected
    assert [item["row"].name for item in page.context["rows"]] == expected
    assert [line[0] for line in _csv_body(client.get(COMPARE_CSV, query))] == expected


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("asc", ["Anker", "Ceder", "Beuk", "Den", "Abeel"]),
        ("desc", ["Den", "Beuk", "Ceder", "Anker", "Abeel"]),
    ],
)
def test_sorting_on_the_average_keeps_teams_without_results_last(
    login, coordinator, ranked, order, expected
):
    page = login(coordinator).get(COMPARE, {"sort": "average", "order": order})

    assert _names(page) == expected


def test_by_default_teams_are_sorted_by_average_ascending(login, coordinator, ranked):
    page = login(coordinator).get(COMPARE)

    assert _names(page) == ["Anker", "Ceder", "Beuk", "Den", "Abeel"]
    assert page.context["filters"]["sort"] == "average"


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("asc", ["Abeel", "Anker", "Beuk", "Ceder", "Den"]),
        ("desc", ["Den", "Ceder", "Beuk", "Anker", "Abeel"]),
    ],
)
def test_sorting_on_name_lists_the_teams_alphabetically(
    login, coordinator, ranked, order, expected
):
    client = login(coordinator)

    page = client.get(COMPARE, {"sort": "name", "order": order})

    assert page.context["comparison"].sort == "name"
    assert _names(page) == expected
    download = client.get(COMPARE_CSV, {"sort": "name", "order": order})
    assert [line[0] for line in _csv_body(download)] == expected


@pytest.mark.parametrize("sort", ["bogus", "", "team__name", "-average"])
def test_an_unknown_sort_falls_back_to_the_average(login, coordinator, ranked, sort):
    page = login(coordinator).get(COMPARE, {"sort": sort})

    assert page.status_code == 200
    assert page.context["comparison"].sort == "average"
    assert page.context["filters"]["sort"] == "average"
    assert _names(page) == ["Anker", "Ceder", "Beuk", "Den", "Abeel"]


def test_an_unknown_sort_with_descending_order_says_what_it_shows(login, coordinator, ranked):
    page = login(coordinator).get(COMPARE, {"sort": "bogus", "order": "desc"})

    ascending = ["Anker", "Ceder", "Beuk", "Den", "Abeel"]
    descending = ["Den", "Beuk", "Ceder", "Anker", "Abeel"]
    expected = descending if page.context["filters"]["order"] == "desc" else ascending
    assert _names(page) == expected


# Filters on the date a round ended


@pytest.fixture
def history(team, questionnaire):
    """Three qualifying rounds of `team` that ended 100, 50 and 10 days ago."""
    today = _today()
    days = [today - timedelta(days=n) for n in (100, 50, 10)]
    rounds = [
        _scored(team, questionnaire, {_keys(questionnaire)[0]: score}, title=title, closed_on=day)
        for score, title, day in zip((1.0, 2.0, 3.0), ("Een", "Twee", "Drie"), days, strict=True)
    ]
    return list(zip(days, rounds, strict=True))


def test_since_and_until_select_rounds_by_the_date_they_ended(login, coordinator, team, history):
    (old_day, old), (mid_day, mid), (new_day, new) = history
    client = login(coordinator)

    def shown(**query):
        return _row(client.get(COMPARE, query), team)

    assert shown().round_id == new.pk
    assert shown(until=mid_day.isoformat()).round_id == mid.pk
    assert shown(until=mid_day.isoformat()).previous_average == 1.0
    assert shown(since=mid_day.isoformat(), until=mid_day.isoformat()).round_id == mid.pk
    assert shown(since=mid_day.isoformat(), until=mid_day.isoformat()).previous_average is None
    assert shown(until=(mid_day - timedelta(days=1)).isoformat()).round_id == old.pk
    assert shown(since=(mid_day + timedelta(days=1)).isoformat()).round_id == new.pk
    assert shown(since=(new_day + timedelta(days=1)).isoformat()).round_id is None
    assert shown(until=(old_day - timedelta(days=1)).isoformat()).round_id is None


def test_the_csv_follows_the_same_period(login, coordinator, team, history):
    (_old_day, _old), (mid_day, _mid), _newest = history

    download = login(coordinator).get(COMPARE_CSV, {"until": mid_day.isoformat()})

    (line,) = _csv_body(download)
    assert line[2:4] == ["Twee", mid_day.isoformat()]


def test_a_round_ended_by_its_closing_date_is_filtered_on_that_date(
    login, coordinator, team, questionnaire
):
    day = _today() - timedelta(days=30)
    lapsed = _round(team, questionnaire, closes_on=day)
    client = login(coordinator)

    on_the_day = client.get(COMPARE, {"since": day.isoformat(), "until": day.isoformat()})
    after = client.get(COMPARE, {"since": (day + timedelta(days=1)).isoformat()})

    assert _row(on_the_day, team).round_id == lapsed.pk
    assert _row(after, team).round_id is None


def test_the_end_date_is_the_local_date(login, coordinator, team, questionnaire):
    # 23:30 UTC is already the next day in Amsterdam.
    day = _today() - timedelta(days=20)
    late = _scored(team, questionnaire, {_keys(questionnaire)[0]: 3.0})
    late.closed_at = datetime.combine(day, time(23, 30), tzinfo=UTC)
    late.save(update_fields=["closed_at"])
    refresh_summaries([late.pk])  # what closing a round does after setting closed_at
    next_day = (day + timedelta(days=1)).isoformat()

    response = login(coordinator).get(COMPARE, {"since": next_day, "until": next_day})

    assert _row(response, team).round_id == late.pk
    assert _row(response, team).ended_on == day + timedelta(days=1)


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-02-30"},
        {"until": "gisteren"},
        {"since": "31-12-2025", "until": "2026-13-01"},
        {"since": "", "until": ""},
        {"since": "2026-01-01T25:00"},
    ],
)
def test_invalid_dates_are_ignored(login, coordinator, team, history, query):
    client = login(coordinator)

    page = client.get(COMPARE, query)
    download = client.get(COMPARE_CSV, query)

    assert page.status_code == download.status_code == 200
    assert _row(page, team).round_id == history[-1][1].pk
    assert page.context["comparison"].period == (None, None)
    assert page.context["filters"]["since"] == page.context["filters"]["until"] == ""
    assert [line[2] for line in _csv_body(download)] == ["Drie"]


# The overlay chart of chosen teams


@pytest.fixture
def seven(team, questionnaire):
    """Seven measured teams in `network` (the fixture team first) with distinct means."""
    keys = _keys(questionnaire)[:3]
    teams = [team] + [
        Team.objects.create(network=team.network, name=f"Team {n}") for n in range(2, 8)
    ]
    for index, each in enumerate(teams):
        _scored(each, questionnaire, {k: 1.0 + 0.5 * index + 0.1 * i for i, k in enumerate(keys)})
    return teams


def _overlay(response) -> list[dict]:
    return _figures(response)["overlay-figure"]["data"]


def test_chosen_teams_become_traces_after_the_network_average(
    login, coordinator, seven, questionnaire
):
    chosen = [seven[3], seven[1]]

    page = login(coordinator).get(COMPARE, {"teams": [t.pk for t in chosen]})

    traces = _overlay(page)
    assert traces == page.context["figures"]["overlay"]["data"]
    assert [trace["name"] for trace in traces] == [
        _nl("Network average"),
        chosen[0].name,
        chosen[1].name,
    ]
    average = page.context["comparison"].network_average
    assert _r(traces[0]) == [average.get(key) for key in _keys(questionnaire)]
    for trace, team in zip(traces[1:], chosen, strict=True):
        means = _row(page, team).means
        assert _r(trace) == [means.get(key) for key in _keys(questionnaire)]
    assert page.context["chosen_ids"] == [t.pk for t in chosen]
    assert page.context["too_many"] is False


def test_without_chosen_teams_the_overlay_holds_only_the_network_average(login, coordinator, seven):
    traces = _overlay(login(coordinator).get(COMPARE))

    assert [trace["name"] for trace in traces] == [_nl("Network average")]


def test_teams_of_another_network_unmeasured_teams_and_junk_are_left_out_of_the_overlay(
    login, coordinator, seven, other_team, questionnaire
):
    _scored(other_team, questionnaire, {_keys(questionnaire)[0]: 4.0})
    unmeasured = Team.objects.create(network=seven[0].network, name="Nog niet")
    wanted = seven[2]
    teams = [other_team.pk, "abc", "", "-1", f"{wanted.pk}.0", unmeasured.pk, wanted.pk, wanted.pk]

    page = login(coordinator).get(COMPARE, {"teams": teams})

    assert page.status_code == 200
    assert page.context["chosen_ids"] == [wanted.pk]
    assert [trace["name"] for trace in _overlay(page)] == [_nl("Network average"), wanted.name]
    assert other_team.name not in page.content.decode()


def test_six_chosen_teams_all_fit_in_the_overlay(login, coordinator, seven):
    page = login(coordinator).get(COMPARE, {"teams": [t.pk for t in seven[:6]]})

    assert len(_overlay(page)) == 7
    assert page.context["too_many"] is False


def test_more_than_six_chosen_teams_draw_only_six_and_say_so(login, coordinator, seven):
    ids = [t.pk for t in reversed(seven)]

    page = login(coordinator).get(COMPARE, {"teams": ids})

    assert page.context["too_many"] is True
    assert page.context["chosen_ids"] == ids[:6]
    traces = _overlay(page)
    assert len(traces) == 7
    assert [trace["name"] for trace in traces[1:]] == [t.name for t in reversed(seven)][:6]


# Pages and the CSV at scale


@pytest.fixture
def sixty(network, questionnaire):
    _generate(network, 60, 3)
    return network


def test_with_sixty_teams_the_second_page_holds_ten(login, coordinator, sixty):
    client = login(coordinator)

    first = client.get(COMPARE)
    second = client.get(COMPARE, {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 10
    assert second.context["page"].number == 2
    assert second.context["page"].paginator.count == 60
    assert _rows(second) == [item["row"] for item in second.context["rows"]]
    assert all(row.round_id for row in _rows(first) + _rows(second))
    shown = [item["row"].name for item in first.context["rows"] + second.context["rows"]]
    assert len(set(shown)) == 60
    assert client.get(COMPARE, {"page": "999"}).context["page"].number == 2
    assert client.get(COMPARE, {"page": "x"}).context["page"].number == 1


def test_the_csv_holds_every_team_with_exactly_the_columns_of_the_page(
    login, coordinator, sixty, questionnaire
):
    client = login(coordinator)
    keys = _keys(questionnaire)
    query = {"sort": keys[4], "order": "desc"}
    pages = [client.get(COMPARE, {**query, "page": n}) for n in (1, 2)]
    rows = _csv(client.get(COMPARE_CSV, query))

    header, body, last = rows[0], rows[1:-1], rows[-1]
    assert len(rows) == 62
    dimension_names = [header["label"] for header in pages[0].context["sort_headers"]]
    assert header == [_nl(text) for text in CSV_FIXED] + dimension_names
    assert all(len(line) == len(header) for line in rows)
    items = [item for page in pages for item in page.context["rows"]]
    assert [line[0] for line in body] == [item["row"].name for item in items]
    for line, item in zip(body, items, strict=True):
        row = item["row"]
        assert line[1:7] == [
            sixty.name,
            row.round_title,
            row.ended_on.isoformat(),
            "3",
            "5",
            "60",
        ]
        # The same numbers: two decimals in the CSV, one on the page.
        assert line[7] == _two(row.average)
        assert line[8] == ""  # no earlier round, no change
        assert item["average"] == _one(row.average)
        # A dimension that too few of a team answered is empty in both (see the gate).
        assert line[DIMENSIONS_START:] == [
            _two(row.means[key]) if key in row.means else "" for key in keys
        ]
        assert [text for text, _band, _link in item["cells"]] == [
            _one(row.means[key]) if key in row.means else "–" for key in keys
        ]
    average = pages[0].context["comparison"].network_average
    assert last[0] == _nl("Network average")
    assert last[DIMENSIONS_START:] == [_two(average[key]) for key in keys]
    assert [text for text, _band in pages[0].context["average_cells"]] == [
        _one(average[key]) for key in keys
    ]


# A constant number of queries


def _count_queries(client: Client, url: str, query: dict | None = None) -> int:
    client.get(url, query)  # warm up caches such as the content types
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, query)
        response.getvalue()  # a streamed CSV reads its rows while it is sent
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_teams(login, coordinator, network):
    client = login(coordinator)
    _generate(network, 10, 3)
    ids = list(network.teams.values_list("pk", flat=True)[:3])
    overlay = {"teams": ids, "sort": "communication", "order": "desc"}
    small = {
        "compare": _count_queries(client, COMPARE),
        "overlay": _count_queries(client, COMPARE, overlay),
        "csv": _count_queries(client, COMPARE_CSV),
        "network": _count_queries(client, network.get_absolute_url()),
        "networks": _count_queries(client, NETWORKS),
    }
    assert client.get(COMPARE).context["page"].paginator.count == 10

    _generate(network, 90, 3)
    large = {
        "compare": _count_queries(client, COMPARE),
        "overlay": _count_queries(client, COMPARE, overlay),
        "csv": _count_queries(client, COMPARE_CSV),
        "network": _count_queries(client, network.get_absolute_url()),
        "networks": _count_queries(client, NETWORKS),
    }
    page = client.get(COMPARE)
    assert page.context["page"].paginator.count == 100
    assert len(_rows(page)) == 50  # only the page's teams are read
    assert len(_csv_body(client.get(COMPARE_CSV))) == 100
    assert large == small


# The load generator


def test_the_load_generator_makes_teams_with_one_ended_round_of_submitted_responses(
    network, questionnaire
):
    networks = Network.objects.count()

    _generate(network, 4, 3)

    assert Network.objects.count() == networks
    teams = list(network.teams.all())
    assert len(teams) == 4
    assert all(team.size == 5 for team in teams)
    rounds = Round.objects.filter(team__network=network)
    assert rounds.count() == 4
    assert rounds.ended().count() == 4
    assert {team.pk for team in teams} == set(rounds.values_list("team_id", flat=True))
    assert Response.objects.filter(round__in=rounds).count() == 12
    assert Response.objects.filter(round__in=rounds, submitted_at__isnull=True).count() == 0
    assert Answer.objects.filter(response__round__in=rounds).count() == 4 * 3 * 54
    scores = DimensionScore.objects.filter(round__in=rounds)
    assert 0 < scores.count() <= 4 * 3 * 13
    assert not scores.exclude(round_id=F("response__round_id")).exists()


def test_the_load_generator_stores_the_scores_submitting_would_store(network, questionnaire):
    _generate(network, 2, 4)

    items, scale = version_shape(questionnaire)
    responses = Response.objects.filter(round__team__network=network)
    assert responses.count() == 8
    for response in responses:
        answers = dict(response.answers.filter(state__isnull=False).values_list("item_id", "state"))
        expected = dimension_scores(answers, items, scale)
        stored = dict(response.scores.values_list("dimension_id", "score"))
        assert stored == pytest.approx(expected)
        assert set(response.scores.values_list("round_id", flat=True)) == {response.round_id}


def test_running_the_load_generator_twice_adds_teams_without_name_clashes(team, questionnaire):
    network = team.network
    _generate(network, 2, 3)
    _generate(network, 3, 3)

    names = list(network.teams.values_list("name", flat=True))
    assert len(names) == 6
    assert len(set(names)) == 6
    assert Round.objects.filter(team__network=network).count() == 5


def test_the_load_generator_adds_teams_after_one_was_deleted(network, questionnaire):
    _generate(network, 3, 3)
    network.teams.get(name="Team 00001").delete()

    _generate(network, 2, 3)

    names = list(network.teams.values_list("name", flat=True))
    assert len(names) == len(set(names)) == 4


def test_the_load_generator_numbers_on_past_a_team_named_with_an_odd_digit(network, questionnaire):
    Team.objects.create(network=network, name="Team ²")
    _generate(network, 1, 3)

    assert set(network.teams.values_list("name", flat=True)) == {"Team ²", "Team 00001"}


@pytest.mark.parametrize(("teams", "respondents"), [(0, 3), (-1, 3), (2, 0)])
def test_the_load_generator_refuses_zero_teams_or_respondents(
    network, questionnaire, teams, respondents
):
    with pytest.raises(CommandError):
        call_command(
            "generate_load_data", teams=teams, respondents=respondents, network=network.name
        )

    assert not network.teams.exists()
    assert not Response.objects.exists()


def test_the_round_totals_always_match_the_stored_scores(team, questionnaire):
    round = _round(team, questionnaire, responses=6)
    make_responses([(round, 4, TeamProfile(level=2.0))], rng=random.Random(9))
    totals = {(t.dimension_id): (t.total, t.n) for t in DimensionTotal.objects.filter(round=round)}
    scores = defaultdict(list)
    for dimension_id, score in DimensionScore.objects.filter(round=round).values_list(
        "dimension_id", "score"
    ):
        scores[dimension_id].append(score)
    assert totals.keys() == scores.keys()
    for dimension_id, values in scores.items():
        total, n = totals[dimension_id]
        assert n == len(values) == 10
        assert total == pytest.approx(sum(values))


def test_submitting_a_response_adds_it_to_the_round_totals(team, questionnaire):
    from assessment.results.aggregate import store_scores

    round = _round(team, questionnaire, responses=3)
    before = {t.dimension_id: t.n for t in DimensionTotal.objects.filter(round=round)}
    response = Response.objects.create(round=round, submitted_at=timezone.now())
    Answer.objects.bulk_create(
        Answer(response=response, item=item, state=5)
        for item in Item.objects.filter(dimension__version=questionnaire)
    )
    store_scores(response=response)
    after = {t.dimension_id: t.n for t in DimensionTotal.objects.filter(round=round)}
    assert after == {dimension_id: n + 1 for dimension_id, n in before.items()}


def test_a_dimension_only_one_respondent_answered_is_in_no_team_cell_nor_average(
    login, coordinator, team, questionnaire
):
    """Attack 3: a round of three, of whom only one answered a dimension's statements. The
    compare page, its CSV and the network average must not show that one person's score."""
    keys = _keys(questionnaire)
    lonely, shared = keys[0], keys[1]
    round = _scored(team, questionnaire, {shared: 4.0}, responses=3)
    DimensionScore.objects.create(
        response=round.responses.first(),
        round=round,
        dimension=questionnaire.dimensions.get(key=lonely),
        score=1.0,
    )
    refresh_totals([round.pk])
    client = login(coordinator)

    page = client.get(COMPARE)
    rows = _csv(client.get(COMPARE_CSV))

    row = _row(page, team)
    assert row.means == {shared: 4.0}
    assert lonely not in page.context["comparison"].network_average
    column = DIMENSIONS_START + keys.index(lonely)
    assert [line[column] for line in rows[1:]] == ["", ""]  # the team and the network average
    assert rows[1][DIMENSIONS_START + keys.index(shared)] == "4,00"


def test_the_compare_pages_change_column_says_verandering_not_the_admins_wijzigen(
    login, coordinator, team, measured
):
    content = login(coordinator).get(COMPARE).content.decode()

    assert "Verandering" in content and "Wijzigen" not in content


# Words that do not mislead


def test_a_team_change_on_fewer_than_five_respondents_reads_too_few_answers_to_say(
    login, coordinator, team, questionnaire
):
    keys = _keys(questionnaire)
    _scored(team, questionnaire, {keys[0]: 2.0, keys[1]: 2.0}, title="2025", responses=4)
    _scored(team, questionnaire, {keys[0]: 4.5, keys[1]: 4.5}, title="2026", responses=5)

    page = login(coordinator).get(COMPARE)

    assert _row(page, team).direction == scoring.Direction.TOO_FEW
    assert _item(page, team)["direction"] == "too_few"
    assert _nl("too few answers to say") in page.content.decode()


def test_a_team_change_within_chance_reads_no_clear_difference_never_level(
    login, coordinator, team, questionnaire
):
    keys = _keys(questionnaire)
    spread = [2.0, 3.0, 4.0, 3.0, 3.0]
    _scored(team, questionnaire, {keys[0]: spread, keys[1]: spread}, title="2025", responses=5)
    later = [2.0, 3.0, 4.0, 3.5, 3.0]
    _scored(team, questionnaire, {keys[0]: later, keys[1]: later}, title="2026", responses=5)

    page = login(coordinator).get(COMPARE)

    assert _row(page, team).direction == scoring.Direction.UNCLEAR
    content = page.content.decode()
    assert "geen duidelijk verschil" in content
    assert not re.search(r"\bgelijk\b", content, re.I)


def test_the_coordinator_page_explains_a_change_in_the_words_of_the_results_page(
    login, coordinator, team, questionnaire
):
    _scored(team, questionnaire, {_keys(questionnaire)[0]: 3.0})

    content = login(coordinator).get(COMPARE).content.decode()

    with translation.override("nl"):
        rule = Template("{% load numbers %}{% change_rule %}").render(Context())
    assert "geen duidelijk verschil" in rule and "te weinig antwoorden om te zeggen" in rule
    # The same sentence the results page's trend section renders (see test_trends).
    note = content[content.index('id="change-rule"') :]
    assert rule in note[: note.index("</p>")]


def test_a_team_mean_shown_as_the_strength_threshold_is_a_strength_cell(
    login, coordinator, team, questionnaire
):
    keys = _keys(questionnaire)
    # 4, 4, 4, 3.84: a mean of 3.96, shown as 4,0; 3.949 is shown as 3,9.
    _scored(
        team,
        questionnaire,
        {keys[0]: [4.0, 4.0, 4.0, 3.84], keys[1]: [3.949] * 4},
        responses=4,
    )

    page = login(coordinator).get(COMPARE)

    cells = {
        key: (text, band)
        for key, (text, band, _link) in zip(keys, _item(page, team)["cells"], strict=True)
    }
    assert cells[keys[0]] == ("4,0", "strength")
    assert cells[keys[1]] == ("3,9", "attention")
    comparison = page.context["comparison"]
    assert comparison.band(3.95) == scoring.Band.STRENGTH
    assert comparison.band(3.949) == scoring.Band.ATTENTION


def test_the_network_over_time_has_a_table_with_the_means_its_small_charts_draw(
    login, coordinator, team, questionnaire
):
    _round(team, questionnaire, "Voorjaar", responses=4, closed_on=_today() - timedelta(days=200))
    _round(team, questionnaire, "Najaar", responses=4, closed_on=_today() - timedelta(days=5))

    response = login(coordinator).get(COMPARE)

    figure = response.context["figures"]["over_time"]
    table = response.context["figures"]["over_time_table"]
    assert len(table["quarters"]) == 2
    assert [name for name, _values in table["rows"]] == _panel_names(figure)
    drawn = [trace["y"] for trace in figure["data"]]
    shown = [values for _name, values in table["rows"]]
    assert shown == [[f"{y:.1f}".replace(".", ",") for y in ys] for ys in drawn]
    assert 'id="time-table"' in response.content.decode()


def _panel_names(figure: dict) -> list[str]:
    return [trace["name"] for trace in figure["data"]]
