"""The per-round summaries the coordinator's pages read: they follow every write that changes
a round's figures, dates or shown responses, they hold only what the gate allows, and the
database sorts and aggregates them as the Python rules did."""

import importlib
import random
import statistics
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.comparison.summaries import figures, refresh_summaries
from assessment.comparison.tasks import refresh_round_summaries
from assessment.models import (
    Answer,
    DimensionSummary,
    DimensionTotal,
    Item,
    Response,
    Round,
    RoundSummary,
)
from assessment.results import disclosure, release, scoring
from assessment.results.aggregate import store_scores
from assessment.results.retention import expire_answers
from assessment.rounds.schedule import close_ended_rounds
from teams.models import Network, Team
from tests.assessment.comparison.test_comparison import (
    COMPARE,
    COMPARE_CSV,
    _count_queries,
    _csv_body,
    _generate,
    _keys,
    _names,
    _round,
    _scored,
    _today,
)


def _summary(round: Round) -> RoundSummary:
    return RoundSummary.objects.get(round=round)


def _qualifies(round: Round) -> bool:
    return RoundSummary.objects.qualifying().filter(round=round).exists()


# The gate, without the database


def test_a_round_below_its_threshold_keeps_no_figure_in_its_summary():
    result = figures(disclosure.Policy(means=3, spreads=5), 2, [("a", 8.0, 32.0, 2)])
    assert result == figures(disclosure.Policy(means=3, spreads=5), 2, [])
    assert not result.disclosed and result.average is None and result.means == {}


def test_a_dimension_too_few_answered_is_left_out_of_the_summary_and_its_average():
    result = figures(
        disclosure.Policy(means=3, spreads=5), 4, [("a", 12.0, 36.0, 4), ("b", 2.0, 4.0, 1)]
    )
    assert result.disclosed
    assert result.means == {"a": (3.0, 12.0, 4)}
    assert result.average == 3.0
    assert result.pooled == (12.0, 36.0, 4)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=1, max_value=5, allow_nan=False), min_size=1, max_size=40))
def test_the_summary_from_a_few_ordered_values_is_what_summarise_says_of_them_all(values):
    ordered = sorted(values)
    expected = scoring.summarise(values)
    assert expected is not None
    at = dict(enumerate(ordered))

    result = scoring.summary_at(n=len(values), mean=expected.mean, sd=expected.sd, at=at)

    assert result == expected


# Every write that changes a round's figures changes its summary


def _submit(round: Round, django_capture_on_commit_callbacks) -> list:
    """A response submitted now, as the submit view stores it; the callbacks its commit ran."""
    response = Response.objects.create(round=round, submitted_at=timezone.now())
    Answer.objects.bulk_create(
        Answer(response=response, item=item, state=5)
        for item in Item.objects.filter(dimension__version=round.version)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        store_scores(response=response)
        waiting = _summary(round).shown
    assert waiting == 3  # the refresh waits for the commit: the task, not the request
    return callbacks


def test_the_summary_follows_a_submitted_response_once_the_submit_commits(
    team, questionnaire, django_capture_on_commit_callbacks
):
    round = _round(team, questionnaire, responses=3, closed_on=_today())
    assert _summary(round).shown == 3

    assert len(_submit(round, django_capture_on_commit_callbacks)) == 1

    summary = _summary(round)
    assert summary.shown == 4
    totals = DimensionTotal.objects.filter(round=round).select_related("dimension")
    assert {d.key: d.n for d in summary.dimensions.all()} == {t.dimension.key: t.n for t in totals}


def test_the_task_is_idempotent(team, questionnaire):
    round = _round(team, questionnaire, responses=4, closed_on=_today())
    before = list(DimensionSummary.objects.filter(summary__round=round).values("key", "mean"))

    refresh_round_summaries.call([round.pk])
    refresh_round_summaries.call([round.pk])

    after = list(DimensionSummary.objects.filter(summary__round=round).values("key", "mean"))
    assert sorted(after, key=str) == sorted(before, key=str)
    assert RoundSummary.objects.filter(round=round).count() == 1


def test_closing_a_round_by_hand_brings_it_into_the_comparison(
    login, facilitator, team, questionnaire
):
    round = _round(team, questionnaire, responses=3)
    assert not _qualifies(round)

    response = login(facilitator).post(reverse("round_close", args=[round.pk]))

    assert response.status_code == 302
    assert _qualifies(round)
    assert _summary(round).ends_on == timezone.localdate()


def test_a_round_whose_closing_date_passed_counts_as_ended_without_any_write(
    team, network, questionnaire
):
    today = _round(team, questionnaire, responses=3, closes_on=_today())
    other = Team.objects.create(network=network, name="Gisteren")
    yesterday = _round(other, questionnaire, responses=3, closes_on=_today() - timedelta(1))

    assert not _qualifies(today)  # open up to and including its closing day
    assert _qualifies(yesterday)
    assert not _summary(yesterday).closed


def test_the_periodic_close_keeps_the_summary_closed(team, questionnaire):
    yesterday = _today() - timedelta(days=1)
    round = _round(team, questionnaire, responses=3, closes_on=yesterday)

    assert close_ended_rounds(timezone.now()) == 1

    summary = _summary(round)
    assert summary.closed and summary.ends_on == yesterday
    assert _qualifies(round)


def test_reopening_a_round_takes_it_out_of_the_comparison_and_keeps_what_was_read(
    team, questionnaire
):
    round = _round(team, questionnaire, responses=3, closed_on=_today())
    read = _summary(round).average

    release.reopen(round=round)  # closed a moment ago: its closing date is not past

    assert not _qualifies(round)
    assert _summary(round).average == read
    Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())
    refresh_summaries([round.pk])
    assert _qualifies(round)


def test_a_release_held_back_keeps_the_summary_on_what_was_read(
    team, questionnaire, django_capture_on_commit_callbacks
):
    round = _round(team, questionnaire, responses=3, closed_on=_today())
    read = _summary(round)
    release.reopen(round=round)
    round.refresh_from_db()

    # One newcomer alone may not move the figures (disclosure.release_allowed).
    _submit(round, django_capture_on_commit_callbacks)
    Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())
    refresh_summaries([round.pk])

    summary = _summary(round)
    assert _qualifies(round)
    assert summary.shown == read.shown == 3
    assert summary.average == read.average


def test_retention_keeps_the_summary_of_a_round_whose_answers_went(team, questionnaire):
    old = _today() - timedelta(days=800)
    round = _round(team, questionnaire, responses=4, closed_on=old)
    before = _summary(round)
    means = dict(DimensionSummary.objects.filter(summary=before).values_list("key", "mean"))

    assert expire_answers(timezone.now()) == 1

    after = _summary(round)
    assert after.shown == before.shown and after.average == pytest.approx(before.average)
    kept = dict(DimensionSummary.objects.filter(summary=after).values_list("key", "mean"))
    assert kept == pytest.approx(means)


def test_a_round_that_was_never_shown_keeps_no_summary_figures_after_retention(team, questionnaire):
    round = _round(team, questionnaire, responses=2, closed_on=_today() - timedelta(days=800))

    expire_answers(timezone.now())

    summary = _summary(round)
    assert not summary.disclosed and summary.average is None
    assert not summary.dimensions.exists()


def test_the_data_migration_fills_the_summaries_of_the_rounds_there_are(team, questionnaire):
    round = _round(team, questionnaire, responses=3, closed_on=_today())
    expected = list(DimensionSummary.objects.values_list("summary_id", "key", "mean"))
    RoundSummary.objects.all().delete()
    migration = importlib.import_module("assessment.migrations.0020_fill_round_summaries")

    migration.fill(apps, None)

    assert _qualifies(round)
    assert sorted(DimensionSummary.objects.values_list("summary_id", "key", "mean")) == sorted(
        expected
    )


# Sorting and paging in the database, as the Python rules had it


def _python_order(teams: dict[str, dict[str, float]], sort: str, descending: bool) -> list[str]:
    """The rule the page had when it sorted in Python: by name all teams; by a number teams
    without it last, ties and those without by name."""
    names = sorted(teams, key=str.lower)
    if sort == "name":
        return names[::-1] if descending else names

    def value(name: str) -> float | None:
        means = teams[name]
        if sort == "average":
            return statistics.fmean(means.values()) if means else None
        return means.get(sort)

    sign = -1 if descending else 1
    return sorted(
        names,
        key=lambda name: (value(name) is None, sign * (value(name) or 0), name.lower()),
    )


@pytest.mark.parametrize("sort", ["average", "name", "first", "second"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sorting_in_the_database_gives_the_order_the_python_rule_gave(
    login, coordinator, network, questionnaire, sort, order
):
    first, second = _keys(questionnaire)[:2]
    rng = random.Random(5)
    teams: dict[str, dict[str, float]] = {}
    for index in range(14):
        name = f"{rng.choice(['Abeel', 'beuk', 'Ceder'])} {index:02d}"
        team = Team.objects.create(network=network, name=name)
        # Ties on purpose: few distinct values; some teams lack a dimension or all results.
        scores = {first: rng.choice([2.0, 3.0, 4.0]), second: rng.choice([1.0, 3.0])}
        if index % 5 == 1:
            scores.pop(first)
        if index % 5 != 3:
            _scored(team, questionnaire, scores)
            teams[name] = scores
        else:
            teams[name] = {}
    key = {"first": first, "second": second}.get(sort, sort)
    client = login(coordinator)

    page = client.get(COMPARE, {"sort": key, "order": order})

    expected = _python_order(teams, key, order == "desc")
    assert _names(page) == expected
    assert [
        line[0] for line in _csv_body(client.get(COMPARE_CSV, {"sort": key, "order": order}))
    ] == expected


def test_the_pages_of_a_sorted_comparison_hold_every_team_once_in_order(
    login, coordinator, network, questionnaire
):
    _generate(network, 120, 3)
    client = login(coordinator)
    query = {"sort": _keys(questionnaire)[2], "order": "desc"}

    shown = [
        item["row"].name
        for number in (1, 2, 3)
        for item in client.get(COMPARE, {**query, "page": number}).context["rows"]
    ]

    assert shown == [line[0] for line in _csv_body(client.get(COMPARE_CSV, query))]
    assert len(set(shown)) == 120


# What the page and the CSV cost does not grow with the teams


def test_the_compare_page_and_csv_cost_the_same_queries_for_5_and_20_teams_each_way(
    login, coordinator, network, questionnaire
):
    client = login(coordinator)
    _generate(network, 5, 3)
    for index in range(3):
        Team.objects.create(network=network, name=f"Nooit {index}")
    urls = [
        (COMPARE, None),
        (COMPARE, {"sort": _keys(questionnaire)[0], "order": "desc", "page": "1"}),
        (COMPARE, {"sort": "name", "teams": list(network.teams.values_list("pk", flat=True))}),
        (COMPARE_CSV, None),
        (COMPARE_CSV, {"sort": _keys(questionnaire)[1]}),
    ]
    small = [_count_queries(client, url, query) for url, query in urls]

    _generate(network, 15, 3)
    for index in range(3, 30):
        Team.objects.create(network=network, name=f"Nooit {index}")
    large = [_count_queries(client, url, query) for url, query in urls]

    assert large == small


def test_the_page_names_the_first_fifty_not_measured_and_counts_the_rest(
    login, coordinator, network, questionnaire
):
    for index in range(53):
        Team.objects.create(network=network, name=f"Nooit {index:02d}")
    client = login(coordinator)

    page = client.get(COMPARE)

    assert len(page.context["comparison"].not_measured) == 50
    assert page.context["comparison"].not_measured_count == 53
    assert "En nog 3 teams: de CSV noemt ze allemaal." in page.content.decode()
    text = client.get(COMPARE_CSV).getvalue().decode("utf-8-sig")
    listed = text.split("Zes maanden niet gemeten")[1]
    assert all(f"Nooit {index:02d}" in listed for index in range(53))


def test_the_csv_read_in_many_chunks_is_the_csv_read_in_one(
    login, coordinator, network, questionnaire, monkeypatch
):
    _generate(network, 23, 3)
    for index in range(4):
        Team.objects.create(network=network, name=f"Nooit {index}")
    client = login(coordinator)
    query = {"sort": _keys(questionnaire)[3], "order": "desc"}
    whole = client.get(COMPARE_CSV, query).getvalue()

    monkeypatch.setattr("assessment.comparison.compare.CHUNK", 5)
    monkeypatch.setattr("assessment.exports.ROWS_PER_PIECE", 3)
    chunked = client.get(COMPARE_CSV, query)

    assert len(list(chunked.streaming_content)) > 5
    assert client.get(COMPARE_CSV, query).getvalue() == whole


# The figures across all teams are kept until what they rest on changes


def _network_average(client) -> dict:
    return client.get(COMPARE).context["comparison"].network_average


def test_the_figures_across_teams_are_kept_and_a_second_view_reads_fewer_queries(
    login, coordinator, network, team, questionnaire
):
    from django.core.cache import cache

    client = login(coordinator)
    _round(team, questionnaire, responses=4, closed_on=_today())
    client.get(COMPARE)  # content types and the like
    cache.clear()
    first = _count_queries(client, COMPARE)  # its warm-up computes, the counted view reads
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        client.get(COMPARE)

    assert first < len(computed.captured_queries)


def test_a_round_closed_in_scope_renews_the_figures_across_teams(
    login, coordinator, facilitator, network, team, questionnaire
):
    client = login(coordinator)
    _round(team, questionnaire, responses=4, closed_on=_today(), level=2.0)
    before = _network_average(client)
    other = Team.objects.create(network=network, name="Tweede")
    later = _round(other, questionnaire, responses=4, level=4.5, seed=7)
    assert _network_average(client) == before  # open: not in the comparison

    release.close(round=later)

    after = _network_average(client)
    assert after != before
    assert all(after[key] > before[key] for key in before)


def test_a_team_leaving_the_network_renews_the_figures_across_teams(
    login, coordinator, network, team, questionnaire
):
    client = login(coordinator)
    _round(team, questionnaire, responses=4, closed_on=_today())
    assert client.get(COMPARE).context["comparison"].measured_count == 1

    Team.objects.filter(pk=team.pk).update(network=Network.objects.create(name="Elders"))

    comparison = client.get(COMPARE).context["comparison"]
    assert comparison.measured_count == 0 and comparison.network_average == {}


def test_the_figures_across_teams_follow_the_day_a_closing_date_passes(
    login, coordinator, network, team, questionnaire, monkeypatch
):
    from assessment.comparison import compare as compare_module

    client = login(coordinator)
    _round(team, questionnaire, responses=4, closes_on=_today())
    assert client.get(COMPARE).context["comparison"].measured_count == 0

    tomorrow = _today() + timedelta(days=1)
    monkeypatch.setattr(compare_module.timezone, "localdate", lambda *args: tomorrow)
    monkeypatch.setattr("assessment.models.summaries.timezone.localdate", lambda *args: tomorrow)

    assert client.get(COMPARE).context["comparison"].measured_count == 1


def test_a_response_submitted_to_an_open_round_keeps_the_figures_across_teams(
    login, coordinator, network, team, questionnaire, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    _round(team, questionnaire, responses=4, closed_on=_today())
    other = Team.objects.create(network=network, name="Tweede")
    open_round = _round(other, questionnaire, responses=3, seed=3)
    client.get(COMPARE)
    kept = _count_queries(client, COMPARE)

    _submit(open_round, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as after_submit:
        client.get(COMPARE)

    assert len(after_submit.captured_queries) == kept
