"""A respondent fills in a version that asks importance and wanting to work on it once per
dimension, "does not apply to me" apart from "don't know", and a report mark, on a phone in
a real browser; every answer tapped is counted against the version's burden."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessment.models import Answer, DimensionAnswer, Response, Round
from assessment.questionnaire.structure import structure
from tests.e2e.conftest import DESKTOP, assert_accessible, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-respond")
# Per page: each statement's answer in order, then the topic's importance and wanting.
PLAN = [
    (["4", "na", "dk"], "3", "yes"),
    (["2", "5"], "1", "no"),
    (["na", "3"], "4", "yes"),
]
MARK = "8"
TOUCH = 44  # px: the least a finger can hit reliably (WCAG 2.5.5)


@pytest.fixture
def round(questionnaire_v2, team, facilitator):
    return Round.objects.create(
        team=team, version=questionnaire_v2, title="Voorjaar 2027", created_by=facilitator
    )


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _tap(page, tapped: dict[str, str], name: str, value: str) -> None:
    """Tap one answer's button; `tapped` keeps every question's latest answer."""
    label = page.locator(f"label[for='{name}-{value}']")
    box = label.bounding_box()
    assert box is not None and box["height"] >= TOUCH, f"{name}-{value}: {box}"
    label.click()
    tapped[name] = value


def _answer_dimension(phone, tapped: dict[str, str], states, importance, wants) -> None:
    statements = phone.locator("fieldset.question:not(.topic)").all()
    assert len(statements) == len(states)
    for fieldset, state in zip(statements, states, strict=True):
        item_id = fieldset.get_attribute("data-question")
        # Only the current state is asked of a statement here.
        expect(fieldset.locator("input[name^='i-'], input[name^='w-']")).to_have_count(0)
        _tap(phone, tapped, f"s-{item_id}", state)
    topic = phone.locator("fieldset.topic")
    expect(topic.locator("legend").first).to_have_text("Over dit onderwerp")
    dimension_id = topic.get_attribute("data-question")[1:]
    _tap(phone, tapped, f"di-{dimension_id}", importance)
    _tap(phone, tapped, f"dw-{dimension_id}", wants)
    # Saved the moment it was tapped, before the page's button is pressed.
    expect(phone.locator(f"[data-status-for='d{dimension_id}']")).to_have_text("Opgeslagen")


def _row(box: dict) -> int:
    # Not round(): this module's `round` is the fixture.
    return int(box["y"] + 0.5)


def _assert_mark_grid(phone) -> None:
    """Ten buttons in two rows of five on a phone, each a big target."""
    boxes = [phone.locator(f"label[for='mark-{value}']").bounding_box() for value in range(1, 11)]
    assert all(box and box["width"] >= TOUCH and box["height"] >= TOUCH for box in boxes), boxes
    rows = sorted({_row(box) for box in boxes if box})
    assert len(rows) == 2, rows
    assert [_row(box) for box in boxes if box] == [rows[0]] * 5 + [rows[1]] * 5


def test_a_respondent_fills_in_version_two_on_a_phone(phone, browser, live_server, round):
    version = round.version
    tapped: dict[str, str] = {}
    # No colour fading on a tapped button, nor smooth scrolling: the contrast check and the
    # screenshots see the page as it settles, not halfway.
    phone.emulate_media(reduced_motion="reduce")
    phone.goto(round.respondent_path())
    expect(phone.get_by_text("Het duurt minder dan 5 minuten.")).to_be_visible()
    phone.get_by_role("button", name="Start").click()
    phone.get_by_text("Basisonderwijs", exact=True).click()
    phone.locator("label[for^='id_position_']").first.click()
    phone.get_by_role("button", name="Volgende").click()

    dimensions = list(version.ordered_dimensions())
    for number, (dimension, plan) in enumerate(zip(dimensions, PLAN, strict=True), start=1):
        expect(phone.get_by_role("heading", level=1)).to_have_text(dimension.name_nl)
        expect(phone.get_by_text(f"Deel {number} van 4", exact=True)).to_be_visible()
        _answer_dimension(phone, tapped, *plan)
        if number == 1:
            assert_fits(phone)
            assert_accessible(phone)
            _shoot(phone, "dimension")
        phone.get_by_role("button", name="Opslaan en verder").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Jouw rapportcijfer")
    expect(phone.get_by_text("Deel 4 van 4", exact=True)).to_be_visible()
    _assert_mark_grid(phone)
    _tap(phone, tapped, "mark", MARK)
    assert_fits(phone)
    assert_accessible(phone)
    _shoot(phone, "mark")
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
    _shoot(phone, "review")
    answer_set = Response.objects.get(round=round)
    _desktop_shots(browser, live_server, answer_set)

    phone.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bedankt!")

    assert len(tapped) == structure(version).answer_count == 14
    _assert_stored_exactly(answer_set, tapped)


def _desktop_shots(browser, live_server, answer_set: Response) -> None:
    """The same pages on a wide screen, opened by the personal link (nothing changes)."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    page.goto(f"/a/{answer_set.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    _shoot(page, "review")
    page.goto(f"/a/{answer_set.token}/p/1/")
    assert_fits(page)
    _shoot(page, "dimension")
    page.goto(f"/a/{answer_set.token}/p/4/")
    marks = [page.locator(f"label[for='mark-{value}']").bounding_box() for value in (1, 10)]
    assert all(marks) and _row(marks[0]) == _row(marks[1])  # one row of ten
    _shoot(page, "mark")
    context.close()


def _assert_stored_exactly(answer_set: Response, tapped: dict[str, str]) -> None:
    answer_set.refresh_from_db()
    assert answer_set.is_submitted
    assert answer_set.mark == int(tapped["mark"])
    states = {}
    for answer in Answer.objects.filter(response=answer_set):
        assert (answer.importance, answer.wants_to_work) == (None, None)
        if answer.not_applicable:
            states[f"s-{answer.item_id}"] = "na"
        elif answer.dont_know:
            states[f"s-{answer.item_id}"] = "dk"
        else:
            states[f"s-{answer.item_id}"] = str(answer.state)
    topics = {}
    for row in DimensionAnswer.objects.filter(response=answer_set):
        topics[f"di-{row.dimension_id}"] = str(row.importance)
        topics[f"dw-{row.dimension_id}"] = "yes" if row.wants_to_work else "no"
    assert states | topics | {"mark": str(answer_set.mark)} == tapped


def test_a_version_one_page_still_saves_taps_and_hides_follow_ups_after_dont_know(
    phone, questionnaire, team
):
    """The page's script serves both ways of asking: version 1 keeps its three questions."""
    v1_round = Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")
    phone.emulate_media(reduced_motion="reduce")
    phone.goto(v1_round.respondent_path())
    phone.get_by_role("button", name="Start").click()
    phone.get_by_text("Basisonderwijs", exact=True).click()
    phone.locator("label[for^='id_position_']").first.click()
    phone.get_by_role("button", name="Volgende").click()
    expect(phone.locator("fieldset.question").first).to_be_visible()
    first, second = phone.locator("fieldset.question").all()[:2]
    first_id, second_id = (
        first.get_attribute("data-question"),
        second.get_attribute("data-question"),
    )
    tapped: dict[str, str] = {}

    for name, value in ((f"s-{first_id}", "2"), (f"i-{first_id}", "3"), (f"w-{first_id}", "no")):
        _tap(phone, tapped, name, value)
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
