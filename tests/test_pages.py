from html import escape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_home_page_is_dutch_by_default_even_for_an_english_browser(db):
    response = Client().get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_language_switch_remembers_english(db):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/about/"})
    assert response.status_code == 302
    assert response.url == "/about/"
    page = client.get(reverse("home"))
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


def test_an_unknown_language_cookie_falls_back_to_dutch(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("home"))["Content-Language"] == "nl"


def test_about_page_lists_every_dimension_and_source(questionnaire):
    response = Client().get(reverse("about"))
    content = response.content.decode()
    assert response.status_code == 200
    dimensions = list(questionnaire.ordered_dimensions())
    assert len(dimensions) == 13
    for dimension in dimensions:
        assert escape(dimension.name_nl) in content
        for source in dimension.sources.all():
            assert escape(source.citation) in content


def test_about_page_shows_english_dimension_names_in_english(questionnaire):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(reverse("about")).content.decode()
    for dimension in questionnaire.ordered_dimensions():
        assert escape(dimension.name_en) in content


def test_about_page_works_before_a_questionnaire_is_installed(db):
    assert Client().get(reverse("about")).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/plotly/plotly-samenspel.min.js",
        "css/samenspel.css",
        "js/samenspel.js",
    ],
)
def test_assets_come_from_our_own_static_files(path):
    from django.contrib.staticfiles import finders

    assert finders.find(path), path


def test_pages_load_no_outside_assets(questionnaire):
    for name in ("home", "about", "login", "password_reset"):
        content = Client().get(reverse(name)).content.decode()
        assert 'src="http' not in content and 'href="http' not in content, name


def test_logged_in_user_lands_on_their_role_page_after_login(team, facilitator):
    from tests.conftest import PASSWORD

    response = Client().post(
        reverse("login"), {"username": facilitator.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == team.get_absolute_url()


def test_password_reset_mails_a_link(facilitator, mailoutbox):
    response = Client().post(reverse("password_reset"), {"email": facilitator.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/account/reset/" in mailoutbox[0].body
