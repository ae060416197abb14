"""Plotly figures as plain dicts: scores in, figure out. No database, no requests.

The page hands each figure to plotly.js as JSON (a <script type="application/json">),
so charts need no inline script. Labels arrive translated from the caller, and every one
passes through `plain` (or `wrap`, which uses it) on its way into a figure.
"""

import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass

from django.utils.formats import get_format

from assessment.results.disclosure import Distribution
from assessment.results.scoring import Band, DimensionResult, ItemResult, Summary
from config import brand

# The colours of the colour system (config/brand.py), which the pages and the poster share.
BAND_COLOURS = {
    Band.STRENGTH: brand.STRENGTH,
    Band.ATTENTION: brand.ATTENTION,
    Band.CONCERN: brand.CONCERN,
}
TEAM_COLOUR = brand.TEAM
SECTOR_COLOURS = list(brand.SERIES)
# Answers 1..5 from red to green, and the three groups (disagree, neither, agree).
ANSWER_COLOURS = list(brand.ANSWER_SCALE)
GROUP_COLOURS = list(brand.ANSWER_GROUPS)
# Thirteen colours that stay apart, so no two dimensions share one in a line chart.
DIMENSION_COLOURS = list(brand.DIMENSION_SERIES)
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


def separators() -> str:
    """Plotly's decimal and thousands separators in the active language: ",." in Dutch, so
    the axes, the numbers on the dots and the hover read "3,5" as the tables do."""
    return str(get_format("DECIMAL_SEPARATOR")) + str(get_format("THOUSAND_SEPARATOR"))


def _layout(**layout) -> dict:
    """What every figure's layout shares: our font, a transparent background, the separators."""
    return {"font": FONT, "paper_bgcolor": "rgba(0,0,0,0)", "separators": separators(), **layout}


def plain(text: str) -> str:
    """Text that plotly shows as typed. Plotly reads a subset of HTML in every label, legend
    entry and hover text (<a href>, <span style>, <br>, entities) and %{...} in hover
    templates; names come from teams, rounds and imported questionnaires. Plotly turns
    the entities back into the characters on screen."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("%{", "&#37;{")
    )


def wrap(text: str, width: int = 18) -> str:
    """Break long labels over lines (between words) so charts stay readable on a phone; the
    text itself is made plain, only our own line breaks are markup."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    # A space before each break: plotly puts each line in its own <tspan>, and without it
    # screen readers and copy-paste read "Gedeeldevisie endoelen".
    return " <br>".join(plain(line) for line in lines) or plain(text)


def _closed(values: list) -> list:
    return [*values, values[0]] if values else values


@dataclass(frozen=True)
class RadarLabels:
    team: str
    spread: str
    strength: str
    concern: str
    previous: str = ""


def radar(
    dimensions: Sequence[DimensionResult],
    *,
    strength: float,
    concern: float,
    scale_max: int,
    labels: RadarLabels,
    show_spread: bool,
    previous: dict[str, float] | None = None,
) -> dict:
    """One axis per dimension: the team mean, the middle half of the team as a band, and the
    band thresholds as reference rings."""
    labels = RadarLabels(*(plain(label) for label in astuple(labels)))
    theta = _closed([wrap(d.name, 12) for d in dimensions])
    names = _closed([plain(d.name) for d in dimensions])
    data: list[dict] = []
    for value, name, colour in (
        (strength, labels.strength, BAND_COLOURS[Band.STRENGTH]),
        (concern, labels.concern, BAND_COLOURS[Band.CONCERN]),
    ):
        data.append(
            {
                "type": "scatterpolar",
                "r": [value] * len(theta),
                "theta": theta,
                "mode": "lines",
                "name": name,
                "line": {"color": colour, "dash": "dot", "width": 1.5},
                "hoverinfo": "skip",
            }
        )
    if show_spread:
        data.append(
            {
                "type": "scatterpolar",
                "r": _closed([d.spread.q1 if d.spread else d.mean for d in dimensions]),
                "theta": theta,
                "mode": "lines",
                "line": {"width": 0, "color": TEAM_COLOUR},
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        data.append(
            {
                "type": "scatterpolar",
                "r": _closed([d.spread.q3 if d.spread else d.mean for d in dimensions]),
                "theta": theta,
                "mode": "lines",
                "fill": "tonext",
                "fillcolor": "rgba(10, 88, 202, 0.15)",
                "line": {"width": 0, "color": TEAM_COLOUR},
                "name": labels.spread,
                "hoverinfo": "skip",
            }
        )
    if previous:
        data.append(
            {
                "type": "scatterpolar",
                "r": _closed([previous.get(d.key) for d in dimensions]),
                "theta": theta,
                "mode": "lines+markers",
                "name": labels.previous,
                "line": {"color": brand.GRID, "dash": "dash", "width": 2},
                "marker": {"size": 5},
                "customdata": names,
                "hovertemplate": "%{customdata}: %{r:.1f}<extra></extra>",
            }
        )
    data.append(
        {
            "type": "scatterpolar",
            "r": _closed([d.mean for d in dimensions]),
            "theta": theta,
            "mode": "lines+markers",
            "name": labels.team,
            "line": {"color": TEAM_COLOUR, "width": 3},
            "marker": {"size": 8, "color": _closed([BAND_COLOURS[d.band] for d in dimensions])},
            "customdata": names,
            "hovertemplate": "%{customdata}: %{r:.1f}<extra></extra>",
        }
    )
    return {"data": data, "layout": _radar_layout(len(dimensions), scale_max)}


def _radar_layout(spokes: int, scale_max: int) -> dict:
    """The radar's frame, shared by the team's radar and the coordinator's overlay. The labels
    stand outside the circle, so the margins leave room for four lines of a wrapped name;
    charts.js widens them further where a label would still stick out (a phone)."""
    # The scale's numbers run halfway between the last spoke and the first, so no
    # dimension's line crosses them.
    angle = 90 + 180 / spokes if spokes else 90
    return _layout(
        polar={
            "radialaxis": {
                "range": [1, scale_max],
                "dtick": 1,
                "angle": angle,
                # Plotly turns the numbers with the axis; turned back, they read upright.
                "tickangle": angle,
                "showline": False,
                "ticks": "",
                "tickfont": {"size": 10, "color": brand.MUTED},
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90, "tickfont": {"size": 11}},
        },
        showlegend=True,
        legend={"orientation": "h", "y": -0.12, "x": 0.5, "xanchor": "center", "yanchor": "top"},
        margin={"l": 110, "r": 110, "t": 70, "b": 20},
        height=600,
    )


def sectors(
    dimensions: Sequence[DimensionResult],
    groups: Sequence[tuple[str, dict[str, float]]],
    *,
    scale_max: int,
    axis_title: str,
) -> dict:
    """Per sector, the mean of each dimension side by side: where professions differ."""
    y = [wrap(d.name, 28) for d in dimensions]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": plain(label),
            "y": y,
            "x": [means.get(d.key) for d in dimensions],
            "marker": {"color": SECTOR_COLOURS[index % len(SECTOR_COLOURS)]},
            "hovertemplate": f"{plain(label)}: %{{x:.1f}}<extra></extra>",
        }
        for index, (label, means) in enumerate(groups)
    ]
    return {
        "data": data,
        "layout": {
            "barmode": "group",
            "xaxis": {"range": [1, scale_max], "dtick": 1, "title": {"text": plain(axis_title)}},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
            "margin": {"l": 10, "r": 10, "t": 40, "b": 50},
            "font": FONT,
            "separators": separators(),
            "height": 120 + len(dimensions) * (18 * max(len(groups), 1) + 14),
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }


@dataclass(frozen=True)
class ScatterLabels:
    state: str
    importance: str
    want_share: str
    act_here: str
    reverse: str = ""  # after a reverse-scored statement's text: how to read its state


def plotted(items: Sequence[ItemResult]) -> list[ItemResult]:
    """The statements the matrix draws, in its numbering (1..n): those with a state and an
    importance the gate allows. The page's legend table reads the same list."""
    return [item for item in items if item.state is not None and item.importance is not None]


def _fitted(values: Sequence[float], boundary: float, low: float, high: float) -> list[float]:
    """An axis range around the dots and the act-here boundary, within the scale: dots that
    sit close together get room for their numbers, and the act-here corner stays in view."""
    shown = [*values, boundary]
    return [max(low, min(shown) - 0.15), min(high, max(shown) + 0.15)]


def state_against_importance(
    items: Sequence[ItemResult],
    *,
    scale_max: int,
    importance_max: int,
    concern: float,
    labels: ScatterLabels,
) -> dict:
    """Each item by its importance (x) and state (y), numbered as in the table beside the
    chart, so it reads without hovering; bigger and darker when more want to work on it.
    Bottom right, important but weak, is where to act."""
    items = plotted(items)
    # Wrapped as typed (wrap makes it plain); the other labels are made plain here.
    reverse_note = f"<br><i>{wrap(labels.reverse, 40)}</i>" if labels.reverse else ""
    act_here = wrap(labels.act_here, 24)
    labels = ScatterLabels(*(plain(label) for label in astuple(labels)))
    shares = [round(100 * (item.want_share or 0)) for item in items]
    middle = (1 + importance_max) / 2
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": [item.importance for item in items],
                "y": [item.state for item in items],
                "text": [str(number) for number in range(1, len(items) + 1)],
                "textposition": "middle center",
                # Light numbers on the dark dots, dark ones on the light dots.
                "textfont": {
                    "size": 10,
                    "color": [brand.WHITE if share >= 40 else brand.HEAT_HIGH for share in shares],
                },
                "customdata": [
                    [share, wrap(item.text, 40) + (reverse_note if item.reverse else "")]
                    for share, item in zip(shares, items, strict=True)
                ],
                "marker": {
                    "size": [16 + share / 10 for share in shares],
                    "color": shares,
                    "cmin": 0,
                    "cmax": 100,
                    "colorscale": [[0, brand.HEAT_LOW], [1, brand.HEAT_HIGH]],
                    "line": {"width": 1, "color": "#1f2d3d"},
                    "colorbar": {
                        "title": {"text": labels.want_share, "side": "top"},
                        "ticksuffix": "%",
                        "orientation": "h",
                        "y": -0.2,
                        "yanchor": "top",
                        "thickness": 12,
                        "len": 0.9,
                    },
                },
                "hovertemplate": (
                    "%{text}. %{customdata[1]}<br>"
                    + labels.state
                    + ": %{y:.1f} · "
                    + labels.importance
                    + ": %{x:.1f} · "
                    + labels.want_share
                    + ": %{customdata[0]}%<extra></extra>"
                ),
            }
        ],
        "layout": {
            "xaxis": {
                "range": _fitted(
                    [i.importance or 0 for i in items], middle, 0.9, importance_max + 0.1
                ),
                "dtick": 0.25,
                "title": {"text": labels.importance},
            },
            "yaxis": {
                "range": _fitted([i.state or 0 for i in items], concern, 0.9, scale_max + 0.1),
                "dtick": 0.5,
                "title": {"text": labels.state},
            },
            "shapes": [
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "y",
                    "x0": middle,
                    "x1": importance_max + 0.1,
                    "y0": 0.9,
                    "y1": concern,
                    "fillcolor": "rgba(176, 42, 55, 0.08)",
                    "line": {"width": 1, "color": "rgba(176, 42, 55, 0.4)", "dash": "dot"},
                    "layer": "below",
                }
            ],
            "annotations": [
                {
                    # In the corner's bottom left: the weakest important dots lie to its right.
                    "x": middle,
                    "y": 0,
                    "xref": "x",
                    "yref": "y domain",
                    "text": act_here,
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "align": "left",
                    "font": {"color": brand.CONCERN, "size": 11},
                }
            ],
            "margin": {"l": 60, "r": 10, "t": 10, "b": 50},
            "font": FONT,
            "separators": separators(),
            "height": 560,
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }


@dataclass(frozen=True)
class DistributionTable:
    """What a distribution chart draws, for the chart and for the table beside it alike."""

    labels: tuple[str, ...]  # the answers, or the groups of answers, in the bars' order
    rows: tuple[tuple[ItemResult, tuple[float, ...]], ...]  # each item with its shares (0..1)
    grouped: bool


def distribution_table(
    items: Sequence[ItemResult], *, answer_labels: Sequence[str], group_labels: Sequence[str]
) -> DistributionTable:
    """The items whose distribution the gate allows, with their shares per answer; per group
    of answers for all of them where one item may show only groups."""
    shown = [(item, item.distribution) for item in items if item.distribution]
    grouped = any(distribution.grouped for _item, distribution in shown)
    return DistributionTable(
        labels=tuple(group_labels if grouped else answer_labels),
        rows=tuple((item, _grouped(d) if grouped else d.shares) for item, d in shown),
        grouped=grouped,
    )


def distribution(
    items: Sequence[ItemResult],
    *,
    answer_labels: Sequence[str],
    group_labels: Sequence[str],
    reverse_note: str = "",
) -> dict:
    """Per item, the share that gave each answer: stacked bars from 'strongly disagree' to
    'strongly agree'. Where the gate allows only groups of answers for one item (see
    disclosure.distribution_or_none), the whole chart shows the groups, so it reads alike.
    Answers are as given, also for a reverse-scored item: its label and hover carry
    `reverse_note`, as agreeing with it is the weak side."""
    table = distribution_table(items, answer_labels=answer_labels, group_labels=group_labels)
    shown = [(item, item.distribution) for item, _shares in table.rows]
    rows = [shares for _item, shares in table.rows]
    labels = table.labels
    colours = GROUP_COLOURS if table.grouped else ANSWER_COLOURS
    notes = [
        f"<br><i>{wrap(reverse_note, 34)}</i>" if item.reverse and reverse_note else ""
        for item, _distribution in shown
    ]
    y = [
        wrap(item.text, 34) + note for (item, _distribution), note in zip(shown, notes, strict=True)
    ]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": label,
            "y": y,
            "x": [round(100 * shares[index], 1) for shares in rows],
            "customdata": notes,
            "marker": {"color": colours[index % len(colours)]},
            "hovertemplate": f"{label}: %{{x:.0f}}%%{{customdata}}<extra></extra>",
        }
        for index, label in enumerate(plain(label) for label in labels)
    ]
    return {
        "data": data,
        "layout": {
            "barmode": "stack",
            "yaxis": {"autorange": "reversed", "automargin": True},
            "xaxis": {"range": [0, 100], "dtick": 25, "ticksuffix": "%"},
            # The first answer is the leftmost segment and the first legend entry: the legend
            # reads from "strongly disagree" to "strongly agree" as the bars do.
            "legend": {"orientation": "h", "y": -0.15, "traceorder": "normal"},
            "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
            "font": FONT,
            "separators": separators(),
            "height": 140 + 52 * len(shown),
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }


def distribution_legend(table: DistributionTable) -> tuple[tuple[str, str], ...]:
    """(label, colour) of each segment of a distribution chart, in the bars' order: the
    printed page shows this one line instead of plotly's legend, which takes a chart's
    height again at half a page's width."""
    colours = GROUP_COLOURS if table.grouped else ANSWER_COLOURS
    return tuple((label, colours[index % len(colours)]) for index, label in enumerate(table.labels))


def distribution_print_layout(figure: dict) -> dict:
    """What a distribution chart changes for print: no legend (distribution_legend stands
    in) and bars as high as three lines of a statement at the printed font size, so that
    the thirteen charts take two pages."""
    statements = len(figure["data"][0]["y"]) if figure["data"] else 0
    return {
        "font.size": 9,
        "showlegend": False,
        "margin.t": 4,
        "margin.b": 22,
        "height": 30 + 40 * statements,
    }


def _grouped(distribution: Distribution) -> tuple[float, ...]:
    """Shares per group (lower options, middle, upper options), from either form."""
    if distribution.grouped:
        return distribution.shares
    shares = distribution.shares
    half = len(shares) // 2
    middle = shares[half] if len(shares) % 2 else 0.0
    return (sum(shares[:half]), middle, sum(shares[len(shares) - half :]))


def trend_lines(
    round_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    scale_max: int,
    axis_title: str,
) -> dict:
    """Each dimension's mean over the team's rounds; click a legend entry to hide a line."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": plain(name),
                "x": [plain(label) for label in round_labels],
                "y": list(values),
                "connectgaps": True,
                "hovertemplate": f"{plain(name)}: %{{y:.1f}}<extra></extra>",
            }
            for name, values in series
        ],
        "layout": {
            "yaxis": {"range": [1, scale_max], "dtick": 1, "title": {"text": plain(axis_title)}},
            "xaxis": {"type": "category"},
            "colorway": DIMENSION_COLOURS,
            "legend": {"orientation": "h", "y": -0.2},
            "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
            "font": FONT,
            "separators": separators(),
            "height": 520,
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }


DIRECTION_COLOURS = {"up": brand.STRENGTH, "down": brand.CONCERN}


@dataclass(frozen=True)
class TrendPanel:
    name: str
    values: Sequence[float | None]  # one per round, oldest first
    direction: str = ""  # "up" or "down" draw the line in colour; anything else in grey
    note: str = ""  # the direction in words under the name, e.g. "▲ up"


def trend_panels(
    round_labels: Sequence[str], panels: Sequence[TrendPanel], *, scale_max: int, columns: int = 4
) -> dict:
    """Small multiples: one small chart per dimension, each with its own name, its change in
    words and its means on the points, so nothing needs a legend or a hover and no line
    crosses another. Green went up, red went down (scoring.change), grey did neither.
    charts.js puts two in a row on a phone."""
    rows = max(1, math.ceil(len(panels) / columns))
    x = [plain(label) for label in round_labels]
    ticks = [wrap(label, 10) for label in round_labels]
    data, annotations, layout = [], [], {}
    for number, panel in enumerate(panels, start=1):
        colour = DIRECTION_COLOURS.get(panel.direction, brand.GRID)
        moved = panel.direction in DIRECTION_COLOURS
        name = plain(panel.name)
        # Plotly names the first subplot's axes x and y, the others x2, y2 and on.
        axis = "" if number == 1 else str(number)
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "name": name,
                "x": x,
                "y": list(panel.values),
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "connectgaps": True,
                "line": {"color": colour, "width": 3 if moved else 1.5},
                "marker": {"color": colour, "size": 6},
                "texttemplate": "%{y:.1f}",
                "textposition": "top center",
                "textfont": {"size": 10, "color": colour},
                "cliponaxis": False,
                "showlegend": False,
                "hovertemplate": f"{name}: %{{y:.1f}}<extra></extra>",
            }
        )
        layout[f"xaxis{axis}"] = {
            "type": "category",
            "tickmode": "array",
            "tickvals": x,
            "ticktext": ticks,
            "tickfont": {"size": 9},
            "fixedrange": True,
        }
        layout[f"yaxis{axis}"] = {
            "range": [1, scale_max + 0.3],
            "dtick": 1,
            "tickfont": {"size": 9},
            "fixedrange": True,
        }
        note = f" <br>{plain(panel.note)}" if panel.note else ""
        annotations.append(
            {
                "xref": f"x{axis} domain",
                "yref": f"y{axis} domain",
                "x": 0,
                "y": 1.04,
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "text": wrap(panel.name, 24) + note,
                "font": {"size": 11, "color": colour if moved else brand.INK},
            }
        )
    return {
        "data": data,
        "layout": _layout(
            grid={
                "rows": rows,
                "columns": columns,
                "pattern": "independent",
                "xgap": 0.15,
                "ygap": 0.55,
            },
            annotations=annotations,
            showlegend=False,
            margin={"l": 30, "r": 10, "t": 70, "b": 40},
            height=70 + 40 + rows * 200,
            **layout,
        ),
    }


def overlay(
    dimensions: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, dict[str, float]]],
    *,
    scale_max: int,
    strength: float,
    concern: float,
) -> dict:
    """Chosen teams against the network average on one radar; the first series is the average."""
    theta = _closed([wrap(name, 12) for _key, name in dimensions])
    names = _closed([plain(name) for _key, name in dimensions])
    data = []
    for index, (name, means) in enumerate(series):
        average, label = index == 0, plain(name)
        data.append(
            {
                "type": "scatterpolar",
                "r": _closed([means.get(key) for key, _name in dimensions]),
                "theta": theta,
                "mode": "lines+markers",
                "name": label,
                "line": {
                    "color": brand.INK if average else SECTOR_COLOURS[(index - 1) % 5],
                    "width": 3 if average else 2,
                    "dash": "dash" if average else "solid",
                },
                "customdata": names,
                "hovertemplate": f"{label}<br>%{{customdata}}: %{{r:.1f}}<extra></extra>",
            }
        )
    return {"data": data, "layout": _radar_layout(len(dimensions), scale_max)}


def across_teams(series: Sequence[tuple[str, Summary]], *, axis_title: str) -> dict:
    """Per dimension, how the teams' means are spread: one box per dimension (quartiles,
    whiskers from the lowest to the highest team). The statistics are computed beforehand, so
    the page carries five numbers per dimension, not one per team."""
    names = [wrap(name, 28) for name, _summary in series]
    return {
        "data": [
            {
                "type": "box",
                "orientation": "h",
                "y": names,
                "q1": [summary.q1 for _name, summary in series],
                "median": [summary.median for _name, summary in series],
                "q3": [summary.q3 for _name, summary in series],
                "lowerfence": [summary.minimum for _name, summary in series],
                "upperfence": [summary.maximum for _name, summary in series],
                "mean": [summary.mean for _name, summary in series],
                "marker": {"color": TEAM_COLOUR},
                "line": {"color": TEAM_COLOUR},
                "showlegend": False,
            }
        ],
        "layout": {
            "xaxis": {"range": [1, 5], "dtick": 1, "title": {"text": plain(axis_title)}},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "margin": {"l": 10, "r": 10, "t": 10, "b": 50},
            "font": FONT,
            "separators": separators(),
            "height": 120 + 40 * len(series),
            "paper_bgcolor": "rgba(0,0,0,0)",
        },
    }
