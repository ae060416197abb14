import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import assert_accessible, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_page_is_dutch_and_english_is_one_click_away(page, questionnaire):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen werken aan samenwerking")
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Work together on working together")
    assert_accessible(page)

    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_about_page_lists_the_dimensions_and_is_accessible(page, questionnaire):
    page.goto("/about/")
    dimensions = list(questionnaire.ordered_dimensions())
    expect(page.locator(".dimension-list > li")).to_have_count(13)
    expect(page.get_by_role("heading", name=dimensions[0].name_nl)).to_be_visible()
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_main_content(page, questionnaire):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_pages_fit_a_phone_screen_and_the_menu_opens(phone, questionnaire):
    for path in ("/", "/about/", "/account/login/"):
        phone.goto(path)
        assert_fits(phone)
        assert_accessible(phone)
    phone.goto("/")
    toggle = phone.locator(".navbar-toggler")
    toggle.click()
    expect(phone.locator("#main-nav")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def test_admin_logs_in_and_sees_the_questionnaire_read_only(page, questionnaire, admin):
    page.goto("/admin/")
    page.fill("#id_username", admin.email)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_contain_text(admin.name)

    page.goto("/admin/assessment/dimension/")
    first = questionnaire.ordered_dimensions().first()
    page.get_by_role("link", name=first.name_nl, exact=True).click()
    expect(page.get_by_text(first.name_en, exact=True).first).to_be_visible()
    # Published: shown read-only, without inputs.
    expect(page.locator("#id_name_nl")).to_have_count(0)
