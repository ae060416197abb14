"""The improvement cycle in a real browser: an action agreed, carried into the next round,
and the trend drawn."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.demo import TeamProfile, make_responses
from assessment.models import Action, Round
from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _round(team, version, title: str, level: float, days_ago: int) -> Round:
    round = Round.objects.create(
        team=team, version=version, title=title, closed_at=timezone.now() - timedelta(days=days_ago)
    )
    Round.objects.filter(pk=round.pk).update(created=timezone.now() - timedelta(days=days_ago + 20))
    make_responses([(round, 8, TeamProfile(level=level))], rng=random.Random(days_ago))
    return round


def test_an_action_is_agreed_carried_into_the_next_round_and_the_trend_drawn(
    page, questionnaire, team, facilitator
):
    spring = _round(team, questionnaire, "Voorjaar 2026", 2.8, 200)
    page.goto("/account/login/")
    page.fill("#id_username", facilitator.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.goto(f"/rounds/{spring.pk}/results/")
    page.locator("#top-table").get_by_role("link", name="Maak er een actie van").first.click()
    page.get_by_label("Wat we gaan doen").fill("Elke maand samen de signalen bespreken.")
    page.get_by_label("Wie pakt het op").fill("Intern begeleider")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#plan-list")).to_contain_text("Elke maand samen de signalen bespreken.")
    assert_accessible(page)

    page.goto(f"/teams/{team.pk}/rounds/new/")
    expect(page.get_by_text("Elke maand samen de signalen bespreken.")).to_be_visible()
    page.get_by_label("Titel").fill("Najaar 2026")
    page.get_by_role("button", name="Meetronde openen").click()
    autumn = Round.objects.get(title="Najaar 2026")
    assert Action.objects.get().rounds.filter(pk=autumn.pk).exists()
    expect(page.get_by_text("Elke maand samen de signalen bespreken.")).to_be_visible()

    # The team fills it in; the facilitator closes it and reads the trend.
    make_responses([(autumn, 8, TeamProfile(level=3.9))], rng=random.Random(1))
    # Closing asks first, and says what happens to unfinished answers.
    page.get_by_role("link", name="Meetronde sluiten").first.click()
    page.get_by_role("button", name="Ja, sluit de meetronde").click()
    page.get_by_role("link", name="Resultaten bekijken").click()
    expect(page.locator("#plan-list")).to_contain_text("Voorjaar 2026")
    expect(page.locator("[data-figure='trend-figure'] svg.main-svg").first).to_be_visible()
    expect(page.locator("#trend-table tbody tr")).to_have_count(13)
    assert_accessible(page)
