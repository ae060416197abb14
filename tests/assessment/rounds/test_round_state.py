"""The round page follows the round's state; closing asks first; the nudge to close."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import QuestionnaireVersion, Response, Round
from assessment.questionnaire.importexport import install_shipped_questionnaire
from teams.models import Team


@pytest.fixture
def round(team, questionnaire, facilitator):
    return Round.objects.create(
        team=team,
        version=questionnaire,
        title="Najaar 2026",
        closes_on=date(2099, 11, 24),
        created_by=facilitator,
    )


def _responses(round, started: int, completed: int) -> None:
    made = [Response.objects.create(round=round) for _ in range(started)]
    for response in made[:completed]:
        response.submitted_at = timezone.now()
        response.save()


def _detail(client, round) -> str:
    return client.get(reverse("round_detail", args=[round.pk])).content.decode()


# The open round leads with sharing


def test_an_open_round_offers_a_message_to_share_with_team_closing_date_code_and_link(
    login, facilitator, round
):
    response = login(facilitator).get(reverse("round_detail", args=[round.pk]))
    page = response.content.decode()
    message = response.context["invitation"]

    assert "IKC De Testtuin" in message
    assert "24 nov" in message and "2099" in message
    # The round is on version 1: 162 answers, about 12 minutes.
    assert "Het duurt ongeveer 12 minuten en is anoniem" in message
    assert "anoniem" in message
    assert f"/r/{round.token}/" in message
    assert round.grouped_code in message
    assert 'id="invitation-text"' in page
    assert "data-share" in page and "hidden" in page
    assert round.grouped_code in page
    assert reverse("round_results", args=[round.pk]) not in page


def test_a_closed_round_leads_with_the_results_and_the_next_step_and_no_longer_shares(
    login, facilitator, round
):
    round.closed_at = timezone.now()
    round.save()

    page = _detail(login(facilitator), round)

    assert "Resultaten bekijken" in page
    assert reverse("round_results", args=[round.pk]) + "#plan" in page
    assert reverse("meeting_guide") in page
    assert 'id="invitation-text"' not in page
    assert round.token not in page
    assert page.index("Resultaten bekijken") < page.index('id="progress-title"')


# Response against the team size, and the nudge


def test_the_response_shows_against_the_team_size_when_it_is_known(login, facilitator, round):
    Team.objects.filter(pk=round.team_id).update(size=14)
    _responses(round, started=10, completed=8)

    page = _detail(login(facilitator), round)

    assert "8 van 14 ingevuld" in page
    assert 'id="started-count">10<' in page
    assert 'id="close-nudge"' not in page


def test_without_a_team_size_only_the_counts_show(login, facilitator, round):
    _responses(round, started=3, completed=2)

    page = _detail(login(facilitator), round)

    assert 'id="response-rate"' not in page
    assert 'id="completed-count">2<' in page


def test_the_page_nudges_to_close_when_most_of_the_team_answered(login, facilitator, round):
    Team.objects.filter(pk=round.team_id).update(size=10)
    _responses(round, started=7, completed=7)

    page = _detail(login(facilitator), round)

    assert 'id="close-nudge"' in page


def _unsaved(size, threshold=3, closed=False) -> Round:
    return Round(
        team=Team(name="T", size=size),
        anonymity_threshold=threshold,
        closed_at=timezone.now() if closed else None,
    )


@pytest.mark.parametrize(
    "size, threshold, completed, nudged",
    [
        (10, 3, 7, True),  # 70% and above the threshold
        (10, 3, 6, False),  # 60%
        (14, 3, 10, True),  # 71%
        (14, 3, 9, False),  # 64%
        (4, 5, 4, False),  # the whole team, but below the anonymity threshold
        (6, 5, 5, True),
        (None, 3, 50, False),  # no team size: no share to judge
        (0, 3, 5, False),
    ],
)
def test_the_nudge_needs_seventy_percent_of_the_team_and_the_anonymity_threshold(
    size, threshold, completed, nudged
):
    assert _unsaved(size, threshold).may_close(completed) is nudged


def test_a_closed_round_is_never_nudged_to_close():
    assert not _unsaved(10, closed=True).may_close(10)


# Closing asks first


def test_the_close_page_says_what_happens_to_unfinished_answers(login, facilitator, round):
    _responses(round, started=5, completed=3)

    response = login(facilitator).get(reverse("round_close", args=[round.pk]))
    page = response.content.decode()

    assert response.status_code == 200
    assert "2 mensen zijn begonnen maar hebben hun antwoorden niet verstuurd" in page
    assert "tellen niet mee" in page
    assert f'action="{reverse("round_close", args=[round.pk])}"' in page
    round.refresh_from_db()
    assert round.is_open


def test_the_close_page_says_so_when_nobody_has_unfinished_answers(login, facilitator, round):
    _responses(round, started=2, completed=2)

    page = login(facilitator).get(reverse("round_close", args=[round.pk])).content.decode()

    assert "Iedereen die begon, heeft de antwoorden verstuurd." in page
    assert "niet verstuurd" not in page


def test_confirming_closes_the_round(login, facilitator, round):
    response = login(facilitator).post(reverse("round_close", args=[round.pk]))
    round.refresh_from_db()

    assert response.status_code == 302
    assert not round.is_open


def test_the_close_page_of_a_closed_round_goes_back_to_the_round(login, facilitator, round):
    round.closed_at = timezone.now()
    round.save()

    response = login(facilitator).get(reverse("round_close", args=[round.pk]))

    assert response.status_code == 302
    assert response.url == round.get_absolute_url()


# The "discussed" tick


def test_a_facilitator_notes_that_the_team_discussed_a_closed_round(login, facilitator, round):
    round.closed_at = timezone.now() - timedelta(days=1)
    round.save()

    response = login(facilitator).post(reverse("round_discussed", args=[round.pk]))
    round.refresh_from_db()

    assert response.status_code == 302
    assert round.discussed_at is not None
    assert "Besproken in het team" in _detail(login(facilitator), round)


def test_an_open_round_cannot_be_noted_as_discussed(login, facilitator, round):
    response = login(facilitator).post(reverse("round_discussed", args=[round.pk]))
    round.refresh_from_db()

    assert response.status_code == 404
    assert round.discussed_at is None


def test_noting_discussed_needs_a_post(login, facilitator, round):
    round.closed_at = timezone.now()
    round.save()

    assert login(facilitator).get(reverse("round_discussed", args=[round.pk])).status_code == 405


# The poster and the meeting guide


def test_the_poster_shows_the_closing_date_and_the_code_to_type(
    login, facilitator, round, settings
):
    settings.SITE_ROOT = "https://samenspel.example"
    page = login(facilitator).get(reverse("round_poster", args=[round.pk])).content.decode()

    assert "24 nov" in page and "2099" in page
    assert round.grouped_code in page
    assert "ga naar <strong>samenspel.example/code</strong> en typ" in page


@pytest.mark.parametrize(
    ("number", "duration"),
    [(1, "ongeveer 12 minuten"), (2, "ongeveer 9 minuten"), (3, "minder dan 5 minuten")],
    ids=["version 1", "full version 2", "short form"],
)
def test_the_invitation_and_the_poster_say_how_long_the_rounds_own_version_takes(
    login, facilitator, team, questionnaire, number, duration
):
    install_shipped_questionnaire()  # adds full version 2 and the short form to version 1
    version = QuestionnaireVersion.objects.get(
        questionnaire=questionnaire.questionnaire, number=number
    )
    round = Round.objects.create(team=team, version=version, created_by=facilitator)
    client = login(facilitator)

    message = client.get(reverse("round_detail", args=[round.pk])).context["invitation"]
    poster = client.get(reverse("round_poster", args=[round.pk])).content.decode()

    assert f"Het duurt {duration} en is anoniem" in message
    assert f"anoniem, in {duration}, op je telefoon" in poster
    assert "kwartier" not in message + poster


def test_anyone_can_read_the_meeting_guide(client):
    response = client.get(reverse("meeting_guide"))

    assert response.status_code == 200
    assert "45 tot 60 minuten" in response.content.decode()
