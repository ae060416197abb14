"""Samenspel's colours, in one place: the pages' CSS, Django admin's header and the charts.

The same values are written as CSS custom properties at the top of static/css/samenspel.css
(the ":root / brand" block; `--ss-primary` is PRIMARY) and in static/css/admin.css;
tests/test_brand.py checks that the stylesheet says what this module says, and that every
pair of colours used for text and background reaches WCAG AA (4.5:1; 3:1 for lines, marks
and the bars of a chart, WCAG 1.4.11).

Charts (assessment/results/charts.py) should take their colours from here:

- TEAM: the team's own line or area (a radar, a trend).
- BAND_COLOURS / STRENGTH, ATTENTION, CONCERN: strength, needs attention, concern.
- SERIES: comparison series (sectors, teams): up to five, in this order.
- ANSWER_SCALE: the answers 1..5, from disagree to agree; DONT_KNOW for "don't know".
- ANSWER_GROUPS: disagree, neutral, agree (three groups).
- DIMENSION_SERIES: thirteen colours that stay apart, one per dimension in a line chart.
- INK, MUTED, GRID: text, secondary text and reference lines in a figure.
- HEAT_LOW, HEAT_HIGH: the ends of a sequential colour scale (a heatmap).

Pure: no imports, so any module (and a test) may read it without Django.
"""

# The brand: a deep harbour teal for action and links, a warm orange beside it.
PRIMARY = "#0e5a78"  # buttons, links, the first shape of the mark (7.6:1 on white)
PRIMARY_HOVER = "#0b4a63"
PRIMARY_ACTIVE = "#093d52"
PRIMARY_EMPHASIS = "#083547"  # text on PRIMARY_SUBTLE
PRIMARY_SUBTLE = "#e4f1f6"  # tinted backgrounds (the hero, selected rows)
PRIMARY_BORDER_SUBTLE = "#a9d0df"
ACCENT = "#f08a4b"  # the second shape of the mark: decoration, never text
ACCENT_TEXT = "#a14a14"  # orange that may carry text (6:1 on white)
ACCENT_SUBTLE = "#fdeee4"
OVERLAP = "#123f4a"  # where the two shapes of the mark overlap: working together

# Neutrals (Bootstrap's, which pass on white).
WHITE = "#ffffff"
INK = "#212529"  # body text
MUTED = "#5c636a"  # secondary text: 6:1 on white and 5.3:1 on PRIMARY_SUBTLE
GRID = "#6c757d"  # reference lines in charts (3:1 and more)
LIGHT = "#f8f9fa"  # Bootstrap's light background

# Results: the three bands, as text, marks and lines.
STRENGTH = "#198754"
ATTENTION = "#b35c00"
CONCERN = "#b02a37"
BAND_COLOURS = {"strength": STRENGTH, "attention": ATTENTION, "concern": CONCERN}

TEAM = PRIMARY
SERIES = (PRIMARY, ATTENTION, STRENGTH, "#6f42c1", "#495057")

# Answers 1..5, red to green through a grey that still stands out from white (3:1).
ANSWER_SCALE = ("#b02a37", "#d9485a", "#7a8289", "#3f8f5f", "#198754")
DONT_KNOW = "#6c757d"
ANSWER_GROUPS = (ANSWER_SCALE[0], ANSWER_SCALE[2], ANSWER_SCALE[4])

# Thirteen categorical colours, each at least 3:1 on white, none repeated.
DIMENSION_SERIES = (
    "#0e5a78",  # teal blue
    "#c2410c",  # orange
    "#15803d",  # green
    "#7e22ce",  # purple
    "#b91c1c",  # red
    "#0f766e",  # teal
    "#a16207",  # ochre
    "#be185d",  # pink
    "#4d7c0f",  # olive
    "#1d4ed8",  # blue
    "#57534e",  # stone
    "#881337",  # wine
    "#312e81",  # indigo
)

HEAT_LOW = PRIMARY_SUBTLE
HEAT_HIGH = PRIMARY_EMPHASIS


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """ "#0e5a78" → (14, 90, 120): for Bootstrap's `--bs-primary-rgb` and for rgba()."""
    value = colour.removeprefix("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""
    r, g, b = (_linear(c) for c in hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)
