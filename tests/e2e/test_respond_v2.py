"""A respondent fills in a version that asks importance and wanting to work on it once per
dimension, "does not apply to me" apart from "don't know", and a report mark, on a phone in
a real browser; every answer tapped is counted against the version's burden."""

import pytest
from playwright.sync_api import expect

from assessment.models import Answer, Response, Round
from assessment.questionnaire.structure import structure
from tests.e2e.answering import (
    Taps,
    answer_dimension,
    assert_mark_grid,
    assert_stored_exactly,
    row,
    shoot,
    start,
    tap,
)
from tests.e2e.conftest import DESKTOP, assert_accessible, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Per page: each statement's answer in order, then the topic's importance and wanting.
PLAN = [
    (["4", "na", "dk"], "3", "yes"),
    (["2", "5"], "1", "no"),
    (["na", "3"], "4", "yes"),
]
MARK = "8"


@pytest.fixture
def round(questionnaire_v2, team, facilitator):
    return Round.objects.create(
        team=team, version=questionnaire_v2, title="Voorjaar 2027", created_by=facilitator
    )


def test_a_respondent_fills_in_version_two_on_a_phone(phone, browser, live_server, round):
    version = round.version
    taps = Taps()
    # No colour fading on a tapped button, nor smooth scrolling: the contrast check and the
    # screenshots see the page as it settles, not halfway.
    phone.emulate_media(reduced_motion="reduce")
    phone.goto(round.respondent_path())
    expect(phone.get_by_text("Het duurt minder dan 5 minuten.")).to_be_visible()
    start(phone)

    dimensions = list(version.ordered_dimensions())
    for number, (dimension, plan) in enumerate(zip(dimensions, PLAN, strict=True), start=1):
        expect(phone.get_by_role("heading", level=1)).to_have_text(dimension.name_nl)
        expect(phone.get_by_text(f"Deel {number} van 4", exact=True)).to_be_visible()
        answer_dimension(phone, taps, *plan)
        if number == 1:
            assert_fits(phone)
            assert_accessible(phone)
            shoot(phone, "dimension")
        phone.get_by_role("button", name="Opslaan en verder").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Jouw rapportcijfer")
    expect(phone.get_by_text("Deel 4 van 4", exact=True)).to_be_visible()
    assert_mark_grid(phone)
    tap(phone, taps, "mark", MARK)
    assert_fits(phone)
    assert_accessible(phone)
    shoot(phone, "mark")
    # Back and forth keeps the mark and lands on the right pages.
    phone.get_by_role("button", name="Vorige").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(dimensions[-1].name_nl)
    phone.get_by_role("button", name="Opslaan en verder").click()
    expect(phone.locator("#mark-8")).to_be_checked()
    phone.get_by_role("button", name="Opslaan en bekijken").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    expect(phone.get_by_text("Jouw rapportcijfer voor de samenwerking: 8.")).to_be_visible()
    expect(phone.get_by_role("link", name="Cijfer veranderen")).to_be_visible()
    expect(phone.get_by_text("Je hebt alle stellingen beantwoord. Bedankt!")).to_be_visible()
    assert_fits(phone)
    assert_accessible(phone)
    shoot(phone, "review")
    answer_set = Response.objects.get(round=round)
    _desktop_shots(browser, live_server, answer_set)

    phone.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bedankt!")

    assert len(taps.made) == len(taps.answers) == structure(version).answer_count == 14
    assert_stored_exactly(answer_set, taps)


def _desktop_shots(browser, live_server, answer_set: Response) -> None:
    """The same pages on a wide screen, opened by the personal link (nothing changes)."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    page.goto(f"/a/{answer_set.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    shoot(page, "review")
    page.goto(f"/a/{answer_set.token}/p/1/")
    assert_fits(page)
    shoot(page, "dimension")
    page.goto(f"/a/{answer_set.token}/p/4/")
    marks = [page.locator(f"label[for='mark-{value}']").bounding_box() for value in (1, 10)]
    assert all(marks) and row(marks[0]) == row(marks[1])  # one row of ten
    shoot(page, "mark")
    context.close()


def test_a_version_one_page_still_saves_taps_and_hides_follow_ups_after_dont_know(
    phone, questionnaire, team
):
    """The page's script serves both ways of asking: version 1 keeps its three questions."""
    v1_round = Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")
    phone.emulate_media(reduced_motion="reduce")
    phone.goto(v1_round.respondent_path())
    start(phone)
    expect(phone.locator("fieldset.question").first).to_be_visible()
    first, second = phone.locator("fieldset.question").all()[:2]
    first_id, second_id = (
        first.get_attribute("data-question"),
        second.get_attribute("data-question"),
    )
    taps = Taps()

    for name, value in ((f"s-{first_id}", "2"), (f"i-{first_id}", "3"), (f"w-{first_id}", "no")):
        tap(phone, taps, name, value)
    phone.locator(f"label[for='s-{second_id}-dk']").click()

    expect(second.locator("[data-follow-up]")).to_be_hidden()
    expect(first.locator("[data-follow-up]")).to_be_visible()
    expect(phone.locator(f"[data-status-for='{second_id}']")).to_have_text("Opgeslagen")
    expect(phone.locator(f"[data-status-for='{first_id}']")).to_have_text("Opgeslagen")
    rows = {
        a.item_id: (a.state, a.dont_know, a.importance, a.wants_to_work)
        for a in Answer.objects.all()
    }
    assert rows == {int(first_id): (2, False, 3, False), int(second_id): (None, True, None, None)}
