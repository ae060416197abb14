"""Security settings that visitors meet: login lockout, strong passwords, the
Content-Security-Policy (and pages that need no inline script for it), sessions that end
with the browser, and the production settings."""

import csv
import io
import json
import os
import random
import re
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessment import exports
from assessment.comparison.summaries import refresh_summaries
from assessment.demo import TeamProfile, make_responses
from assessment.models import Response, Round
from assessment.plans.services import add_action, open_round
from config.login_guard import client_ip, login_username
from teams.models import Invitation, Membership, Team, User
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
LOGIN = reverse("login")
WRONG = "not-the-password-at-all"
LIMIT = 5


def _log_in(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(times: int, username: str = "fenna@example.org", address: str = "127.0.0.1"):
    """Wrong passwords from one browser; the last response."""
    client = Client()
    response = None
    for _ in range(times):
        response = _log_in(client, username, WRONG, address)
    return response


def _logged_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def _locked_out(response) -> bool:
    return response.status_code == 429 and "registration/locked_out.html" in _template_names(
        response
    )


# Lockout after wrong passwords


def test_four_wrong_passwords_show_the_login_form_again(facilitator):
    response = _fail(LIMIT - 1)

    assert response.status_code == 200
    assert "registration/login.html" in _template_names(response)
    assert response.context["form"].errors


def test_the_fifth_wrong_password_locks_the_account_with_a_429_page(facilitator):
    response = _fail(LIMIT)

    assert _locked_out(response)
    content = response.content.decode()
    assert "15" in content  # minutes to wait
    assert reverse("password_reset") in content


def test_the_locked_out_page_is_in_dutch_and_says_how_long_to_wait(facilitator):
    response = _fail(LIMIT)

    content = response.content.decode()
    assert '<html lang="nl">' in content
    assert "Te veel pogingen" in content
    assert "Probeer het over 15 minuten opnieuw." in content
    assert "Too many" not in content


def test_the_locked_out_page_is_in_english_for_those_who_chose_english(facilitator):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(LIMIT):
        response = _log_in(client, "fenna@example.org", WRONG)

    assert _locked_out(response)
    assert "Try again in 15 minutes." in response.content.decode()


def test_a_locked_out_account_is_refused_even_with_the_right_password(facilitator):
    _fail(LIMIT)

    client = Client()
    response = _log_in(client, "fenna@example.org", PASSWORD)

    assert _locked_out(response)
    assert not _logged_in(client)


def test_the_account_stays_locked_from_another_address(facilitator):
    _fail(LIMIT, address="10.0.0.1")

    client = Client()
    response = _log_in(client, "fenna@example.org", PASSWORD, address="10.9.9.9")

    assert _locked_out(response)
    assert not _logged_in(client)


def test_case_variations_of_the_address_count_as_one_account(facilitator):
    variants = [
        "FENNA@EXAMPLE.ORG",
        "Fenna@Example.org",
        " fenna@example.org ",
        "fenna@EXAMPLE.org",
        "fEnNa@example.org",
    ]
    # Each try from its own address: only counting by account can lock this.
    for number, variant in enumerate(variants):
        _log_in(Client(), variant, WRONG, address=f"10.0.0.{number + 1}")

    client = Client()
    response = _log_in(client, "fenna@example.org", PASSWORD, address="10.0.1.1")

    assert _locked_out(response)
    assert not _logged_in(client)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"fenna@example.org"}


def test_a_successful_login_keeps_the_count_so_guesses_cannot_be_spread_out(facilitator):
    _fail(LIMIT - 1)
    client = Client()
    assert _log_in(client, "fenna@example.org", PASSWORD).status_code == 302
    assert _logged_in(client)
    assert AccessAttempt.objects.exists()

    response = _fail(1)

    assert _locked_out(response)


def test_the_lockout_ends_after_the_cool_off_time(facilitator):
    _fail(LIMIT)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=5)
    )

    client = Client()
    response = _log_in(client, "fenna@example.org", PASSWORD)

    assert response.status_code == 302
    assert _logged_in(client)


def test_the_lockout_still_holds_just_before_the_cool_off_time_ends(facilitator):
    _fail(LIMIT)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    )

    response = _log_in(Client(), "fenna@example.org", PASSWORD)

    assert _locked_out(response)


def test_logging_in_to_ones_own_account_does_not_wipe_the_failures_against_another(
    facilitator, member
):
    attacker = "203.0.113.66"
    for _ in range(LIMIT - 1):
        _log_in(Client(), "fenna@example.org", WRONG, attacker)
    assert _log_in(Client(), "mo@example.org", PASSWORD, attacker).status_code == 302

    # The fifth wrong password against Fenna's account, from anywhere, locks it.
    response = _log_in(Client(), "fenna@example.org", WRONG, "198.51.100.5")

    assert _locked_out(response)


def test_after_setting_a_new_password_by_the_emailed_link_one_can_log_in_straight_away(
    facilitator, mailoutbox
):
    _fail(LIMIT, address="203.0.113.66")
    client = Client()
    client.post(reverse("password_reset"), {"email": "fenna@example.org"})
    link = re.search(r"/account/reset/[^/\s]+/[^/\s]+/", mailoutbox[0].body)[0]
    form = client.get(link, follow=True)
    new_password = "een-heel-nieuw-wachtwoord-9"
    saved = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert saved.status_code == 302
    assert saved.url == reverse("password_reset_complete")

    after = Client()
    response = _log_in(after, "fenna@example.org", new_password, "198.51.100.5")

    assert response.status_code == 302
    assert _logged_in(after)


def test_one_address_trying_many_accounts_is_locked_out(facilitator, member):
    guesses = ["a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@x.org"]
    responses = [_log_in(Client(), name, WRONG, address="203.0.113.7") for name in guesses]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]

    # The address is locked, whatever account it tries ...
    from_that_address = Client()
    assert _locked_out(_log_in(from_that_address, "mo@example.org", PASSWORD, "203.0.113.7"))
    assert not _logged_in(from_that_address)
    # ... while the same account from elsewhere is not.
    elsewhere = Client()
    assert _log_in(elsewhere, "mo@example.org", PASSWORD, "198.51.100.1").status_code == 302
    assert _logged_in(elsewhere)


# Which address counts: TRUSTED_PROXIES


def _request(forwarded: str | None = None, remote: str = "192.0.2.10"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post(LOGIN, **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No proxy: X-Forwarded-For is whatever the visitor wrote, so it is ignored.
        (0, None, "192.0.2.10"),
        (0, "1.2.3.4", "192.0.2.10"),
        # One proxy: the last entry is the one our proxy appended.
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (1, " 1.2.3.4 ,, 203.0.113.5 ", "203.0.113.5"),
        # Two proxies: the second entry from the right.
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        # Fewer entries than proxies, or none: the header was not written by them.
        (1, None, "192.0.2.10"),
        (1, "", "192.0.2.10"),
        (2, "203.0.113.5", "192.0.2.10"),
    ],
)
def test_client_ip_trusts_only_the_entries_our_proxies_appended(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies

    assert client_ip(_request(forwarded)) == expected


def test_without_a_proxy_a_forged_forwarded_for_header_does_not_escape_the_lockout(
    settings, facilitator
):
    settings.TRUSTED_PROXIES = 0
    client = Client()
    for number in range(LIMIT):
        response = client.post(
            LOGIN,
            {"username": f"guess{number}@example.org", "password": WRONG},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.1.1.{number}",
        )

    assert _locked_out(response)


def test_behind_a_proxy_the_forged_part_of_the_header_does_not_escape_the_lockout(
    settings, facilitator, member
):
    settings.TRUSTED_PROXIES = 1
    proxy = "127.0.0.1"
    for number in range(LIMIT):
        response = Client().post(
            LOGIN,
            {"username": f"guess{number}@example.org", "password": WRONG},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"10.1.1.{number}, 203.0.113.7",
        )
    assert _locked_out(response)

    # Another visitor behind the same proxy is not locked out with them.
    other = Client()
    other.post(
        LOGIN,
        {"username": "mo@example.org", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert _logged_in(other)


@pytest.mark.parametrize(
    ("credentials", "post", "expected"),
    [
        ({"username": " Fenna@Example.ORG "}, {}, "fenna@example.org"),
        (None, {"username": "MO@example.org"}, "mo@example.org"),
        ({"password": "x"}, {"username": "Olga@example.org"}, "olga@example.org"),
        (None, {}, None),
    ],
)
def test_the_lockout_counts_login_names_in_lower_case(credentials, post, expected):
    request = RequestFactory().post(LOGIN, post)

    assert login_username(request, credentials) == expected


# Strong passwords


NEW_EMAIL = "nina.nieuw@example.org"


@pytest.fixture
def invitation(team, facilitator):
    return Invitation.objects.create(
        team=team, email=NEW_EMAIL, role=Membership.Role.FACILITATOR, invited_by=facilitator
    )


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("kort-wacht1", id="eleven characters"),
        pytest.param("938475610293847", id="only digits"),
        pytest.param("qwerty123456", id="a common password"),
        pytest.param("nina.nieuw@example.org", id="the email address"),
    ],
)
def test_a_weak_password_is_refused_when_accepting_an_invitation(invitation, password):
    response = Client().post(
        invitation.get_absolute_url(),
        {"name": "Nina Nieuw", "password1": password, "password2": password},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email=NEW_EMAIL).exists()
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_a_password_of_twelve_characters_is_long_enough(invitation):
    password = "zq8-vt4-lm2w"
    assert len(password) == 12

    response = Client().post(
        invitation.get_absolute_url(),
        {"name": "Nina Nieuw", "password1": password, "password2": password},
    )

    assert response.status_code == 302
    assert User.objects.get(email=NEW_EMAIL).check_password(password)


# The pages the CSP tests render


def _autumn_round(team, questionnaire, facilitator) -> Round:
    return open_round(
        team=team,
        title="Najaar 2026",
        version=questionnaire,
        closes_on=None,
        anonymity_threshold=3,
        created_by=facilitator,
    )


@pytest.fixture
def site(login, admin, facilitator, member, coordinator, team, questionnaire):
    """A team with a closed round of six respondents and an action, and an open round."""
    closed = _autumn_round(team, questionnaire, facilitator)
    make_responses([(closed, 6, TeamProfile(level=3.3))], rng=random.Random(3))
    Round.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    refresh_summaries([closed.pk])  # what closing a round does after setting closed_at
    closed.refresh_from_db()
    dimension = questionnaire.dimensions.order_by("order").first()
    add_action(
        round=closed,
        created_by=facilitator,
        dimension_key=dimension.key,
        topic=dimension.name,
        text="Elke maand samen lunchen",
    )
    spring = Round.objects.create(
        team=team, version=questionnaire, title="Voorjaar 2027", created_by=facilitator
    )
    return {
        "login": login,
        "admin": admin,
        "facilitator": facilitator,
        "coordinator": coordinator,
        "team": team,
        "closed": closed,
        "open": spring,
        "invitation": Invitation.objects.create(team=team, email="nieuw@example.org"),
    }


def _as(site, who: str) -> Client:
    return site["login"](site[who])


def _started(round: Round) -> tuple[Client, Response]:
    client = Client()
    client.post(reverse("respond_start", args=[round.token]))
    return client, Response.objects.filter(round=round).latest("pk")


def _respondent(site, step: str):
    """A respondent's page in the open round: background, page, review or thanks."""
    client, answer_set = _started(site["open"])
    token = answer_set.token
    if step == "background":
        return client.get(reverse("respond_background", args=[token]))
    client.post(
        reverse("respond_background", args=[token]), {"sector": "school", "position": "staff"}
    )
    if step == "page":
        return client.get(reverse("respond_page", args=[token, 1]))
    if step == "review":
        return client.get(reverse("respond_review", args=[token]))
    client.post(reverse("respond_submit", args=[token]))
    return client.get(reverse("respond_thanks", args=[token]))


def _manage(site, name: str):
    return _as(site, "facilitator").get(reverse(name, args=[site["closed"].pk]))


APP_PAGES = {
    "home": lambda s: Client().get(reverse("home")),
    "home, logged in": lambda s: _as(s, "facilitator").get(reverse("home")),
    "about": lambda s: Client().get(reverse("about")),
    "privacy": lambda s: Client().get(reverse("privacy")),
    "login": lambda s: Client().get(LOGIN),
    "password reset": lambda s: Client().get(reverse("password_reset")),
    "locked out": lambda s: _fail(LIMIT),
    "dashboard": lambda s: _as(s, "facilitator").get(reverse("dashboard"), follow=True),
    "team page": lambda s: _as(s, "facilitator").get(s["team"].get_absolute_url()),
    "new round": lambda s: _as(s, "facilitator").get(reverse("round_create", args=[s["team"].pk])),
    "round detail": lambda s: _manage(s, "round_detail"),
    "round poster": lambda s: _manage(s, "round_poster"),
    "round delete": lambda s: _manage(s, "round_delete"),
    "results": lambda s: _manage(s, "round_results"),
    "new action": lambda s: _manage(s, "action_create"),
    "public results": lambda s: Client().get(reverse("results_public", args=[s["closed"].token])),
    "compare": lambda s: _as(s, "coordinator").get(reverse("compare_teams")),
    "networks": lambda s: _as(s, "coordinator").get(reverse("network_list")),
    "network": lambda s: _as(s, "coordinator").get(s["team"].network.get_absolute_url()),
    "invitation": lambda s: Client().get(s["invitation"].get_absolute_url()),
    "respondent start": lambda s: Client().get(s["open"].respondent_path()),
    "respondent background": lambda s: _respondent(s, "background"),
    "respondent page": lambda s: _respondent(s, "page"),
    "respondent review": lambda s: _respondent(s, "review"),
    "respondent thanks": lambda s: _respondent(s, "thanks"),
    "respondent, round closed": lambda s: Client().get(s["closed"].respondent_path()),
    "respondent, unknown link": lambda s: Client().get("/a/no-such-token/"),
}

ADMIN_PAGES = {
    "admin login": lambda s: Client().get(reverse("admin:login")),
    "admin index": lambda s: _as(s, "admin").get(reverse("admin:index")),
    "admin users": lambda s: _as(s, "admin").get(reverse("admin:teams_user_changelist")),
    "admin user": lambda s: _as(s, "admin").get(
        reverse("admin:teams_user_change", args=[s["facilitator"].pk])
    ),
}


# Content-Security-Policy


def _policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


CSP_CHECKED = [
    "home",
    "login",
    "locked out",
    "team page",
    "results",
    "compare",
    "respondent start",
    "respondent page",
    "respondent thanks",
    "respondent, unknown link",
    *ADMIN_PAGES,
]


@pytest.mark.parametrize("page", CSP_CHECKED)
def test_every_kind_of_page_runs_only_our_own_scripts(site, page):
    response = {**APP_PAGES, **ADMIN_PAGES}[page](site)

    assert response.status_code in {200, 404, 429}
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_respondent_pages_keep_their_secret_link_out_of_the_referrer(site):
    client, answer_set = _started(site["open"])

    for url in (
        site["open"].respondent_path(),
        reverse("respond_background", args=[answer_set.token]),
        reverse("respond_page", args=[answer_set.token, 1]),
    ):
        assert client.get(url)["Referrer-Policy"] == "strict-origin", url


# No inline script (or style) on any page


class _Blocked(HTMLParser):
    """What the policy would block: inline script, event attributes, javascript: links
    and inline style. JSON script elements carry data and never run."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
            if "src" not in attributes and attributes.get("type") != "application/json":
                self.blocked.append(f"<script {attributes}> without src")
        if tag == "style":
            self.blocked.append("<style> element")
        if attributes.get("style"):
            self.blocked.append(f"<{tag} style={attributes['style']!r}>")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=...>")
            runs = (value or "").strip().lower().startswith("javascript:")
            if name in {"href", "src", "action", "formaction"} and runs:
                self.blocked.append(f"<{tag} {name}={value!r}>")


def _blocked(response) -> list[str]:
    parser = _Blocked()
    parser.feed(response.content.decode())
    assert parser.scripts, "every page loads at least Bootstrap's script"
    return parser.blocked


@pytest.mark.parametrize("page", APP_PAGES)
def test_no_page_carries_inline_script_or_style(site, page):
    response = APP_PAGES[page](site)

    assert response.status_code in {200, 403, 404, 429}
    assert _blocked(response) == []


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_the_admin_carries_no_inline_script_either(site, page):
    response = ADMIN_PAGES[page](site)

    assert response.status_code == 200
    assert _blocked(response) == []


def test_the_checker_would_notice_an_inline_script():
    page = HttpResponse(
        '<script src="/static/x.js"></script><script>alert(1)</script>'
        '<script type="application/json">{"a": 1}</script>'
        '<a href="javascript:void(0)" onclick="go()">x</a><div style="color:red"></div>'
    )

    assert _blocked(page) == [
        "<script {}> without src",
        "<a href='javascript:void(0)'>",
        "<a onclick=...>",
        "<div style='color:red'>",
    ]


def test_the_results_page_hands_its_figures_over_as_json_not_as_script(site):
    content = APP_PAGES["results"](site).content.decode()

    assert 'type="application/json"' in content


@pytest.mark.parametrize("name", ["results", "public results", "compare"])
def test_the_chart_pages_load_our_small_plotly_bundle_not_the_full_one(site, name):
    content = APP_PAGES[name](site).content.decode()

    assert 'type="application/json"' in content
    assert "vendor/plotly/plotly-samenspel.min.js" in content
    assert "plotly.min.js" not in content


# What users type reaches charts and exports as text


# Plotly reads a subset of HTML in labels and legends; a spreadsheet runs a cell starting
# with "=" as a formula. Teams and rounds are named by facilitators and coordinators.
MARKUP = '<a href="https://evil.example">x</a><span style="font-size:80px">big</span>'
JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)


def _figures(response) -> dict[str, str]:
    """Each figure on the page as plotly.js reads it, written out as JSON again."""
    payloads = JSON_SCRIPT.findall(response.content.decode())
    return {element_id: json.dumps(json.loads(payload)) for element_id, payload in payloads}


def _assert_shown_as_text(figure: str) -> None:
    assert set(re.findall(r"<[^>]*>?", figure)) <= {"<br>", "<extra>", "</extra>"}
    assert "&lt;a" in figure and "&lt;span" in figure


def test_a_round_title_with_markup_is_text_in_the_trend_chart(site):
    Round.objects.filter(pk=site["closed"].pk).update(title=MARKUP)
    later = _autumn_round(site["team"], site["closed"].version, site["facilitator"])
    make_responses([(later, 6, TeamProfile(level=3.6))], rng=random.Random(4))
    Round.objects.filter(pk=later.pk).update(closed_at=timezone.now() + timedelta(seconds=1))

    response = _as(site, "facilitator").get(reverse("round_results", args=[later.pk]))

    figures = _figures(response)
    assert MARKUP in response.context["results"].trend.rounds[0].title
    _assert_shown_as_text(figures["trend-figure"])
    for figure in figures.values():
        assert "<a" not in figure and "<span" not in figure


def test_a_team_name_with_markup_is_text_in_the_comparison_chart(site):
    Team.objects.filter(pk=site["team"].pk).update(name=MARKUP)

    response = _as(site, "coordinator").get(reverse("compare_teams"), {"teams": site["team"].pk})

    figures = _figures(response)
    _assert_shown_as_text(figures["overlay-figure"])
    for figure in figures.values():
        assert "<a" not in figure and "<span" not in figure


FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-x", "@SUM(A1)", "\tx", "\rx"]


def _csv_cells(response) -> list[str]:
    """The cells of a Dutch download (the default language): semicolons between them."""
    text = response.getvalue().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_team_name_that_is_a_formula_is_text_in_both_csv_exports(site, formula):
    Team.objects.filter(pk=site["team"].pk).update(name=formula)
    Round.objects.filter(pk=site["closed"].pk).update(title=formula)

    results = _as(site, "facilitator").get(reverse("round_results_csv", args=[site["closed"].pk]))
    teams = _as(site, "coordinator").get(reverse("compare_csv"))

    for response in (results, teams):
        cells = _csv_cells(response)
        assert "'" + formula in cells
        assert formula not in cells
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]


def test_the_csv_keeps_numbers_as_numbers_and_neutralises_only_text():
    numbers = ["-1.50", "-1,50", "-3", "0.25", "0,25", 7, -2.5, None]
    assert [exports.neutralised(cell) for cell in numbers] == numbers
    texts = ["-x", "-1+1", "- 1", "-1.", "-1,", "-1,5,0", "=1", "Team"]
    assert [exports.neutralised(cell) for cell in texts] == [
        "'-x",
        "'-1+1",
        "'- 1",
        "'-1.",
        "'-1,",
        "'-1,5,0",
        "'=1",
        "Team",
    ]


# Sessions


def test_the_session_cookie_ends_when_the_browser_closes(facilitator):
    client = Client()

    response = _log_in(client, "fenna@example.org", PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert client.session.get_expire_at_browser_close()


def test_a_session_lasts_at_most_ten_hours_on_the_server(facilitator):
    client = Client()
    _log_in(client, "fenna@example.org", PASSWORD)

    session = Session.objects.get(session_key=client.session.session_key)
    lasts = session.expire_date - timezone.now()
    assert timedelta(hours=9, minutes=59) < lasts <= timedelta(hours=10)


# Production settings


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "samenspel.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    # The probe renders one page; production's manifest storage needs collectstatic.
    "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
}

PROBE = """
import json
from django.conf import settings as s
from django.test import Client

client = Client(HTTP_HOST="samenspel.example.org")
plain_page = client.get("/about/")
plain_health = client.get("/health/")
secure_health = client.get("/health/", secure=True)
proxied = client.get("/health/", HTTP_X_FORWARDED_PROTO="https")
login_page = client.get("/account/login/", secure=True)
language = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
print(json.dumps({
    "debug": s.DEBUG,
    "session_cookie_secure": s.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": s.CSRF_COOKIE_SECURE,
    "language_cookie_secure": s.LANGUAGE_COOKIE_SECURE,
    "session_expire_at_browser_close": s.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    "plain_page": [plain_page.status_code, plain_page.get("Location")],
    "plain_health": plain_health.status_code,
    "secure_health_hsts": secure_health.get("Strict-Transport-Security"),
    "proxied_hsts": proxied.get("Strict-Transport-Security"),
    "csrf_cookie": dict(login_page.cookies[s.CSRF_COOKIE_NAME]),
    "language_cookie": dict(language.cookies[s.LANGUAGE_COOKIE_NAME]),
}))
"""


@pytest.fixture(scope="module")
def production():
    """What Django does with the production variables, from a fresh process."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "TRUSTED_PROXIES"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PROBE],
        cwd=ROOT,
        env={**clean, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_marks_every_cookie_secure(production):
    assert production["debug"] is False
    assert production["session_cookie_secure"] is True
    assert production["csrf_cookie_secure"] is True
    assert production["language_cookie_secure"] is True
    assert production["csrf_cookie"]["secure"] is True
    assert production["language_cookie"]["secure"] is True


def test_production_sessions_also_end_when_the_browser_closes(production):
    assert production["session_expire_at_browser_close"] is True


def test_production_sends_plain_http_to_https(production):
    assert production["plain_page"] == [301, "https://samenspel.example.org/about/"]


def test_production_answers_the_health_check_over_plain_http(production):
    assert production["plain_health"] == 200


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload(production):
    expected = "max-age=31536000; includeSubDomains; preload"
    assert production["secure_health_hsts"] == expected
    # Behind the proxy, X-Forwarded-Proto says the visitor came over HTTPS.
    assert production["proxied_hsts"] == expected
