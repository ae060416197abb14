"""The privacy page: Dutch first, English on request, linked from every page's footer, and
stating the real numbers (anonymity thresholds, lockout, session length) from the settings."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessment.models import Round

PRIVACY = reverse("privacy")


def _page(language: str | None = None) -> str:
    client = Client()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(PRIVACY)
    assert response.status_code == 200
    return response.content.decode()


def test_the_privacy_page_opens_without_an_account(db):
    response = Client().get(PRIVACY)

    assert response.status_code == 200
    assert "assessment/privacy.html" in [t.name for t in response.templates]


def test_the_privacy_page_is_in_dutch_by_default_even_for_an_english_browser(db):
    response = Client().get(PRIVACY, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    content = response.content.decode()
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in content
    assert "Privacy: wat Samenspel bewaart en waarom" in content
    assert "Als je de vragenlijst invult" in content
    assert "Privacy: what Samenspel stores and why" not in content


def test_the_privacy_page_is_in_english_with_the_language_cookie(db):
    content = _page("en")

    assert '<html lang="en">' in content
    assert "Privacy: what Samenspel stores and why" in content
    assert "When you fill in the questionnaire" in content
    assert "Privacy: wat Samenspel bewaart en waarom" not in content


def test_the_page_states_the_real_anonymity_thresholds(db):
    minimum = Round._meta.get_field("anonymity_threshold").default
    breakdown = Round._meta.get_field("breakdown_threshold").default
    assert (minimum, breakdown) == (3, 5)

    assert f"minstens {minimum} mensen de vragenlijst hebben ingevuld" in _page()
    assert f"vragen minstens {breakdown} mensen" in _page()
    assert f"at least {minimum} people have completed it" in _page("en")
    assert f"need at least {breakdown} people" in _page("en")


def test_the_page_states_the_real_lockout_and_session_length(db):
    assert "na 5 gaat het account of adres 15 minuten op slot" in _page()
    assert "Je blijft hooguit 10 uur ingelogd" in _page()
    english = _page("en")
    assert "after 5 the account or address is locked for 15 minutes" in english
    assert "You stay logged in for at most 10 hours" in english


def test_the_page_follows_the_settings_when_they_change(settings, db):
    settings.AXES_FAILURE_LIMIT = 8
    settings.AXES_COOLOFF_TIME = timedelta(minutes=45)
    settings.SESSION_COOKIE_AGE = 60 * 60

    english = _page("en")

    assert "after 8 the account or address is locked for 45 minutes" in english
    assert "You stay logged in for at most 1 hour," in english
    assert "na 8 gaat het account of adres 45 minuten op slot" in _page()


def test_the_page_says_respondents_leave_no_address_and_links_are_secret(db):
    content = _page("en")

    assert "we do not store your IP address or your browser" in content
    assert "There are no tracking or advertising cookies and no analytics" in content
    assert "secret codes in respondent and invitation links are removed from those logs" in (
        content
    )


@pytest.fixture
def round(team, questionnaire):
    return Round.objects.create(team=team, version=questionnaire, title="Najaar 2026")


FOOTER_LINK = f'<a href="{PRIVACY}" class="link-secondary">Privacy</a>'


@pytest.mark.parametrize(
    ("who", "page"),
    [
        (None, lambda round: reverse("home")),
        (None, lambda round: reverse("about")),
        (None, lambda round: reverse("login")),
        (None, lambda round: PRIVACY),
        (None, lambda round: round.respondent_path()),
        ("facilitator", lambda round: round.team.get_absolute_url()),
        ("facilitator", lambda round: round.get_absolute_url()),
    ],
    ids=["home", "about", "login", "privacy", "respondent start", "team", "round"],
)
def test_every_page_links_to_the_privacy_page_in_its_footer(request, login, round, who, page):
    client = login(request.getfixturevalue(who)) if who else Client()

    content = client.get(page(round)).content.decode()

    footer = content[content.index("<footer") :]
    assert FOOTER_LINK in footer


def test_the_page_states_the_real_limits_on_new_starts(db):
    dutch = _page()
    english = _page("en")

    assert "hooguit 3 nieuwe vragenlijsten starten vanuit één browser" in dutch
    assert "hooguit 60 vanaf één internetadres" in dutch
    assert "at most 3 new questionnaires per hour from one browser" in english
    assert "at most 60 from one internet address" in english
    assert "We do not keep the address itself" in english
    assert "Each count is deleted after its hour" in english


def test_the_limits_on_the_page_follow_the_settings(settings, db):
    settings.RESPONSES_PER_BROWSER_PER_HOUR = 4
    settings.RESPONSES_PER_ADDRESS_PER_HOUR = 90

    english = _page("en")

    assert "at most 4 new questionnaires per hour from one browser" in english
    assert "at most 90 from one internet address" in english


def test_the_page_says_what_the_minimum_protects_and_what_it_cannot(db):
    english = _page("en")
    dutch = _page()

    assert "What the minimum number of people protects, and what it cannot" in english
    assert "Nobody can read one person's answers from the results, the CSV download" in english
    assert "its figures only change once enough new people have answered" in english
    assert "colleagues who do not exist" in english
    assert "with 3 people who know each other well" in english
    assert "such as 5 or more" in english
    assert "Waartegen het minimum aantal mensen beschermt, en waartegen niet" in dutch
    assert "bijvoorbeeld 5 of meer" in dutch
