"""Coordinators compare the teams of their networks. Never a single response."""

import csv
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessment import charts
from assessment.comparison import Comparison, compare

MAX_OVERLAY = 6
PAGE_SIZE = 50


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _comparison(request: HttpRequest) -> tuple[Comparison, dict]:
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
    )
    filters = {
        "scope": scope,
        "network": chosen[0].pk if chosen else "",
        "since": params.get("since", "") if _date(params.get("since")) else "",
        "until": params.get("until", "") if _date(params.get("until")) else "",
        "sort": comparison.sort,
        "order": "desc" if descending else "asc",
    }
    return comparison, filters


@login_required
def compare_teams(request: HttpRequest) -> HttpResponse:
    comparison, filters = _comparison(request)
    page = Paginator(comparison.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    by_id = {row.team_id: row for row in comparison.measured}
    chosen_ids = []
    for value in request.GET.getlist("teams"):
        if value.isdigit() and int(value) in by_id and int(value) not in chosen_ids:
            chosen_ids.append(int(value))
    chosen = [by_id[team_id] for team_id in chosen_ids[:MAX_OVERLAY]]
    average = comparison.network_average
    dimensions = comparison.dimensions
    figures = {}
    if comparison.measured:
        figures["overlay"] = charts.overlay(
            [(d.key, d.name) for d in dimensions],
            [(_("Network average"), average)] + [(row.name, row.means) for row in chosen],
            scale_max=5,
            strength=comparison.strength,
            concern=comparison.concern,
        )
        figures["spread"] = charts.across_teams(
            [
                (d.name, [r.means[d.key] for r in comparison.measured if d.key in r.means])
                for d in dimensions
            ],
            axis_title=_("Team mean (1 to 5)"),
        )
    rows = [
        {
            "row": row,
            "cells": [
                (
                    row.means.get(d.key),
                    comparison.band(row.means[d.key]).value if d.key in row.means else "",
                )
                for d in dimensions
            ],
            "direction": _direction(row),
        }
        for row in page.object_list
    ]
    base = request.GET.copy()
    base.pop("page", None)
    sort_links = {}
    for key in ["name", "average", *[d.key for d in dimensions]]:
        query = base.copy()
        query["sort"] = key
        query["order"] = "desc" if filters["sort"] == key and filters["order"] == "asc" else "asc"
        query.pop("page", None)
        sort_links[key] = query.urlencode()
    return render(
        request,
        "coordinator/compare.html",
        {
            "comparison": comparison,
            "filters": filters,
            "page": page,
            "rows": rows,
            "average_cells": [
                (
                    average.get(d.key),
                    comparison.band(average[d.key]).value if d.key in average else "",
                )
                for d in dimensions
            ],
            "sort_links": sort_links,
            "page_query": base.urlencode(),
            "chosen_ids": chosen_ids[:MAX_OVERLAY],
            "too_many": len(chosen_ids) > MAX_OVERLAY,
            "figures": figures,
            "max_overlay": MAX_OVERLAY,
        },
    )


def _direction(row) -> str | None:
    if row.average is None or row.previous_average is None:
        return None
    difference = row.average - row.previous_average
    if abs(difference) < 0.1:
        return "level"
    return "up" if difference > 0 else "down"


@login_required
def compare_csv(request: HttpRequest) -> HttpResponse:
    """The comparison table as CSV: the same filters, sorting and columns, all pages."""
    comparison, _filters = _comparison(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="samenspel-teams.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Team"),
            _("Network"),
            _("Round"),
            _("Closed"),
            _("Completed responses"),
            _("Team size"),
            _("Average"),
        ]
        + [d.name for d in comparison.dimensions]
    )
    for row in comparison.rows:
        writer.writerow(
            [
                row.name,
                row.network,
                row.round_title,
                row.closed_at.date().isoformat() if row.closed_at else "",
                row.completed if row.round_id else "",
                row.size or "",
                f"{row.average:.2f}" if row.average is not None else "",
            ]
            + [
                f"{row.means[d.key]:.2f}" if d.key in row.means else ""
                for d in comparison.dimensions
            ]
        )
    writer.writerow(
        [_("Network average"), "", "", "", "", "", ""]
        + [
            f"{comparison.network_average[d.key]:.2f}"
            if d.key in comparison.network_average
            else ""
            for d in comparison.dimensions
        ]
    )
    return response
