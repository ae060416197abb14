"""A whole team conversation in real browsers: the facilitator presents on a 1920×1080
screen with the keyboard, three colleagues join on their phones by the code, follow the
steps, vote, and the actions typed on the big screen land in the team's plan."""

import random
import time
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.demo import TeamProfile, make_responses
from assessment.meetings import agenda
from assessment.models import Action, Meeting, MeetingVote, Round
from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, _page, assert_accessible, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREEN = {"width": 1920, "height": 1080}
SHOTS = Path("/tmp/shots-meeting")
FOLLOW_SECONDS = 2  # a phone follows the big screen within this (meeting.js polls every 2 s)


@pytest.fixture
def presenter(browser, live_server):
    context, page = _page(browser, live_server, SCREEN)
    yield page
    context.close()
    assert page.js_errors == [], page.js_errors


@pytest.fixture
def phones(browser, live_server):
    opened = [_page(browser, live_server, PHONE) for _ in range(3)]
    yield [page for _context, page in opened]
    for context, page in opened:
        context.close()
        assert page.js_errors == [], page.js_errors


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"))


def _next(presenter) -> None:
    step = presenter.locator("#step").get_attribute("data-step")
    presenter.keyboard.press("ArrowRight")
    expect(presenter.locator("#step")).not_to_have_attribute("data-step", step)


def _followed(phones, meeting: Meeting) -> None:
    """Every phone shows the big screen's revision within FOLLOW_SECONDS (plus a margin for
    a loaded test machine)."""
    revision = str(Meeting.objects.get(pk=meeting.pk).revision)
    started = time.monotonic()
    for phone in phones:
        expect(phone.locator("#phone-step [data-revision]")).to_have_attribute(
            "data-revision", revision, timeout=(FOLLOW_SECONDS + 2) * 1000
        )
    assert time.monotonic() - started < FOLLOW_SECONDS + 2


def test_a_team_holds_its_conversation_from_the_results_to_agreed_actions(
    presenter, phones, questionnaire, team, facilitator
):
    round = Round.objects.create(
        team=team, version=questionnaire, title="Najaar 2026", created_by=facilitator
    )
    make_responses([(round, 8, TeamProfile(level=3.2, divided=2.4))], rng=random.Random(5))
    Round.objects.filter(pk=round.pk).update(closed_at=timezone.now())

    presenter.goto("/account/login/")
    presenter.fill("#id_username", facilitator.email)
    presenter.fill("#id_password", PASSWORD)
    presenter.locator("main form button[type=submit]").click()
    presenter.goto(f"/rounds/{round.pk}/")
    presenter.get_by_role("button", name="Start het teamgesprek").click()
    meeting = Meeting.objects.get(round=round)
    expect(presenter.locator("#step")).to_have_attribute("data-step", agenda.OVERVIEW)
    expect(presenter.locator("[data-figure='radar-figure'] svg.main-svg").first).to_be_visible()
    assert_fits(presenter)
    assert_accessible(presenter)
    _shoot(presenter, "overview")

    # Colleagues join: two type the code shown on the screen, one opens the QR code's link.
    code = presenter.locator("#meeting-code").inner_text()
    for phone in phones[:2]:
        phone.goto("/m/")
        phone.get_by_label("Code").fill(code.lower())
        phone.get_by_role("button", name="Doe mee").click()
    phones[2].goto(f"/m/{meeting.code}/")
    for phone in phones:
        expect(phone.locator("#phone-step")).to_contain_text("Waar we staan")
    assert meeting.phones.count() == 3
    assert_fits(phones[0])
    assert_accessible(phones[0])

    # The presenter moves on with the keyboard; the phones follow.
    _next(presenter)
    card = presenter.locator("#step").get_attribute("data-step")
    assert agenda.is_card(card)
    expect(presenter.locator("#step")).to_contain_text("Om over te praten")
    _followed(phones, meeting)
    expect(phones[0].locator("#phone-step")).to_contain_text("Om over te praten")
    _shoot(presenter, "card")
    _shoot(phones[0], "card")

    # On to the vote, leaving the remaining cards by the agenda.
    meeting.refresh_from_db()
    presenter.locator("#agenda summary").click()
    presenter.locator("#agenda").get_by_role(
        "button", name="Kies waar we aan werken", exact=True
    ).click()
    expect(presenter.locator("#step")).to_have_attribute("data-step", agenda.VOTE)
    presenter.get_by_role("button", name="Open de stemming").click()
    _followed(phones, meeting)
    cards = agenda.cards(meeting.agenda)
    titles = {}
    for phone in phones:
        buttons = phone.locator(".vote-button")
        expect(buttons).to_have_count(len(cards))
    # Phone 1 and 2 vote for the first card, everyone for the second, phone 3 for the third.
    plan = {0: [0, 1], 1: [0, 1, 3], 2: [1, 2]}
    for index, picks in plan.items():
        buttons = phones[index].locator(".vote-button")
        for pick in picks:
            titles[pick] = buttons.nth(pick).inner_text()
            buttons.nth(pick).click()
            expect(buttons.nth(pick)).to_have_attribute("aria-pressed", "true")
    # A phone that reloads keeps its votes, and cannot give a fourth.
    phones[1].reload()
    buttons = phones[1].locator(".vote-button")
    for pick in plan[1]:
        expect(buttons.nth(pick)).to_have_attribute("aria-pressed", "true")
    expect(buttons.nth(2)).to_be_disabled()
    assert MeetingVote.objects.filter(meeting=meeting).count() == 7
    expect(presenter.locator("#step")).not_to_contain_text(titles[0])  # no tally while open
    _shoot(phones[1], "vote")

    presenter.reload()
    expect(presenter.locator("#votes-cast")).to_contain_text("7 stemmen")
    presenter.get_by_role("button", name="Sluit de stemming en toon de uitslag").click()
    tally = presenter.locator("#tally li")
    expect(tally.nth(0)).to_contain_text(titles[1])
    expect(tally.nth(0)).to_contain_text("3 stemmen")
    expect(tally.nth(1)).to_contain_text(titles[0])
    expect(tally.nth(1)).to_contain_text("2 stemmen")
    _shoot(presenter, "tally")

    # Agreeing: the presenter types an action for the most chosen point.
    _next(presenter)
    expect(presenter.locator("#step")).to_have_attribute("data-step", agenda.AGREE)
    presenter.get_by_label("Wat we gaan doen").first.fill("Elke maand samen de groep in.")
    presenter.get_by_label("Wie pakt het op").first.fill("Sanne")
    presenter.get_by_role("button", name="Toevoegen").first.click()
    expect(presenter.locator("#agreed-today")).to_contain_text("Elke maand samen de groep in.")
    action = Action.objects.get()
    assert (action.meeting_id, action.owner) == (meeting.pk, "Sanne")
    assert action.topic == titles[1]
    _followed(phones, meeting)
    expect(phones[2].locator("#phone-step")).to_contain_text("Elke maand samen de groep in.")
    _shoot(presenter, "agree")

    # The close, then the end: the phones show the summary, the plan has the action.
    _next(presenter)
    expect(presenter.locator("#chosen")).to_contain_text(titles[1])
    presenter.get_by_role("button", name="Beëindig het gesprek").click()
    expect(presenter.locator(".meeting-summary")).to_contain_text("Elke maand samen de groep in.")
    _followed(phones, meeting)
    expect(phones[0].locator("#phone-step")).to_contain_text("Het gesprek is afgelopen")
    expect(phones[0].locator("#chosen")).to_contain_text(titles[1])
    _shoot(phones[0], "ended")
    presenter.goto(f"/rounds/{round.pk}/results/")
    expect(presenter.locator("#plan-list")).to_contain_text("Elke maand samen de groep in.")
