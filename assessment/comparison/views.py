"""Coordinators compare the teams of their networks. Never a single response."""

from collections.abc import Iterator
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from assessment.comparison.compare import Comparison, TeamRow, chosen_rows, compare
from assessment.exports import number_writer, streaming_csv_response
from assessment.results import charts
from config.parsing import parse_id
from config.replica import reads_from_replica
from teams.access import AuthenticatedHttpRequest

MAX_OVERLAY = 6
# Ticked teams read at most: a page's worth.
MAX_TICKED = 50


# Dates outside these years are typing errors, and near the ends of the calendar the
# period's bounds would overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _date(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day and FIRST_YEAR <= day.year <= LAST_YEAR else None


def _comparison(request: AuthenticatedHttpRequest) -> tuple[Comparison, dict]:
    """The comparison for the filters in the query string, within the user's scope."""
    scope = list(request.user.visible_networks().order_by("name"))
    if not scope:
        raise Http404
    params: QueryDict = request.GET
    chosen = [n for n in scope if str(n.pk) == params.get("network")]
    networks = chosen or scope
    descending = params.get("order") == "desc"
    comparison = compare(
        networks,
        since=_date(params.get("since")),
        until=_date(params.get("until")),
        sort=params.get("sort", "average"),
        descending=descending,
        page=params.get("page"),
    )
    filters = {
        "scope": scope,
        "network": chosen[0].pk if chosen else "",
        "since": params.get("since", "") if _date(params.get("since")) else "",
        "until": params.get("until", "") if _date(params.get("until")) else "",
        "sort": comparison.sort,
        "order": "desc" if comparison.descending else "asc",
    }
    return comparison, filters


def _over_time_table(comparison: Comparison) -> dict:
    """The small charts of the network over time as a table: the quarters as columns, a row
    per dimension, the very means the charts draw."""
    one_decimal = _formatter()
    return {
        "quarters": [label for label, _means in comparison.over_time],
        "rows": [
            (
                d.name,
                [
                    one_decimal(means[d.key]) if d.key in means else "–"
                    for _label, means in comparison.over_time
                ],
            )
            for d in comparison.dimensions
        ],
    }


@login_required
@reads_from_replica
def compare_teams(request: AuthenticatedHttpRequest) -> HttpResponse:
    comparison, filters = _comparison(request)
    dimensions = comparison.dimensions
    average = comparison.network_average
    ticked = _ticked(request, comparison)
    chosen = ticked[:MAX_OVERLAY]
    one_decimal = _formatter()

    def cells(means: dict[str, float], results: str = "") -> list[tuple[str, str, str]]:
        # Formatted here: a thousand template filters per page would cost more than the data.
        # Each number links to that dimension on the team's results page (`results`), which
        # the coordinator may open (Round.objects.visible_to); the network average does not.
        return [
            (
                one_decimal(means[d.key]),
                comparison.band(means[d.key]).value,
                f"{results}#dimension-{d.key}" if results else "",
            )
            if d.key in means
            else ("–", "none", "")
            for d in dimensions
        ]

    rows = [
        {
            "row": row,
            "average": one_decimal(row.average) if row.average is not None else "–",
            "cells": cells(
                row.means, reverse("round_results", args=[row.round_id]) if row.round_id else ""
            ),
            "direction": row.direction,
        }
        for row in comparison.rows
    ]
    figures: dict = {}
    if comparison.measured_count:
        figures["overlay"] = charts.overlay(
            [(d.key, d.name) for d in dimensions],
            [(_("Network average"), average)] + [(row.name, row.means) for row in chosen],
            scale_max=5,
            strength=comparison.strength,
            concern=comparison.concern,
        )
        figures["spread"] = charts.across_teams(
            comparison.spread, axis_title=_("Team mean (1 to 5)")
        )
        # The tables beside the charts: the very means and summaries the charts draw.
        figures["overlay_table"] = {
            "names": [_("Network average")] + [row.name for row in chosen],
            "rows": [
                (
                    d.name,
                    [
                        one_decimal(m[d.key]) if d.key in m else "–"
                        for m in [average, *[r.means for r in chosen]]
                    ],
                )
                for d in dimensions
            ],
        }
        figures["spread_table"] = comparison.spread
    if len(comparison.over_time) > 1:
        # One small chart per dimension, as on a team's results page: no tangle of 13 lines.
        figures["over_time"] = charts.trend_panels(
            [label for label, _means in comparison.over_time],
            [
                charts.TrendPanel(
                    d.name, [means.get(d.key) for _label, means in comparison.over_time]
                )
                for d in dimensions
            ],
            scale_max=5,
        )
        figures["over_time_table"] = _over_time_table(comparison)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordinator/compare.html",
        {
            "comparison": comparison,
            "filters": filters,
            "page": comparison.page,
            "rows": rows,
            "average_cells": [(text, band) for text, band, _link in cells(average)],
            "sort_headers": _sort_headers(query, filters, dimensions),
            "name_sort": _sort_query(query, filters, "name"),
            "average_sort": _sort_query(query, filters, "average"),
            "page_query": query.urlencode(),
            "chosen_ids": [row.team_id for row in chosen],
            "too_many": len(ticked) > MAX_OVERLAY,
            "figures": figures,
            "max_overlay": MAX_OVERLAY,
        },
    )


def _ticked(request: HttpRequest, comparison: Comparison) -> list[TeamRow]:
    """The teams ticked for the overlay that are in scope and have results, in order: read
    for themselves, they need not be on the page shown. One more than fits is read, to say
    that not all fit."""
    ids: list[int] = []
    for value in request.GET.getlist("teams"):
        team_id = parse_id(value)
        if team_id is not None and team_id not in ids:
            ids.append(team_id)
    del ids[MAX_TICKED:]  # a long query string reads no more
    assert comparison.scope is not None
    return chosen_rows(comparison.scope, ids)


def _sort_query(query: QueryDict, filters: dict, key: str) -> str:
    """The link that sorts by `key`; a second click on the sorted column reverses it."""
    link = query.copy()
    link["sort"] = key
    link["order"] = "desc" if filters["sort"] == key and filters["order"] == "asc" else "asc"
    return link.urlencode()


def _sort_headers(query: QueryDict, filters: dict, dimensions) -> list[dict]:
    return [
        {"key": d.key, "label": d.name, "query": _sort_query(query, filters, d.key)}
        for d in dimensions
    ]


def _formatter():
    separator = get_format("DECIMAL_SEPARATOR")
    return lambda value: f"{value:.1f}".replace(".", separator)


@login_required
@reads_from_replica
def compare_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The comparison table as CSV: the same filters, sorting and columns, all pages, written
    while it is sent."""
    comparison, _filters = _comparison(request)
    return streaming_csv_response("samenspel-teams.csv", _csv_rows(comparison))


def _csv_rows(comparison: Comparison) -> Iterator[list]:
    dimensions = comparison.dimensions
    number = number_writer()  # in the language the rows are written in
    yield [
        _("Team"),
        _("Network"),
        _("Round"),
        _("Closed"),
        _("Completed responses"),
        _("Team size"),
        _("Response rate (%)"),
        _("Average"),
        _("Change"),
    ] + [d.name for d in dimensions]
    for row in comparison.all_rows():
        rate = row.response_rate
        yield [
            row.name,
            row.network,
            row.round_title,
            row.ended_on.isoformat() if row.ended_on else "",
            row.completed if row.round_id else "",
            row.size if row.size is not None else "",
            number(100 * rate, 0) if rate is not None else "",
            number(row.average),
            row.direction.label if row.direction else "",
        ] + [number(row.means.get(d.key)) for d in dimensions]
    average = comparison.network_average
    yield [_("Network average")] + [""] * 8 + [number(average.get(d.key)) for d in dimensions]
    if comparison.over_time:
        yield []
        yield [_("Quarter")] + [d.name for d in dimensions]
        for label, means in comparison.over_time:
            yield [label] + [number(means.get(d.key)) for d in dimensions]
    if comparison.not_measured_count:
        yield []
        yield [_("Not measured for six months"), _("Network"), _("Last measured")]
        for team in comparison.all_not_measured():
            yield [team.name, team.network, team.last_ended.isoformat() if team.last_ended else ""]
