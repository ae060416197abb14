"""A respondent fills in the questionnaire in a real browser, on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from assessment.models import Answer, Response, Round
from tests.e2e.conftest import assert_accessible, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round(questionnaire, team, facilitator):
    return Round.objects.create(
        team=team, version=questionnaire, title="Najaar 2026", created_by=facilitator
    )


def _start(page, round) -> None:
    page.goto(round.respondent_path())
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Basisonderwijs", exact=True).click()
    page.locator("label[for^='id_position_']").first.click()
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("progress")).to_be_visible()


def _answer_page(page, state: str = "4") -> None:
    """Answer every statement on the current page: state, importance 3, wants to work: yes
    (after "don't know" those two are not asked)."""
    for question in page.locator("fieldset.question").all():
        question.locator(f"label[for$='-{state}'][for^='s-']").click()
        if state == "dk":
            continue
        question.locator("label[for^='i-'][for$='-3']").click()
        question.locator("label[for$='-yes']").click()


def _next(page) -> None:
    page.get_by_role("button", name="Opslaan en verder").click()


def test_respondent_completes_the_whole_questionnaire_on_a_phone(phone, round):
    phone.goto(round.respondent_path())
    assert_fits(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="Start").click()
    assert_accessible(phone)
    phone.get_by_text("Basisonderwijs", exact=True).click()
    phone.locator("label[for^='id_position_']").first.click()
    phone.get_by_role("button", name="Volgende").click()

    dimensions = list(round.version.ordered_dimensions())
    for number, dimension in enumerate(dimensions, start=1):
        expect(phone.get_by_role("heading", level=1)).to_have_text(dimension.name_nl)
        if number == 1:
            assert_fits(phone)
            assert_accessible(phone)
        if number == 2:
            # Leave the first statement of this page open, to find it on the review page.
            first, *rest = phone.locator("fieldset.question").all()
            for question in rest:
                question.locator("label[for$='-3'][for^='s-']").click()
        else:
            _answer_page(phone, state="2" if number % 3 else "dk")
        if number == len(dimensions):
            phone.get_by_role("button", name="Opslaan en bekijken").click()
        else:
            _next(phone)

    expect(phone.get_by_role("heading", level=1)).to_have_text("Controleren en versturen")
    assert_accessible(phone)
    unanswered = dimensions[1].items.order_by("order").first()
    expect(phone.get_by_role("link", name=unanswered.text_nl)).to_be_visible()

    phone.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Bedankt!")
    assert_accessible(phone)

    response = Response.objects.get(round=round)
    assert response.is_submitted
    assert response.sector == "school"
    assert Answer.objects.filter(response=response, dont_know=True).exists()
    assert not Answer.objects.filter(response=response, item=unanswered, state__isnull=False)

    phone.goto(round.respondent_path())
    expect(phone.get_by_role("heading", level=1)).to_have_text("Je hebt je antwoorden al verstuurd")


def test_respondent_continues_the_same_day_then_closes_the_browser_and_resumes_by_link(
    browser, live_server, round
):
    first = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = first.new_page()
    _start(page, round)
    _answer_page(page, state="5")
    _next(page)
    _answer_page(page, state="1")
    _next(page)
    expect(page).to_have_url(f"{live_server.url}/a/{Response.objects.get().token}/p/3/")
    dimensions = list(round.version.ordered_dimensions())

    # The round link again, in the same browser session: it asks before it continues.
    page.goto(round.respondent_path())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ga verder met je eigen antwoorden, of begin opnieuw?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Verder met mijn eigen antwoorden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(dimensions[2].name_nl)
    page.get_by_text("Later verder op een ander apparaat?").click()
    link = page.locator("#resume-link").input_value()
    # Closing the browser forgets its session cookies; only lasting ones would stay.
    kept = first.storage_state()
    kept["cookies"] = [cookie for cookie in kept["cookies"] if cookie["expires"] > 0]
    first.close()

    again = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, storage_state=kept
    )
    page = again.new_page()
    page.goto(round.respondent_path())
    expect(page.get_by_role("button", name="Verder met mijn eigen antwoorden")).to_have_count(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(dimensions[2].name_nl)
    page.get_by_role("button", name="Vorige").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(dimensions[1].name_nl)
    checked = page.locator("input[name^='s-']:checked")
    expect(checked).to_have_count(dimensions[1].items.count())
    for value in checked.all():
        assert value.get_attribute("value") == "1"
    assert Response.objects.count() == 1
    again.close()


def test_personal_link_resumes_on_another_device(browser, live_server, round):
    phone = browser.new_context(base_url=live_server.url)
    page = phone.new_page()
    _start(page, round)
    _answer_page(page)
    _next(page)
    page.get_by_text("Later verder op een ander apparaat?").click()
    link = page.locator("#resume-link").input_value()
    phone.close()

    laptop = browser.new_context(base_url=live_server.url)
    page = laptop.new_page()
    page.goto(link)
    dimensions = list(round.version.ordered_dimensions())
    expect(page.get_by_role("heading", level=1)).to_have_text(dimensions[1].name_nl)
    laptop.close()


def test_a_closed_round_refuses_and_saves_nothing(page, round):
    _start(page, round)
    Round.objects.filter(pk=round.pk).update(closed_at=round.created)
    _answer_page(page)
    first = page.locator("fieldset.question").first
    expect(_status(first)).to_have_text(
        "Niet opgeslagen. Druk op de knop onderaan de pagina om te zien waarom."
    )
    # The page's script was refused, as it must be: that refusal is no page error.
    refused = [error for error in page.js_errors if "/answer/" in error]
    assert refused and all(error.startswith("403 ") for error in refused), refused
    page.js_errors[:] = [error for error in page.js_errors if error not in refused]
    _next(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze meetronde is gesloten")
    assert not Answer.objects.exists()
    assert_accessible(page)

    page.goto(round.respondent_path())
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze meetronde is gesloten")


def test_a_double_submit_stores_one_response(browser, live_server, round):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    _start(page, round)
    _answer_page(page)
    token = Response.objects.get().token
    other_tab = context.new_page()
    page.goto(f"/a/{token}/review/")
    other_tab.goto(f"/a/{token}/review/")

    page.get_by_role("button", name="Mijn antwoorden versturen").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt!")
    other_tab.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(other_tab.get_by_role("heading", level=1)).to_have_text("Bedankt!")

    assert Response.objects.filter(round=round).count() == 1
    assert Response.objects.filter(round=round, submitted_at__isnull=False).count() == 1
    context.close()


def _status(question):
    return question.locator(".answer-status")


def test_an_answer_survives_a_lost_connection_mid_page(phone, round):
    _start(phone, round)
    first, second, *_rest = phone.locator("fieldset.question").all()
    items = list(round.version.ordered_dimensions().first().items.order_by("order"))

    first.locator("label[for^='s-'][for$='-4']").click()
    expect(_status(first)).to_have_text("Opgeslagen")
    assert Answer.objects.get(item=items[0]).state == 4

    phone.context.set_offline(True)
    second.locator("label[for^='s-'][for$='-2']").click()
    expect(_status(second)).to_have_text(
        "Niet opgeslagen — je antwoord blijft staan; we proberen het opnieuw"
    )
    assert_accessible(phone)
    assert not Answer.objects.filter(item=items[1]).exists()

    phone.context.set_offline(False)
    # Sent again once the connection is back, without another tap.
    expect(_status(second)).to_have_text("Opgeslagen", timeout=15_000)
    assert Answer.objects.get(item=items[1]).state == 2

    phone.reload()
    expect(phone.locator(f"#s-{items[0].pk}-4")).to_be_checked()
    expect(phone.locator(f"#s-{items[1].pk}-2")).to_be_checked()
    assert Response.objects.get().last_page == 1


def test_dont_know_hides_importance_and_wanting_and_saves_without_them(phone, round):
    _start(phone, round)
    question = phone.locator("fieldset.question").first
    item = round.version.ordered_dimensions().first().items.order_by("order").first()
    question.locator("label[for^='s-'][for$='-3']").click()
    question.locator("label[for^='i-'][for$='-3']").click()
    question.locator("label[for$='-yes']").click()
    expect(_status(question)).to_have_text("Opgeslagen")

    question.locator("label[for$='-dk']").click()

    expect(question.get_by_text("Hoe belangrijk vind je dit?")).to_be_hidden()
    expect(question.get_by_text("Wil je hieraan werken?")).to_be_hidden()
    expect(_status(question)).to_have_text("Opgeslagen")
    answer = Answer.objects.get(item=item)
    assert (answer.state, answer.dont_know, answer.importance, answer.wants_to_work) == (
        None,
        True,
        None,
        None,
    )
    # A number again: the two questions are back, empty.
    question.locator("label[for^='s-'][for$='-2']").click()
    expect(question.get_by_text("Hoe belangrijk vind je dit?")).to_be_visible()
    expect(question.locator("input[name^='i-']:checked")).to_have_count(0)


def test_a_finished_statement_scrolls_to_the_next(phone, round):
    _start(phone, round)
    first, second, *_rest = phone.locator("fieldset.question").all()

    first.locator("label[for$='-dk']").click()

    phone.wait_for_function(
        "el => Math.abs(el.getBoundingClientRect().top) < 40", arg=second.element_handle()
    )


def test_the_page_works_without_javascript(browser, live_server, round):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    _start(page, round)
    items = list(round.version.ordered_dimensions().first().items.order_by("order"))
    first = page.locator("fieldset.question").first
    # No script: nothing says "saved" before the page is sent, and nothing is hidden.
    expect(_status(first)).to_be_hidden()
    expect(first.get_by_text("Hoe belangrijk vind je dit?")).to_be_visible()
    _answer_page(page, state="4")
    first.locator("label[for$='-dk']").click()
    assert not Answer.objects.exists()

    _next(page)

    dimensions = list(round.version.ordered_dimensions())
    expect(page.get_by_role("heading", level=1)).to_have_text(dimensions[1].name_nl)
    saved = {a.item_id: a for a in Answer.objects.all()}
    assert set(saved) == {item.pk for item in items}
    assert (saved[items[0].pk].dont_know, saved[items[0].pk].importance) == (True, None)
    assert all(saved[item.pk].state == 4 for item in items[1:])
    context.close()
