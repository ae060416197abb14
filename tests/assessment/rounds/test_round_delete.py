"""Deleting a round: a confirmation with what goes, then the round with every answer,
score, total and action of it; nothing of other rounds; only for those who manage the team."""

import random

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.demo import TeamProfile, make_responses
from assessment.models import Action, Answer, DimensionScore, DimensionTotal, Response, Round
from assessment.plans.services import add_action, open_round

BACKGROUND = {"sector": "school", "position": "staff"}


def _new_round(team, version, title: str, created_by=None) -> Round:
    return open_round(
        team=team,
        title=title,
        version=version,
        closes_on=None,
        anonymity_threshold=3,
        created_by=created_by,
    )


def _fill(round: Round, submitted: int, unsubmitted: int = 0, seed: int = 1) -> None:
    profile = TeamProfile(level=3.3)
    make_responses([(round, submitted, profile)], rng=random.Random(seed))
    if unsubmitted:
        make_responses(
            [(round, unsubmitted, profile)], rng=random.Random(seed + 1), submitted=False
        )


def _close(round: Round) -> None:
    Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())


def _action(round: Round, user, text: str) -> Action:
    dimension = round.version.dimensions.order_by("order").first()
    return add_action(
        round=round, created_by=user, dimension_key=dimension.key, topic=dimension.name, text=text
    )


def _rows(round_id: int) -> dict[str, int]:
    """Everything stored for one round, by kind."""
    return {
        "responses": Response.objects.filter(round_id=round_id).count(),
        "answers": Answer.objects.filter(response__round_id=round_id).count(),
        "scores": DimensionScore.objects.filter(round_id=round_id).count(),
        "scores by response": DimensionScore.objects.filter(response__round_id=round_id).count(),
        "totals": DimensionTotal.objects.filter(round_id=round_id).count(),
        "actions started": Action.objects.filter(origin_id=round_id).count(),
    }


NOTHING = {
    "responses": 0,
    "answers": 0,
    "scores": 0,
    "scores by response": 0,
    "totals": 0,
    "actions started": 0,
}


def _delete_url(round: Round) -> str:
    return reverse("round_delete", args=[round.pk])


@pytest.fixture
def doomed(team, questionnaire, facilitator):
    """A closed round: five completed responses, two unfinished, and one action."""
    round = _new_round(team, questionnaire, "Najaar 2026", created_by=facilitator)
    _fill(round, submitted=5, unsubmitted=2)
    _close(round)
    _action(round, facilitator, "Elke maand samen lunchen")
    return Round.objects.get(pk=round.pk)


@pytest.fixture
def later(doomed, team, questionnaire, facilitator):
    """The team's next round: it carries the doomed round's open action, and has its own."""
    round = _new_round(team, questionnaire, "Voorjaar 2027", created_by=facilitator)
    _fill(round, submitted=3, seed=5)
    _action(round, facilitator, "Een gezamenlijke studiedag")
    return round


@pytest.fixture
def elsewhere(other_team, questionnaire, other_facilitator):
    round = _new_round(other_team, questionnaire, "Elders 2026", created_by=other_facilitator)
    _fill(round, submitted=4, seed=9)
    _action(round, other_facilitator, "Overleg met de jeugdhulp")
    return round


# The confirmation page


def test_a_facilitator_sees_what_deleting_the_round_would_remove(login, facilitator, doomed):
    response = login(facilitator).get(_delete_url(doomed))

    assert response.status_code == 200
    assert "rounds/delete.html" in [t.name for t in response.templates]
    assert response.context["round"] == doomed
    assert response.context["round"].started_count == 7
    assert response.context["action_count"] == 1
    content = response.content.decode()
    assert "Najaar 2026" in content
    assert 'method="post"' in content
    assert "csrfmiddlewaretoken" in content


def test_opening_the_confirmation_page_deletes_nothing(login, facilitator, doomed):
    before = _rows(doomed.pk)

    login(facilitator).get(_delete_url(doomed))

    assert Round.objects.filter(pk=doomed.pk).exists()
    assert _rows(doomed.pk) == before
    assert before["responses"] == 7


def test_the_round_page_links_to_the_confirmation(login, facilitator, doomed):
    response = login(facilitator).get(doomed.get_absolute_url())

    assert f'href="{_delete_url(doomed)}"' in response.content.decode()


def test_the_confirmation_page_is_in_dutch_and_counts_every_respondent(login, facilitator, doomed):
    content = login(facilitator).get(_delete_url(doomed)).content.decode()

    assert "Hiermee verdwijnt de ronde voorgoed" in content
    assert "de antwoorden van 7 respondenten, ingevuld of niet" in content
    assert "This deletes the round" not in content


# Deleting


def test_deleting_removes_the_round_and_everything_in_it(login, facilitator, team, doomed):
    before = _rows(doomed.pk)
    assert all(before[kind] for kind in NOTHING), before

    response = login(facilitator).post(_delete_url(doomed))

    assert response.status_code == 302
    assert response.url == team.get_absolute_url()
    assert not Round.objects.filter(pk=doomed.pk).exists()
    assert _rows(doomed.pk) == NOTHING


def test_deleting_says_so_and_the_team_page_no_longer_lists_the_round(
    login, facilitator, team, doomed
):
    response = login(facilitator).post(_delete_url(doomed), follow=True)

    assert response.redirect_chain == [(team.get_absolute_url(), 302)]
    (message,) = get_messages(response.wsgi_request)
    assert message.level == messages.SUCCESS
    assert str(message) in response.content.decode()
    assert "Najaar 2026" not in response.content.decode()


def test_deleting_leaves_the_other_rounds_of_the_team_and_of_other_teams_whole(
    login, facilitator, doomed, later, elsewhere
):
    kept = {round.pk: _rows(round.pk) for round in (later, elsewhere)}

    login(facilitator).post(_delete_url(doomed))

    assert Round.objects.filter(pk__in=kept).count() == 2
    assert {pk: _rows(pk) for pk in kept} == kept
    assert kept[later.pk]["responses"] == 3
    assert kept[elsewhere.pk]["responses"] == 4


def test_nothing_of_the_round_is_left_behind_anywhere(login, facilitator, doomed, later, elsewhere):
    totals = {
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "scores": DimensionScore.objects.count(),
        "totals": DimensionTotal.objects.count(),
        "actions": Action.objects.count(),
    }
    gone = _rows(doomed.pk)

    login(facilitator).post(_delete_url(doomed))

    assert Response.objects.count() == totals["responses"] - gone["responses"]
    assert Answer.objects.count() == totals["answers"] - gone["answers"]
    assert DimensionScore.objects.count() == totals["scores"] - gone["scores"]
    assert DimensionTotal.objects.count() == totals["totals"] - gone["totals"]
    assert Action.objects.count() == totals["actions"] - gone["actions started"]


def test_an_action_carried_into_a_later_round_goes_with_the_round_it_was_agreed_after(
    login, facilitator, doomed, later
):
    carried = Action.objects.get(origin=doomed)
    assert set(later.actions.values_list("text", flat=True)) == {
        "Elke maand samen lunchen",
        "Een gezamenlijke studiedag",
    }

    login(facilitator).post(_delete_url(doomed))

    assert not Action.objects.filter(pk=carried.pk).exists()
    assert list(later.actions.values_list("text", flat=True)) == ["Een gezamenlijke studiedag"]


def test_after_deleting_the_links_of_the_round_are_unknown(login, facilitator, doomed):
    personal = Response.objects.filter(round=doomed).first()
    client = login(facilitator)
    client.post(_delete_url(doomed))

    for url in (
        reverse("respond_start", args=[doomed.token]),
        reverse("respond_resume", args=[personal.token]),
        reverse("results_public", args=[doomed.token]),
    ):
        response = Client().get(url)
        assert response.status_code == 404, url
    assert client.get(doomed.get_absolute_url()).status_code == 404
    assert client.get(_delete_url(doomed)).status_code == 404


def test_a_respondent_half_way_an_open_round_meets_the_unknown_link_page(
    login, facilitator, team, questionnaire
):
    round = _new_round(team, questionnaire, "Lopend", created_by=facilitator)
    respondent = Client()
    respondent.post(reverse("respond_start", args=[round.token]))
    answer_set = Response.objects.get(round=round)
    respondent.post(reverse("respond_background", args=[answer_set.token]), BACKGROUND)
    page = reverse("respond_page", args=[answer_set.token, 1])
    assert respondent.get(page).status_code == 200

    login(facilitator).post(_delete_url(round))

    for response in (
        respondent.get(page),
        respondent.post(page, {"nav": "next"}),
        respondent.get(reverse("respond_start", args=[round.token])),
    ):
        assert response.status_code == 404
        assert "respond/unknown_link.html" in [t.name for t in response.templates]
    assert not Response.objects.filter(pk=answer_set.pk).exists()


# Who may


@pytest.mark.parametrize("person", ["coordinator", "admin"])
def test_the_networks_coordinator_and_an_admin_may_delete_a_round(
    request, login, person, team, doomed
):
    client = login(request.getfixturevalue(person))

    assert client.get(_delete_url(doomed)).status_code == 200
    response = client.post(_delete_url(doomed))

    assert response.status_code == 302
    assert response.url == team.get_absolute_url()
    assert not Round.objects.filter(pk=doomed.pk).exists()


@pytest.mark.parametrize("person", ["member", "other_facilitator", "other_coordinator"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_others_get_404_and_nothing_is_deleted(request, login, other_team, doomed, person, method):
    before = _rows(doomed.pk)
    client = login(request.getfixturevalue(person))

    response = getattr(client, method)(_delete_url(doomed))

    assert response.status_code == 404
    assert Round.objects.filter(pk=doomed.pk).exists()
    assert _rows(doomed.pk) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_deleted(doomed, method):
    before = _rows(doomed.pk)

    response = getattr(Client(), method)(_delete_url(doomed))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={_delete_url(doomed)}"
    assert _rows(doomed.pk) == before


def test_a_post_without_the_csrf_token_deletes_nothing(facilitator, doomed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)

    response = client.post(_delete_url(doomed))

    assert response.status_code == 403
    assert Round.objects.filter(pk=doomed.pk).exists()


def test_an_unknown_round_is_not_found(login, facilitator, doomed):
    response = login(facilitator).post(reverse("round_delete", args=[doomed.pk + 1000]))

    assert response.status_code == 404
    assert Round.objects.filter(pk=doomed.pk).exists()
