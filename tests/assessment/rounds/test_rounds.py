"""Facilitators start, share, follow, close and reopen measurement rounds."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Response, Round
from assessment.questionnaire.publishing import create_draft, publish


@pytest.fixture
def round(team, questionnaire, facilitator):
    return Round.objects.create(
        team=team, version=questionnaire, title="Najaar 2026", created_by=facilitator
    )


def _create_url(team) -> str:
    return reverse("round_create", args=[team.pk])


def _round_post(published, **changes) -> dict:
    data = {"title": "Voorjaar 2027", "version": published.pk, "anonymity_threshold": "3"}
    data.update(changes)
    return data


def _today():
    return timezone.localdate()


def _responses(round, started: int, completed: int) -> list[Response]:
    made = [Response.objects.create(round=round) for _ in range(started)]
    for response in made[:completed]:
        response.submitted_at = timezone.now()
        response.save()
    return made


# Creating a round


def test_the_new_round_form_offers_the_latest_published_version_and_threshold_three(
    login, facilitator, team, questionnaire
):
    newer = create_draft(source=questionnaire)
    publish(version=newer)

    response = login(facilitator).get(_create_url(team))

    assert response.status_code == 200
    assert "rounds/create.html" in [t.name for t in response.templates]
    form = response.context["form"]
    assert form["version"].value() == newer.pk
    assert form["anonymity_threshold"].value() == 3
    assert form["closes_on"].value() is None


def test_the_threshold_field_advises_a_higher_number_for_a_small_team(
    login, facilitator, team, questionnaire
):
    client = login(facilitator)

    dutch = client.get(_create_url(team)).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(_create_url(team)).content.decode()

    assert "Kies voor een klein team 5 of meer" in dutch
    assert "For a small team, choose 5 or more" in english


def test_a_facilitator_creates_a_round_for_the_team(login, facilitator, team, questionnaire):
    response = login(facilitator).post(_create_url(team), _round_post(questionnaire))

    round = Round.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("round_detail", args=[round.pk])
    assert round.team == team
    assert round.version == questionnaire
    assert round.title == "Voorjaar 2027"
    assert round.closes_on is None
    assert round.anonymity_threshold == 3
    assert round.created_by == facilitator
    assert round.is_open
    assert len(round.token) >= 40


def test_a_round_may_have_a_closing_date_and_a_higher_threshold(
    login, facilitator, team, questionnaire
):
    closes_on = _today() + timedelta(days=14)
    data = _round_post(questionnaire, closes_on=closes_on.isoformat(), anonymity_threshold="7")

    login(facilitator).post(_create_url(team), data)

    round = Round.objects.get()
    assert round.closes_on == closes_on
    assert round.anonymity_threshold == 7
    assert round.is_open


def test_a_closing_date_of_today_is_accepted(login, facilitator, team, questionnaire):
    data = _round_post(questionnaire, closes_on=_today().isoformat())

    response = login(facilitator).post(_create_url(team), data)

    assert response.status_code == 302
    assert Round.objects.get().is_open


def test_every_round_gets_its_own_token(login, facilitator, team, questionnaire):
    client = login(facilitator)
    client.post(_create_url(team), _round_post(questionnaire, title="Eén"))
    client.post(_create_url(team), _round_post(questionnaire, title="Twee"))

    assert Round.objects.values("token").distinct().count() == 2


REFUSED_ROUNDS = {
    "closing date in the past": ({"closes_on": "past"}, "closes_on"),
    "threshold below three": ({"anonymity_threshold": "2"}, "anonymity_threshold"),
    "threshold zero": ({"anonymity_threshold": "0"}, "anonymity_threshold"),
    "threshold above fifty": ({"anonymity_threshold": "51"}, "anonymity_threshold"),
    "no title": ({"title": ""}, "title"),
    "not a date": ({"closes_on": "next friday"}, "closes_on"),
    "unknown version": ({"version": "999999"}, "version"),
}


@pytest.mark.parametrize("case", REFUSED_ROUNDS)
def test_an_invalid_round_is_refused_with_a_form_error_and_nothing_saved(
    login, facilitator, team, questionnaire, case
):
    changes, field = REFUSED_ROUNDS[case]
    if changes.get("closes_on") == "past":
        changes = {"closes_on": (_today() - timedelta(days=1)).isoformat()}

    response = login(facilitator).post(_create_url(team), _round_post(questionnaire, **changes))

    assert response.status_code == 200
    assert "rounds/create.html" in [t.name for t in response.templates]
    assert list(response.context["form"].errors) == [field]
    assert not Round.objects.exists()


def test_a_draft_version_cannot_be_chosen(login, facilitator, team, questionnaire):
    draft = create_draft(source=questionnaire)

    response = login(facilitator).post(_create_url(team), _round_post(draft))

    assert "version" in response.context["form"].errors
    assert not Round.objects.exists()


# The round page


def test_the_round_page_shows_the_link_and_an_inline_qr_code(login, facilitator, round):
    response = login(facilitator).get(reverse("round_detail", args=[round.pk]))

    assert response.status_code == 200
    assert "rounds/detail.html" in [t.name for t in response.templates]
    assert response.context["link"].endswith(reverse("respond_start", args=[round.token]))
    content = response.content.decode()
    assert round.token in content
    assert "<svg" in content
    assert str(response.context["qr"]).startswith("<svg")


def test_the_round_page_counts_started_and_completed_but_shows_no_respondent_token(
    login, facilitator, round
):
    made = _responses(round, started=5, completed=2)

    response = login(facilitator).get(reverse("round_detail", args=[round.pk]))

    assert response.context["round"].started_count == 5
    assert response.context["round"].completed_count == 2
    content = response.content.decode()
    for respondent in made:
        assert respondent.token not in content


def test_the_counts_are_of_this_round_only(login, facilitator, round, team, questionnaire):
    other = Round.objects.create(team=team, version=questionnaire, title="Ander")
    _responses(other, started=4, completed=4)
    _responses(round, started=1, completed=0)

    response = login(facilitator).get(reverse("round_detail", args=[round.pk]))

    assert response.context["round"].started_count == 1
    assert response.context["round"].completed_count == 0


def test_the_poster_shows_the_qr_code_and_the_link(login, facilitator, round):
    response = login(facilitator).get(reverse("round_poster", args=[round.pk]))

    assert response.status_code == 200
    assert "rounds/poster.html" in [t.name for t in response.templates]
    assert str(response.context["qr"]).startswith("<svg")
    content = response.content.decode()
    assert "<svg" in content
    assert round.token in content


def test_the_team_page_lists_the_round_with_its_counts(login, facilitator, round, team):
    _responses(round, started=3, completed=1)

    response = login(facilitator).get(reverse("team_detail", args=[team.pk]))

    assert response.status_code == 200
    rounds = list(response.context["rounds"])
    assert rounds == [round]
    assert (rounds[0].started_count, rounds[0].completed_count) == (3, 1)
    assert reverse("round_detail", args=[round.pk]) in response.content.decode()


def test_the_team_page_shows_a_member_the_round_without_a_link_to_manage_it(
    login, member, round, team
):
    response = login(member).get(reverse("team_detail", args=[team.pk]))

    assert list(response.context["rounds"]) == [round]
    assert reverse("round_detail", args=[round.pk]) not in response.content.decode()


# Closing and reopening


def test_closing_then_reopening_the_round(login, facilitator, round):
    client = login(facilitator)

    closed = client.post(reverse("round_close", args=[round.pk]))
    round.refresh_from_db()
    assert closed.status_code == 302
    assert closed.url == reverse("round_detail", args=[round.pk])
    assert round.closed_at is not None
    assert not round.is_open

    reopened = client.post(reverse("round_reopen", args=[round.pk]))
    round.refresh_from_db()
    assert reopened.status_code == 302
    assert reopened.url == reverse("round_detail", args=[round.pk])
    assert round.closed_at is None
    assert round.is_open


def test_closing_twice_keeps_the_first_closing_time(login, facilitator, round):
    client = login(facilitator)
    client.post(reverse("round_close", args=[round.pk]))
    round.refresh_from_db()
    first = round.closed_at

    client.post(reverse("round_close", args=[round.pk]))
    round.refresh_from_db()

    assert round.closed_at == first


def test_reopening_a_round_past_its_closing_date_opens_it(login, facilitator, round):
    round.closes_on = _today() - timedelta(days=3)
    round.save()
    assert not round.is_open

    login(facilitator).post(reverse("round_reopen", args=[round.pk]))
    round.refresh_from_db()

    assert round.is_open


def test_reopening_keeps_a_closing_date_in_the_future(login, facilitator, round):
    closes_on = _today() + timedelta(days=3)
    round.closes_on = closes_on
    round.closed_at = timezone.now()
    round.save()

    login(facilitator).post(reverse("round_reopen", args=[round.pk]))
    round.refresh_from_db()

    assert round.is_open
    assert round.closes_on == closes_on


def test_reopening_needs_a_post(login, facilitator, round):
    round.closed_at = timezone.now()
    round.save()

    response = login(facilitator).get(reverse("round_reopen", args=[round.pk]))
    round.refresh_from_db()

    assert response.status_code == 405
    assert not round.is_open


def test_get_on_close_asks_first_and_leaves_the_round_open(login, facilitator, round):
    response = login(facilitator).get(reverse("round_close", args=[round.pk]))
    round.refresh_from_db()

    assert response.status_code == 200
    assert "rounds/close.html" in [t.name for t in response.templates]
    assert round.is_open


# Who may manage a round


def _round_requests(round, team) -> list[tuple[str, str]]:
    return [
        ("get", _create_url(team)),
        ("post", _create_url(team)),
        ("get", reverse("round_detail", args=[round.pk])),
        ("get", reverse("round_poster", args=[round.pk])),
        ("get", reverse("round_close", args=[round.pk])),
        ("post", reverse("round_close", args=[round.pk])),
        ("post", reverse("round_reopen", args=[round.pk])),
        ("post", reverse("round_discussed", args=[round.pk])),
    ]


@pytest.mark.parametrize("outsider", ["member", "other_facilitator", "other_coordinator"])
def test_only_those_who_manage_the_team_see_its_rounds(
    request, login, round, team, questionnaire, other_team, outsider
):
    client = login(request.getfixturevalue(outsider))

    for method, url in _round_requests(round, team):
        data = _round_post(questionnaire) if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)

    round.refresh_from_db()
    assert Round.objects.get() == round
    assert round.closed_at is None


def test_an_outsider_cannot_reopen_a_closed_round(login, other_facilitator, round, other_team):
    round.closed_at = timezone.now()
    round.save()

    response = login(other_facilitator).post(reverse("round_reopen", args=[round.pk]))
    round.refresh_from_db()

    assert response.status_code == 404
    assert not round.is_open


def test_anonymous_visitors_are_sent_to_log_in(round, team, questionnaire):
    client = Client()

    for method, url in _round_requests(round, team):
        data = _round_post(questionnaire) if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response.url == f"{reverse('login')}?next={url}"

    round.refresh_from_db()
    assert Round.objects.count() == 1
    assert round.closed_at is None


@pytest.mark.parametrize("manager", ["coordinator", "admin"])
def test_the_coordinator_of_the_network_and_an_admin_manage_rounds(
    request, login, round, team, questionnaire, manager
):
    client = login(request.getfixturevalue(manager))

    assert client.get(_create_url(team)).status_code == 200
    created = client.post(_create_url(team), _round_post(questionnaire, title="Door beheer"))
    assert created.status_code == 302
    assert Round.objects.get(title="Door beheer").team == team
    assert client.get(reverse("round_detail", args=[round.pk])).status_code == 200
    assert client.get(reverse("round_poster", args=[round.pk])).status_code == 200
    client.post(reverse("round_close", args=[round.pk]))
    round.refresh_from_db()
    assert not round.is_open
    client.post(reverse("round_reopen", args=[round.pk]))
    round.refresh_from_db()
    assert round.is_open


# Where the link points


@pytest.mark.parametrize("page", ["round_detail", "round_poster"])
def test_in_development_the_link_follows_the_address_the_browser_used(
    settings, login, facilitator, round, page
):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]

    response = login(facilitator).get(reverse(page, args=[round.pk]), HTTP_HOST="127.0.0.1:8100")

    assert response.context["link"] == "http://127.0.0.1:8100" + round.respondent_path()


@pytest.mark.parametrize("page", ["round_detail", "round_poster"])
def test_in_production_the_link_is_built_on_site_root_whatever_host_was_asked(
    settings, login, facilitator, round, page
):
    settings.DEBUG = False
    settings.SITE_ROOT = "https://samenspel.example.org"
    settings.ALLOWED_HOSTS = ["samenspel.example.org", "other.example.org"]

    response = login(facilitator).get(reverse(page, args=[round.pk]), HTTP_HOST="other.example.org")

    assert response.context["link"] == "https://samenspel.example.org" + round.respondent_path()
    assert "other.example.org" not in response.content.decode()
