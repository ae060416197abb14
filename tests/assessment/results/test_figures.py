"""The results page's figures from gate-passed results: the trend's words and panels."""

from django.utils import translation

from assessment.results import figures
from assessment.results.scoring import Direction
from assessment.results.trends import Cell, DimensionTrend, Trend


def _dimension(name: str, means: list[float], direction: Direction | None) -> DimensionTrend:
    cells: list[Cell | None] = [Cell(mean=mean, sd=0.5, n=8) for mean in means]
    return DimensionTrend(key=name.lower(), name=name, cells=cells, direction=direction)


TREND = Trend(
    rounds=[],
    dimensions=[
        _dimension("Vertrouwen", [3.0, 3.8], Direction.UP),
        _dimension("Doelen", [3.5, 3.6], Direction.UNCLEAR),
        _dimension("Rollen", [3.9, 3.1], Direction.DOWN),
        _dimension("Ouders", [3.2, 3.3], Direction.UNCLEAR),
        _dimension("Nieuw", [3.2], None),
    ],
    items=[],
)


def test_the_trend_names_what_went_up_and_down_before_what_did_not_move():
    moves = figures.moves(TREND)
    assert moves == [
        (Direction.UP, ["Vertrouwen"]),
        (Direction.DOWN, ["Rollen"]),
        (Direction.UNCLEAR, ["Doelen", "Ouders"]),
    ]


def test_each_trend_panel_carries_its_change_in_the_pages_words():
    with translation.override("nl"):
        figure = figures.trend(TREND, scale_max=5)
        titles = [note["text"] for note in figure["layout"]["annotations"]]
        assert "~ geen duidelijk verschil" in titles[1]
        assert titles == [
            "Vertrouwen <br>▲ " + Direction.UP.label,
            "Doelen <br>~ " + Direction.UNCLEAR.label,
            "Rollen <br>▼ " + Direction.DOWN.label,
            "Ouders <br>~ " + Direction.UNCLEAR.label,
            "Nieuw",
        ]
    # The means drawn are the trend's own cells, not recomputed.
    assert [trace["y"] for trace in figure["data"]] == [
        [c.mean for c in d.cells if c] for d in TREND.dimensions
    ]
    assert figure["layout"]["separators"] == ",."
