"""The team reads its results in a real browser: charts drawn, numbers in tables, anonymity."""

import random
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.demo import TeamProfile, make_responses
from assessment.models import Round, Sector
from tests.conftest import PASSWORD
from tests.e2e.conftest import (
    assert_accessible,
    assert_charts_drawn,
    assert_fits,
    labels_outside_the_chart,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _closed_round(team, version, title: str, respondents: int) -> Round:
    round = Round.objects.create(team=team, version=version, title=title, closed_at=timezone.now())
    profile = TeamProfile(level=3.2, divided=1.0, sectors=(Sector.CHILDCARE, Sector.SCHOOL))
    make_responses([(round, respondents, profile)], rng=random.Random(7))
    return round


def _log_in(page, user) -> None:
    page.goto("/account/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_facilitator_reads_the_results_with_charts_drawn(page, questionnaire, team, facilitator):
    round = _closed_round(team, questionnaire, "Najaar 2026", 12)
    _log_in(page, facilitator)
    page.goto(f"/teams/{team.pk}/")
    page.get_by_role("link", name="Resultaten", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaten van Najaar 2026")
    expect(page.locator("[data-figure='radar-figure'] svg.main-svg").first).to_be_visible()
    expect(page.locator("#dimension-table tbody tr")).to_have_count(13)
    expect(page.locator("#top-table tbody tr")).to_have_count(10)
    expect(page.locator("[data-figure='scatter-figure'] svg.main-svg").first).to_be_visible()
    expect(page.locator("[data-figure='sectors-figure'] svg.main-svg").first).to_be_visible()
    page.locator("details.distribution summary").first.click()
    expect(page.locator("[data-figure='distribution-0'] svg.main-svg").first).to_be_visible()
    assert assert_charts_drawn(page) >= 4  # radar, scatter, sectors, a distribution
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV downloaden").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert round.pk


def test_results_are_readable_on_a_phone(phone, questionnaire, team):
    round = _closed_round(team, questionnaire, "Voorjaar 2026", 6)
    phone.goto(f"/r/{round.token}/results/")
    expect(phone.locator("[data-figure='radar-figure'] svg.main-svg").first).to_be_visible()
    assert_fits(phone)
    assert_accessible(phone)


def test_a_round_below_the_threshold_shows_no_numbers(page, questionnaire, team, member):
    round = _closed_round(team, questionnaire, "Te weinig", 2)
    _log_in(page, member)
    page.goto(f"/rounds/{round.pk}/results/")
    expect(page.get_by_role("status")).to_contain_text("2")
    expect(page.locator("[data-figure]")).to_have_count(0)
    expect(page.locator("table")).to_have_count(0)
    assert_accessible(page)


def test_wrapped_chart_labels_keep_their_spaces_for_screen_readers(phone, questionnaire, team):
    round = _closed_round(team, questionnaire, "Voorjaar 2026", 6)
    phone.goto(f"/r/{round.token}/results/")
    expect(phone.locator("[data-figure='radar-figure'] svg.main-svg").first).to_be_visible()

    labels = phone.eval_on_selector_all(
        "[data-figure='radar-figure'] .angularaxistick text", "els => els.map(e => e.textContent)"
    )

    names = [d.name for d in questionnaire.ordered_dimensions()]
    assert labels == names  # e.g. "Gedeelde visie en doelen", not "Gedeeldevisie endoelen"


A4_CONTENT_WIDTH = 703  # px: A4's 210 mm less the 12 mm margins of the @page rule


def test_the_printed_results_draw_every_distribution_and_fit_a_few_a4_pages(
    page, questionnaire, team, tmp_path
):
    """Ctrl+P prints without the print button: on beforeprint the distributions, closed and
    undrawn on the screen, are drawn, and every chart fits the width of the page."""
    earlier = _closed_round(team, questionnaire, "Voorjaar 2026", 12)
    Round.objects.filter(pk=earlier.pk).update(created=timezone.now() - timedelta(days=200))
    round = _closed_round(team, questionnaire, "Najaar 2026", 12)
    page.goto(f"/r/{round.token}/results/")
    expect(page.locator("[data-figure='radar-figure'] svg.main-svg").first).to_be_visible()
    expect(page.locator("#summary-change")).to_contain_text("Voorjaar 2026")
    distributions = page.locator("details.distribution")
    assert distributions.count() > 0
    expect(page.locator("details.distribution .js-plotly-plot")).to_have_count(0)

    # As the browser does on Ctrl+P: beforeprint on the screen's layout, then print media.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})

    expect(page.locator("details.distribution .js-plotly-plot")).to_have_count(
        distributions.count()
    )
    expect(page.locator(".results-toc")).to_be_hidden()
    widths = page.eval_on_selector_all(
        ".chart.js-plotly-plot", "els => els.map(e => e._fullLayout.width)"
    )
    assert widths and max(widths) <= A4_CONTENT_WIDTH
    # Nothing wider than the page, which would make the browser shrink the whole print.
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )

    pdf = tmp_path / "results.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))
    assert 1 <= pages <= 6


@pytest.mark.parametrize("viewport", ["phone", "page"])
def test_every_dimension_name_on_the_radar_lies_inside_the_chart(
    request, viewport, questionnaire, team
):
    screen = request.getfixturevalue(viewport)  # 360 px and 1280 px wide
    round = _closed_round(team, questionnaire, "Voorjaar 2026", 6)
    screen.goto(f"/r/{round.token}/results/")
    radar = screen.locator("[data-figure='radar-figure']")
    expect(radar.locator(".angularaxistick text")).to_have_count(13)
    # charts.js widens the margins after drawing; wait until it is done.
    screen.wait_for_function(
        "() => document.querySelector(\"[data-figure='radar-figure']\")._fullLayout"
    )
    screen.wait_for_timeout(500)

    assert labels_outside_the_chart(screen, "radar-figure") == []


def test_the_charts_read_without_hovering(page, questionnaire, team):
    round = _closed_round(team, questionnaire, "Voorjaar 2026", 12)
    page.goto(f"/r/{round.token}/results/")
    scatter = page.locator("[data-figure='scatter-figure']")
    expect(scatter.locator("svg.main-svg").first).to_be_visible()

    # The matrix's dots carry numbers, in Dutch decimals on its axes, and a table names them.
    numbers = scatter.locator(".scatterlayer .textpoint text").all_text_contents()
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and numbers
    ticks = scatter.locator(".xtick text").all_text_contents()
    assert any("," in tick for tick in ticks), ticks
    page.locator("#scatter-details summary").click()
    expect(page.locator("#scatter-table tbody tr")).to_have_count(len(numbers))

    # The distribution's legend runs in the order of the segments, left to right.
    page.locator("details.distribution summary").first.click()
    chart = page.locator("[data-figure='distribution-0']")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    legend = chart.locator(".legend .traces .legendtext").all_text_contents()
    names = page.evaluate(
        "() => JSON.parse(document.getElementById('distribution-0').textContent)"
        ".data.map(trace => trace.name)"
    )
    assert legend == names
    lefts = page.evaluate(
        """() => [...document.querySelectorAll("[data-figure='distribution-0'] .trace.bars")]
          .map(trace => Math.min(...[...trace.querySelectorAll("path")]
            .map(p => p.getBoundingClientRect()).filter(r => r.width > 0).map(r => r.left)))"""
    )
    shown = [left for left in lefts if left != float("inf") and left is not None]
    assert shown == sorted(shown)
    expect(page.locator("#distribution-0-table tbody tr").first).to_be_attached()
    assert_accessible(page)
