"""The plotly figures of a results page, from results that passed the disclosure gate.

Each figure is built only where there is something to draw: a dimension for the radar, a
statement with a state and an importance for the matrix, an allowed distribution.
"""

import json
from itertools import groupby

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessment.questionnaire.structure import structure
from assessment.results import charts
from assessment.results.aggregate import RoundResults
from assessment.results.scoring import Direction
from assessment.results.trends import Trend

# The signs results/direction.html puts before a direction's words.
SIGNS = {Direction.UP: "▲", Direction.DOWN: "▼", Direction.UNCLEAR: "~"}


def for_results(results: RoundResults) -> dict:
    if not results.visible:
        return {}
    figures: dict = {}
    if results.dimensions:
        figures["radar"] = radar(results)
    if any(item.importance is not None for item in results.items):
        figures["scatter"] = scatter(results)
        # The matrix's legend table: the same statements in the chart's numbering.
        figures["scatter_items"] = charts.plotted(results.items)
    if results.trend and results.trend.has_history:
        figures["trend"] = trend(results.trend, scale_max=results.scale.state_max)
        figures["trend_moves"] = moves(results.trend)
    if results.sectors:
        figures["sectors"] = charts.sectors(
            results.dimensions,
            [(sector.label, sector.means) for sector in results.sectors],
            scale_max=results.scale.state_max,
            axis_title=_("Mean (1 to %(max)s)") % {"max": results.scale.state_max},
        )
    if any(item.distribution for item in results.items):
        figures["distributions"] = distributions(results)
    return figures


def radar(results: RoundResults) -> dict:
    return charts.radar(
        results.dimensions,
        strength=results.strength,
        concern=results.concern,
        scale_max=results.scale.state_max,
        show_spread=results.spreads_visible,
        previous=results.trend.previous_means() if results.trend else None,
        labels=charts.RadarLabels(
            previous=_("Previous round"),
            team=_("Team mean"),
            spread=_("Middle half of the team"),
            strength=_("Strength from %(value)s") % {"value": number_format(results.strength, 1)},
            concern=_("Concern below %(value)s") % {"value": number_format(results.concern, 1)},
        ),
    )


def trend(trend: Trend, *, scale_max: int) -> dict:
    """One small chart per dimension, its change since the previous round under its name."""
    return charts.trend_panels(
        [r.title for r in trend.rounds],
        [
            charts.TrendPanel(
                name=d.name,
                values=[c.mean if c else None for c in d.cells],
                direction=d.direction.value if d.direction else "",
                note=f"{SIGNS.get(d.direction, '')} {d.direction.label}".strip()
                if d.direction
                else "",
            )
            for d in trend.dimensions
        ],
        scale_max=scale_max,
    )


def moves(trend: Trend) -> list[tuple[Direction, list[str]]]:
    """The dimensions by their change since the previous round (up, down, no clear difference,
    too few answers to say), for the sentence above the trend: what moved, in words."""
    return [
        (direction, names)
        for direction in Direction
        if (names := [d.name for d in trend.dimensions if d.direction == direction])
    ]


def scatter(results: RoundResults) -> dict:
    return charts.state_against_importance(
        results.items,
        scale_max=results.scale.state_max,
        importance_max=results.scale.importance_max,
        concern=results.concern,
        labels=charts.ScatterLabels(
            state=_("Current state"),
            importance=_("Importance"),
            want_share=_("Want to work on it"),
            act_here=_("Act here: important, but weak"),
            reverse=_(
                "Reverse-scored: a higher state means the team disagrees with this statement, "
                "which is the good direction."
            ),
        ),
    )


def distributions(results: RoundResults) -> list[dict]:
    """One chart per dimension, of its statements whose distribution the gate allows."""
    labels = {label.value: label.label for label in structure(results.round.version).state_labels}
    answer_labels = [labels[value] for value in sorted(labels)]
    group_labels = [
        pgettext("answer group", "(Strongly) disagree"),
        pgettext("answer group", "Neither agree nor disagree"),
        pgettext("answer group", "(Strongly) agree"),
    ]
    shown = [item for item in results.items if item.distribution]
    note = _("Reverse-scored: the answers as given, not mirrored; agreeing is the weak side.")
    charts_ = []
    for index, (name, group) in enumerate(groupby(shown, key=lambda item: item.dimension_name)):
        items = list(group)
        figure = charts.distribution(
            items, answer_labels=answer_labels, group_labels=group_labels, reverse_note=note
        )
        # The table beside the chart: the very shares the chart draws.
        table = charts.distribution_table(
            items, answer_labels=answer_labels, group_labels=group_labels
        )
        charts_.append(
            {
                "name": name,
                "id": f"distribution-{index}",
                "figure": figure,
                "table": table,
                "legend": charts.distribution_legend(table),
                "print_layout": json.dumps(charts.distribution_print_layout(figure)),
            }
        )
    return charts_
