"""A round's results for the team: the page (also printable) and a CSV of the aggregates."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessment.exports import csv_response, number
from assessment.models import Round
from assessment.responding.views import respondent_page
from assessment.results import figures, kept, summary
from assessment.results.aggregate import RoundResults, round_results


def _round_for(user, round_id: int) -> Round:
    return get_object_or_404(
        Round.objects.visible_to(user).select_related("team__network", "version__questionnaire"),
        pk=round_id,
    )


def _render(request: HttpRequest, round: Round, *, public: bool) -> HttpResponse:
    can_plan = not public and round.team.can_plan(request.user)

    def body() -> tuple[str, bool]:
        return _body(round, public=public, can_plan=can_plan)

    if round.is_open:
        html, visible = body()  # it changes with every submission
    else:
        # An ended round's page stays the same until a write moves its revision, and the
        # facilitator opens it again and again in the team's conversation. It differs by the
        # viewer's rights and by the day (an action becomes overdue).
        parts = (public, can_plan, round.team.name, timezone.localdate())
        html, visible = kept.kept("results-page", round, *parts, compute=body)
    return render(
        request,
        "results/round.html",
        {"round": round, "team": round.team, "body": html, "visible": visible, "public": public},
    )


def _body(round: Round, *, public: bool, can_plan: bool) -> tuple[str, bool]:
    """The page's figures and plan, rendered without the request: nothing in them is the
    viewer's own (no CSRF token, no user), so they can be kept for all with the same rights.
    And whether the figures are visible, for the chart scripts."""
    results = round_results(round)
    context = {
        "round": round,
        "team": round.team,
        "results": results,
        "figures": figures.for_results(results),
        "summary": summary.summarise(results) if results.visible else None,
        "dimension_rows": summary.dimension_rows(results),
        "public": public,
        "can_plan": can_plan,
    }
    return render_to_string("results/body.html", context), results.visible


@login_required
def results_page(request: HttpRequest, round_id: int) -> HttpResponse:
    return _render(request, _round_for(request.user, round_id), public=False)


@respondent_page
def results_public(request: HttpRequest, token: str) -> HttpResponse:
    """Team members without an account read the results through the round's own link."""
    round = get_object_or_404(Round.objects.select_related("team", "version"), token=token)
    return _render(request, round, public=True)


@login_required
def results_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    """The aggregated results as CSV: per dimension and per item, never single responses."""
    round = _round_for(request.user, round_id)
    results = round_results(round)
    filename = slugify(f"samenspel-{round.team.name}-{round.title}") or "samenspel"
    response, writer = csv_response(f"{filename}.csv")
    writer.writerow([_("Team"), round.team.name, _("Round"), round.title])
    writer.writerow([_("Completed responses"), results.completed])
    if not results.visible:
        writer.writerow([_("No results: the round is open or has too few responses.")])
        return response
    if results.mark:
        writer.writerow([_("Report mark (1 to 10)"), number(results.mark.mean, 1), results.mark.n])
    reverse_note = _(
        "Reverse-scored statements are worded negatively. Their current state is mirrored, so "
        "it is agreement with the positive reading: a higher number means the team disagrees "
        "with the statement as written, which is the good direction."
    )
    writer.writerow([reverse_note])
    for section in (_dimension_rows, _item_rows, _trend_rows, _action_rows, _sector_rows):
        rows = section(results)
        if rows:
            writer.writerow([])
            for row in rows:
                writer.writerow(row)
    return response


Row = list[Any]


def _dimension_rows(results: RoundResults) -> list[Row]:
    header: Row = [
        _("Dimension"),
        _("Key"),
        _("Mean"),
        _("Number of answers"),
        _("Standard deviation"),
        _("First quartile"),
        _("Median"),
        _("Third quartile"),
        _("95% interval, low"),
        _("95% interval, high"),
        _("Band"),
        _("Band uncertain"),
        _("Agreement (r_wg(J))"),
        _("Opinions differ"),
    ]
    rows = [header]
    for dimension in results.dimensions:
        spread, interval = dimension.spread, dimension.interval
        rows.append(
            [dimension.name, dimension.key, number(dimension.mean), dimension.n]
            + (
                [number(spread.sd), number(spread.q1), number(spread.median), number(spread.q3)]
                if spread
                else [""] * 4
            )
            + ([number(interval.low), number(interval.high)] if interval else ["", ""])
            + [dimension.band.label, _yes_no(dimension.uncertain)]
            + (
                [number(dimension.agreement), _yes_no(dimension.disagrees)]
                if dimension.agreement is not None
                else ["", ""]
            )
        )
    return rows


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _item_rows(results: RoundResults) -> list[Row]:
    header: Row = [
        _("Statement"),
        _("Key"),
        _("Dimension"),
        _("Current state"),
        _("Number of answers"),
        _("Don't know (share)"),
        _("Does not apply (share)"),
        _("Importance"),
        _("Number of answers on importance"),
        _("Want to work on it (share)"),
        _("Number of answers on working on it"),
        _("Priority"),
        _("Reverse-scored"),
    ]
    return [header] + [
        [
            item.text,
            item.key,
            item.dimension_name,
            number(item.state),
            item.state_n,
            number(item.dont_know_share),
            number(item.not_applicable_share),
            number(item.importance),
            item.importance_n,
            number(item.want_share),
            item.wants_n,
            number(item.priority, 1),
            _yes_no(item.reverse),
        ]
        for item in results.items
    ]


def _trend_rows(results: RoundResults) -> list[Row]:
    trend = results.trend
    if not (trend and trend.has_history):
        return []
    header: Row = (
        [_("Trend"), _("Key")]
        + [r.title for r in trend.rounds]
        + [pgettext("trend between rounds", "Change")]
    )
    return [header] + [
        [dimension.name, dimension.key]
        + [number(cell.mean) if cell else "" for cell in dimension.cells]
        + [dimension.direction.label if dimension.direction else ""]
        for dimension in trend.dimensions
    ]


def _action_rows(results: RoundResults) -> list[Row]:
    if not results.actions:
        return []
    header: Row = [
        _("Action"),
        _("About"),
        _("Who takes it on"),
        _("By when"),
        _("Status"),
        _("Agreed after round"),
    ]
    return [header] + [
        [
            action.text,
            action.topic,
            action.owner,
            action.due_date.isoformat() if action.due_date else "",
            action.get_status_display(),
            action.origin.title,
        ]
        for action in results.actions
    ]


def _sector_rows(results: RoundResults) -> list[Row]:
    """One section per sector, each set apart by an empty row as before."""
    rows: list[Row] = []
    for sector in results.sectors:
        if rows:
            rows.append([])
        rows.append([_("Sector"), sector.label, _("Responses"), sector.n])
        rows += [
            [dimension.name, number(sector.means.get(dimension.key))]
            for dimension in results.dimensions
        ]
    return rows
