"""The response rate per sector: counts only, and only for the sectors the gate lets be
shown beside the others."""

import random

import pytest
from django.urls import reverse

from assessment.demo import TeamProfile, make_responses
from assessment.models import Response, Round
from assessment.results.disclosure import Policy
from assessment.rounds.headcount import sector_rates


def test_one_answer_in_a_sector_hides_every_sector_count():
    """Shown beside the whole, school and childcare would give away the one youth-care
    worker by subtraction: so no sector is counted, and each is named as too few."""
    rates = sector_rates(
        {"school": 6, "childcare": 7, "youth_care": 1},
        {"school": 10, "childcare": 8, "youth_care": 2, "bso": 4},
        Policy(means=3, spreads=5),
    )
    assert [(r.sector, r.completed, r.expected) for r in rates] == [
        ("childcare", None, 8),
        ("bso", None, 4),
        ("school", None, 10),
        ("youth_care", None, 2),
    ]


def test_with_no_small_group_every_sector_is_counted():
    rates = sector_rates({"school": 6, "childcare": 7}, {"school": 10}, Policy(means=3, spreads=5))
    assert {rate.sector: rate.completed for rate in rates} == {"childcare": 7, "school": 6}
    assert {rate.sector: rate.expected for rate in rates} == {"childcare": None, "school": 10}


@pytest.fixture
def round(team, questionnaire, facilitator) -> Round:
    round = Round.objects.create(
        team=team, version=questionnaire, title="Najaar", created_by=facilitator
    )
    make_responses([(round, 12, TeamProfile(level=3.4))], rng=random.Random(4))
    responses = list(Response.objects.filter(round=round).order_by("pk"))
    for index, response in enumerate(responses):
        response.sector = "school" if index < 6 else "childcare"
        response.save(update_fields=["sector"])
    return round


def test_a_facilitator_says_how_many_to_expect_and_sees_the_rate_per_sector(
    login, facilitator, round
):
    client = login(facilitator)
    data = {"school": "8", "childcare": "6", "youth_care": "2", "bso": ""}
    client.post(reverse("round_headcount", args=[round.pk]), data)
    round.refresh_from_db()
    assert round.expected_per_sector == {"school": 8, "childcare": 6, "youth_care": 2}
    page = client.get(reverse("round_detail", args=[round.pk])).content.decode()
    table = page.split('id="sector-rates"', 1)[1].split("</table>", 1)[0]
    rows = [" ".join(row.split()) for row in table.split("<tr>")[1:]]
    assert any("Basisonderwijs" in row and "6 van 8" in row for row in rows), rows
    assert any("Kinderopvang" in row and "6 van 6" in row for row in rows), rows
    assert any("Jeugdhulp" in row and "te weinig om te tonen" in row for row in rows), rows


@pytest.mark.parametrize("who", ["member", "other_facilitator"])
def test_only_those_who_manage_the_team_set_the_numbers(request, login, round, who):
    client = login(request.getfixturevalue(who))
    response = client.post(reverse("round_headcount", args=[round.pk]), {"school": "8"})
    assert response.status_code == 404
    round.refresh_from_db()
    assert round.expected_per_sector == {}


def test_numbers_that_are_not_whole_are_refused(login, facilitator, round):
    client = login(facilitator)
    response = client.post(
        reverse("round_headcount", args=[round.pk]), {"school": "-3"}, follow=True
    )
    assert "hele getallen" in response.content.decode()
    round.refresh_from_db()
    assert round.expected_per_sector == {}
