"""The team conversation: the presenter's screen and controls, the phones that join by code,
the vote, the actions agreed and the summary; every view for the allowed and the refused."""

import html
import random

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.demo import TeamProfile, make_responses
from assessment.meetings import agenda
from assessment.meetings.phone import follow_key
from assessment.models import Action, Meeting, MeetingVote, Round
from assessment.models.meetings import VOTES_PER_PHONE
from assessment.plans.services import add_action


@pytest.fixture
def closed_round(team, questionnaire, facilitator) -> Round:
    round = Round.objects.create(
        team=team, version=questionnaire, title="Najaar 2026", created_by=facilitator
    )
    profile = TeamProfile(level=3.3, divided=2.4, dimension_shift={"resources": -0.9})
    make_responses([(round, 8, profile)], rng=random.Random(3))
    Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())
    return Round.objects.get(pk=round.pk)


@pytest.fixture
def meeting(login, facilitator, closed_round) -> Meeting:
    login(facilitator).post(reverse("meeting_start", args=[closed_round.pk]))
    return Meeting.objects.get(round=closed_round)


def _present(client: Client, meeting: Meeting):
    return client.get(reverse("meeting_present", args=[meeting.pk]))


def _go_to(client: Client, meeting: Meeting, step: str) -> None:
    meeting.refresh_from_db()
    client.post(reverse("meeting_move", args=[meeting.pk]), {"to": meeting.agenda.index(step)})


def _phone() -> Client:
    return Client()


def _followed(meeting: Meeting, name: str) -> str:
    """The address the phone page polls: with the key it hands out."""
    return reverse(name, args=[meeting.code]) + "?k=" + follow_key(meeting.code)


def _join(phone: Client, meeting: Meeting):
    return phone.get(reverse("meeting_phone", args=[meeting.code]))


def _vote(phone: Client, meeting: Meeting, card: str):
    return phone.post(reverse("meeting_cast", args=[meeting.code]), {"card": card})


# Starting, and who may


def test_a_facilitator_starts_a_conversation_on_the_rounds_results(login, facilitator, meeting):
    assert meeting.created_by == facilitator
    assert meeting.agenda[0] == agenda.OVERVIEW  # no earlier actions to look back on
    assert meeting.agenda[-3:] == [agenda.VOTE, agenda.AGREE, agenda.CLOSE]
    cards = agenda.cards(meeting.agenda)
    assert 1 <= len([c for c in cards if c.startswith("i:")]) <= 10
    page = _present(login(facilitator), meeting)
    assert page.status_code == 200
    assert meeting.grouped_code in page.content.decode()


def test_starting_again_resumes_the_conversation_in_progress(login, facilitator, meeting):
    login(facilitator).post(reverse("meeting_start", args=[meeting.round.pk]))
    assert Meeting.objects.filter(round=meeting.round).count() == 1


def test_the_dimensions_where_opinions_differ_are_cards_lowest_agreement_first(meeting):
    from assessment.results.aggregate import round_results

    results = round_results(meeting.round)
    differing = sorted((d for d in results.dimensions if d.disagrees), key=lambda d: d.agreement)
    assert differing, "the divided team should disagree somewhere"
    shown = [c[2:] for c in agenda.cards(meeting.agenda) if c.startswith("d:")]
    assert shown == [d.key for d in differing][: agenda.DIFFERING_CARDS]


def test_an_open_round_has_no_conversation(login, facilitator, team, questionnaire):
    round = Round.objects.create(team=team, version=questionnaire, title="Open")
    response = login(facilitator).post(reverse("meeting_start", args=[round.pk]))
    assert response.status_code == 302
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["member", "coordinator", "other_facilitator"])
def test_only_the_teams_facilitators_present(request, login, closed_round, meeting, who):
    client = login(request.getfixturevalue(who))
    assert client.post(reverse("meeting_start", args=[closed_round.pk])).status_code == 404
    for name in ("meeting_present", "meeting_summary"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    for name, data in (
        ("meeting_move", {"to": "next"}),
        ("meeting_vote", {"what": "open"}),
        ("meeting_status", {"what": "end"}),
        ("meeting_agenda", {"step": agenda.VOTE, "what": "skip"}),
    ):
        assert client.post(reverse(name, args=[meeting.pk]), data).status_code == 404
    meeting.refresh_from_db()
    assert (meeting.position, meeting.vote, meeting.status) == (0, "not_yet", "active")


def test_anonymous_visitors_are_sent_to_log_in(meeting):
    response = Client().get(reverse("meeting_present", args=[meeting.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_a_wrong_meeting_id_is_a_404(login, facilitator, meeting):
    assert login(facilitator).get(reverse("meeting_present", args=[10**9])).status_code == 404


# Moving through the agenda


def test_next_and_previous_move_the_screen_and_bump_the_revision(login, facilitator, meeting):
    client = login(facilitator)
    before = meeting.revision
    client.post(reverse("meeting_move", args=[meeting.pk]), {"to": "next"})
    meeting.refresh_from_db()
    assert (meeting.position, meeting.revision) == (1, before + 1)
    client.post(reverse("meeting_move", args=[meeting.pk]), {"to": "previous"})
    client.post(reverse("meeting_move", args=[meeting.pk]), {"to": "previous"})
    meeting.refresh_from_db()
    assert meeting.position == 0
    client.post(reverse("meeting_move", args=[meeting.pk]), {"to": "999"})
    meeting.refresh_from_db()
    assert meeting.position == len(meeting.agenda) - 1


def test_a_card_shows_its_figures_questions_and_ideas(login, facilitator, meeting):
    from assessment.models import ConversationQuestion

    client = login(facilitator)
    card = agenda.cards(meeting.agenda)[0]
    _go_to(client, meeting, card)
    page = _present(client, meeting)
    screen = page.context["screen"]
    assert screen.kind == "card" and screen.card.key == card
    content = page.content.decode()
    questions = ConversationQuestion.objects.filter(dimension_key=screen.card.dimension_key)
    assert questions.exists()
    for question in questions:
        assert html.escape(question.text_nl) in content
    assert screen.card.suggestions and html.escape(screen.card.suggestions[0]) in content


def test_the_presenter_skips_and_reorders_steps(login, facilitator, meeting):
    client = login(facilitator)
    first_card, second_card = agenda.cards(meeting.agenda)[:2]
    url = reverse("meeting_agenda", args=[meeting.pk])
    client.post(url, {"step": second_card, "what": "up"})
    meeting.refresh_from_db()
    assert agenda.cards(meeting.agenda)[:2] == [second_card, first_card]
    client.post(url, {"step": first_card, "what": "skip"})
    meeting.refresh_from_db()
    assert first_card not in meeting.agenda
    assert client.post(url, {"step": "nonsense", "what": "skip"}).status_code == 404


# Phones and the vote


def test_a_phone_joins_by_the_code_and_follows_the_screen(login, facilitator, meeting):
    phone = _phone()
    page = _join(phone, meeting)
    assert page.status_code == 200
    assert meeting.phones.count() == 1
    state = phone.get(_followed(meeting, "meeting_state")).json()
    assert state == {"revision": meeting.revision, "status": "active"}
    login(facilitator).post(reverse("meeting_move", args=[meeting.pk]), {"to": "next"})
    moved = phone.get(_followed(meeting, "meeting_state")).json()
    assert moved["revision"] == state["revision"] + 1
    step = phone.get(_followed(meeting, "meeting_step"))
    assert f'data-revision="{moved["revision"]}"' in step.content.decode()


def test_the_join_page_takes_the_code_as_people_type_it(meeting):
    typed = f" {meeting.code[:3].lower()}-{meeting.code[3:]} "
    response = Client().post(reverse("meeting_join"), {"code": typed})
    assert response.status_code == 302
    assert response.url == reverse("meeting_phone", args=[meeting.code])
    wrong = Client().post(reverse("meeting_join"), {"code": "ZZZZZZ"})
    assert wrong.status_code == 404


def test_the_poll_reads_one_row(django_assert_num_queries, meeting):
    phone = _phone()
    _join(phone, meeting)
    with django_assert_num_queries(1):
        phone.get(_followed(meeting, "meeting_state"))


def test_the_poll_and_the_step_answer_only_the_address_the_phone_page_gave(meeting):
    """Polls do not count wrong codes (they come every two seconds), so without the key
    that only the phone page hands out they answer nothing: no way to guess codes there."""
    for name in ("meeting_state", "meeting_step"):
        bare = reverse(name, args=[meeting.code])
        assert Client().get(bare).status_code == 404
        assert Client().get(bare + "?k=guess").status_code == 404
        other = reverse(name, args=["ZZZZZZ"]) + "?k=" + follow_key(meeting.code)
        assert Client().get(other).status_code == 404
    assert Client().get(_followed(meeting, "meeting_step")).status_code == 200
    page = _join(Client(), meeting).content.decode()
    assert html.escape(_followed(meeting, "meeting_state")) in page


def test_a_phone_learns_that_a_deleted_meeting_is_gone(meeting):
    address = _followed(meeting, "meeting_state")
    meeting.round.delete()
    assert Client().get(address).json() == {"revision": 0, "status": "gone"}


def test_each_phone_has_three_votes_one_per_card_and_a_reload_keeps_them(
    login, facilitator, meeting
):
    client = login(facilitator)
    _go_to(client, meeting, agenda.VOTE)
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "open"})
    cards = agenda.cards(meeting.agenda)
    phone = _phone()
    _join(phone, meeting)
    for card in cards[:VOTES_PER_PHONE]:
        assert _vote(phone, meeting, card).status_code == 302
    assert _vote(phone, meeting, cards[VOTES_PER_PHONE]).status_code == 302  # refused
    assert MeetingVote.objects.count() == VOTES_PER_PHONE
    _vote(phone, meeting, cards[0])  # taken back
    assert MeetingVote.objects.count() == VOTES_PER_PHONE - 1
    _vote(phone, meeting, cards[0])
    reloaded = _join(phone, meeting)
    assert reloaded.context["mine"] == set(cards[:VOTES_PER_PHONE])
    assert meeting.phones.count() == 1


def test_a_phone_that_was_not_shown_the_code_cannot_vote(login, facilitator, meeting):
    client = login(facilitator)
    _go_to(client, meeting, agenda.VOTE)
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "open"})
    card = agenda.cards(meeting.agenda)[0]
    assert _vote(_phone(), meeting, card).status_code == 403
    stranger = _phone()
    stranger.cookies[f"samenspel_meeting_{meeting.pk}"] = "made-up"
    assert _vote(stranger, meeting, card).status_code == 403
    other = Meeting.objects.create(round=meeting.round, agenda=meeting.agenda, vote="open")
    elsewhere = _phone()
    _join(elsewhere, other)
    assert _vote(elsewhere, meeting, card).status_code == 403
    assert not MeetingVote.objects.filter(meeting=meeting).exists()


def test_no_vote_before_the_vote_opens_or_after_it_closes(login, facilitator, meeting):
    client = login(facilitator)
    phone = _phone()
    _join(phone, meeting)
    card = agenda.cards(meeting.agenda)[0]
    _vote(phone, meeting, card)
    _go_to(client, meeting, agenda.VOTE)
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "open"})
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "close"})
    _vote(phone, meeting, card)
    assert not MeetingVote.objects.exists()


def test_the_tally_shows_only_when_the_vote_is_closed_and_never_per_phone(
    login, facilitator, meeting
):
    client = login(facilitator)
    _go_to(client, meeting, agenda.VOTE)
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "open"})
    cards = agenda.cards(meeting.agenda)
    for index in range(4):
        phone = _phone()
        _join(phone, meeting)
        _vote(phone, meeting, cards[1])
        if index < 2:
            _vote(phone, meeting, cards[2])
    running = _present(client, meeting)
    assert running.context["screen"].votes == {}
    assert 'id="tally"' not in running.content.decode()
    assert "6 stemmen" in running.content.decode()  # how many were cast, not for what
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "close"})
    closed = _present(client, meeting)
    tally = dict((card.key, votes) for card, votes in closed.context["screen"].tally)
    assert (tally[cards[1]], tally[cards[2]], tally[cards[0]]) == (4, 2, 0)
    assert [card.key for card, _ in closed.context["screen"].chosen] == [cards[1], cards[2]]


# Agreeing, pausing, ending


def _to_agree(client: Client, meeting: Meeting) -> None:
    _go_to(client, meeting, agenda.VOTE)
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "open"})
    phone = _phone()
    _join(phone, meeting)
    _vote(phone, meeting, agenda.cards(meeting.agenda)[0])
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "close"})
    _go_to(client, meeting, agenda.AGREE)


def test_an_action_typed_on_the_screen_lands_in_the_plan(login, facilitator, meeting):
    client = login(facilitator)
    _to_agree(client, meeting)
    card = agenda.cards(meeting.agenda)[0]
    client.post(
        reverse("meeting_action", args=[meeting.pk]),
        {
            "action-topic": card,
            "action-status": "planned",
            "action-text": "Elke maand samen de groep in",
            "action-owner": "Sanne",
            "action-due_date": "2027-03-01",
        },
    )
    action = Action.objects.get()
    assert (action.meeting, action.origin, action.owner) == (meeting, meeting.round, "Sanne")
    assert action.dimension_key and (action.item_key == card[2:] or card.startswith("d:"))
    assert meeting.round in action.rounds.all()
    plan = client.get(reverse("round_results", args=[meeting.round.pk])).content.decode()
    assert "Elke maand samen de groep in" in plan


def test_an_action_is_added_only_on_the_agree_step(login, facilitator, meeting):
    response = login(facilitator).post(
        reverse("meeting_action", args=[meeting.pk]),
        {"action-topic": agenda.cards(meeting.agenda)[0], "action-text": "x"},
    )
    assert response.status_code == 404
    assert not Action.objects.exists()


def test_a_paused_conversation_keeps_its_place_and_resumes(login, facilitator, meeting):
    client = login(facilitator)
    _go_to(client, meeting, agenda.cards(meeting.agenda)[1])
    client.post(reverse("meeting_status", args=[meeting.pk]), {"what": "pause"})
    meeting.refresh_from_db()
    assert meeting.status == "paused"
    phone_page = _join(_phone(), meeting).content.decode()
    assert "gepauzeerd" in phone_page
    client.post(reverse("meeting_start", args=[meeting.round.pk]))
    resumed = Meeting.objects.get(pk=meeting.pk)
    assert resumed.status == "active" and resumed.position == meeting.position


def test_ending_mails_the_summary_and_the_link_then_shows_only_the_summary(
    login, facilitator, meeting, django_capture_on_commit_callbacks
):
    client = login(facilitator)
    _to_agree(client, meeting)
    add_action(
        round=meeting.round,
        created_by=facilitator,
        text="Samen leren",
        dimension_key="x",
        topic="t",
    )
    Action.objects.update(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meeting_status", args=[meeting.pk]), {"what": "end"})
    assert response.url == reverse("meeting_summary", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.is_ended and meeting.round.discussed_at is not None
    (sent,) = mail.outbox
    assert sent.to == [facilitator.email]
    assert "Samen leren" in sent.body
    assert reverse("meeting_summary", args=[meeting.pk]) in sent.body
    assert client.get(reverse("meeting_present", args=[meeting.pk])).status_code == 302
    phones = meeting.phones.count()
    page = _join(_phone(), meeting)
    assert 'data-status="ended"' in page.content.decode()
    assert "Samen leren" in page.content.decode()
    assert meeting.phones.count() == phones  # an ended meeting takes no new phones
    summary = client.get(reverse("meeting_summary", args=[meeting.pk]))
    assert summary.status_code == 200 and "Samen leren" in summary.content.decode()


def test_after_the_first_phone_the_step_is_one_read_of_the_meeting(
    django_assert_num_queries, meeting
):
    """After every move fifteen phones fetch the step at once: it is rendered for the first
    and kept for its revision, so the others cost the one read that finds the meeting."""
    first, second = _phone(), _phone()
    _join(first, meeting)
    _join(second, meeting)
    shown = first.get(_followed(meeting, "meeting_step")).content
    with django_assert_num_queries(1):
        assert second.get(_followed(meeting, "meeting_step")).content == shown


def test_a_kept_step_follows_the_revision_and_the_language(login, facilitator, meeting):
    phone = _phone()
    _join(phone, meeting)
    dutch = phone.get(_followed(meeting, "meeting_step")).content.decode()
    phone.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = phone.get(_followed(meeting, "meeting_step")).content.decode()
    assert "Waar we staan" in dutch and "Where we stand" in english
    login(facilitator).post(reverse("meeting_move", args=[meeting.pk]), {"to": "next"})
    meeting.refresh_from_db()
    moved = phone.get(_followed(meeting, "meeting_step")).content.decode()
    assert f'data-revision="{meeting.revision}"' in moved


def test_while_the_vote_is_open_each_phone_sees_its_own_votes(login, facilitator, meeting):
    client = login(facilitator)
    _go_to(client, meeting, agenda.VOTE)
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "open"})
    card = agenda.cards(meeting.agenda)[0]
    voter, other = _phone(), _phone()
    _join(voter, meeting)
    _join(other, meeting)
    answer = voter.post(
        reverse("meeting_cast", args=[meeting.code]), {"card": card}, HTTP_X_REQUESTED_WITH="fetch"
    ).json()
    assert answer == {"mine": [card], "left": 2, "text": answer["text"]}
    assert answer["text"].startswith("Je hebt nog 2 stemmen")
    theirs = other.get(_followed(meeting, "meeting_step")).content.decode()
    assert 'aria-pressed="true"' not in theirs and "3 stemmen" in theirs
    mine = voter.get(_followed(meeting, "meeting_step")).content.decode()
    assert mine.count('aria-pressed="true"') == 1


def test_reopening_the_round_gives_the_screens_fresh_results(login, facilitator, meeting):
    from assessment.meetings import steps

    before = steps.meeting_results(meeting)
    Round.objects.filter(pk=meeting.round.pk).update(closed_at=None)
    meeting = Meeting.objects.select_related("round").get(pk=meeting.pk)
    assert before.visible and not steps.meeting_results(meeting).visible


def test_a_stale_screen_cannot_bring_an_ended_meeting_back(login, facilitator, meeting):
    client = login(facilitator)
    _go_to(client, meeting, agenda.VOTE)
    client.post(reverse("meeting_status", args=[meeting.pk]), {"what": "end"})
    summary = reverse("meeting_summary", args=[meeting.pk])
    for name, data in (
        ("meeting_move", {"to": "next"}),
        ("meeting_vote", {"what": "open"}),
        ("meeting_agenda", {"step": agenda.VOTE, "what": "skip"}),
        ("meeting_action", {"action-topic": agenda.cards(meeting.agenda)[0], "action-text": "x"}),
    ):
        response = client.post(reverse(name, args=[meeting.pk]), data)
        assert response.status_code == 302 and response.url == summary, name
    meeting.refresh_from_db()
    assert (meeting.status, meeting.vote) == ("ended", "not_yet")
    assert agenda.VOTE in meeting.agenda
    assert not Action.objects.exists()


def test_a_paused_meeting_takes_no_votes(login, facilitator, meeting):
    client = login(facilitator)
    _go_to(client, meeting, agenda.VOTE)
    client.post(reverse("meeting_vote", args=[meeting.pk]), {"what": "open"})
    phone = _phone()
    _join(phone, meeting)
    client.post(reverse("meeting_status", args=[meeting.pk]), {"what": "pause"})
    _vote(phone, meeting, agenda.cards(meeting.agenda)[0])
    assert not MeetingVote.objects.exists()
