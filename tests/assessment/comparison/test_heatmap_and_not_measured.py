"""The compare page's heatmap names its dimensions and links each cell to the team's
dimension; teams that have not measured for six months are listed, in a constant number of
queries."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from assessment.comparison.compare import (
    NotMeasured,
    Scope,
    _not_measured_rows,
    months_before,
    not_measured_teams,
)
from config.dates import quarter_key, quarter_label, round_ended_on
from teams.models import Team
from tests.assessment.comparison.test_comparison import (
    COMPARE,
    COMPARE_CSV,
    _count_queries,
    _generate,
    _round,
    _today,
)

# The six-months rule, without the database


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 2), date(2026, 6, 2)),
        (date(2026, 3, 15), date(2025, 9, 15)),
        (date(2026, 8, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2024, 8, 29), date(2024, 2, 29)),
    ],
)
def test_six_months_before_is_the_same_day_six_calendar_months_earlier(day, expected):
    assert months_before(day, 6) == expected


def test_a_team_is_not_measured_when_its_latest_round_ended_before_the_cutoff_or_never(
    network, questionnaire
):
    since = months_before(_today(), 6)
    ended = {
        "Recent": _today() - timedelta(days=10),
        "Op de grens": since,  # a round that ended on the cutoff day counts as measured
        "Lang geleden": since - timedelta(days=1),
        "Nog langer": since - timedelta(days=400),
    }
    teams = {name: Team.objects.create(network=network, name=name) for name in ended}
    never = Team.objects.create(network=network, name="Nooit")
    for seed, (name, day) in enumerate(ended.items()):
        _round(teams[name], questionnaire, closed_on=day, seed=seed)

    rows = list(_not_measured_rows(not_measured_teams(Scope([network]), since)))

    assert rows == [
        NotMeasured(never.pk, "Nooit", network.name, None),
        NotMeasured(teams["Nog langer"].pk, "Nog langer", network.name, ended["Nog langer"]),
        NotMeasured(teams["Lang geleden"].pk, "Lang geleden", network.name, ended["Lang geleden"]),
    ]


# Dates and quarters


def test_a_rounds_date_is_the_day_it_ended_and_none_while_open():
    today = date(2026, 11, 24)
    assert round_ended_on(None, None, today) is None
    assert round_ended_on(None, today, today) is None  # open up to and including today
    assert round_ended_on(None, today - timedelta(days=1), today) == today - timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "nl", "en"),
    [
        (date(2025, 11, 24), "4e kwartaal 2025", "Q4 2025"),
        (date(2026, 1, 1), "1e kwartaal 2026", "Q1 2026"),
        (date(2026, 6, 30), "2e kwartaal 2026", "Q2 2026"),
    ],
)
def test_a_quarter_reads_as_in_the_language_of_the_page(day, nl, en):
    assert quarter_key(day) == f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    with translation.override("nl"):
        assert quarter_label(quarter_key(day)) == nl
    with translation.override("en"):
        assert quarter_label(quarter_key(day)) == en


# The heatmap's headers and cells


@pytest.fixture
def measured(team, questionnaire):
    return _round(team, questionnaire, "Najaar", closed_on=_today(), seed=4)


def test_the_column_headings_name_every_dimension_in_full(
    login, coordinator, measured, questionnaire
):
    page = login(coordinator).get(COMPARE).content.decode()

    head = page[page.index('id="heatmap"') : page.index("</thead>")]
    caption = page[page.index("<caption") : page.index("</caption>")]
    for dimension in questionnaire.dimensions.all():
        assert f'<span class="dimension-name">{html.escape(dimension.name_nl)}</span>' in head
        assert f'title="{html.escape(dimension.name_nl)}"' in head
        assert html.escape(dimension.name_nl) in caption


def test_each_cell_opens_that_dimension_on_the_teams_results_page(
    login, coordinator, team, measured, questionnaire
):
    client = login(coordinator)
    page = client.get(COMPARE).content.decode()

    results = reverse("round_results", args=[measured.pk])
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    (row,) = [row for row in body.split("<tr") if html.escape(team.name) in row]
    keys = [d.key for d in questionnaire.dimensions.order_by("order", "pk")]
    for key in keys:
        assert f'href="{results}#dimension-{key}"' in row
    # The network average row links nowhere but its own cells.
    average_row = body.split("<tr")[1]
    assert "#dimension-" not in average_row
    # The link leads to a page the coordinator may open, with that anchor on it.
    target = client.get(results)
    assert target.status_code == 200
    for key in keys:
        assert f'id="dimension-{key}"' in target.content.decode()


def test_a_team_without_results_has_no_cell_links(login, coordinator, team, questionnaire):
    _round(team, questionnaire, "Te klein", responses=2, closed_on=_today())

    page = login(coordinator).get(COMPARE).content.decode()

    assert "#dimension-" not in page


# Teams not measured for six months


def test_the_page_lists_teams_not_measured_for_six_months_or_never(
    login, coordinator, team, network, questionnaire
):
    old = Team.objects.create(network=network, name="Team Lang Geleden")
    never = Team.objects.create(network=network, name="Team Nooit")
    too_few = Team.objects.create(network=network, name="Team Te Weinig")
    _round(team, questionnaire, "Recent", closed_on=_today() - timedelta(days=30))
    _round(old, questionnaire, "Oud", closed_on=_today() - timedelta(days=200), seed=2)
    _round(too_few, questionnaire, "Te klein", responses=2, closed_on=_today(), seed=3)

    response = login(coordinator).get(COMPARE)

    listed = [row.name for row in response.context["comparison"].not_measured]
    assert listed == ["Team Nooit", "Team Te Weinig", "Team Lang Geleden"]
    page = response.content.decode()
    section = page[
        page.index('id="not-measured-list"') : page.index(
            "</ul>", page.index('id="not-measured-list"')
        )
    ]
    assert html.escape(team.name) not in section
    assert reverse("team_detail", args=[never.pk]) in section
    assert "nog nooit gemeten" in section
    assert "laatst gemeten op" in section


def test_the_not_measured_list_ignores_the_period_filter(
    login, coordinator, team, network, questionnaire
):
    _round(team, questionnaire, "Recent", closed_on=_today() - timedelta(days=10))
    since = (_today() - timedelta(days=3)).isoformat()

    response = login(coordinator).get(COMPARE, {"since": since})

    assert response.context["comparison"].measured == []  # the period leaves it out
    assert response.context["comparison"].not_measured == []  # but it has measured


def test_another_networks_teams_are_never_in_the_not_measured_list(
    login, coordinator, team, other_team, questionnaire
):
    response = login(coordinator).get(COMPARE)

    names = [row.name for row in response.context["comparison"].not_measured]
    assert names == [team.name]
    assert other_team.name not in response.content.decode()


def test_the_csv_lists_the_teams_not_measured(login, coordinator, team, questionnaire):
    text = login(coordinator).get(COMPARE_CSV).getvalue().decode("utf-8-sig")

    assert "Zes maanden niet gemeten" in text
    assert team.name in text.split("Zes maanden niet gemeten")[1]


def test_the_not_measured_list_costs_no_query_per_team(login, coordinator, network, questionnaire):
    client = login(coordinator)
    _generate(network, 5, 3)
    for index in range(5):
        Team.objects.create(network=network, name=f"Ongemeten {index}")
    small = _count_queries(client, COMPARE)
    assert len(client.get(COMPARE).context["comparison"].not_measured) == 5

    _generate(network, 20, 3)
    for index in range(5, 40):
        Team.objects.create(network=network, name=f"Ongemeten {index}")
    large = _count_queries(client, COMPARE)

    assert len(client.get(COMPARE).context["comparison"].not_measured) == 40
    assert large == small
