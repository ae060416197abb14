"""Rounds close on their own: at the end of the closing day the round counts as ended,
and the periodic run records it and mails the team's facilitators, once."""

import random
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.demo import TeamProfile, make_responses
from assessment.models import Round
from assessment.models.outbox import OutgoingMail
from assessment.rounds.schedule import close_ended_rounds
from config.links import absolute_link


def _round(team, questionnaire, facilitator, *, closes_on, answers: int) -> Round:
    round = Round.objects.create(
        team=team, version=questionnaire, title="Voorjaar", created_by=facilitator
    )
    if answers:
        make_responses([(round, answers, TeamProfile(level=3.5))], rng=random.Random(1))
    Round.objects.filter(pk=round.pk).update(closes_on=closes_on)
    return Round.objects.get(pk=round.pk)


def _periodic() -> str:
    out = StringIO()
    call_command("periodic", stdout=out)
    return out.getvalue()


def test_a_round_past_its_closing_day_is_closed_and_its_facilitators_mailed(
    team, questionnaire, facilitator, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - timedelta(days=1)
    round = _round(team, questionnaire, facilitator, closes_on=yesterday, answers=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert "rounds closed: 1" in _periodic()
    round.refresh_from_db()
    assert timezone.localdate(round.closed_at) == yesterday
    (sent,) = mail.outbox
    assert sent.to == [facilitator.email]  # the facilitator, not the member
    assert sent.subject == "De ronde Voorjaar van IKC De Testtuin is gesloten"
    assert "De resultaten staan klaar" in sent.body
    results = absolute_link(reverse("round_results", args=[round.pk]))
    conversation = absolute_link(reverse("round_detail", args=[round.pk])) + "#team-conversation"
    assert f"De resultaten staan klaar: {results}" in sent.body
    assert f"teamgesprek op het grote scherm: {conversation}" in sent.body
    html, _kind = sent.alternatives[0]
    assert f'href="{results}"' in html and f'href="{conversation}"' in html


def test_running_again_or_on_a_second_machine_closes_and_mails_once(
    team, questionnaire, facilitator, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - timedelta(days=1)
    round = _round(team, questionnaire, facilitator, closes_on=yesterday, answers=5)
    with django_capture_on_commit_callbacks(execute=True):
        close_ended_rounds(timezone.now())
        # The other machine read the round as still open a moment ago: its claim fails.
        from assessment.rounds.schedule import _close

        assert _close(round.pk) == 0
        assert "rounds closed: 0" in _periodic()
    assert len(mail.outbox) == 1
    assert OutgoingMail.objects.filter(kind=OutgoingMail.Kind.ROUND_CLOSED).count() == 1


def test_a_round_closes_only_after_its_last_day(team, questionnaire, facilitator):
    round = _round(team, questionnaire, facilitator, closes_on=timezone.localdate(), answers=0)
    assert "rounds closed: 0" in _periodic()
    round.refresh_from_db()
    assert round.closed_at is None and round.is_open


def test_with_too_few_answers_the_mail_says_no_results_can_be_shown(
    team, questionnaire, facilitator, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - timedelta(days=1)
    _round(team, questionnaire, facilitator, closes_on=yesterday, answers=2)
    with django_capture_on_commit_callbacks(execute=True):
        _periodic()
    (sent,) = mail.outbox
    assert "Te weinig collega’s" in sent.body and "De resultaten staan klaar" not in sent.body
    html, _kind = sent.alternatives[0]
    assert "Bekijk de resultaten" not in html


@pytest.mark.parametrize("closed_by_hand", [True, False])
def test_rounds_closed_by_hand_or_without_a_closing_day_are_left_alone(
    team, questionnaire, facilitator, closed_by_hand
):
    round = _round(team, questionnaire, facilitator, closes_on=None, answers=0)
    if closed_by_hand:
        Round.objects.filter(pk=round.pk).update(
            closed_at=timezone.now() - timedelta(days=3),
            closes_on=timezone.localdate() - timedelta(days=2),
        )
    assert "rounds closed: 0" in _periodic()
    assert mail.outbox == [] and not OutgoingMail.objects.exists()


# Rounds that open later


def test_a_round_that_opens_later_says_when_and_takes_no_answers_before(
    client, login, team, questionnaire, facilitator
):
    round = _round(team, questionnaire, facilitator, closes_on=None, answers=0)
    tomorrow = timezone.localdate() + timedelta(days=1)
    Round.objects.filter(pk=round.pk).update(opens_on=tomorrow)
    start = reverse("respond_start", args=[round.token])
    page = client.get(start)
    assert page.status_code == 403
    assert "gaat open op" in page.content.decode()
    assert client.post(start).status_code == 403 and not round.responses.exists()
    detail = login(facilitator).get(reverse("round_detail", args=[round.pk])).content.decode()
    assert "Opent op" in detail and "Gesloten" not in detail


def test_on_its_opening_day_the_link_takes_answers(client, team, questionnaire, facilitator):
    round = _round(team, questionnaire, facilitator, closes_on=None, answers=0)
    Round.objects.filter(pk=round.pk).update(opens_on=timezone.localdate())
    start = reverse("respond_start", args=[round.token])
    assert client.get(start).status_code == 200
    assert client.post(start).status_code == 302 and round.responses.count() == 1


def test_the_opening_date_is_not_in_the_past_and_comes_before_the_closing_date(
    questionnaire,
):
    from assessment.rounds.forms import RoundForm

    today = timezone.localdate()
    base = {"title": "Najaar", "version": questionnaire.pk, "anonymity_threshold": 3}
    past = RoundForm({**base, "opens_on": today - timedelta(days=1)})
    assert "opens_on" in past.errors
    backwards = RoundForm(
        {**base, "opens_on": today + timedelta(days=5), "closes_on": today + timedelta(days=2)}
    )
    assert "closes_on" in backwards.errors
    fine = RoundForm(
        {**base, "opens_on": today + timedelta(days=1), "closes_on": today + timedelta(days=9)}
    )
    assert fine.is_valid(), fine.errors
