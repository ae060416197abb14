"""The plotly figures of assessment/results/charts.py: plain dicts plotly accepts. No database."""

import json
import re

import plotly.graph_objects as go
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from assessment.results import charts, disclosure, scoring
from assessment.results.scoring import ItemCounts, Scale

SCALE = Scale(state_max=5, importance_max=3)
# Spreads from four scores, so that the dimensions below (four scores each) have a band;
# in the distributions an answer chosen by one person is never a share of its own.
POLICY = disclosure.Policy(means=2, spreads=4)
RADAR_LABELS = charts.RadarLabels(
    team="Team mean",
    spread="Middle half of the team",
    strength="Strength from 4.0",
    concern="Concern below 3.0",
    previous="Previous round",
)
SCATTER_LABELS = charts.ScatterLabels(
    state="Current state",
    importance="Importance",
    want_share="Want to work on it",
    act_here="Act here: important, but weak",
)
ANSWER_LABELS = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
GROUP_LABELS = ["(Strongly) disagree", "Neither agree nor disagree", "(Strongly) agree"]


def _dimension(key: str, name: str, scores: list[float]) -> scoring.DimensionResult:
    return scoring.dimension_result(
        key, name, scores, strength=4.0, concern=3.0, scale=SCALE, policy=POLICY
    )


def _item(item_id: int, text: str, distribution: tuple[int, ...], **counts) -> scoring.ItemResult:
    state_n = sum(distribution)
    state_sum = sum(value * n for value, n in zip(range(1, 6), distribution, strict=True))
    item_counts = ItemCounts(
        item_id=item_id,
        state_sum=state_sum,
        state_n=state_n,
        dont_know=counts.get("dont_know", 0),
        importance_sum=counts.get("importance_sum", 0),
        importance_n=counts.get("importance_n", 0),
        wants_yes=counts.get("wants_yes", 0),
        wants_n=counts.get("wants_n", 0),
        distribution=distribution,
    )
    return scoring.item_result(
        item_counts,
        key=f"i{item_id}",
        text=text,
        dimension_key="trust",
        dimension_name="Trust",
        reverse=False,
        scale=SCALE,
        policy=POLICY,
    )


@pytest.fixture
def dimensions() -> list[scoring.DimensionResult]:
    return [
        _dimension("trust", "Trust and mutual respect", [4.0, 4.5, 3.5, 5.0]),
        _dimension("goals", "Shared goals", [2.0, 2.5, 3.0, 1.5]),
        _dimension("roles", "Clear roles and responsibilities", [3.0, 3.5, 3.2, 4.0]),
        _dimension("talk", "Talking with parents", [1.0, 5.0, 3.0, 2.0]),
    ]


@pytest.fixture
def items() -> list[scoring.ItemResult]:
    return [
        _item(
            1,
            "We know what the others in the team do all day.",
            (0, 1, 2, 3, 4),
            dont_know=1,
            importance_sum=25,
            importance_n=10,
            wants_yes=6,
            wants_n=10,
        ),
        _item(
            2,
            "Parents hear one story from us.",
            (4, 3, 1, 1, 0),
            dont_know=2,
            importance_sum=27,
            importance_n=9,
            wants_yes=2,
            wants_n=9,
        ),
        _item(3, "We meet often enough.", (2, 2, 2, 2, 2)),  # no importance, no wishes
    ]


@pytest.fixture
def spread_items() -> list[scoring.ItemResult]:
    """Statements as the distribution chart sees them, by what the gate allows."""
    return [
        _item(11, "We share what we know about a child.", (2, 0, 3, 2, 4)),  # per answer
        _item(12, "We meet often enough.", (2, 2, 2, 2, 2)),  # per answer
        _item(13, "Roles are clear.", (1, 2, 0, 3, 4)),  # a lone 1: only as groups
        _item(14, "We plan together.", (1, 0, 0, 0, 6)),  # a lone 1 alone in its group: none
    ]


def _distribution(items) -> dict:
    return charts.distribution(items, answer_labels=ANSWER_LABELS, group_labels=GROUP_LABELS)


def _radar(dimensions, *, show_spread=True, previous=None) -> dict:
    return charts.radar(
        dimensions,
        strength=4.0,
        concern=3.0,
        scale_max=5,
        labels=RADAR_LABELS,
        show_spread=show_spread,
        previous=previous,
    )


def _traces(figure: dict, name: str) -> list[dict]:
    return [trace for trace in figure["data"] if trace.get("name") == name]


def _accepted_by_plotly(figure: dict) -> None:
    go.Figure(figure)  # validates every property; raises ValueError on a wrong one
    json.dumps(figure)


# Radar


def test_radar_is_a_valid_plotly_figure(dimensions):
    _accepted_by_plotly(_radar(dimensions))
    _accepted_by_plotly(_radar(dimensions, show_spread=False))
    _accepted_by_plotly(_radar(dimensions, previous={"trust": 3.0, "goals": 2.0}))


def test_radar_has_one_axis_per_dimension_closing_the_polygon(dimensions):
    figure = _radar(dimensions)
    (team,) = _traces(figure, "Team mean")
    assert len(team["theta"]) == len(dimensions) + 1
    assert team["theta"][0] == team["theta"][-1]
    assert len(set(team["theta"])) == len(dimensions)
    assert team["r"] == [d.mean for d in dimensions] + [dimensions[0].mean]
    assert team["customdata"] == [d.name for d in dimensions] + [dimensions[0].name]
    colours = [charts.BAND_COLOURS[d.band] for d in dimensions]
    assert team["marker"]["color"] == colours + colours[:1]
    for trace in figure["data"]:
        assert trace["type"] == "scatterpolar"
        assert len(trace["r"]) == len(trace["theta"]) == len(dimensions) + 1
        assert trace["r"][0] == trace["r"][-1]


def test_radar_axis_labels_are_wrapped_dimension_names(dimensions):
    (team,) = _traces(_radar(dimensions), "Team mean")
    assert team["theta"][:-1] == [charts.wrap(d.name, 12) for d in dimensions]
    assert "<br>" in team["theta"][2]  # "Clear roles and responsibilities"


def test_radar_shows_the_thresholds_as_rings(dimensions):
    figure = _radar(dimensions)
    (strength,) = _traces(figure, "Strength from 4.0")
    (concern,) = _traces(figure, "Concern below 3.0")
    assert strength["r"] == [4.0] * (len(dimensions) + 1)
    assert concern["r"] == [3.0] * (len(dimensions) + 1)
    assert figure["layout"]["polar"]["radialaxis"]["range"] == [1, 5]


def test_radar_shows_the_spread_band_only_when_asked(dimensions):
    with_spread = _radar(dimensions, show_spread=True)
    without = _radar(dimensions, show_spread=False)
    assert len(with_spread["data"]) == len(without["data"]) + 2
    assert _traces(without, "Middle half of the team") == []
    assert not any(trace.get("fill") for trace in without["data"])

    (upper,) = _traces(with_spread, "Middle half of the team")
    assert upper["fill"] == "tonext"
    assert upper["r"] == [d.spread.q3 for d in dimensions] + [dimensions[0].spread.q3]
    lower = with_spread["data"][with_spread["data"].index(upper) - 1]
    assert lower["r"] == [d.spread.q1 for d in dimensions] + [dimensions[0].spread.q1]


def test_the_radar_band_is_the_middle_half_never_the_lowest_to_the_highest(dimensions):
    figure = _radar(dimensions)
    (upper,) = _traces(figure, "Middle half of the team")
    lower = figure["data"][figure["data"].index(upper) - 1]
    talk = [d.key for d in dimensions].index("talk")  # scores 1, 5, 3 and 2
    assert (lower["r"][talk], upper["r"][talk]) == pytest.approx((1.75, 3.5))
    for trace in figure["data"]:
        if trace.get("name") not in {"Strength from 4.0", "Concern below 3.0"}:
            assert 1.0 not in trace["r"] and 5.0 not in trace["r"], trace.get("name")


def test_the_radar_band_of_a_dimension_without_a_spread_collapses_to_its_mean(dimensions):
    few = _dimension("few", "Few answers", [1.0, 5.0, 3.0])  # a mean, but below the spreads
    assert few.spread is None
    figure = _radar([*dimensions, few])
    (upper,) = _traces(figure, "Middle half of the team")
    lower = figure["data"][figure["data"].index(upper) - 1]
    assert lower["r"][len(dimensions)] == upper["r"][len(dimensions)] == few.mean == 3.0
    assert lower["r"][:-2] == [d.spread.q1 for d in dimensions]
    assert upper["r"][:-2] == [d.spread.q3 for d in dimensions]
    _accepted_by_plotly(figure)


def test_radar_shows_the_previous_round_only_when_given(dimensions):
    assert _traces(_radar(dimensions), "Previous round") == []
    assert _traces(_radar(dimensions, previous={}), "Previous round") == []

    figure = _radar(dimensions, previous={"trust": 3.0, "goals": 2.5, "talk": 4.0})
    (previous,) = _traces(figure, "Previous round")
    # A dimension missing last round leaves a gap rather than a made-up value.
    assert previous["r"] == [3.0, 2.5, None, 4.0, 3.0]


def test_radar_draws_the_team_last_so_it_lies_on_top(dimensions):
    figure = _radar(dimensions, previous={"trust": 3.0})
    assert figure["data"][-1]["name"] == "Team mean"


def test_radar_without_dimensions_is_still_a_figure():
    _accepted_by_plotly(_radar([]))


# Sectors


def test_sectors_has_one_trace_per_group(dimensions):
    groups = [
        ("School", {"trust": 4.1, "goals": 2.2, "roles": 3.3, "talk": 2.9}),
        ("Childcare", {"trust": 3.9, "goals": 2.8, "roles": 3.1}),
        ("Youth care", {"trust": 4.4, "goals": 1.9, "roles": 3.6, "talk": 3.0}),
    ]
    figure = charts.sectors(dimensions, groups, scale_max=5, axis_title="Mean (1 to 5)")
    _accepted_by_plotly(figure)
    assert [trace["name"] for trace in figure["data"]] == ["School", "Childcare", "Youth care"]
    for trace, (_label, means) in zip(figure["data"], groups, strict=True):
        assert trace["type"] == "bar"
        assert trace["y"] == [charts.wrap(d.name, 28) for d in dimensions]
        assert trace["x"] == [means.get(d.key) for d in dimensions]
    assert figure["data"][1]["x"][3] is None
    assert figure["layout"]["xaxis"]["range"] == [1, 5]
    assert len({trace["marker"]["color"] for trace in figure["data"]}) == 3


def test_sectors_without_groups_is_still_a_figure(dimensions):
    figure = charts.sectors(dimensions, [], scale_max=5, axis_title="Mean")
    _accepted_by_plotly(figure)
    assert figure["data"] == []


# State against importance


def _scatter(items) -> dict:
    return charts.state_against_importance(
        items, scale_max=5, importance_max=3, concern=3.0, labels=SCATTER_LABELS
    )


def test_scatter_has_one_point_per_item_with_a_state_and_an_importance(items):
    figure = _scatter(items)
    _accepted_by_plotly(figure)
    (trace,) = figure["data"]
    # The third item has no importance: it has no place on the importance axis.
    rated = items[:2]
    assert items[2].importance is None
    assert trace["x"] == [item.importance for item in rated]
    assert trace["y"] == [item.state for item in rated]
    # Each dot carries its number; the statement and the share are in the hover.
    assert trace["text"] == ["1", "2"]
    assert trace["customdata"] == [
        [60, charts.wrap(rated[0].text, 40)],
        [22, charts.wrap(rated[1].text, 40)],
    ]
    assert trace["marker"]["size"] == [16 + 60 / 10, 16 + 22 / 10]


def test_scatter_leaves_out_items_whose_state_or_importance_is_withheld(items):
    no_state = _item(4, "Too few answered.", (1, 0, 0, 0, 0), importance_sum=9, importance_n=3)
    no_importance = _item(5, "Too few rated it.", (0, 0, 3, 0, 0), importance_sum=3, importance_n=1)
    assert no_state.state is None and no_state.importance is not None
    assert no_importance.state is not None and no_importance.importance is None
    (trace,) = _scatter([no_state, items[0], no_importance])["data"]
    assert trace["text"] == ["1"]
    assert trace["customdata"][0][1] == charts.wrap(items[0].text, 40)
    assert charts.plotted([no_state, items[0], no_importance]) == [items[0]]
    assert None not in trace["x"] and None not in trace["y"]


def test_scatter_counts_a_withheld_want_share_as_nobody(items):
    few_wishes = _item(
        6, "Few said.", (0, 3, 0, 0, 0), importance_sum=6, importance_n=2, wants_yes=1, wants_n=1
    )
    assert few_wishes.want_share is None
    (trace,) = _scatter([few_wishes])["data"]
    assert trace["customdata"][0][0] == 0


def test_scatter_marks_where_to_act(items):
    layout = _scatter(items)["layout"]
    (shape,) = layout["shapes"]
    # Bottom right: from the middle of the importance scale up, below the concern threshold.
    assert shape["type"] == "rect"
    assert shape["x0"] == 2.0
    assert shape["x1"] >= 3
    assert shape["y0"] <= 1
    assert shape["y1"] == 3.0
    assert [a["text"] for a in layout["annotations"]] == [
        charts.wrap("Act here: important, but weak", 24)
    ]


def test_scatter_without_items_is_still_a_figure():
    _accepted_by_plotly(_scatter([]))


# Distribution


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1)


def test_the_chart_items_are_shown_per_answer_as_groups_or_not_at_all(spread_items):
    per_answer, even, lone, alone = (item.distribution for item in spread_items)
    assert not per_answer.grouped and not even.grouped
    assert lone.grouped
    assert alone is None


def test_distribution_has_one_trace_per_answer_and_nothing_else(spread_items):
    shown = spread_items[:2]
    figure = _distribution(shown)
    _accepted_by_plotly(figure)
    # No "don't know" trace and no trace of hidden answers: nothing is hidden in a bar.
    assert [trace["name"] for trace in figure["data"]] == ANSWER_LABELS
    assert [trace["marker"]["color"] for trace in figure["data"]] == charts.ANSWER_COLOURS
    for trace in figure["data"]:
        assert trace["type"] == "bar"
        assert trace["y"] == [charts.wrap(item.text, 34) for item in shown]
    assert figure["layout"]["barmode"] == "stack"
    assert figure["layout"]["xaxis"]["range"] == [0, 100]


def test_distribution_draws_the_share_per_answer_in_percent(spread_items):
    # Item 11: 2, 0, 3, 2, 4 (11 answers); item 12: 2 on every answer (10).
    data = _distribution(spread_items[:2])["data"]
    assert [trace["x"] for trace in data] == [
        [_percent(2, 11), 20.0],
        [0.0, 20.0],
        [_percent(3, 11), 20.0],
        [_percent(2, 11), 20.0],
        [_percent(4, 11), 20.0],
    ]
    for index in range(2):
        assert sum(trace["x"][index] for trace in data) == pytest.approx(100, abs=0.5)


def test_one_grouped_item_turns_the_whole_chart_into_groups(spread_items):
    """Attack: the lone 1 of item 13 read off its own bar, or off a chart that mixes forms."""
    shown = spread_items[:3]
    figure = _distribution(shown)
    _accepted_by_plotly(figure)
    assert [trace["name"] for trace in figure["data"]] == GROUP_LABELS
    assert [trace["marker"]["color"] for trace in figure["data"]] == charts.GROUP_COLOURS
    assert [trace["x"] for trace in figure["data"]] == [
        [_percent(2, 11), 40.0, 30.0],
        [_percent(3, 11), 20.0, 0.0],
        [_percent(6, 11), 40.0, 70.0],
    ]
    for trace in figure["data"]:
        assert trace["y"] == [charts.wrap(item.text, 34) for item in shown]
        # Item 13's one person at 1 is 10%, its two at 2 are 20%: neither is ever a bar.
        assert trace["x"][2] not in (10.0, 20.0)
    for index in range(len(shown)):
        assert sum(trace["x"][index] for trace in figure["data"]) == pytest.approx(100, abs=0.5)


def test_distribution_leaves_out_items_without_a_distribution(spread_items):
    few = _item(7, "Three answered.", (0, 1, 1, 1, 0))  # a state, but below the spreads
    assert few.state is not None and few.distribution is None
    alone = spread_items[3]
    figure = _distribution([few, spread_items[0], alone, few])
    for trace in figure["data"]:
        assert trace["y"] == [charts.wrap(spread_items[0].text, 34)]
        assert len(trace["x"]) == 1
    # An item without a distribution does not make the chart grouped either.
    assert [trace["name"] for trace in figure["data"]] == ANSWER_LABELS
    assert figure["layout"]["height"] == _distribution(spread_items[:1])["layout"]["height"]
    _accepted_by_plotly(_distribution([few, alone]))


# Wrapping labels


def test_wrap_breaks_long_text_with_br():
    assert charts.wrap("Trust and mutual respect", 12) == "Trust and <br>mutual <br>respect"


def test_wrap_leaves_short_text_alone():
    assert charts.wrap("Shared goals", 12) == "Shared goals"
    assert charts.wrap("", 12) == ""


def test_wrap_never_splits_a_word_longer_than_the_width():
    assert charts.wrap("Samenwerkingsafspraken maken", 10) == "Samenwerkingsafspraken <br>maken"


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéë", min_size=1, max_size=25)


@given(st.lists(words, min_size=1, max_size=12), st.integers(min_value=5, max_value=40))
def test_wrap_keeps_every_word_whole_and_lines_short(text_words, width):
    text = " ".join(text_words)
    wrapped = charts.wrap(text, width)
    lines = wrapped.split(" <br>")
    assert " ".join(lines).split() == text_words
    for line in lines:
        assert len(line) <= width or " " not in line
    # Without the breaks it is the text itself, spaces and all: what a screen reader reads.
    assert wrapped.replace("<br>", "") == text


# JSON


def test_every_figure_is_json(dimensions, items, spread_items):
    figures = [
        _radar(dimensions, previous={"trust": 3.0}),
        charts.sectors(dimensions, [("School", {"trust": 4.0})], scale_max=5, axis_title="x"),
        _scatter(items),
        _distribution(spread_items[:2]),
        _distribution(spread_items),
    ]
    for figure in figures:
        assert json.loads(json.dumps(figure)) == figure


def test_the_spread_across_teams_carries_five_numbers_per_dimension_and_plotly_accepts_it():
    summaries = [
        ("Visie", scoring.summarise([2.0, 3.0, 3.5, 4.0, 4.5])),
        ("Rollen", scoring.summarise([1.5, 2.5, 3.0])),
    ]
    figure = charts.across_teams(summaries, axis_title="Team mean")
    go.Figure(figure)
    (trace,) = figure["data"]
    assert trace["q1"] == [3.0, 2.0]
    assert trace["median"] == [3.5, 2.5]
    assert trace["lowerfence"] == [2.0, 1.5]
    assert trace["upperfence"] == [4.5, 3.0]
    assert len(json.dumps(figure)) < 2000


def test_the_overlay_puts_the_network_average_first_and_plotly_accepts_it():
    figure = charts.overlay(
        [("a", "Visie"), ("b", "Rollen"), ("c", "Vertrouwen")],
        [("Netwerk", {"a": 3.0, "b": 3.5, "c": 4.0}), ("Team 1", {"a": 2.0, "b": 2.5})],
        scale_max=5,
        strength=4.0,
        concern=3.0,
    )
    go.Figure(figure)
    average, team = figure["data"]
    assert average["name"] == "Netwerk" and average["r"] == [3.0, 3.5, 4.0, 3.0]
    assert team["r"] == [2.0, 2.5, None, 2.0]


# Names as text, never as markup

# Plotly reads a subset of HTML in every label, legend entry and hover text, and %{...} in
# hover templates; a team, round, dimension or statement can be named like this.
MARKUP = '<a href="https://evil.example">x</a><span style="font-size:80px">big</span> %{y}'
SHOWN = (
    '&lt;a href="https://evil.example"&gt;x&lt;/a&gt;'
    '&lt;span style="font-size:80px"&gt;big&lt;/span&gt; &#37;{y}'
)


def _two_dimensions(name: str) -> list[scoring.DimensionResult]:
    return [
        _dimension("trust", name, [4.0, 4.5, 3.5, 5.0]),
        _dimension("goals", "Shared goals", [2.0, 2.5, 3.0, 1.5]),
    ]


def _one_item(name: str) -> list[scoring.ItemResult]:
    return [_item(1, name, (0, 1, 2, 3, 4), importance_sum=25, importance_n=10, wants_n=1)]


FIGURES_WITH = {
    "radar": lambda name: charts.radar(
        _two_dimensions(name),
        strength=4.0,
        concern=3.0,
        scale_max=5,
        labels=charts.RadarLabels(name, name, name, name, name),
        show_spread=True,
        previous={"trust": 3.0},
    ),
    "sectors": lambda name: charts.sectors(
        _two_dimensions(name), [(name, {"trust": 4.0})], scale_max=5, axis_title=name
    ),
    "scatter": lambda name: charts.state_against_importance(
        _one_item(name),
        scale_max=5,
        importance_max=3,
        concern=3.0,
        labels=charts.ScatterLabels(name, name, name, name),
    ),
    "distribution": lambda name: charts.distribution(
        [_item(1, name, (2, 0, 3, 2, 4))], answer_labels=[name] * 5, group_labels=[name] * 3
    ),
    "grouped distribution": lambda name: charts.distribution(
        [_item(1, name, (1, 2, 0, 3, 4))], answer_labels=[name] * 5, group_labels=[name] * 3
    ),
    "trend panels": lambda name: charts.trend_panels(
        [name, "Voorjaar"],
        [charts.TrendPanel(name, [3.0, 4.0], "up", name), charts.TrendPanel("Doelen", [3.0, 3.1])],
        scale_max=5,
    ),
    "trend": lambda name: charts.trend_lines(
        [name, "Voorjaar"], [(name, [3.0, 4.0])], scale_max=5, axis_title=name
    ),
    "overlay": lambda name: charts.overlay(
        [("trust", name), ("goals", "Doelen")],
        [(name, {"trust": 3.0}), (name, {"goals": 2.0})],
        scale_max=5,
        strength=4.0,
        concern=3.0,
    ),
    "across teams": lambda name: charts.across_teams(
        [(name, scoring.summarise([2.0, 3.0, 4.0]))], axis_title=name
    ),
}


@pytest.mark.parametrize("kind", FIGURES_WITH)
def test_markup_in_a_name_is_shown_as_text_in_every_figure(kind):
    figure = FIGURES_WITH[kind](MARKUP)
    _accepted_by_plotly(figure)
    text = json.dumps(figure, ensure_ascii=False)

    # The only tags left are our own line breaks and hover boxes.
    assert set(re.findall(r"<[^>]*>?", text)) <= {"<br>", "<extra>", "</extra>"}
    assert "%{y}" not in text
    for word in SHOWN.split():  # wrapping may break the name between its words
        assert json.dumps(word, ensure_ascii=False)[1:-1] in text


def test_a_name_that_fits_on_one_line_is_escaped_whole():
    assert charts.wrap(MARKUP, 200) == SHOWN
    assert charts.plain(MARKUP) == SHOWN


def test_an_ampersand_in_a_name_stays_an_ampersand_on_screen():
    # Plotly turns &amp; back into &, and "&lt;" typed by a user stays "&lt;".
    assert charts.plain("Opvang & school") == "Opvang &amp; school"
    assert charts.plain("&lt;b&gt;") == "&amp;lt;b&amp;gt;"


def test_wrapping_escapes_each_line_and_breaks_only_between_words():
    assert charts.wrap("<b>Trust</b> and <i>respect</i>", 12) == (
        "&lt;b&gt;Trust&lt;/b&gt; <br>and <br>&lt;i&gt;respect&lt;/i&gt;"
    )


def test_our_own_line_breaks_and_hover_parts_still_work(items):
    (trace,) = _scatter(items)["data"]
    assert trace["hovertemplate"].startswith("%{text}. %{customdata[1]}<br>Current state: %{y")
    assert trace["hovertemplate"].endswith("%{customdata[0]}%<extra></extra>")
    assert "<br>" in trace["customdata"][0][1]


# Read without hovering


@pytest.mark.parametrize(("language", "expected"), [("nl", ",."), ("en", ".,")])
def test_every_figure_writes_numbers_as_the_active_language_does(
    language, expected, dimensions, items, spread_items
):
    with translation.override(language):
        figures = [FIGURES_WITH[kind]("Naam") for kind in FIGURES_WITH]
        figures += [_radar(dimensions), _scatter(items), _distribution(spread_items)]
    for figure in figures:
        assert figure["layout"]["separators"] == expected


def test_the_radar_scale_runs_between_two_spokes_not_on_one(dimensions):
    radial = _radar(dimensions)["layout"]["polar"]["radialaxis"]
    # Four spokes, 90 degrees apart, the first at the top (90): halfway to the last is 135.
    assert radial["angle"] == 135
    assert radial["angle"] % (360 / len(dimensions)) != 90 % (360 / len(dimensions))
    assert radial["tickangle"] == radial["angle"]  # turned back upright


def test_the_overlay_has_the_same_frame_as_the_radar(dimensions):
    overlay = charts.overlay(
        [(d.key, d.name) for d in dimensions],
        [("Netwerk", {d.key: d.mean for d in dimensions})],
        scale_max=5,
        strength=4.0,
        concern=3.0,
    )
    assert overlay["layout"] == _radar(dimensions)["layout"]
    assert overlay["layout"]["margin"]["t"] >= 60  # room for the top name's lines


def test_the_scatter_numbers_its_dots_in_the_order_of_its_table(items):
    (trace,) = _scatter(items)["data"]
    shown = charts.plotted(items)
    assert trace["text"] == [str(number) for number in range(1, len(shown) + 1)]
    assert trace["mode"] == "markers+text"
    assert [text for _share, text in trace["customdata"]] == [
        charts.wrap(item.text, 40) for item in shown
    ]
    assert trace["x"] == [item.importance for item in shown]


def test_the_scatter_zooms_to_its_dots_but_keeps_the_act_here_corner_in_view(items):
    layout = _scatter(items)["layout"]
    low_x, high_x = layout["xaxis"]["range"]
    low_y, high_y = layout["yaxis"]["range"]
    assert low_x <= 2.0 <= high_x  # the corner starts at the middle of importance
    assert low_y <= 3.0 <= high_y  # and ends at the concern threshold
    for item in charts.plotted(items):
        assert low_x < item.importance < high_x and low_y < item.state < high_y
    assert low_x >= 0.9 and high_x <= 3.1 and low_y >= 0.9 and high_y <= 5.1


def test_the_distribution_legend_reads_in_the_order_of_the_segments(spread_items):
    figure = _distribution(spread_items[:2])
    # Plotly stacks traces left to right in their order; "normal" lists them in that order too
    # (its default for stacked bars is reversed).
    assert figure["layout"]["barmode"] == "stack"
    assert figure["layout"]["legend"]["traceorder"] == "normal"
    assert [trace["name"] for trace in figure["data"]] == list(ANSWER_LABELS)


def test_the_distribution_table_holds_the_shares_the_chart_draws(spread_items):
    table = charts.distribution_table(
        spread_items, answer_labels=ANSWER_LABELS, group_labels=GROUP_LABELS
    )
    figure = _distribution(spread_items)
    assert table.grouped and table.labels == tuple(GROUP_LABELS)
    assert [item for item, _shares in table.rows] == spread_items[:3]  # the fourth: none
    for index, trace in enumerate(figure["data"]):
        assert trace["x"] == [round(100 * shares[index], 1) for _item, shares in table.rows]


def test_the_printed_legend_names_the_colours_of_the_segments_in_their_order(spread_items):
    table = charts.distribution_table(
        spread_items, answer_labels=ANSWER_LABELS, group_labels=GROUP_LABELS
    )
    figure = _distribution(spread_items)
    legend = charts.distribution_legend(table)
    assert [label for label, _colour in legend] == [trace["name"] for trace in figure["data"]]
    assert [colour for _label, colour in legend] == [
        trace["marker"]["color"] for trace in figure["data"]
    ]


def test_a_printed_distribution_drops_plotlys_legend_and_keeps_three_lines_per_statement(
    spread_items,
):
    figure = _distribution(spread_items)
    layout = charts.distribution_print_layout(figure)
    statements = len(figure["data"][0]["y"])
    assert layout["showlegend"] is False
    assert layout["height"] == 30 + 40 * statements < figure["layout"]["height"]


def test_the_trend_draws_one_small_chart_per_dimension_coloured_by_its_change():
    figure = charts.trend_panels(
        ["Najaar 2025", "Voorjaar 2026"],
        [
            charts.TrendPanel("Vertrouwen", [3.0, 3.8], "up", "▲ omhoog"),
            charts.TrendPanel("Doelen", [3.5, 2.9], "down", "▼ omlaag"),
            charts.TrendPanel("Rollen", [3.2, 3.3], "unclear", "~ geen duidelijk verschil"),
            charts.TrendPanel("Ouders", [None, 3.3]),
        ],
        scale_max=5,
        columns=3,
    )
    _accepted_by_plotly(figure)
    layout = figure["layout"]
    assert layout["grid"]["rows"] == 2 and layout["grid"]["columns"] == 3
    assert [trace["xaxis"] for trace in figure["data"]] == ["x", "x2", "x3", "x4"]
    assert [trace["line"]["color"] for trace in figure["data"]] == [
        charts.DIRECTION_COLOURS["up"],
        charts.DIRECTION_COLOURS["down"],
        "#6c757d",
        "#6c757d",
    ]
    assert not any(trace["showlegend"] for trace in figure["data"])
    assert all(trace["texttemplate"] == "%{y:.1f}" for trace in figure["data"])
    titles = [note["text"] for note in layout["annotations"]]
    assert titles == [
        "Vertrouwen <br>▲ omhoog",
        "Doelen <br>▼ omlaag",
        "Rollen <br>~ geen duidelijk verschil",
        "Ouders",
    ]
    assert [note["xref"] for note in layout["annotations"]][:2] == ["x domain", "x2 domain"]
