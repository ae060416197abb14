"""A coordinator compares the teams of their network in a real browser."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import (
    assert_accessible,
    assert_charts_drawn,
    assert_fits,
    labels_outside_the_chart,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, user) -> None:
    page.goto("/account/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


@pytest.fixture
def teams(network, questionnaire):
    call_command("generate_load_data", teams=12, respondents=4, network=network.name, seed=3)
    return network.teams.all()


def test_coordinator_finds_the_weakest_team_and_compares_teams(page, coordinator, teams):
    _log_in(page, coordinator)
    expect(page).to_have_url(re.compile(r".*/networks/$"))
    page.get_by_role("link", name="Teams vergelijken").click()

    heatmap = page.locator("#heatmap")
    expect(heatmap.locator("tbody tr")).to_have_count(13)  # network average + 12 teams
    # Sort by the first dimension, weakest first: the cells in that column rise.
    heatmap.locator("thead th a[title]").first.click()
    values = heatmap.locator("tbody tr td:nth-child(4)").all_inner_texts()[1:]
    numbers = [float(v.replace(",", ".")) for v in values if v != "–"]
    assert numbers == sorted(numbers)
    assert_accessible(page)

    boxes = heatmap.locator("tbody input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Vergelijk de aangevinkte teams").click()
    expect(page.locator("[data-figure='overlay-figure'] svg.main-svg").first).to_be_visible()
    expect(page.locator("[data-figure='overlay-figure'] .legend .traces")).to_have_count(3)
    expect(page.locator("[data-figure='spread-figure'] svg.main-svg").first).to_be_visible()
    assert assert_charts_drawn(page) >= 2  # overlay radar, spread boxes
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV downloaden").click()
    assert download.value.suggested_filename == "samenspel-teams.csv"


def test_the_comparison_is_usable_on_a_phone(phone, coordinator, teams):
    _log_in(phone, coordinator)
    phone.goto("/compare/")
    expect(phone.locator("#heatmap")).to_be_visible()
    assert_fits(phone)
    assert_accessible(phone)


def test_an_outsider_is_refused(
    page, other_coordinator, other_network, facilitator, network, teams
):
    _log_in(page, other_coordinator)
    response = page.goto(f"/networks/{network.pk}/")
    assert response.status == 404
    page.goto("/compare/")
    expect(page.locator("#heatmap")).not_to_contain_text("Team 00001")

    page.context.clear_cookies()
    _log_in(page, facilitator)
    assert page.goto("/compare/").status == 404


@pytest.mark.parametrize("viewport", ["phone", "page"])
def test_the_overlay_radar_keeps_every_dimension_name_inside(request, viewport, coordinator, teams):
    screen = request.getfixturevalue(viewport)  # 360 px and 1280 px wide
    _log_in(screen, coordinator)
    ids = [team.pk for team in teams[:2]]
    screen.goto("/compare/?" + "&".join(f"teams={pk}" for pk in ids))
    overlay = screen.locator("[data-figure='overlay-figure']")
    expect(overlay.locator(".angularaxistick text")).to_have_count(13)
    screen.wait_for_timeout(500)  # charts.js widens the margins after drawing

    assert labels_outside_the_chart(screen, "overlay-figure") == []
    screen.locator("section:has(#overlay-title) details summary").click()
    expect(screen.locator("#overlay-table thead th")).to_have_count(4)
    expect(screen.locator("#overlay-table tbody tr")).to_have_count(13)
