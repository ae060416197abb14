"""Samenspel's colours (config/brand.py): every text colour readable on its background
(WCAG AA), the stylesheets saying what the palette says, and the mark on every page."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from config import brand
from config.brand import contrast_ratio
from tests.purity import imported_modules

ROOT = Path(__file__).resolve().parents[1]
CSS = (ROOT / "static/css/samenspel.css").read_text()
ADMIN_CSS = (ROOT / "static/css/admin.css").read_text()

AA_TEXT = 4.5  # WCAG 1.4.3, normal text
AA_GRAPHICS = 3.0  # WCAG 1.4.11, lines, marks and bars

# (text, background): every pair the pages and the admin use.
TEXT_PAIRS = {
    "link on white": (brand.PRIMARY, brand.WHITE),
    "link on light": (brand.PRIMARY, brand.LIGHT),
    "link on the hero": (brand.PRIMARY, brand.PRIMARY_SUBTLE),
    "link on the hero's warm end": (brand.PRIMARY, brand.ACCENT_SUBTLE),
    "hovered link": (brand.PRIMARY_EMPHASIS, brand.WHITE),
    "button": (brand.WHITE, brand.PRIMARY),
    "hovered button": (brand.WHITE, brand.PRIMARY_HOVER),
    "pressed button": (brand.WHITE, brand.PRIMARY_ACTIVE),
    "emphasis on subtle": (brand.PRIMARY_EMPHASIS, brand.PRIMARY_SUBTLE),
    "the name in the navbar": (brand.PRIMARY_EMPHASIS, brand.WHITE),
    "body text on the hero": (brand.INK, brand.PRIMARY_SUBTLE),
    "body text on the warm end": (brand.INK, brand.ACCENT_SUBTLE),
    "muted text on white": (brand.MUTED, brand.WHITE),
    "muted text on the hero": (brand.MUTED, brand.PRIMARY_SUBTLE),
    "muted text on the warm end": (brand.MUTED, brand.ACCENT_SUBTLE),
    "orange text": (brand.ACCENT_TEXT, brand.WHITE),
    "orange text on the warm end": (brand.ACCENT_TEXT, brand.ACCENT_SUBTLE),
    "admin header": (brand.WHITE, brand.PRIMARY),
    "admin breadcrumbs": (brand.PRIMARY_SUBTLE, brand.PRIMARY_EMPHASIS),
    "strength": (brand.STRENGTH, brand.WHITE),
    "attention": (brand.ATTENTION, brand.WHITE),
    "concern": (brand.CONCERN, brand.WHITE),
    "white on strength": (brand.WHITE, brand.STRENGTH),
    "white on concern": (brand.WHITE, brand.CONCERN),
    "figure text": (brand.INK, brand.WHITE),
}

GRAPHICS = {
    "team": [brand.TEAM],
    "series": list(brand.SERIES),
    "answer scale": list(brand.ANSWER_SCALE) + [brand.DONT_KNOW],
    "answer groups": list(brand.ANSWER_GROUPS),
    "dimensions": list(brand.DIMENSION_SERIES),
    "bands": list(brand.BAND_COLOURS.values()),
    "grid": [brand.GRID],
}


def test_black_on_white_is_21_and_a_colour_on_itself_is_1():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio(brand.PRIMARY, brand.PRIMARY) == pytest.approx(1)
    # WebAIM's checker: #767676 on white is the lightest grey that passes, 4.54:1.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#ffffff", "#767676") == contrast_ratio("#767676", "#ffffff")


@pytest.mark.parametrize("use", TEXT_PAIRS)
def test_every_text_colour_reaches_aa_on_its_background(use):
    text, background = TEXT_PAIRS[use]
    assert contrast_ratio(text, background) >= AA_TEXT, use


@pytest.mark.parametrize("use", GRAPHICS)
def test_every_chart_colour_stands_out_from_white(use):
    for colour in GRAPHICS[use]:
        assert contrast_ratio(colour, brand.WHITE) >= AA_GRAPHICS, (use, colour)


def test_the_dimension_colours_are_thirteen_and_all_different():
    assert len(brand.DIMENSION_SERIES) == 13
    assert len(set(brand.DIMENSION_SERIES)) == 13
    assert len(brand.ANSWER_SCALE) == 5


def _properties(css: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", css))


def _brand_block() -> str:
    start, end = CSS.index(":root / brand"), CSS.index("end of :root / brand")
    return CSS[start:end]


def test_the_stylesheet_uses_the_palette_at_its_top():
    assert CSS.index(":root / brand") < 200
    found = _properties(_brand_block())
    assert found["--ss-primary"] == brand.PRIMARY
    assert found["--ss-primary-hover"] == brand.PRIMARY_HOVER
    assert found["--ss-primary-active"] == brand.PRIMARY_ACTIVE
    assert found["--ss-primary-emphasis"] == brand.PRIMARY_EMPHASIS
    assert found["--ss-primary-subtle"] == brand.PRIMARY_SUBTLE
    assert found["--ss-accent"] == brand.ACCENT
    assert found["--ss-accent-subtle"] == brand.ACCENT_SUBTLE
    rgb = ", ".join(str(c) for c in brand.hex_to_rgb(brand.PRIMARY))
    assert found["--bs-primary-rgb"] == rgb
    assert found["--bs-link-color-rgb"] == rgb
    assert found["--bs-primary"] == found["--bs-link-color"] == "var(--ss-primary)"
    assert found["--bs-btn-bg"] == "var(--ss-primary)"


def test_no_bootstrap_blue_is_left_in_the_brand_block():
    assert "#0d6efd" not in _brand_block().lower()
    assert "13, 110, 253" not in _brand_block()


def test_the_admin_header_uses_the_palette():
    found = _properties(ADMIN_CSS)
    assert found["--header-bg"] == brand.PRIMARY
    assert found["--breadcrumbs-bg"] == brand.PRIMARY_EMPHASIS
    assert found["--button-bg"] == brand.PRIMARY
    assert found["--link-fg"] == brand.PRIMARY


@pytest.mark.parametrize("name", ["logo.svg", "favicon.svg"])
def test_the_mark_is_drawn_in_the_brand_colours(name):
    svg = (ROOT / "static/img" / name).read_text()
    assert set(re.findall(r'fill="(#[0-9a-f]{6})"', svg)) == {
        brand.PRIMARY,
        brand.ACCENT,
        brand.OVERLAP,
    }


def test_the_palette_module_is_pure():
    assert imported_modules(brand.__file__) == set()


def test_the_navbar_shows_the_mark_beside_the_name(client, db):
    content = client.get(reverse("home")).content.decode()
    navbar = content[
        content.index('class="navbar-brand') : content.index(
            "</a>", content.index('class="navbar-brand')
        )
    ]
    assert 'src="/static/img/logo.svg" alt=""' in navbar
    assert '<span class="brand-name">Samenspel</span>' in navbar
    assert 'href="/static/img/favicon.svg"' in content


def test_the_admin_header_shows_the_mark(admin, login):
    content = login(admin).get(reverse("admin:index")).content.decode()
    branding = content[content.index('id="site-name"') :][:400]
    assert 'src="/static/img/logo.svg" alt=""' in branding
    assert 'href="/static/img/favicon.svg"' in content
